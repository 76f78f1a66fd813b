package io.github.rlvrdiagnostics.api;

import java.util.Optional;
import java.util.OptionalDouble;

/**
 * The two-stage diagnostic's verdict on one checkpoint (docs/MATH.md §4).
 *
 * @param name the checkpoint's name
 * @param seed its seed
 * @param stage1Flag whether its pre-RL entropy is below τ (false when the entropy is unknown)
 * @param stage1Known whether its pre-RL entropy was measured, so that the paper's Stage 1 could
 *     judge it; when not, Stage 1 is unknown (shown as such, never flagged)
 * @param stage2Drop the relative worst-token entropy drop {@code (H_ref − H_check)/H_ref}
 *     between the reference and check steps; empty when the trace does not reach both steps
 * @param stage2Flag whether that drop exceeds δ (false when the drop is unknown)
 * @param diversityRatio {@code pass@k / (pass@1 + ε)} for the largest {@code k > 1} measured;
 *     empty when only pass@1 is known
 * @param predictedDegenerateFraction the checkpoint's predicted degenerate fraction at the
 *     triage group size, from its pre-RL samples; empty when it has none
 * @param signalFlag whether the Stage 1 signal rule flags it (false when the fraction is unknown)
 * @param signalAdvice for a signal-flagged checkpoint, the side its degenerate groups come from
 *     and what to do; empty when it is not flagged
 */
public record CheckpointVerdict(
    String name, long seed, boolean stage1Flag, boolean stage1Known, OptionalDouble stage2Drop, boolean stage2Flag,
    OptionalDouble diversityRatio, OptionalDouble predictedDegenerateFraction, boolean signalFlag,
    Optional<DegenerateAdvice> signalAdvice) {

  /** Validates the components. */
  public CheckpointVerdict {
    if (stage1Flag && !stage1Known) {
      throw new IllegalArgumentException("stage1Flag needs a known entropy, was flagged without one for '" + name + "'");
    }
    if (stage2Flag && stage2Drop.isEmpty()) {
      throw new IllegalArgumentException("stage2Flag needs a stage2Drop, was flagged without one for '" + name + "'");
    }
    if (signalFlag && predictedDegenerateFraction.isEmpty()) {
      throw new IllegalArgumentException(
          "signalFlag needs a predictedDegenerateFraction, was flagged without one for '" + name + "'");
    }
    if (signalAdvice.isPresent() != signalFlag) {
      throw new IllegalArgumentException("signalAdvice must be given exactly when signalFlag is set, was "
          + (signalFlag ? "missing on a flagged" : "given on an unflagged") + " checkpoint '" + name + "'");
    }
  }
}
