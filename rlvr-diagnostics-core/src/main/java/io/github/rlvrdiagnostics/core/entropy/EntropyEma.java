package io.github.rlvrdiagnostics.core.entropy;

import io.github.rlvrdiagnostics.api.Checks;
import java.util.OptionalDouble;

/**
 * Exponential moving average of entropy readings (<i>Revisiting Entropy in Reinforcement Learning for Large Reasoning Models</i>, Appendix D.3; docs/MATH.md §3):
 * {@code E_t = α·E_{t−1} + (1 − α)·H_t}, with {@code α = 0.6} by default.
 *
 * <p>The first reading initialises the average ({@code E_1 = H_1}), so a short run is not biased
 * towards zero. The average depends on the order of readings, so unlike the accumulators of this
 * module it has no {@code combine}. Not thread-safe: feed it from the training loop's thread or
 * guard it.
 */
public final class EntropyEma {
  /** The paper's smoothing factor. */
  public static final double DEFAULT_ALPHA = 0.6;

  private final double alpha;
  private double value;
  private long count;

  private EntropyEma(double alpha) {
    this.alpha = Checks.closedOpen("alpha", alpha, 0.0, 1.0);
  }

  /** An empty average with {@code α = 0.6}. */
  public static EntropyEma create() {
    return new EntropyEma(DEFAULT_ALPHA);
  }

  /**
   * An empty average with the given weight of the past.
   *
   * @throws IllegalArgumentException unless {@code 0 ≤ alpha < 1}
   */
  public static EntropyEma create(double alpha) {
    return new EntropyEma(alpha);
  }

  /** The weight {@code α} of the previous average. */
  public double alpha() {
    return alpha;
  }

  /**
   * Adds one reading.
   *
   * @throws IllegalArgumentException unless the entropy is finite and non-negative
   */
  public void accept(double entropy) {
    Checks.nonNegative("entropy", entropy);
    value = count == 0 ? entropy : alpha * value + (1.0 - alpha) * entropy;
    count++;
  }

  /** The current average, empty before the first reading. */
  public OptionalDouble value() {
    return count == 0 ? OptionalDouble.empty() : OptionalDouble.of(value);
  }

  /** The number of readings so far. */
  public long count() {
    return count;
  }

  @Override
  public String toString() {
    return "EntropyEma{alpha=" + alpha + ", count=" + count + (count == 0 ? "" : ", value=" + value) + "}";
  }
}
