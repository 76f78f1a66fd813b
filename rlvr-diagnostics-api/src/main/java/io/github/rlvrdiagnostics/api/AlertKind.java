package io.github.rlvrdiagnostics.api;

/** What a training monitor warns about (docs/MATH.md §4–§5). */
public enum AlertKind {
  /** The entropy fell below the Stage 1 threshold τ. */
  ENTROPY_BELOW_TAU,
  /** The entropy dropped by more than δ between the reference and check steps (Stage 2). */
  ENTROPY_DROP,
  /**
   * More than {@code maxDegenerateFraction} (by default half) of the step's groups were
   * degenerate: most of the batch carried no gradient.
   */
  MAJORITY_DEGENERATE,
  /** The observed degenerate fraction is far above what the step's per-prompt pass rates predict. */
  DEGENERATE_ABOVE_PREDICTED,
  /**
   * The observed degenerate fraction, averaged over the Stage 2 window, exceeded
   * {@code maxDegenerateFraction}: the signal rule's Stage 2 says the run is not learning.
   */
  DEGENERATE_OVER_WINDOW
}
