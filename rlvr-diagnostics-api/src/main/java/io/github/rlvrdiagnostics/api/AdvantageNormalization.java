package io.github.rlvrdiagnostics.api;

/**
 * How a GRPO-family trainer scales the centred group advantage {@code r_i − r̄}.
 *
 * <p>Used by {@link AdvantageVarianceModel#expectedEnergy} to pick the closed form of the expected
 * mean squared advantage (docs/MATH.md §1).
 */
public enum AdvantageNormalization {
  /** No scaling: {@code A_i = r_i − r̄} (Dr. GRPO). */
  NONE,
  /** Divided by the population standard deviation of the group ({@code 1/G}). */
  POPULATION_STD,
  /**
   * Divided by the sample standard deviation of the group ({@code 1/(G−1)}), which is what
   * {@code torch.std} computes by default and so what most GRPO trainers use.
   */
  SAMPLE_STD
}
