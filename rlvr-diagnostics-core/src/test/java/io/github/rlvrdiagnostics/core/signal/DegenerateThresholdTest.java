package io.github.rlvrdiagnostics.core.signal;

import io.github.rlvrdiagnostics.core.RlvrDiagnostics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.rlvrdiagnostics.api.BatchSignal;
import io.github.rlvrdiagnostics.api.DegenerateThreshold;
import io.github.rlvrdiagnostics.api.GroupSignal;
import io.github.rlvrdiagnostics.api.ThresholdPoint;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Golden values of docs/MATH.md §1 and the edge cases the API defines. */
class DegenerateThresholdTest {
  private final DegenerateThreshold threshold = RlvrDiagnostics.degenerateThreshold();

  /** docs/MATH.md §1: the table of <i>SFT Overtraining Predicts Rank Inversion via Entropy Collapse Under RLVR</i>, recomputed to 4 places. */
  @ParameterizedTest
  @CsvSource({
    "4, 0.1594, 0.1005, 0.1733",
    "8, 0.0830, 0.0666, 0.0866",
    "16, 0.0424, 0.0381, 0.0433",
    "32, 0.0214, 0.0203, 0.0217"
  })
  void pStarTableOfTheRankInversionPaper(int g, double pStar, double variance, double lnTwoOverG) {
    ThresholdPoint point = threshold.threshold(g);
    assertEquals(g, point.groupSize());
    assertEquals(pStar, point.pStar(), 5e-5);
    assertEquals(variance, point.advantageVarianceAtPStar(), 5e-5);
    assertEquals(lnTwoOverG, point.lnTwoOverG(), 5e-5);
    assertEquals(0.5, threshold.degenerateProbability(point.pStar(), g), 1e-15);
  }

  /** docs/MATH.md §1: Table 6 of <i>SFT Overtraining Predicts Rank Inversion via Entropy Collapse Under RLVR</i>, G = 8. */
  @ParameterizedTest
  @CsvSource({"0.351, 0.199, 0.032, false", "0.413, 0.212, 0.015, false", "0.020, 0.017, 0.851, true"})
  void table6OfTheRankInversionPaper(double p, double variance, double degenerate, boolean majority) {
    GroupSignal signal = threshold.group(p, 8);
    assertEquals(variance, signal.expectedAdvantageVariance(), 5e-4);
    assertEquals(degenerate, signal.degenerateProbability(), 5e-4);
    assertEquals(majority, signal.majorityDegenerate());
  }

  @Test
  void groupSizeOneHasNoSignalAndPStarOneHalf() {
    assertEquals(1.0, threshold.degenerateProbability(0.3, 1));
    assertEquals(0.0, threshold.nonDegenerateProbability(0.3, 1));
    assertTrue(threshold.majorityDegenerate(0.5, 1));
    assertEquals(0.5, threshold.pStar(1));
  }

  @Test
  void groupSizeTwoTouchesOneHalfOnlyAtOneHalf() {
    assertEquals(0.5, threshold.pStar(2));
    assertEquals(0.5, threshold.degenerateProbability(0.5, 2));
    assertFalse(threshold.majorityDegenerate(0.5, 2));
    assertTrue(threshold.majorityDegenerate(0.49, 2));
    assertTrue(threshold.majorityDegenerate(0.51, 2));
  }

  @Test
  void certainOutcomesAreAlwaysDegenerate() {
    assertEquals(1.0, threshold.degenerateProbability(0.0, 1000));
    assertEquals(1.0, threshold.degenerateProbability(1.0, 1000));
    assertEquals(0.0, threshold.nonDegenerateProbability(1.0, 8));
    assertEquals(OptionalInt.empty(), threshold.smallestGroupSize(0.0, 0.5));
    assertEquals(OptionalInt.of(1), threshold.smallestGroupSize(0.0, 1.0));
  }

  @Test
  void smallestGroupSizeForGsm8kLikeRate() {
    // p = 0.02: P_deg(G) = 0.98^G + 0.02^G, which first drops to 1/2 or below at G = 35
    // (0.98^34 = 0.5031, 0.98^35 = 0.4931).
    assertEquals(OptionalInt.of(35), threshold.smallestGroupSize(0.02, 0.5));
    assertEquals(OptionalInt.of(2), threshold.smallestGroupSize(0.5, 0.5));
  }

  @Test
  void tinyRateNeedsMoreThanIntMaxGroupSize() {
    assertEquals(OptionalInt.empty(), threshold.smallestGroupSize(1e-12, 0.5));
  }

  @Test
  void nonDegenerateKeepsPrecisionWhereOneMinusCancels() {
    // 1 − (1−p)^G ≈ G·p for tiny p: naive 1 − P_deg would give 0 or noise at p = 1e-18.
    assertEquals(8e-18, threshold.nonDegenerateProbability(1e-18, 8), 1e-30);
  }

  @Test
  void batchSumsPerPromptSignal() {
    BatchSignal batch = threshold.batch(new double[] {0.02, 0.351, 0.413, 1.0}, 8);
    assertEquals(4, batch.prompts());
    double expectedNonDeg = 0.0;
    double expectedVar = 0.0;
    for (double p : new double[] {0.02, 0.351, 0.413, 1.0}) {
      expectedNonDeg += 1.0 - (Math.pow(p, 8) + Math.pow(1 - p, 8));
      expectedVar += p * (1 - p) * 7 / 8;
    }
    assertEquals(expectedNonDeg, batch.expectedNonDegenerateGroups(), 1e-12);
    assertEquals(1 - expectedNonDeg / 4, batch.expectedDegenerateFraction(), 1e-12);
    assertEquals(expectedVar / 4, batch.expectedAdvantageVariance(), 1e-12);
  }

  @Test
  void badInputIsRejectedWithParameterRuleAndValue() {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> threshold.degenerateProbability(1.5, 8));
    assertEquals("p must be in [0, 1], was 1.5", e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> threshold.degenerateProbability(Double.NaN, 8));
    e = assertThrows(IllegalArgumentException.class, () -> threshold.pStar(0));
    assertEquals("groupSize must be >= 1, was 0", e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> threshold.smallestGroupSize(0.5, 0.0));
    assertThrows(IllegalArgumentException.class, () -> threshold.smallestGroupSize(0.5, Double.NaN));
    assertThrows(IllegalArgumentException.class, () -> threshold.batch(new double[0], 8));
    e = assertThrows(
        IllegalArgumentException.class, () -> threshold.batch(new double[] {0.1, Double.NaN}, 8));
    assertEquals("passRates[1] must be in [0, 1], was NaN", e.getMessage());
  }
}
