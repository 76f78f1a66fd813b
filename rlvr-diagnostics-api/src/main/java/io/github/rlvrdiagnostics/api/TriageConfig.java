package io.github.rlvrdiagnostics.api;

import java.util.OptionalDouble;

/**
 * The thresholds and schedule of the checkpoint diagnostic, and the one home of its rules: every
 * caller (ladder analysis, the training monitor, the command line, reports) asks this record
 * whether a reading is flagged. See docs/MATH.md §4 (the two-stage diagnostic and signal rules).
 *
 * <p><b>Entropy rules</b>, as published in <i>SFT Overtraining Predicts Rank Inversion via Entropy
 * Collapse Under RLVR</i>:
 * <ul>
 *   <li><b>Stage 1</b> (pre-RL triage) flags a checkpoint whose generation-start entropy is below
 *       {@code tau} nats ({@link #stage1Flag}).
 *   <li><b>Stage 2</b> (early-GRPO monitor) flags a run whose worst-token entropy dropped by more
 *       than the fraction {@code delta} between {@code referenceStep} and {@code checkStep}
 *       ({@link #stage2Flag}). Stopping a flagged run at {@code checkStep} of {@code plannedSteps}
 *       saves {@link #computeSavedFraction()} of its RL compute.
 * </ul>
 * {@code tau = 0.18} was calibrated on that paper's Qwen ladder and only its ordering is claimed
 * to transfer: calibrate it on your own ladder ({@code LadderCalibration.calibrate} in the core
 * module).
 *
 * <p><b>Signal rules</b>, this library's own (they apply the majority-degenerate threshold
 * {@code p*(G)} per prompt):
 * <ul>
 *   <li><b>Stage 1 (signal)</b> flags a checkpoint whose predicted degenerate fraction at group
 *       size {@code groupSize}, estimated from pre-RL samples, exceeds
 *       {@code maxDegenerateFraction} ({@link #signalStage1Flag}).
 *   <li><b>Stage 2 (signal)</b> flags a run whose observed degenerate fraction, averaged over the
 *       steps from {@code referenceStep} to {@code checkStep}, exceeds
 *       {@code maxDegenerateFraction} ({@link #signalStage2Flag}).
 * </ul>
 *
 * @param tau the Stage 1 entropy threshold in nats, finite and {@code > 0}
 * @param delta the Stage 2 relative-drop threshold, in (0, 1)
 * @param referenceStep the GRPO step of the reference reading, {@code ≥ 0}
 * @param checkStep the GRPO step of the check, {@code > referenceStep}
 * @param plannedSteps the planned length of the GRPO run, {@code ≥ checkStep}
 * @param groupSize the GRPO group size {@code G} the signal rules predict for, {@code ≥ 1}
 * @param maxDegenerateFraction the signal rules' threshold on the degenerate fraction, in (0, 1)
 */
public record TriageConfig(
    double tau,
    double delta,
    long referenceStep,
    long checkStep,
    long plannedSteps,
    int groupSize,
    double maxDegenerateFraction) {

  /**
   * The defaults: τ = 0.18 nats, δ = 0.5, steps 10 and 150 of 400 (the paper's), G = 8 and a
   * degenerate-fraction threshold of 1/2 (ours: the majority of groups carry no gradient).
   */
  public static final TriageConfig DEFAULT = new TriageConfig(0.18, 0.5, 10, 150, 400, 8, 0.5);

  /** Validates the components. */
  public TriageConfig {
    Checks.positive("tau", tau);
    Checks.open("delta", delta, 0.0, 1.0);
    if (!(referenceStep >= 0 && referenceStep < checkStep && checkStep <= plannedSteps)) {
      throw new IllegalArgumentException(
          "steps must satisfy 0 <= referenceStep < checkStep <= plannedSteps, was referenceStep="
              + referenceStep + ", checkStep=" + checkStep + ", plannedSteps=" + plannedSteps);
    }
    Checks.groupSize(groupSize);
    Checks.open("maxDegenerateFraction", maxDegenerateFraction, 0.0, 1.0);
  }

  /** The entropy rules' settings with the default group size and degenerate-fraction threshold. */
  public TriageConfig(double tau, double delta, long referenceStep, long checkStep, long plannedSteps) {
    this(tau, delta, referenceStep, checkStep, plannedSteps, DEFAULT.groupSize, DEFAULT.maxDegenerateFraction);
  }

  /** This configuration with another τ. */
  public TriageConfig withTau(double newTau) {
    return new TriageConfig(newTau, delta, referenceStep, checkStep, plannedSteps, groupSize, maxDegenerateFraction);
  }

  /** This configuration with another δ. */
  public TriageConfig withDelta(double newDelta) {
    return new TriageConfig(tau, newDelta, referenceStep, checkStep, plannedSteps, groupSize, maxDegenerateFraction);
  }

  /** This configuration with other steps. */
  public TriageConfig withSteps(long newReferenceStep, long newCheckStep, long newPlannedSteps) {
    return new TriageConfig(tau, delta, newReferenceStep, newCheckStep, newPlannedSteps, groupSize,
        maxDegenerateFraction);
  }

  /** This configuration with another group size for the signal rules. */
  public TriageConfig withGroupSize(int newGroupSize) {
    return new TriageConfig(tau, delta, referenceStep, checkStep, plannedSteps, newGroupSize, maxDegenerateFraction);
  }

  /** This configuration with another degenerate-fraction threshold for the signal rules. */
  public TriageConfig withMaxDegenerateFraction(double newMax) {
    return new TriageConfig(tau, delta, referenceStep, checkStep, plannedSteps, groupSize, newMax);
  }

  /** The fraction of a run's RL compute saved by stopping it at the check step: (planned − check)/planned. */
  public double computeSavedFraction() {
    return (double) (plannedSteps - checkStep) / plannedSteps;
  }

  /**
   * The Stage 1 entropy rule: whether a generation-start entropy is below τ. NaN is never
   * flagged (an unknown reading is not evidence).
   */
  public boolean stage1Flag(double entropy) {
    return entropy < tau;
  }

  /**
   * The Stage 2 entropy rule: whether a relative worst-token entropy drop exceeds δ.
   *
   * @param drop the drop {@code (H_ref − H_check)/H_ref}, or empty when unknown (never flagged)
   */
  public boolean stage2Flag(OptionalDouble drop) {
    return drop.isPresent() && drop.getAsDouble() > delta;
  }

  /**
   * The Stage 2 rule seen from the check step: the worst-token entropy below which the check
   * reading is flagged, {@code (1 − δ)·H_ref}, for a reference reading {@code H_ref > 0}.
   */
  public double stage2FlagLevel(double referenceReading) {
    return (1 - delta) * referenceReading;
  }

  /**
   * Whether a degenerate fraction (predicted or observed, of one step or averaged) exceeds
   * {@link #maxDegenerateFraction}: the one comparison behind both signal rules and the
   * monitor's per-step {@link AlertKind#MAJORITY_DEGENERATE} alert. NaN is never flagged.
   */
  public boolean degenerateFlag(double degenerateFraction) {
    return degenerateFraction > maxDegenerateFraction;
  }

  /**
   * The Stage 1 signal rule: whether a checkpoint's predicted degenerate fraction at
   * {@link #groupSize} exceeds {@link #maxDegenerateFraction}.
   */
  public boolean signalStage1Flag(double predictedDegenerateFraction) {
    return degenerateFlag(predictedDegenerateFraction);
  }

  /**
   * The Stage 2 signal rule: whether the observed degenerate fraction, averaged over the steps of
   * the Stage 2 window, exceeds {@link #maxDegenerateFraction}.
   *
   * @param windowMean the mean observed fraction over the window, or empty when no step of the
   *     window reported one (never flagged)
   */
  public boolean signalStage2Flag(OptionalDouble windowMean) {
    return windowMean.isPresent() && degenerateFlag(windowMean.getAsDouble());
  }

  /**
   * The band above a predicted degenerate fraction within which an observed fraction is not
   * flagged: {@code max(0.1, 3·sqrt(p̄(1 − p̄)/B))}, {@code p̄} the prediction and {@code B} the
   * number of groups (0.1 alone when {@code B} is unknown, passed as 0). The count of degenerate
   * groups is a sum of {@code B} independent indicators whose mean is {@code p̄}, so its variance
   * is at most {@code B·p̄(1 − p̄)} and the second term is a conservative three-sigma band; the
   * floor of 0.1 keeps large batches from flagging a prediction that is only slightly off.
   *
   * @param predicted the predicted fraction, in [0, 1]
   * @param groups the number of groups in the step, {@code ≥ 0} (0: unknown)
   */
  public static double predictionBand(double predicted, int groups) {
    Checks.probability("predicted", predicted);
    Checks.atLeast("groups", groups, 0);
    double floor = 0.1;
    return groups > 0 ? Math.max(floor, 3 * Math.sqrt(predicted * (1 - predicted) / groups)) : floor;
  }

  /**
   * Whether an observed degenerate fraction exceeds the one predicted from per-prompt pass rates
   * by more than {@link #predictionBand(double, int)}: the rule behind the monitor's
   * {@link AlertKind#DEGENERATE_ABOVE_PREDICTED} alert. NaN is never flagged.
   */
  public static boolean aboveCalibration(double observed, double predicted, int groups) {
    return observed > predicted + predictionBand(predicted, groups);
  }

  /** Whether {@code step} lies in the Stage 2 window {@code [referenceStep, checkStep]}. */
  public boolean inStage2Window(long step) {
    return step >= referenceStep && step <= checkStep;
  }
}
