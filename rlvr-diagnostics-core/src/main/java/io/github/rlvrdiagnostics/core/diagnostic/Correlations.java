package io.github.rlvrdiagnostics.core.diagnostic;

import io.github.rlvrdiagnostics.api.Checks;
import io.github.rlvrdiagnostics.api.Correlation;
import java.util.HashMap;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.SplittableRandom;
import org.apache.commons.math3.stat.correlation.KendallsCorrelation;
import org.apache.commons.math3.stat.correlation.PearsonsCorrelation;
import org.apache.commons.math3.stat.correlation.SpearmansCorrelation;
import org.apache.commons.math3.stat.ranking.NaturalRanking;
import org.apache.commons.math3.stat.regression.SimpleRegression;

/**
 * Rank correlations of a predictor with an outcome (see {@link Ladders} for the definitions);
 * Commons Math does the statistics, this class adds seed-demeaning and the permutation test.
 */
public final class Correlations {
  private Correlations() {}

  /**
   * Every statistic of {@link Correlation} for one predictor.
   *
   * @param predictor the predictor's name
   * @param x predictor values, one per checkpoint
   * @param y outcomes, same length
   * @param seeds each checkpoint's seed, same length
   * @param permutations the number of random permutations when {@code n > 8}
   * @param seed the seed of those permutations
   * @throws IllegalArgumentException on fewer than 3 values, different lengths, non-finite
   *     values, a constant predictor or outcome (no ranking exists), or {@code permutations < 1}
   */
  public static Correlation of(String predictor, double[] x, double[] y, long[] seeds, int permutations, long seed) {
    Checks.atLeast("permutations", permutations, 1);
    int n = x.length;
    if (!(n >= 3 && y.length == n && seeds.length == n)) {
      throw new IllegalArgumentException("x, y and seeds must have the same length >= 3, was "
          + x.length + ", " + y.length + ", " + seeds.length);
    }
    for (int i = 0; i < n; i++) {
      if (!(Double.isFinite(x[i]) && Double.isFinite(y[i]))) {
        throw new IllegalArgumentException("values must be finite, was x[" + i + "]=" + x[i] + ", y[" + i + "]=" + y[i]);
      }
    }
    double rho = new SpearmansCorrelation().correlation(x, y);
    if (Double.isNaN(rho)) {
      throw new IllegalArgumentException("predictor '" + predictor + "' or the outcome is constant: no rank correlation exists");
    }
    double tau = new KendallsCorrelation().correlation(x, y);
    return new Correlation(predictor, n, rho, permutationPValue(x, y, rho, permutations, seed),
        seedDemeaned(x, y, seeds), tau, rSquared(x, y));
  }

  /**
   * The R² of the least-squares line of {@code y} on {@code x}, computed on both divided by their
   * largest magnitude: R² does not change under scaling, and the sums of squares of values near
   * ±1e308 would overflow to infinity (R² NaN) and those of subnormal values underflow to 0.
   * Clamped to [0, 1] against rounding; 0 when a scaled series is constant.
   */
  static double rSquared(double[] x, double[] y) {
    double[] sx = scaled(x);
    double[] sy = scaled(y);
    SimpleRegression regression = new SimpleRegression();
    for (int i = 0; i < sx.length; i++) {
      regression.addData(sx[i], sy[i]);
    }
    double r2 = regression.getRSquare();
    return Double.isNaN(r2) ? 0.0 : Math.max(0.0, Math.min(1.0, r2));
  }

  /** The values divided by the largest magnitude among them (itself if all are 0). */
  private static double[] scaled(double[] values) {
    double max = 0;
    for (double v : values) {
      max = Math.max(max, Math.abs(v));
    }
    double[] out = new double[values.length];
    for (int i = 0; i < values.length; i++) {
      // Divide rather than multiply by 1/max: 1/max overflows for a subnormal max.
      out[i] = max == 0 ? 0 : values[i] / max;
    }
    return out;
  }

  /**
   * Two-sided permutation p-value of Spearman's ρ: the fraction of orderings of {@code y} whose
   * |ρ| reaches the observed one — all {@code n!} of them for {@code n ≤ 8}, else
   * {@code (hits + 1)/(permutations + 1)} over random shuffles.
   */
  static double permutationPValue(double[] x, double[] y, double observed, int permutations, long seed) {
    NaturalRanking ranking = new NaturalRanking();
    double[] rx = ranking.rank(x);
    double[] ry = ranking.rank(y);
    double threshold = Math.abs(observed) - 1e-12;
    PearsonsCorrelation pearson = new PearsonsCorrelation();
    int n = x.length;
    if (n <= 8) {
      int[] hits = {0};
      int[] total = {0};
      permute(ry.clone(), 0, p -> {
        total[0]++;
        if (Math.abs(pearson.correlation(rx, p)) >= threshold) {
          hits[0]++;
        }
      });
      return (double) hits[0] / total[0];
    }
    SplittableRandom random = new SplittableRandom(seed);
    double[] shuffled = ry.clone();
    int hits = 0;
    for (int r = 0; r < permutations; r++) {
      for (int i = n - 1; i > 0; i--) {
        int j = random.nextInt(i + 1);
        double t = shuffled[i];
        shuffled[i] = shuffled[j];
        shuffled[j] = t;
      }
      if (Math.abs(pearson.correlation(rx, shuffled)) >= threshold) {
        hits++;
      }
    }
    return (hits + 1.0) / (permutations + 1.0);
  }

  private static void permute(double[] a, int from, java.util.function.Consumer<double[]> visit) {
    if (from == a.length) {
      visit.accept(a);
      return;
    }
    for (int i = from; i < a.length; i++) {
      swap(a, from, i);
      permute(a, from + 1, visit);
      swap(a, from, i);
    }
  }

  private static void swap(double[] a, int i, int j) {
    double t = a[i];
    a[i] = a[j];
    a[j] = t;
  }

  /**
   * Spearman's ρ after subtracting each seed's mean from predictor and outcome, over the seeds
   * with at least two checkpoints; empty unless two such seeds exist and the demeaned values vary.
   */
  static OptionalDouble seedDemeaned(double[] x, double[] y, long[] seeds) {
    Map<Long, double[]> sums = new HashMap<>(); // seed -> {count, Σx, Σy}
    for (int i = 0; i < x.length; i++) {
      double[] s = sums.computeIfAbsent(seeds[i], k -> new double[3]);
      s[0]++;
      s[1] += x[i];
      s[2] += y[i];
    }
    long usable = sums.values().stream().filter(s -> s[0] >= 2).count();
    if (usable < 2) {
      return OptionalDouble.empty();
    }
    int m = 0;
    for (int i = 0; i < x.length; i++) {
      m += sums.get(seeds[i])[0] >= 2 ? 1 : 0;
    }
    double[] dx = new double[m];
    double[] dy = new double[m];
    int j = 0;
    for (int i = 0; i < x.length; i++) {
      double[] s = sums.get(seeds[i]);
      if (s[0] >= 2) {
        dx[j] = x[i] - s[1] / s[0];
        dy[j] = y[i] - s[2] / s[0];
        j++;
      }
    }
    double rho = new SpearmansCorrelation().correlation(dx, dy);
    return Double.isNaN(rho) ? OptionalDouble.empty() : OptionalDouble.of(rho);
  }
}
