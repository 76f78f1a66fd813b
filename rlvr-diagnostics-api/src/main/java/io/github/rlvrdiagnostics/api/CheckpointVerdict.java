package io.github.rlvrdiagnostics.api;

import java.util.OptionalDouble;

/**
 * The two-stage diagnostic's verdict on one checkpoint (docs/MATH.md §4).
 *
 * @param name the checkpoint's name
 * @param seed its seed
 * @param stage1Flag whether its pre-RL entropy is below τ
 * @param stage2Drop the relative worst-token entropy drop {@code (H_ref − H_check)/H_ref}
 *     between the reference and check steps; empty when the trace does not reach both steps
 * @param stage2Flag whether that drop exceeds δ (false when the drop is unknown)
 * @param diversityRatio {@code pass@k / (pass@1 + ε)} for the largest {@code k > 1} measured;
 *     empty when only pass@1 is known
 * @param predictedDegenerateFraction the checkpoint's predicted degenerate fraction at the
 *     triage group size, from its pre-RL samples; empty when it has none
 * @param signalFlag whether the Stage 1 signal rule flags it (false when the fraction is unknown)
 */
public record CheckpointVerdict(
    String name, long seed, boolean stage1Flag, OptionalDouble stage2Drop, boolean stage2Flag,
    OptionalDouble diversityRatio, OptionalDouble predictedDegenerateFraction, boolean signalFlag) {

  /** Validates the components. */
  public CheckpointVerdict {
    if (stage2Flag && stage2Drop.isEmpty()) {
      throw new IllegalArgumentException("stage2Flag needs a stage2Drop, was flagged without one for '" + name + "'");
    }
    if (signalFlag && predictedDegenerateFraction.isEmpty()) {
      throw new IllegalArgumentException(
          "signalFlag needs a predictedDegenerateFraction, was flagged without one for '" + name + "'");
    }
  }
}
