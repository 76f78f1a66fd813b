package io.github.rlvrdiagnostics.api;

import java.util.OptionalInt;

/**
 * The probability that a GRPO group carries no gradient, and the pass rate below which most
 * groups do.
 *
 * <p>A group of {@code G} independent binary rollouts is degenerate (all pass or all fail, so
 * every advantage and the whole gradient is zero) with probability (docs/MATH.md §1)
 * <pre>    P_deg(p, G) = p^G + (1−p)^G</pre>
 * symmetric about {@code p = 1/2}, strictly decreasing on [0, 1/2] for {@code G ≥ 2} and in
 * {@code G} for every {@code p ∈ (0, 1)}. Implementations are immutable and thread-safe; obtain
 * one from {@code RlvrDiagnostics.degenerateThreshold()} in the core module.
 */
public interface DegenerateThreshold {

  /**
   * The degenerate-group probability {@code p^G + (1−p)^G}.
   *
   * <p>Special cases: 1 when {@code p} is 0 or 1 or when {@code G = 1}. Accuracy: relative error
   * within about {@code (4 + 2G·|log(1 − a)|)} ulps, {@code a = min(p, 1 − p)}, since
   * {@code (1 − a)^G} is {@code exp(G·log1p(−a))} and exp magnifies the rounding of its argument.
   *
   * @throws IllegalArgumentException if {@code p} is outside [0, 1] or NaN, or {@code groupSize < 1}
   */
  double degenerateProbability(double p, int groupSize);

  /**
   * The complement {@code 1 − P_deg(p, G)}, the probability that a group carries a gradient,
   * computed without the cancellation of {@code 1 − P_deg} when {@code P_deg} is close to 1.
   *
   * @throws IllegalArgumentException as {@link #degenerateProbability}
   */
  double nonDegenerateProbability(double p, int groupSize);

  /**
   * Whether more than half of the groups at this pass rate are expected to be degenerate,
   * {@code P_deg(p, G) > 1/2}.
   *
   * @throws IllegalArgumentException as {@link #degenerateProbability}
   */
  boolean majorityDegenerate(double p, int groupSize);

  /**
   * The majority-degenerate threshold {@code p*(G)}: the unique root in (0, 1/2) of
   * {@code P_deg(p, G) = 1/2} for {@code G ≥ 3}; for {@code p < p*} or {@code p > 1 − p*} more
   * than half of all groups carry no gradient (docs/MATH.md §1; Proposition 3 of <i>SFT Overtraining Predicts Rank Inversion via Entropy Collapse Under RLVR</i>).
   *
   * <p>Special cases: {@code G = 2} gives 1/2 ({@code P_deg ≥ 1/2} everywhere, with equality only
   * at 1/2). {@code G = 1} has no root ({@code P_deg ≡ 1}) and is defined as 1/2 too, so that the
   * interval {@code (p*, 1 − p*)} of minority-degenerate pass rates is empty for both and
   * {@code p*} is non-increasing in {@code G}. For {@code G ≥ 3} the root lies in
   * {@code [1 − 2^{−1/G}, ln 2 / G]} and is strictly decreasing in {@code G}.
   *
   * <p>Accuracy: within 1e-12 absolute of the exact root for every {@code G}.
   *
   * @throws IllegalArgumentException if {@code groupSize < 1}
   */
  double pStar(int groupSize);

  /**
   * The threshold {@code p*(G)} with the quantities quoted next to it in the table of <i>SFT Overtraining Predicts Rank Inversion via Entropy Collapse Under RLVR</i>, Appendix A.3.
   *
   * @throws IllegalArgumentException if {@code groupSize < 1}
   */
  ThresholdPoint threshold(int groupSize);

  /**
   * The signal of one prompt: expected advantage variance (binary {0, 1} rewards), degenerate
   * probability and whether the majority of its groups are degenerate.
   *
   * @throws IllegalArgumentException as {@link #degenerateProbability}
   */
  GroupSignal group(double p, int groupSize);

  /**
   * The smallest group size {@code G ≥ 1} with {@code P_deg(p, G) ≤ target} (docs/MATH.md §1, Planning).
   *
   * @param p the pass probability, in [0, 1]
   * @param target the acceptable degenerate fraction, in (0, 1]
   * @return the group size, or empty when none exists: {@code p} is 0 or 1 (every group is
   *     degenerate) and {@code target < 1}, or the answer exceeds {@link Integer#MAX_VALUE}
   * @throws IllegalArgumentException if {@code p} is outside [0, 1], {@code target} outside
   *     (0, 1], or either is NaN
   */
  OptionalInt smallestGroupSize(double p, double target);

  /**
   * The expected degenerate and non-degenerate group counts of a batch of prompts with the given
   * per-prompt pass rates, {@code Σ_j (1 − P_deg(p_j, G))} and so on (docs/MATH.md §1, Planning).
   *
   * <p>{@code P_deg} is convex in {@code p}, so the degenerate fraction predicted from the
   * batch's mean pass rate is only a lower bound of this one: pass per-prompt rates when known.
   *
   * @param passRates one pass probability per prompt, at least one, each in [0, 1]
   * @throws IllegalArgumentException if the array is empty or holds a value outside [0, 1] (the
   *     message names the index), or {@code groupSize < 1}
   */
  BatchSignal batch(double[] passRates, int groupSize);
}
