package io.github.rlvrdiagnostics.api;

/**
 * The learning signal expected from one prompt at pass rate {@code p} and group size {@code G},
 * for rewards in {0, 1}.
 *
 * @param p the per-rollout pass probability
 * @param groupSize the group size {@code G}
 * @param expectedAdvantageVariance {@code p(1−p)(G−1)/G}
 * @param degenerateProbability {@code p^G + (1−p)^G}
 * @param majorityDegenerate whether {@code degenerateProbability > 1/2}
 */
public record GroupSignal(
    double p,
    int groupSize,
    double expectedAdvantageVariance,
    double degenerateProbability,
    boolean majorityDegenerate) {

  /** Validates the components. */
  public GroupSignal {
    Checks.probability("p", p);
    Checks.groupSize(groupSize);
    Checks.probability("expectedAdvantageVariance", expectedAdvantageVariance);
    Checks.probability("degenerateProbability", degenerateProbability);
  }
}
