package io.github.rlvrdiagnostics.api;

import java.util.Collections;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.TreeMap;

/**
 * Dataset-level unbiased estimates: the plain mean over problems of each problem's estimate
 * (docs/MATH.md §2).
 *
 * @param problems the number of problems aggregated, at least 1
 * @param passAtK pass@k per requested {@code k}, in increasing order of {@code k}; an unmodifiable
 *     copy
 * @param groupSize the group size the degenerate estimates refer to, 0 when none was asked for
 * @param degenerateFraction the mean unbiased estimate of {@code P_deg(p_j, G)}: the fraction of
 *     GRPO groups of size {@code G} expected to carry no gradient; empty when no group size was
 *     given
 * @param advantageVariance the mean unbiased estimate of {@code p_j(1−p_j)(G−1)/G}; empty when no
 *     group size was given
 */
public record DatasetPassAtK(
    int problems,
    Map<Integer, Double> passAtK,
    int groupSize,
    OptionalDouble degenerateFraction,
    OptionalDouble advantageVariance) {

  /** Validates the components and copies the map. */
  public DatasetPassAtK {
    Checks.atLeast("problems", problems, 1);
    Checks.atLeast("groupSize", groupSize, 0);
    passAtK = Collections.unmodifiableMap(new TreeMap<>(passAtK));
    for (Map.Entry<Integer, Double> e : passAtK.entrySet()) {
      Checks.atLeast("k", e.getKey(), 1);
      Checks.probability("passAtK[" + e.getKey() + "]", e.getValue());
    }
    if (degenerateFraction.isPresent() != (groupSize > 0)
        || advantageVariance.isPresent() != (groupSize > 0)) {
      throw new IllegalArgumentException(
          "degenerateFraction and advantageVariance must be present exactly when groupSize > 0,"
              + " was groupSize=" + groupSize);
    }
  }
}
