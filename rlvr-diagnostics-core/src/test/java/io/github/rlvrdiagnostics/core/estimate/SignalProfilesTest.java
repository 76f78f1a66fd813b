package io.github.rlvrdiagnostics.core.estimate;

import static io.github.rlvrdiagnostics.core.Theories.probabilities;
import static io.github.rlvrdiagnostics.core.Theories.qt;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.rlvrdiagnostics.api.ProblemSamples;
import io.github.rlvrdiagnostics.api.SignalProfile;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalDouble;
import org.apache.commons.math3.util.CombinatoricsUtils;
import org.junit.jupiter.api.Test;
import org.quicktheories.generators.Generate;

/** The signal profile from pre-RL samples: hand-checked values, the laws, and unbiasedness. */
class SignalProfilesTest {

  /**
   * Four prompts at G = 2, every part counted by hand from C(c, 2)/C(n, 2) and C(n−c, 2)/C(n, 2):
   * (4, 1): 0 and 3/6; (4, 4): 1 and 0; (6, 0): 0 and 1; (5, 2): 1/10 and 3/10.
   */
  @Test
  void handCheckedMixedCountsIncludingNoneAndAllPassing() {
    SignalProfile p = SignalProfiles.of(List.of(ProblemSamples.of("a", 4, 1), ProblemSamples.of("b", 4, 4),
        ProblemSamples.of("c", 6, 0), ProblemSamples.of("d", 5, 2)), 2);
    assertEquals(4, p.prompts());
    assertEquals(2, p.groupSize());
    assertEquals(1.1 / 4, p.allPassFraction(), 1e-12);
    assertEquals(1.8 / 4, p.allFailFraction(), 1e-12);
    assertEquals(2.9 / 4, p.predictedDegenerateFraction(), 1e-12);
    assertEquals(1.65 / 4, p.meanPassRate(), 1e-12);
    assertEquals(4 / 1.1, p.expectedSamplingCost().getAsDouble(), 1e-12);
    // c(n−c)/(n(n−1)) · (G−1)/G: 3/12·1/2, 0, 0, 6/20·1/2.
    assertEquals((0.125 + 0.15) / 4, p.expectedAdvantageVariance().getAsDouble(), 1e-12);
    assertEquals(64 * (1 - 2.9 / 4), p.expectedNonDegenerateGroups(64), 1e-12);
    // Std-normalised advantages: energy 1 − P (population std), (G−1)/G · (1 − P) (sample std).
    assertEquals(1 - 2.9 / 4, p.expectedAdvantageEnergy(false), 1e-12);
    assertEquals(0.5 * (1 - 2.9 / 4), p.expectedAdvantageEnergy(true), 1e-12);
    // At 2G = 4, C(c, 4)/C(n, 4) + C(n−c, 4)/C(n, 4): (4, 1) → 0 + 0; (4, 4) → 1; (6, 0) → 1; (5, 2) → 0 + 0.
    assertEquals(2.0 / 4, p.degenerateFractionAtTwiceG().getAsDouble(), 1e-12);
    // A prompt with n = 5 < 2G = 6 leaves the estimate at 2G unknown.
    assertTrue(SignalProfiles.of(List.of(ProblemSamples.of(8, 3), ProblemSamples.of(5, 2)), 3)
        .degenerateFractionAtTwiceG().isEmpty());
  }

  @Test
  void everyGroupDeadHasNoSamplingCost() {
    SignalProfile p = SignalProfiles.of(List.of(ProblemSamples.of(8, 0), ProblemSamples.of(8, 8)), 8);
    assertEquals(1.0, p.predictedDegenerateFraction());
    assertEquals(0.5, p.allPassFraction());
    assertEquals(0.5, p.allFailFraction());
    assertTrue(p.expectedSamplingCost().isEmpty());
    assertTrue(SignalProfiles.expectedGenerationRounds(1.0, 16).isEmpty());
  }

  @Test
  void tooFewSamplesNameThePrompt() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> SignalProfiles.of(List.of(ProblemSamples.of("ok", 16, 3), ProblemSamples.of("task/7", 4, 1)), 8));
    assertTrue(e.getMessage().contains("'task/7'") && e.getMessage().contains("n=4"), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> SignalProfiles.of(List.of(), 8));
    assertThrows(IllegalArgumentException.class, () -> SignalProfiles.of(List.of(ProblemSamples.of(4, 1)), 0));
  }

  @Test
  void singleSamplePromptsHaveNoVarianceEstimate() {
    SignalProfile p = SignalProfiles.of(List.of(ProblemSamples.of(1, 1), ProblemSamples.of(1, 0)), 1);
    assertEquals(1.0, p.predictedDegenerateFraction()); // G = 1: every group is degenerate
    assertTrue(p.expectedAdvantageVariance().isEmpty());
  }

  @Test
  void partsAddUpToTheDegenerateEstimateAndStayInTheUnitInterval() {
    qt().forAll(Generate.range(1, 300), Generate.range(0, 1_000_000), Generate.range(1, 64)).checkAssert((n, cSeed, g) -> {
      int c = cSeed % (n + 1);
      int groupSize = Math.min(g, n);
      SignalProfile p = SignalProfiles.of(List.of(ProblemSamples.of(n, c)), groupSize);
      assertTrue(p.allPassFraction() >= 0 && p.allPassFraction() <= 1);
      assertTrue(p.allFailFraction() >= 0 && p.allFailFraction() <= 1);
      assertEquals(p.allPassFraction() + p.allFailFraction(), p.predictedDegenerateFraction(), 1e-15);
      assertEquals(Estimators.passAtK().degenerateProbabilityEstimate(n, c, groupSize),
          p.predictedDegenerateFraction(), 1e-14);
      assertEquals(1.0 - Estimators.passAtK().estimate(n, c, groupSize), p.allFailFraction(), 1e-12);
    });
  }

  /** E over c ~ Binomial(n, p) of each part equals p^G and (1−p)^G exactly (enumerated). */
  @Test
  void partsAreUnbiasedByExactEnumeration() {
    qt(300).forAll(Generate.range(1, 24), Generate.range(1, 24), probabilities()).checkAssert((n, g, prob) -> {
      int groupSize = Math.min(n, g);
      double allPass = 0;
      double allFail = 0;
      for (int c = 0; c <= n; c++) {
        double weight = CombinatoricsUtils.binomialCoefficientDouble(n, c) * Math.pow(prob, c) * Math.pow(1 - prob, n - c);
        SignalProfile p = SignalProfiles.of(List.of(ProblemSamples.of(n, c)), groupSize);
        allPass += weight * p.allPassFraction();
        allFail += weight * p.allFailFraction();
      }
      assertEquals(Math.pow(prob, groupSize), allPass, 1e-12);
      assertEquals(Math.pow(1 - prob, groupSize), allFail, 1e-12);
    });
  }

  @Test
  void samplingCostIsAtLeastOneAndGrowsWithTheDeadFraction() {
    qt().forAll(probabilities(), probabilities()).checkAssert((a, b) -> {
      double lo = Math.min(a, b);
      double hi = Math.max(a, b);
      OptionalDouble costLo = profileWith(lo).expectedSamplingCost();
      OptionalDouble costHi = profileWith(hi).expectedSamplingCost();
      if (hi < 1.0) {
        assertTrue(costLo.getAsDouble() >= 1.0);
        assertTrue(costHi.getAsDouble() >= costLo.getAsDouble());
      } else {
        assertTrue(costHi.isEmpty());
      }
    });
  }

  /** One generated group per round: the rounds are geometric with mean 1/(1 − P). */
  @Test
  void generationRoundsForOneGroupAreGeometricAndForMoreAtLeastThat() {
    for (double dead : new double[] {0.0, 0.1, 0.5, 0.9, 0.99}) {
      assertEquals(1 / (1 - dead), SignalProfiles.expectedGenerationRounds(dead, 1).getAsDouble(), 1e-9);
      for (int batch : new int[] {2, 8, 64, 512}) {
        double rounds = SignalProfiles.expectedGenerationRounds(dead, batch).getAsDouble();
        // Wald: B(1 − P)·E[N] = E[informative after N rounds] ≥ B; whole rounds add less than one more.
        assertTrue(rounds >= 1 / (1 - dead) - 1e-9, batch + ": " + rounds);
        assertTrue(rounds <= Math.ceil(1 / (1 - dead) - 1e-9) + 1, batch + ": " + rounds);
      }
    }
    // B = 2, P = 1/2: E[N] = Σ_r Pr[Bin(2r, 1/2) ≤ 1] = 1 + 3/4 + 5/16 + 7/64 + ... = 1 + Σ_{r≥1} (2r+1)/4^r = 1 + 11/9.
    assertEquals(1 + 11.0 / 9, SignalProfiles.expectedGenerationRounds(0.5, 2).getAsDouble(), 1e-9);
    assertThrows(IllegalArgumentException.class, () -> SignalProfiles.expectedGenerationRounds(Double.NaN, 2));
    assertThrows(IllegalArgumentException.class, () -> SignalProfiles.expectedGenerationRounds(0.5, 0));
  }

  /** A one-prompt profile whose predicted fraction is {@code dead}, built directly. */
  private static SignalProfile profileWith(double dead) {
    return new SignalProfile(1, 8, 0.5, dead / 2, dead / 2, dead, OptionalDouble.empty());
  }

  @Test
  void passAllIsTheAllPassPartAtK() {
    List<ProblemSamples> one = new ArrayList<>(List.of(ProblemSamples.of(64, 3)));
    assertEquals(Estimators.passAtK().allPassEstimate(64, 3, 2), SignalProfiles.of(one, 2).allPassFraction(), 0);
    // C(3, 2)/C(64, 2) = 3/2016.
    assertEquals(3.0 / 2016, Estimators.passAtK().allPassEstimate(64, 3, 2), 1e-15);
    assertEquals(0.0, Estimators.passAtK().allPassEstimate(64, 3, 4));
  }
}
