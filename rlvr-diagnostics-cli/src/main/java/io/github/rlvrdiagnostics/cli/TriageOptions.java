package io.github.rlvrdiagnostics.cli;

import io.github.rlvrdiagnostics.api.TriageConfig;
import java.util.Map;
import picocli.CommandLine.Option;

/**
 * The run-level options of the checkpoint diagnostic, a picocli mixin shared by {@code triage}
 * and {@code monitor}. Defaults come from {@link TriageConfig#DEFAULT} (picocli shows a field's
 * initial value as its default), and {@link TriageConfig} validates: its messages are turned into
 * option-named errors here rather than checked a second time.
 */
final class TriageOptions {
  private static final TriageConfig DEFAULT = TriageConfig.DEFAULT;

  /** Record component names and the options that set them, for error messages. */
  private static final Map<String, String> OPTION_OF = Map.of(
      "tau", "--tau",
      "delta", "--delta",
      "referenceStep", "--reference-step",
      "checkStep", "--check-step",
      "plannedSteps", "--planned-steps",
      "groupSize", "--group-size",
      "maxDegenerateFraction", "--max-degenerate-fraction");

  @Option(names = "--tau", description = "Stage 1 entropy threshold in nats (default: ${DEFAULT-VALUE}).")
  double tau = DEFAULT.tau();

  @Option(names = "--delta", description = "Stage 2 relative entropy-drop threshold (default: ${DEFAULT-VALUE}).")
  double delta = DEFAULT.delta();

  @Option(names = "--reference-step", description = "Stage 2 reference step (default: ${DEFAULT-VALUE}).")
  long referenceStep = DEFAULT.referenceStep();

  @Option(names = "--check-step", description = "Stage 2 check step (default: ${DEFAULT-VALUE}).")
  long checkStep = DEFAULT.checkStep();

  @Option(names = "--planned-steps", description = "Planned GRPO steps (default: ${DEFAULT-VALUE}).")
  long plannedSteps = DEFAULT.plannedSteps();

  @Option(names = {"-g", "--group-size"}, description = "GRPO group size G for the signal rules (default: "
      + "8 for triage; monitor uses it only when given).")
  Integer groupSize;

  @Option(names = "--max-degenerate-fraction",
      description = "Signal rules' threshold on the degenerate fraction (default: ${DEFAULT-VALUE}).")
  double maxDegenerateFraction = DEFAULT.maxDegenerateFraction();

  /** The option that sets a {@link TriageConfig} component, for example {@code "--tau"} for {@code tau}. */
  static String option(String component) {
    return OPTION_OF.get(component);
  }

  /** The configuration, or an {@link InputException} naming the option that broke a rule. */
  TriageConfig config() {
    return Options.named(OPTION_OF, () -> new TriageConfig(tau, delta, referenceStep, checkStep, plannedSteps,
        groupSize == null ? DEFAULT.groupSize() : groupSize, maxDegenerateFraction));
  }
}
