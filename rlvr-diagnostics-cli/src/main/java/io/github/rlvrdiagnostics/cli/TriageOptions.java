package io.github.rlvrdiagnostics.cli;

import io.github.rlvrdiagnostics.api.TriageConfig;
import picocli.CommandLine.Option;

/** The run-level options of the two-stage diagnostic, shared by {@code triage} and {@code monitor}. */
final class TriageOptions {
  @Option(names = "--tau", defaultValue = "0.18", description = "Stage 1 entropy threshold in nats (default: ${DEFAULT-VALUE}).")
  double tau;

  @Option(names = "--delta", defaultValue = "0.5", description = "Stage 2 relative-drop threshold (default: ${DEFAULT-VALUE}).")
  double delta;

  @Option(names = "--reference-step", defaultValue = "10", description = "Stage 2 reference step (default: ${DEFAULT-VALUE}).")
  long referenceStep;

  @Option(names = "--check-step", defaultValue = "150", description = "Stage 2 check step (default: ${DEFAULT-VALUE}).")
  long checkStep;

  @Option(names = "--planned-steps", defaultValue = "400", description = "Planned GRPO steps (default: ${DEFAULT-VALUE}).")
  long plannedSteps;

  TriageConfig config() {
    if (!(tau > 0.0 && tau < Double.POSITIVE_INFINITY)) {
      throw new InputException("--tau must be finite and > 0, was " + tau);
    }
    if (!(delta > 0.0 && delta < 1.0)) {
      throw new InputException("--delta must be in (0, 1), was " + delta);
    }
    if (!(referenceStep >= 0 && referenceStep < checkStep && checkStep <= plannedSteps)) {
      throw new InputException("need 0 <= --reference-step < --check-step <= --planned-steps, was "
          + referenceStep + ", " + checkStep + ", " + plannedSteps);
    }
    return new TriageConfig(tau, delta, referenceStep, checkStep, plannedSteps);
  }
}
