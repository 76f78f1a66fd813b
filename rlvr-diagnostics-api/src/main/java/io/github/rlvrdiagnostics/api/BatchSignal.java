package io.github.rlvrdiagnostics.api;

/**
 * The learning signal expected from a batch of prompts, one group of {@code G} rollouts each.
 *
 * @param prompts the number of prompts (groups) in the batch
 * @param groupSize the group size {@code G}
 * @param expectedNonDegenerateGroups {@code Σ_j (1 − P_deg(p_j, G))}
 * @param expectedDegenerateFraction {@code (1/B) Σ_j P_deg(p_j, G)}
 * @param expectedAdvantageVariance {@code (1/B) Σ_j p_j(1−p_j)(G−1)/G}, for {0, 1} rewards
 */
public record BatchSignal(
    int prompts,
    int groupSize,
    double expectedNonDegenerateGroups,
    double expectedDegenerateFraction,
    double expectedAdvantageVariance) {

  /** Validates the components. */
  public BatchSignal {
    Checks.atLeast("prompts", prompts, 1);
    Checks.groupSize(groupSize);
    if (!(expectedNonDegenerateGroups >= 0.0 && expectedNonDegenerateGroups <= prompts)) {
      throw new IllegalArgumentException(
          "expectedNonDegenerateGroups must be in [0, prompts], was " + expectedNonDegenerateGroups);
    }
    Checks.probability("expectedDegenerateFraction", expectedDegenerateFraction);
    Checks.probability("expectedAdvantageVariance", expectedAdvantageVariance);
  }
}
