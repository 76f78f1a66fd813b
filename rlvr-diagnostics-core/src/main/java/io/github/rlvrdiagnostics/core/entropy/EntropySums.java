package io.github.rlvrdiagnostics.core.entropy;

/**
 * The running sums every entropy path keeps, and the one place that rescales them: relative to a
 * maximum {@code m} of {@code x = z/T}, {@code S = Σ e^{x−m}} and {@code W = Σ e^{x−m}(x − m)},
 * with {@code H = log S − W/S}. A path sums a block of logits relative to the block's own maximum
 * and {@linkplain #merge merges} it here; the plain pass merges a one-term block at each new
 * maximum. Mutable, one per call.
 */
final class EntropySums {
  private double max = Double.NEGATIVE_INFINITY;
  private double sum; // Σ e^{x−max}
  private double weighted; // Σ e^{x−max}(x − max)

  /** Empties the sums, as a new instance is: for callers that reuse one per row instead of allocating. */
  void reset() {
    max = Double.NEGATIVE_INFINITY;
    sum = 0.0;
    weighted = 0.0;
  }

  /** The largest block maximum merged so far ({@code −∞} before the first). */
  double max() {
    return max;
  }

  /**
   * Adds a block whose sums were taken relative to its own maximum {@code blockMax}: both sides
   * are brought to the larger maximum, since terms {@code (x − old max)} become
   * {@code (x − new max) = (x − old max) + shift}.
   */
  void merge(double blockMax, double blockSum, double blockWeighted) {
    if (blockMax > max) {
      double shift = max - blockMax; // < 0, −∞ before the first block
      double factor = Math.exp(shift);
      // A factor of 0 leaves nothing of the old terms, not 0 · (−∞) = NaN.
      weighted = factor == 0.0 ? blockWeighted : factor * (weighted + shift * sum) + blockWeighted;
      sum = factor * sum + blockSum;
      max = blockMax;
    } else {
      double shift = blockMax - max; // ≤ 0; −∞ when both are finite but far apart
      double factor = Math.exp(shift);
      sum += factor * blockSum;
      if (factor != 0.0) {
        weighted += factor * (blockWeighted + shift * blockSum);
      }
    }
  }

  /** Adds the blocks merged into {@code other} (nothing if it holds none). */
  void merge(EntropySums other) {
    if (!other.isEmpty()) {
      merge(other.max, other.sum, other.weighted);
    }
  }

  /** {@code W = Σ e^{x−max}(x − max)} so far (for tests that look at single terms). */
  double weighted() {
    return weighted;
  }

  /** Whether no block held a finite logit. */
  boolean isEmpty() {
    return sum == 0.0;
  }

  /** {@code H = log S − W/S} of the merged blocks. */
  double entropy() {
    return entropy(sum, weighted);
  }

  /**
   * {@code H = log S − W/S}; a result that rounding would make negative (a one-hot row) is 0.
   * NaN stays NaN, which the fast paths use to hand a row back.
   */
  static double entropy(double sum, double weighted) {
    double h = Math.log(sum) - weighted / sum;
    return h < 0.0 ? 0.0 : h;
  }
}
