package io.github.rlvrdiagnostics.core.estimate;

import io.github.rlvrdiagnostics.api.PassAtK;

/**
 * The front door of the unbiased finite-sample estimators (docs/MATH.md, "Estimates from
 * samples"): pass@k, pass^k, the degenerate-group probability and the advantage variance from
 * {@code c} passes among {@code n} samples.
 */
public final class Estimators {
  private Estimators() {}

  /** The unbiased estimators; immutable and thread-safe. */
  public static PassAtK passAtK() {
    return UnbiasedPassAtK.INSTANCE;
  }
}
