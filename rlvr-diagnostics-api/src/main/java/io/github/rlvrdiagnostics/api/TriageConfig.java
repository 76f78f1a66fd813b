package io.github.rlvrdiagnostics.api;

/**
 * The thresholds and schedule of seed 000's two-stage checkpoint diagnostic (SPEC §4).
 *
 * <ul>
 *   <li><b>Stage 1</b> (pre-RL triage) flags a checkpoint whose generation-start entropy is below
 *       {@code tau} nats.
 *   <li><b>Stage 2</b> (early-GRPO monitor) flags a run whose worst-token entropy dropped by more
 *       than the fraction {@code delta} between {@code referenceStep} and {@code checkStep}.
 *       Stopping a flagged run at {@code checkStep} of {@code plannedSteps} saves
 *       {@link #computeSavedFraction()} of its RL compute.
 * </ul>
 * {@code tau = 0.18} was calibrated on seed 000's Qwen ladder and only its ordering is claimed to
 * transfer: calibrate it on your own ladder (see {@code Ladders.calibrate} in the core module).
 *
 * @param tau the Stage 1 entropy threshold in nats, finite and {@code > 0}
 * @param delta the Stage 2 relative-drop threshold, in (0, 1)
 * @param referenceStep the GRPO step of the reference reading, {@code ≥ 0}
 * @param checkStep the GRPO step of the check, {@code > referenceStep}
 * @param plannedSteps the planned length of the GRPO run, {@code ≥ checkStep}
 */
public record TriageConfig(double tau, double delta, long referenceStep, long checkStep, long plannedSteps) {

  /** Seed 000's defaults: τ = 0.18 nats, δ = 0.5, steps 10 and 150 of 400. */
  public static final TriageConfig DEFAULT = new TriageConfig(0.18, 0.5, 10, 150, 400);

  /** Validates the components. */
  public TriageConfig {
    if (!(tau > 0.0 && tau < Double.POSITIVE_INFINITY)) {
      throw new IllegalArgumentException("tau must be finite and > 0, was " + tau);
    }
    if (!(delta > 0.0 && delta < 1.0)) {
      throw new IllegalArgumentException("delta must be in (0, 1), was " + delta);
    }
    if (!(referenceStep >= 0 && referenceStep < checkStep && checkStep <= plannedSteps)) {
      throw new IllegalArgumentException(
          "steps must satisfy 0 <= referenceStep < checkStep <= plannedSteps, was referenceStep="
              + referenceStep + ", checkStep=" + checkStep + ", plannedSteps=" + plannedSteps);
    }
  }

  /** This configuration with another τ. */
  public TriageConfig withTau(double newTau) {
    return new TriageConfig(newTau, delta, referenceStep, checkStep, plannedSteps);
  }

  /** This configuration with another δ. */
  public TriageConfig withDelta(double newDelta) {
    return new TriageConfig(tau, newDelta, referenceStep, checkStep, plannedSteps);
  }

  /** This configuration with other steps. */
  public TriageConfig withSteps(long newReferenceStep, long newCheckStep, long newPlannedSteps) {
    return new TriageConfig(tau, delta, newReferenceStep, newCheckStep, newPlannedSteps);
  }

  /** The fraction of a run's RL compute saved by stopping it at the check step: (planned − check)/planned. */
  public double computeSavedFraction() {
    return (double) (plannedSteps - checkStep) / plannedSteps;
  }
}
