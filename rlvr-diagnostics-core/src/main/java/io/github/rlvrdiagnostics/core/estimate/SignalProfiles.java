package io.github.rlvrdiagnostics.core.estimate;

import io.github.rlvrdiagnostics.api.Checks;
import io.github.rlvrdiagnostics.api.PassAtK;
import io.github.rlvrdiagnostics.api.ProblemSamples;
import io.github.rlvrdiagnostics.api.SignalProfile;
import java.util.List;
import java.util.OptionalDouble;
import org.apache.commons.math3.distribution.BinomialDistribution;

/**
 * A checkpoint's learning signal at group size {@code G}, estimated without bias from the pre-RL
 * samples users already have: {@code n_j} completions per prompt of which {@code c_j} passed
 * (docs/MATH.md §2, estimates from samples).
 *
 * <p>Each prompt contributes its all-pass part {@code C(c_j, G)/C(n_j, G)} and all-fail part
 * {@code C(n_j−c_j, G)/C(n_j, G)}, unbiased for {@code p_j^G} and {@code (1−p_j)^G}; the profile
 * holds their plain means over prompts, and the same estimate of the degenerate fraction at
 * {@code 2G} when every prompt has {@code n_j ≥ 2G} (what doubling the group would buy). The
 * plug-in {@code P_deg(c_j/n_j, G)} would be biased upwards for small {@code n_j} (it is convex in
 * {@code p}), which is why these estimators exist. All methods are static and thread-safe.
 */
public final class SignalProfiles {
  private SignalProfiles() {}

  /**
   * The signal profile of a set of prompts at group size {@code G}.
   *
   * @param problems at least one prompt, each with {@code n_j ≥ G}
   * @param groupSize the GRPO group size, {@code ≥ 1}
   * @throws IllegalArgumentException on an empty list, a bad group size, or a prompt with fewer
   *     samples than {@code G} (the message names the prompt: an unbiased estimate of a
   *     {@code G}-sample event needs at least {@code G} samples)
   */
  public static SignalProfile of(List<ProblemSamples> problems, int groupSize) {
    if (problems.isEmpty()) {
      throw new IllegalArgumentException("problems must hold at least one prompt, was empty");
    }
    Checks.groupSize(groupSize);
    PassAtK estimators = Estimators.passAtK();
    double passRateSum = 0;
    double allPassSum = 0;
    double allFailSum = 0;
    double varianceSum = 0;
    boolean varianceKnown = true;
    // 2G as a long: a group size near 2^31 must not wrap to a negative size.
    long twiceG = 2L * groupSize;
    boolean twiceKnown = true;
    double twiceSum = 0;
    for (int j = 0; j < problems.size(); j++) {
      ProblemSamples p = problems.get(j);
      if (p.n() < groupSize) {
        throw new IllegalArgumentException("n must be >= groupSize = " + groupSize + " for prompt "
            + describe(j, p) + ": an unbiased estimate at G needs at least G samples");
      }
      passRateSum += p.passRate();
      allPassSum += estimators.allPassEstimate(p.n(), p.c(), groupSize);
      allFailSum += estimators.allFailEstimate(p.n(), p.c(), groupSize);
      if (p.n() >= twiceG) {
        twiceSum += estimators.allPassEstimate(p.n(), p.c(), (int) twiceG)
            + estimators.allFailEstimate(p.n(), p.c(), (int) twiceG);
      } else {
        twiceKnown = false;
      }
      if (p.n() >= 2) {
        varianceSum += estimators.advantageVarianceEstimate(p.n(), p.c(), groupSize);
      } else {
        varianceKnown = false;
      }
    }
    int count = problems.size();
    double allPass = Math.min(1.0, allPassSum / count);
    double allFail = Math.min(1.0, allFailSum / count);
    return new SignalProfile(count, groupSize, Math.min(1.0, passRateSum / count), allPass, allFail,
        Math.min(1.0, allPass + allFail),
        varianceKnown ? OptionalDouble.of(Math.min(1.0, varianceSum / count)) : OptionalDouble.empty(),
        twiceKnown ? OptionalDouble.of(Math.min(1.0, twiceSum / count)) : OptionalDouble.empty());
  }

  /**
   * The expected number of generation rounds that dynamic sampling needs to collect
   * {@code batchPrompts} informative groups when each round generates {@code batchPrompts} groups
   * for uniformly drawn prompts and discards the degenerate ones: {@code E[N] = Σ_{r≥0} Pr[S_r <
   * B]} with {@code S_r ~ Binomial(r·B, 1 − P)} the informative groups after {@code r} rounds.
   * It is at least {@code 1/(1 − P)} (Wald's identity), equal to it for {@code B = 1}, and tends
   * to a whole number of rounds near {@code ⌈1/(1 − P)⌉} as {@code B} grows, because whole rounds
   * are generated.
   *
   * <p>Accuracy: the series is summed until a term falls below 1e-16 of the running total (at
   * most 100,000 rounds), with Commons Math's binomial distribution; terms shrink at least
   * geometrically, so the truncated tail is below 1e-12 relative for {@code P ≤ 0.999}.
   *
   * @param degenerateFraction the predicted degenerate fraction {@code P}, in [0, 1]
   * @param batchPrompts the batch size {@code B}, {@code ≥ 1}
   * @return the expected rounds; empty when {@code P = 1} (no round ever fills the batch)
   * @throws IllegalArgumentException on a fraction outside [0, 1] or NaN, or {@code B < 1}
   */
  public static OptionalDouble expectedGenerationRounds(double degenerateFraction, int batchPrompts) {
    Checks.probability("degenerateFraction", degenerateFraction);
    Checks.atLeast("batchPrompts", batchPrompts, 1);
    double informative = 1.0 - degenerateFraction;
    if (!(informative > 0.0)) {
      return OptionalDouble.empty();
    }
    if (informative == 1.0) {
      return OptionalDouble.of(1.0);
    }
    double total = 0;
    for (long rounds = 0; rounds < 100_000; rounds++) {
      double stillShort;
      if (rounds == 0) {
        stillShort = 1.0;
      } else {
        long trials = rounds * batchPrompts;
        if (trials > Integer.MAX_VALUE) {
          break;
        }
        stillShort = new BinomialDistribution(null, (int) trials, informative).cumulativeProbability(batchPrompts - 1);
      }
      total += stillShort;
      if (stillShort < 1e-16 * total) {
        break;
      }
    }
    return OptionalDouble.of(total);
  }

  private static String describe(int index, ProblemSamples problem) {
    String id = problem.id().isEmpty() ? "problems[" + index + "]" : "'" + problem.id() + "'";
    return id + " (n=" + problem.n() + ", c=" + problem.c() + ")";
  }
}
