package io.github.rlvrdiagnostics.api;

import java.util.OptionalDouble;

/**
 * The learning signal a checkpoint will give GRPO at group size {@code G}, estimated without bias
 * from pre-RL samples ({@code n_j} completions per prompt, {@code c_j} of them passing). See
 * docs/MATH.md §2 (estimates from samples) and §4 (signal rules).
 *
 * <p>{@code predictedDegenerateFraction = allPassFraction + allFailFraction} is the share of
 * GRPO groups expected to carry no gradient: groups whose {@code G} rollouts all pass (too easy)
 * or all fail (too hard).
 *
 * @param prompts the number of prompts, at least 1
 * @param groupSize the GRPO group size {@code G}
 * @param meanPassRate the mean of the per-prompt pass rates {@code c_j/n_j} (pass@1)
 * @param allPassFraction {@code mean_j C(c_j, G)/C(n_j, G)}, unbiased for {@code mean_j p_j^G}
 * @param allFailFraction {@code mean_j C(n_j−c_j, G)/C(n_j, G)}, unbiased for {@code mean_j (1−p_j)^G}
 * @param predictedDegenerateFraction the sum of the two parts, in [0, 1]; the parts must add up
 *     to it, and {@code allPassFraction ≤ meanPassRate ≤ 1 − allFailFraction}, up to {@link
 *     Checks#FRACTION_TOLERANCE}
 * @param expectedAdvantageVariance {@code mean_j c_j(n_j−c_j)/(n_j(n_j−1)) · (G−1)/G}, unbiased for
 *     the mean expected within-group advantage variance of {0, 1} rewards; empty when some
 *     prompt has {@code n_j < 2}
 * @param degenerateFractionAtTwiceG the predicted degenerate fraction at group size {@code 2G},
 *     estimated the same way from the same samples: what doubling {@code G} would buy; empty
 *     when some prompt has {@code n_j < 2G} (an unbiased estimate at {@code 2G} needs that many)
 */
public record SignalProfile(
    int prompts,
    int groupSize,
    double meanPassRate,
    double allPassFraction,
    double allFailFraction,
    double predictedDegenerateFraction,
    OptionalDouble expectedAdvantageVariance,
    OptionalDouble degenerateFractionAtTwiceG) {

  /** Validates the components. */
  public SignalProfile {
    Checks.atLeast("prompts", prompts, 1);
    Checks.groupSize(groupSize);
    Checks.probability("meanPassRate", meanPassRate);
    Checks.probability("allPassFraction", allPassFraction);
    Checks.probability("allFailFraction", allFailFraction);
    Checks.probability("predictedDegenerateFraction", predictedDegenerateFraction);
    if (expectedAdvantageVariance.isPresent()) {
      Checks.probability("expectedAdvantageVariance", expectedAdvantageVariance.getAsDouble());
    }
    // The parts must add up (up to float rounding): P = min(1, all-pass + all-fail), and since
    // p^G <= p and (1 - p)^G <= 1 - p prompt by prompt, all-pass <= pass rate <= 1 - all-fail.
    double parts = allPassFraction + allFailFraction;
    if (!Checks.atMostWithinTolerance(parts, 1.0)) {
      throw new IllegalArgumentException("allPassFraction + allFailFraction must be <= 1, was "
          + allPassFraction + " + " + allFailFraction);
    }
    if (!(Math.abs(predictedDegenerateFraction - Math.min(1.0, parts)) <= Checks.FRACTION_TOLERANCE)) {
      throw new IllegalArgumentException("predictedDegenerateFraction must be allPassFraction + allFailFraction = "
          + Math.min(1.0, parts) + ", was " + predictedDegenerateFraction);
    }
    if (!Checks.atMostWithinTolerance(allPassFraction, meanPassRate)) {
      throw new IllegalArgumentException("allPassFraction must be <= meanPassRate, was " + allPassFraction + " > "
          + meanPassRate);
    }
    if (!Checks.atMostWithinTolerance(allFailFraction, 1.0 - meanPassRate)) {
      throw new IllegalArgumentException("allFailFraction must be <= 1 - meanPassRate, was " + allFailFraction
          + " > 1 - " + meanPassRate);
    }
    if (degenerateFractionAtTwiceG.isPresent()) {
      Checks.probability("degenerateFractionAtTwiceG", degenerateFractionAtTwiceG.getAsDouble());
    }
  }

  /** A profile without the estimate at {@code 2G}. */
  public SignalProfile(int prompts, int groupSize, double meanPassRate, double allPassFraction, double allFailFraction,
      double predictedDegenerateFraction, OptionalDouble expectedAdvantageVariance) {
    this(prompts, groupSize, meanPassRate, allPassFraction, allFailFraction, predictedDegenerateFraction,
        expectedAdvantageVariance, OptionalDouble.empty());
  }

  /**
   * The expected number of groups generated per informative (non-degenerate) group under dynamic
   * sampling that discards degenerate groups (DAPO's {@code filter_groups}, OpenRLHF's
   * {@code dynamic_filtering}) when prompts are drawn uniformly: {@code 1 / (1 − P)} with
   * {@code P} the predicted degenerate fraction, the mean of a geometric number of draws.
   *
   * @return at least 1; empty when every group is predicted degenerate ({@code P = 1})
   */
  public OptionalDouble expectedSamplingCost() {
    return samplingCost(predictedDegenerateFraction);
  }

  /**
   * The expected number of groups generated per informative one when a fraction
   * {@code degenerateFraction} of groups is degenerate: {@code 1 / (1 − P)}. The one home of this
   * rule: {@link #expectedSamplingCost()} and the monitor's generation-rounds check both ask it.
   *
   * @return at least 1; empty when {@code P = 1}
   * @throws IllegalArgumentException unless {@code P} is in [0, 1]
   */
  public static OptionalDouble samplingCost(double degenerateFraction) {
    double informative = 1.0 - Checks.probability("degenerateFraction", degenerateFraction);
    return informative > 0.0 ? OptionalDouble.of(1.0 / informative) : OptionalDouble.empty();
  }

  /**
   * The expected advantage energy per group, {@code E[(1/G) Σ A_i²]} with GRPO's std-normalised
   * advantages {@code A_i = (r_i − r̄)/(s + ε)} as {@code ε → 0}: {@code 1 − P} with the
   * population std ({@code s} over {@code G}) and {@code (G−1)/G · (1 − P)} with the sample std
   * ({@code G − 1}, what {@code torch.std} does), averaged over prompts (docs/MATH.md §1).
   *
   * @param sampleStd whether the advantages are normalised by the sample std
   */
  public double expectedAdvantageEnergy(boolean sampleStd) {
    double live = 1.0 - predictedDegenerateFraction;
    return sampleStd ? live * (groupSize - 1.0) / groupSize : live;
  }

  /**
   * The expected number of non-degenerate groups in a batch of {@code batchPrompts} prompts drawn
   * uniformly: {@code B · (1 − P)}.
   *
   * @throws IllegalArgumentException unless {@code batchPrompts ≥ 1}
   */
  public double expectedNonDegenerateGroups(int batchPrompts) {
    Checks.atLeast("batchPrompts", batchPrompts, 1);
    return batchPrompts * (1.0 - predictedDegenerateFraction);
  }

}
