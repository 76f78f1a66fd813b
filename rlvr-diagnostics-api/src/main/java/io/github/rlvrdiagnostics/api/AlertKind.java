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
  DEGENERATE_OVER_WINDOW,
  /** The KL to the reference policy jumped far above its recent level ({@link DetectorConfig#klSpike}). */
  KL_SPIKE,
  /** The gradient norm jumped far above its recent level ({@link DetectorConfig#spike}). */
  GRAD_NORM_SPIKE,
  /**
   * Every group was degenerate (zero reward spread) yet the loss was not zero: advantages divided
   * by a float32 residue of a zero standard deviation ({@link DetectorConfig#zeroStdResidue}).
   */
  ZERO_STD_NONZERO_LOSS,
  /** Too many responses hit the length limit ({@link DetectorConfig#truncated}). */
  TRUNCATION,
  /** The mean response length drifted far from its start ({@link DetectorConfig#lengthDrift}). */
  LENGTH_DRIFT,
  /** The entropy rose far above its start: instability ({@link DetectorConfig#entropyRising}). */
  ENTROPY_RISING,
  /**
   * The step logged NaN or infinite values (a loss, gradient norm or reward that diverged), which
   * the readers read as missing ({@link DetectorConfig#nonFinite}).
   */
  NON_FINITE
}
