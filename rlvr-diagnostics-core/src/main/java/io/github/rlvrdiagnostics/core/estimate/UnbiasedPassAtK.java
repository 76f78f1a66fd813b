package io.github.rlvrdiagnostics.core.estimate;

import io.github.rlvrdiagnostics.api.Checks;
import io.github.rlvrdiagnostics.api.DatasetPassAtK;
import io.github.rlvrdiagnostics.api.PassAtK;
import io.github.rlvrdiagnostics.api.ProblemSamples;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.TreeMap;

/**
 * The unbiased estimators of {@link PassAtK}, computed as sums of {@code log1p} terms so that
 * neither factorials nor cancellation appear for any {@code n ≤ Integer.MAX_VALUE}.
 *
 * <p>Both binomial ratios are products of at most {@code min(c, k)} (respectively {@code G})
 * factors, so one estimate costs O(min(c, k)) and the whole pass@k curve O(n). Indices are
 * {@code long} so that loops ending at {@code n = Integer.MAX_VALUE} terminate, and every product
 * stops early once its log is so negative that the result is exactly 0 (or pass@k exactly 1) in
 * double precision; a sum of terms each about {@code −a/n} can stay above that bound only for
 * {@code a·b < ~750·n}, so at most about {@code sqrt(750·n)} ≈ 1.3·10^6 terms are ever summed.
 */
enum UnbiasedPassAtK implements PassAtK {
  INSTANCE;

  @Override
  public double estimate(int n, int c, int k) {
    Checks.counts(n, c, 1);
    checkK(n, k);
    return 0.0 - Math.expm1(logFailRatio(n, c, k)); // 0.0 − x turns −0.0 into +0.0
  }

  /**
   * {@code log(C(n−c, k) / C(n, k))}: the log probability that k draws without replacement all
   * fail; {@code −∞} when {@code n − c < k}.
   */
  private static double logFailRatio(int n, int c, int k) {
    if (n - c < k) {
      return Double.NEGATIVE_INFINITY;
    }
    double sum = 0.0;
    if (k <= c) {
      // Π_{i=0}^{k−1} (n−c−i)/(n−i) = Π (1 − c/(n−i))
      for (long i = 0; i < k && sum > EXPM1_IS_MINUS_ONE; i++) {
        sum += logRatio(n - c - i, n - i);
      }
    } else {
      // Π_{i=n−c+1}^{n} (1 − k/i)
      for (long i = (long) n - c + 1; i <= n && sum > EXPM1_IS_MINUS_ONE; i++) {
        sum += logRatio(i - k, i);
      }
    }
    return sum;
  }

  /**
   * {@code log(num/den)} for {@code 0 ≤ num ≤ den}, {@code den > 0}: {@code log1p} of the exact
   * gap when the ratio is near 1, {@code log} of the ratio when it is small, so neither form
   * cancels.
   */
  private static double logRatio(long num, long den) {
    return 2 * num < den ? Math.log((double) num / den) : Math.log1p(-(double) (den - num) / den);
  }

  /** Below this, {@code expm1(x)} is exactly −1 and pass@k exactly 1: later terms cannot matter. */
  private static final double EXPM1_IS_MINUS_ONE = -40.0;

  /** Below this, {@code exp(x)} is exactly 0 (the smallest subnormal is e^−744.4). */
  private static final double EXP_IS_ZERO = -746.0;

  /** The curves {@link #curve} refuses: see {@link PassAtK#MAX_CURVE_N}. */
  private static void checkCurveN(int n) {
    if (!(n <= MAX_CURVE_N)) {
      throw new IllegalArgumentException(
          "n must be <= " + MAX_CURVE_N + " for curve (an array of n doubles; use estimate for single k), was " + n);
    }
  }

  @Override
  public double[] curve(int n, int c) {
    Checks.counts(n, c, 1);
    checkCurveN(n);
    double[] passAtK = new double[n];
    double logRatio = 0.0; // log(C(n−c, k)/C(n, k)) at k = 0
    for (int k = 1; k <= n; k++) {
      if (k > n - c) {
        // Every draw of k must now include a pass: the ratio is exactly 0 from here on.
        java.util.Arrays.fill(passAtK, k - 1, n, 1.0);
        break;
      }
      // C(n−c, k)/C(n, k) = C(n−c, k−1)/C(n, k−1) · (n−c−k+1)/(n−k+1)
      logRatio += Math.log1p(-(double) c / (n - k + 1));
      passAtK[k - 1] = 0.0 - Math.expm1(logRatio);
    }
    return passAtK;
  }

  @Override
  public double population(double p, int k) {
    Checks.probability("p", p);
    Checks.atLeast("k", k, 1);
    return 0.0 - Math.expm1(k * Math.log1p(-p));
  }

  @Override
  public double degenerateProbabilityEstimate(int n, int c, int groupSize) {
    Checks.counts(n, c, 1);
    Checks.groupSize(groupSize);
    if (groupSize > n) {
      throw new IllegalArgumentException(
          "groupSize must be <= n = " + n + " for an unbiased estimate, was " + groupSize);
    }
    return Math.min(1.0, allDrawnFrom(n, c, groupSize) + allDrawnFrom(n, n - c, groupSize));
  }

  @Override
  public double allPassEstimate(int n, int c, int k) {
    Checks.counts(n, c, 1);
    checkK(n, k);
    return allDrawnFrom(n, c, k);
  }

  @Override
  public double allFailEstimate(int n, int c, int k) {
    Checks.counts(n, c, 1);
    checkK(n, k);
    return allDrawnFrom(n, n - c, k);
  }

  /**
   * {@code C(m, g) / C(n, g)}: the probability that g draws without replacement all land in m,
   * as the shorter of the two products {@code Π_{i<g} (1 − (n−m)/(n−i))} and
   * {@code Π_{j<n−m} (1 − g/(n−j))}; exactly 1 when {@code m = n}.
   */
  private static double allDrawnFrom(int n, int m, int g) {
    if (m < g) {
      return 0.0;
    }
    long outside = (long) n - m;
    double sum = 0.0;
    if (g <= outside) {
      for (long i = 0; i < g && sum > EXP_IS_ZERO; i++) {
        sum += logRatio(n - outside - i, n - i);
      }
    } else {
      for (long j = 0; j < outside && sum > EXP_IS_ZERO; j++) {
        sum += logRatio(n - g - j, n - j);
      }
    }
    return Math.exp(sum);
  }

  @Override
  public double successVarianceEstimate(int n, int c) {
    Checks.counts(n, c, 2);
    return ((double) c * (n - c)) / ((double) n * (n - 1));
  }

  @Override
  public double advantageVarianceEstimate(int n, int c, int groupSize) {
    Checks.groupSize(groupSize);
    return successVarianceEstimate(n, c) * ((groupSize - 1.0) / groupSize);
  }

  @Override
  public DatasetPassAtK aggregate(List<ProblemSamples> problems, int[] ks, int groupSize) {
    if (problems.isEmpty()) {
      throw new IllegalArgumentException("problems must not be empty, was size 0");
    }
    Checks.atLeast("groupSize", groupSize, 0);
    for (int k : ks) {
      Checks.atLeast("k", k, 1);
    }
    double[] passSums = new double[ks.length];
    double degenerateSum = 0.0;
    double varianceSum = 0.0;
    for (int j = 0; j < problems.size(); j++) {
      ProblemSamples problem = problems.get(j);
      for (int i = 0; i < ks.length; i++) {
        if (ks[i] > problem.n()) {
          throw new IllegalArgumentException(
              "k must be <= n of every problem, was k=" + ks[i] + " for " + describe(j, problem));
        }
        passSums[i] += estimate(problem.n(), problem.c(), ks[i]);
      }
      if (groupSize > 0) {
        if (problem.n() < Math.max(2, groupSize)) {
          throw new IllegalArgumentException(
              "n must be >= max(2, groupSize) = " + Math.max(2, groupSize)
                  + " of every problem, was " + describe(j, problem));
        }
        degenerateSum += degenerateProbabilityEstimate(problem.n(), problem.c(), groupSize);
        varianceSum += advantageVarianceEstimate(problem.n(), problem.c(), groupSize);
      }
    }
    int count = problems.size();
    Map<Integer, Double> passAtK = new TreeMap<>();
    for (int i = 0; i < ks.length; i++) {
      passAtK.put(ks[i], Math.min(1.0, passSums[i] / count));
    }
    return new DatasetPassAtK(
        count,
        passAtK,
        groupSize,
        groupSize > 0 ? OptionalDouble.of(Math.min(1.0, degenerateSum / count)) : OptionalDouble.empty(),
        groupSize > 0 ? OptionalDouble.of(Math.min(1.0, varianceSum / count)) : OptionalDouble.empty());
  }

  private static String describe(int index, ProblemSamples problem) {
    String id = problem.id().isEmpty() ? "" : " (id '" + problem.id() + "')";
    return "problems[" + index + "]" + id + " with n=" + problem.n() + ", c=" + problem.c();
  }

  private static void checkK(int n, int k) {
    if (!(k >= 1 && k <= n)) {
      throw new IllegalArgumentException("k must be in [1, n] = [1, " + n + "], was " + k);
    }
  }
}
