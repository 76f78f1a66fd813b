package io.github.rlvrdiagnostics.core.signal;

import io.github.rlvrdiagnostics.api.AdvantageVarianceModel;
import io.github.rlvrdiagnostics.api.DegenerateThreshold;

/**
 * The front door of the learning-signal closed forms: how much group-relative advantage a group of
 * G binary rewards carries, and how likely it is to carry none (docs/MATH.md, "The learning signal
 * of one group"). Implementations are package-private and immutable.
 */
public final class Signals {
  private Signals() {}

  /** The closed forms for rewards in {0, 1}. */
  public static AdvantageVarianceModel advantageVariance() {
    return BinaryAdvantageVariance.ZERO_ONE;
  }

  /**
   * The closed forms for rewards in {@code {low, high}}: variances scale by {@code (high − low)²},
   * std-normalised energies do not change.
   *
   * @throws IllegalArgumentException unless both are finite and {@code low < high}
   */
  public static AdvantageVarianceModel advantageVariance(double rewardLow, double rewardHigh) {
    return new BinaryAdvantageVariance(rewardLow, rewardHigh);
  }

  /** The degenerate-group probability {@code p^G + (1−p)^G} and the threshold {@code p*(G)}. */
  public static DegenerateThreshold degenerateThreshold() {
    return BinaryDegenerateThreshold.INSTANCE;
  }
}
