package io.github.rlvrdiagnostics.api;

/**
 * How per-prompt (or per-position) entropies are reduced to one number (docs/MATH.md §3).
 */
public enum Aggregation {
  /** The arithmetic mean: the generation-start probe of Stage 1 and response entropy. */
  MEAN {
    @Override
    public double apply(double[] values) {
      requireNonEmpty(values);
      double sum = 0.0;
      for (double v : values) {
        sum += v;
      }
      return sum / values.length;
    }
  },
  /** The minimum: the worst-token health-check probe of Stage 2. */
  MIN {
    @Override
    public double apply(double[] values) {
      requireNonEmpty(values);
      double min = Double.POSITIVE_INFINITY;
      for (double v : values) {
        min = Math.min(min, v);
      }
      return min;
    }
  };

  /**
   * Reduces the values; NaN propagates.
   *
   * @throws IllegalArgumentException if {@code values} is empty
   */
  public abstract double apply(double[] values);

  private static void requireNonEmpty(double[] values) {
    if (values.length == 0) {
      throw new IllegalArgumentException("values must not be empty, was length 0");
    }
  }
}
