package io.github.rlvrdiagnostics.api;

import java.util.List;

/**
 * Unbiased estimators, from {@code n} sampled completions of which {@code c} passed, of pass@k
 * and of every closed form of {@link AdvantageVarianceModel} and {@link DegenerateThreshold}.
 *
 * <p>Plugging {@code ĉ = c/n} into a non-linear function of {@code p} is biased; these are the
 * exact U-statistics (docs/MATH.md §2):
 * <ul>
 *   <li>pass@k {@code = 1 − C(n−c, k) / C(n, k)}, unbiased for {@code 1 − (1−p)^k} (Chen et al.
 *       2021);
 *   <li>{@code P_deg(G)} estimate {@code = [C(c, G) + C(n−c, G)] / C(n, G)}, unbiased for
 *       {@code p^G + (1−p)^G};
 *   <li>{@code p(1−p)} estimate {@code = c(n−c) / (n(n−1))}, and so the advantage variance
 *       estimate {@code c(n−c)/(n(n−1)) · (G−1)/G}.
 * </ul>
 * Every method is exact for all {@code 0 ≤ c ≤ n}, works in products (never factorials), and
 * neither overflows nor cancels for {@code n} up to {@link Integer#MAX_VALUE}. Implementations are
 * immutable and thread-safe; obtain one from {@code RlvrDiagnostics.passAtK()} in the core module.
 */
public interface PassAtK {

  /**
   * The largest {@code n} that {@link #curve} accepts: 2^24, an array of 128 MiB. Larger curves
   * would exhaust the heap (or exceed the largest Java array); use {@link #estimate} for the
   * values of k you need instead.
   */
  int MAX_CURVE_N = 1 << 24;

  /**
   * The unbiased pass@k estimate {@code 1 − C(n−c, k)/C(n, k)}, 1 when {@code n − c < k}.
   *
   * <p>Accuracy: within a few ulps times {@code min(c, k)}; computed as
   * {@code 1 − Π_{i=n−c+1}^{n} (1 − k/i)} in log space.
   *
   * @throws IllegalArgumentException unless {@code n ≥ 1}, {@code 0 ≤ c ≤ n} and
   *     {@code 1 ≤ k ≤ n}
   */
  double estimate(int n, int c, int k);

  /**
   * pass@k for every {@code k = 1..n} of one problem in O(n) total: element {@code k − 1} is
   * pass@k.
   *
   * @throws IllegalArgumentException unless {@code 1 ≤ n ≤} {@link #MAX_CURVE_N} and
   *     {@code 0 ≤ c ≤ n}
   */
  double[] curve(int n, int c);

  /**
   * The population pass@k {@code 1 − (1−p)^k} that {@link #estimate} is unbiased for.
   *
   * @throws IllegalArgumentException if {@code p} is outside [0, 1] or NaN, or {@code k < 1}
   */
  double population(double p, int k);

  /**
   * The unbiased estimate of {@code P_deg(p, G) = p^G + (1−p)^G},
   * {@code [C(c, G) + C(n−c, G)] / C(n, G)}.
   *
   * <p>Each ratio is a product of {@code min(G, n − m)} factors (m = c or n − c) summed in log
   * space and stopped once it is exactly 0 or 1 in double precision, so the cost stays small
   * for any counts up to {@link Integer#MAX_VALUE}.
   *
   * @throws IllegalArgumentException unless {@code 0 ≤ c ≤ n} and {@code 1 ≤ groupSize ≤ n}
   */
  double degenerateProbabilityEstimate(int n, int c, int groupSize);

  /**
   * The unbiased estimate {@code c(n−c) / (n(n−1))} of the Bernoulli variance {@code p(1−p)}.
   *
   * @throws IllegalArgumentException unless {@code n ≥ 2} and {@code 0 ≤ c ≤ n}
   */
  double successVarianceEstimate(int n, int c);

  /**
   * The unbiased estimate {@code c(n−c)/(n(n−1)) · (G−1)/G} of the expected advantage variance
   * for {0, 1} rewards.
   *
   * @throws IllegalArgumentException unless {@code n ≥ 2}, {@code 0 ≤ c ≤ n} and
   *     {@code groupSize ≥ 1}
   */
  double advantageVarianceEstimate(int n, int c, int groupSize);

  /**
   * Dataset-level estimates: the plain mean over problems of each problem's estimate.
   *
   * @param problems at least one problem
   * @param ks the {@code k}s to estimate pass@k at, each in {@code [1, n]} of every problem
   * @param groupSize the group size for the degenerate-fraction and advantage-variance estimates,
   *     or 0 for none; when positive, every problem needs {@code n ≥ max(2, groupSize)}
   * @throws IllegalArgumentException on an empty list, or a {@code k} or {@code groupSize} that
   *     some problem has too few samples for (the message names the problem)
   */
  DatasetPassAtK aggregate(List<ProblemSamples> problems, int[] ks, int groupSize);

  /**
   * The unbiased estimate of {@code p^k}, the probability that all of {@code k} fresh samples
   * pass ("pass^k"): {@code C(c, k) / C(n, k)}, 0 when {@code c < k}. At {@code k = G} it is the
   * all-pass part of the degenerate-group estimate.
   *
   * <p>Accuracy: a product of {@code k} factors in log space, within a few ulps times {@code k}.
   *
   * @throws IllegalArgumentException unless {@code n ≥ 1}, {@code 0 ≤ c ≤ n} and
   *     {@code 1 ≤ k ≤ n}
   */
  double allPassEstimate(int n, int c, int k);

  /**
   * The unbiased estimate of {@code (1−p)^k}, the probability that all of {@code k} fresh samples
   * fail: {@code C(n−c, k) / C(n, k)}, 0 when {@code n − c < k}; equal to {@code 1 − pass@k}
   * up to rounding. At {@code k = G} it is the all-fail part of the degenerate-group estimate.
   *
   * @throws IllegalArgumentException unless {@code n ≥ 1}, {@code 0 ≤ c ≤ n} and
   *     {@code 1 ≤ k ≤ n}
   */
  double allFailEstimate(int n, int c, int k);
}
