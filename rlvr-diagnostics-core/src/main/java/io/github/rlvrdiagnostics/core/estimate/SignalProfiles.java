package io.github.rlvrdiagnostics.core.estimate;

import io.github.rlvrdiagnostics.api.Checks;
import io.github.rlvrdiagnostics.api.PassAtK;
import io.github.rlvrdiagnostics.api.ProblemSamples;
import io.github.rlvrdiagnostics.api.SignalProfile;
import java.util.List;
import java.util.OptionalDouble;
import org.apache.commons.math3.special.Beta;

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
   * It is at least {@code 1/(1 − P)} (Wald's identity), equal to it for {@code B = 1}, and less
   * than {@code 1/(1 − P) + 1}: whole rounds are generated, so it tends to a whole number of
   * rounds near {@code ⌈1/(1 − P)⌉} as {@code B} grows.
   *
   * <p>How it is computed, and how accurately: {@code B = 1} is the closed form
   * {@code 1/(1 − P)}, exact. Otherwise only the rounds {@code r} where {@code Pr[S_r < B]} is
   * neither 1 nor 0 to double precision are summed: those within 40 standard deviations of
   * {@code N}'s mean {@code 1/(1 − P)} (plus a margin of two rounds), each term the regularised
   * incomplete beta function {@code I_{P}(rB − B + 1, B)} from Commons Math, which has no
   * 2^31-trial limit; every round before that window counts 1. When that window spans more than
   * 100,000 rounds (a spread of {@code N} far wider than one round, for example {@code B = 2} at
   * {@code P > 0.999}), the count of groups generated is spread evenly over the rounds'
   * boundaries, and the value is {@code 1/(1 − P) + (B − 1)/(2B)}, the mean of the whole-round
   * excess under that evenness, within about {@code 1e-6} relative. The result is never below
   * {@code 1/(1 − P)}: rounding that would take it there is clamped to Wald's bound.
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
    double wald = 1.0 / informative;
    if (informative == 1.0 || batchPrompts == 1) {
      return OptionalDouble.of(wald);
    }
    double b = batchPrompts;
    // N is about (groups needed for B informative) / B: mean 1/q, sd sqrt(B(1 − q))/(qB).
    double sd = Math.sqrt(degenerateFraction / b) / informative;
    double first = Math.max(1, Math.floor(wald - 40 * sd) - 2);
    double last = Math.ceil(wald + 40 * sd) + 2;
    if (last - first > MAX_SUMMED_ROUNDS) {
      return OptionalDouble.of(wald + (b - 1) / (2 * b));
    }
    double total = first; // rounds 0 .. first − 1: each still short with probability 1
    for (double r = first; r <= last; r++) {
      // Pr[Binomial(rB, q) ≤ B − 1] = I_{1−q}(rB − B + 1, B) = I_P(rB − B + 1, B).
      double stillShort = Beta.regularizedBeta(degenerateFraction, r * b - b + 1, b, 1e-15, Integer.MAX_VALUE);
      total += stillShort;
      if (stillShort < 1e-17 * total) {
        break;
      }
    }
    return OptionalDouble.of(Math.max(wald, total));
  }

  /** The most rounds {@link #expectedGenerationRounds} sums term by term. */
  private static final int MAX_SUMMED_ROUNDS = 100_000;

  private static String describe(int index, ProblemSamples problem) {
    String id = problem.id().isEmpty() ? "problems[" + index + "]" : "'" + problem.id() + "'";
    return id + " (n=" + problem.n() + ", c=" + problem.c() + ")";
  }
}
