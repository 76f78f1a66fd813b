package io.github.rlvrdiagnostics.core.diagnostic;

import java.util.Arrays;
import org.apache.commons.math3.util.KthSelector;

/**
 * A robust trend of a noisy series (a run's reward against its step): the Theil–Sen slope, the
 * Mann–Kendall score and a robust noise level (docs/MATH.md §7).
 *
 * <ul>
 *   <li>{@code slope} is the median of the pairwise slopes {@code (y_j − y_i)/(x_j − x_i)}, {@code i < j}:
 *       up to 29% of the points can be wild without moving it far.
 *   <li>{@code z} is the Mann–Kendall score {@code (S − sign S)/√Var S}, {@code S = Σ_{i<j} sign(y_j − y_i)},
 *       its variance corrected for ties; under "no trend" it is about standard normal.
 *   <li>{@code noise} is {@code 1.4826·median|r − median r|} of the residuals {@code r_i = y_i − slope·x_i},
 *       a standard deviation for Gaussian noise that a few outliers do not inflate.
 *   <li>{@code change} is {@code slope·(x_last − x_first)}: the rise over the window.
 * </ul>
 * Adding a constant to every {@code y} changes none of them; multiplying every {@code y} by
 * {@code a > 0} multiplies {@code slope}, {@code noise} and {@code change} by {@code a} and leaves
 * {@code z}; negating every {@code y} negates {@code slope}, {@code change} and {@code z}. Cost:
 * {@code O(n²)} time for {@code n} points (the medians by selection, not sorting). Immutable.
 *
 * @param readings the number of points
 * @param slope the Theil–Sen slope per unit of x
 * @param z the Mann–Kendall score (0 when every y is equal)
 * @param noise the robust residual standard deviation, {@code ≥ 0}
 * @param change the rise over the window, {@code slope·(x_last − x_first)}
 */
public record Trend(int readings, double slope, double z, double noise, double change) {

  /** The factor that turns a median absolute deviation into a Gaussian standard deviation. */
  private static final double MAD_TO_SD = 1.4826;

  /**
   * The trend of the points {@code (x[i], y[i])}, {@code from ≤ i < to}, with strictly increasing
   * {@code x} and finite values.
   *
   * @throws IllegalArgumentException with fewer than 3 points, a non-finite value or {@code x}
   *     not strictly increasing
   */
  public static Trend of(double[] x, double[] y, int from, int to) {
    if (!(from >= 0 && to <= x.length && to <= y.length && to - from >= 3)) {
      throw new IllegalArgumentException("a trend needs at least 3 points within the arrays, was from " + from
          + " to " + to + " of " + Math.min(x.length, y.length));
    }
    int n = to - from;
    for (int i = from; i < to; i++) {
      if (!(Double.isFinite(x[i]) && Double.isFinite(y[i]))) {
        throw new IllegalArgumentException("x and y must be finite, were " + x[i] + " and " + y[i] + " at index " + i);
      }
      if (i > from && !(x[i] > x[i - 1])) {
        throw new IllegalArgumentException("x must increase strictly, was " + x[i] + " after " + x[i - 1]);
      }
    }
    double[] slopes = new double[n * (n - 1) / 2];
    long s = 0;
    int k = 0;
    for (int i = from; i < to; i++) {
      for (int j = i + 1; j < to; j++) {
        double dy = y[j] - y[i];
        slopes[k++] = dy / (x[j] - x[i]);
        s += dy > 0 ? 1 : dy < 0 ? -1 : 0;
      }
    }
    double slope = median(slopes, slopes.length);
    double[] residuals = new double[n];
    for (int i = 0; i < n; i++) {
      residuals[i] = y[from + i] - slope * x[from + i];
    }
    double centre = median(residuals.clone(), n);
    for (int i = 0; i < n; i++) {
      residuals[i] = Math.abs(residuals[i] - centre);
    }
    double noise = MAD_TO_SD * median(residuals, n);
    double variance = ((double) n * (n - 1) * (2 * n + 5) - tieTerm(y, from, to)) / 18.0;
    double z = s == 0 || !(variance > 0) ? 0.0 : (s - Math.signum((double) s)) / Math.sqrt(variance);
    return new Trend(n, slope, z, noise, slope * (x[to - 1] - x[from]));
  }

  /** The points {@code (x[i], y[i])} of whole arrays. */
  public static Trend of(double[] x, double[] y) {
    return of(x, y, 0, Math.min(x.length, y.length));
  }

  /**
   * The median of {@code values[0, n)} by selection (expected O(n)), reordering them: the mean of
   * the two middle values for even {@code n}, written {@code (a + b)/2} so that negating every
   * value negates the median exactly.
   */
  static double median(double[] values, int n) {
    KthSelector selector = new KthSelector();
    double[] work = n == values.length ? values : Arrays.copyOf(values, n);
    double upper = selector.select(work, null, n / 2);
    if (n % 2 == 1) {
      return upper;
    }
    double lower = selector.select(work, null, n / 2 - 1);
    return (lower + upper) / 2;
  }

  /** {@code Σ_t t(t−1)(2t+5)} over the groups of equal values: the tie correction of Var S. */
  private static double tieTerm(double[] y, int from, int to) {
    double[] sorted = Arrays.copyOfRange(y, from, to);
    Arrays.sort(sorted);
    double sum = 0;
    int i = 0;
    while (i < sorted.length) {
      int j = i;
      while (j + 1 < sorted.length && sorted[j + 1] == sorted[i]) {
        j++;
      }
      long t = j - i + 1;
      sum += (double) t * (t - 1) * (2 * t + 5);
      i = j + 1;
    }
    return sum;
  }
}
