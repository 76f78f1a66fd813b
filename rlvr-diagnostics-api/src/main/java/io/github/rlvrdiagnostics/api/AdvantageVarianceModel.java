package io.github.rlvrdiagnostics.api;

/**
 * The expected group-relative advantage signal of one prompt whose rollouts pass independently
 * with probability {@code p}, for rewards taking two values {@code low < high}.
 *
 * <p>With centred advantages {@code A_i = r_i − r̄} the within-group variance
 * {@code σ²_A = (1/G) Σ (r_i − r̄)²} has expectation (docs/MATH.md §1; Proposition 1 of <i>SFT Overtraining Predicts Rank Inversion via Entropy Collapse Under RLVR</i>)
 * <pre>    E[σ²_A] = (high − low)² · p(1−p)(G−1)/G</pre>
 * which is zero iff every reward in the group is equal. Implementations are immutable and
 * thread-safe; obtain one from {@code RlvrDiagnostics.advantageVariance()} in the core module.
 */
public interface AdvantageVarianceModel {

  /** The reward of a failing rollout. */
  double rewardLow();

  /** The reward of a passing rollout; strictly greater than {@link #rewardLow()}. */
  double rewardHigh();

  /**
   * The expected within-group variance of centred advantages, {@code (high−low)² p(1−p)(G−1)/G}.
   *
   * <p>Special cases: 0 when {@code p} is 0 or 1 or when {@code groupSize == 1}.
   *
   * @param p the per-rollout pass probability, in [0, 1]
   * @param groupSize the number of rollouts per prompt {@code G}, at least 1
   * @return the expected variance, never negative
   * @throws IllegalArgumentException if {@code p} is outside [0, 1] or NaN, or {@code groupSize < 1}
   */
  double expectedVariance(double p, int groupSize);

  /**
   * The expected mean squared advantage {@code E[(1/G) Σ A_i²]} of a group under the given
   * normalisation, in the limit of a vanishing std epsilon (docs/MATH.md §1).
   *
   * <ul>
   *   <li>{@link AdvantageNormalization#NONE}: equal to {@link #expectedVariance};
   *   <li>{@link AdvantageNormalization#POPULATION_STD}: {@code 1 − P_deg(p, G)}, independent of
   *       the reward scale;
   *   <li>{@link AdvantageNormalization#SAMPLE_STD}: {@code (G−1)/G · (1 − P_deg(p, G))}.
   * </ul>
   *
   * @throws IllegalArgumentException if {@code p} is outside [0, 1] or NaN, or {@code groupSize < 1}
   */
  double expectedEnergy(double p, int groupSize, AdvantageNormalization normalization);

  /**
   * Corollary 1 of <i>SFT Overtraining Predicts Rank Inversion via Entropy Collapse Under RLVR</i>: the bound {@code B² · E[σ²_A]} on the expected squared norm of the
   * group-averaged policy gradient when every score function satisfies {@code ‖∇ log π‖ ≤ B}.
   *
   * @param scoreBound {@code B}, finite and non-negative
   * @throws IllegalArgumentException on a bad {@code p}, {@code groupSize} or {@code scoreBound}
   */
  double gradientNormSquaredBound(double p, int groupSize, double scoreBound);

  /**
   * The mean of {@link #expectedVariance} over a batch of prompts with the given pass rates: the
   * expected advantage variance of that batch (docs/MATH.md §1, Planning).
   *
   * @param passRates one pass probability per prompt, at least one, each in [0, 1]
   * @throws IllegalArgumentException if the array is empty or holds a value outside [0, 1] (the
   *     message names the index)
   */
  double batchExpectedVariance(double[] passRates, int groupSize);
}
