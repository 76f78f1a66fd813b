package io.github.rlvrdiagnostics.core.signal;

import io.github.rlvrdiagnostics.core.RlvrDiagnostics;
import io.github.rlvrdiagnostics.core.Theories;

import static io.github.rlvrdiagnostics.core.Theories.probabilities;
import static io.github.rlvrdiagnostics.core.Theories.qt;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.github.rlvrdiagnostics.api.AdvantageNormalization;
import io.github.rlvrdiagnostics.api.AdvantageVarianceModel;
import org.junit.jupiter.api.Test;
import org.quicktheories.generators.Generate;

/**
 * docs/MATH.md §1 checked by exact enumeration of all {@code 2^G} reward vectors of a group, with
 * the advantages computed the way a trainer computes them.
 */
class AdvantageVarianceTest {
  private final AdvantageVarianceModel zeroOne = RlvrDiagnostics.advantageVariance();

  /** {@code E[(1/G) Σ A_i²]} by enumeration, for rewards {low, high}. */
  private static double enumerate(double p, int g, double low, double high, AdvantageNormalization norm) {
    double expectation = 0.0;
    for (int mask = 0; mask < (1 << g); mask++) {
      int passes = Integer.bitCount(mask);
      double probability = Math.pow(p, passes) * Math.pow(1 - p, g - passes);
      double[] rewards = new double[g];
      double mean = 0.0;
      for (int i = 0; i < g; i++) {
        rewards[i] = (mask >> i & 1) == 1 ? high : low;
        mean += rewards[i] / g;
      }
      double squares = 0.0;
      for (double r : rewards) {
        squares += (r - mean) * (r - mean);
      }
      // Degenerate groups get a zero advantage (decided on counts: the float mean is inexact).
      boolean degenerate = passes == 0 || passes == g;
      double energy;
      switch (norm) {
        case NONE -> energy = degenerate ? 0 : squares / g;
        case POPULATION_STD -> energy = degenerate ? 0 : (squares / g) / (squares / g);
        default -> energy = degenerate ? 0 : (squares / g) / (squares / (g - 1));
      }
      expectation += probability * energy;
    }
    return expectation;
  }

  @Test
  void closedFormsMatchEnumeration() {
    qt(300).forAll(probabilities(), Generate.range(1, 10), Generate.enumValues(AdvantageNormalization.class))
        .checkAssert((p, g, norm) -> {
          assertEquals(enumerate(p, g, 0, 1, norm), zeroOne.expectedEnergy(p, g, norm), 1e-13);
          AdvantageVarianceModel scaled = RlvrDiagnostics.advantageVariance(-1.0, 2.5);
          assertEquals(enumerate(p, g, -1.0, 2.5, norm), scaled.expectedEnergy(p, g, norm), 1e-12);
        });
  }

  @Test
  void varianceIsSymmetricAndScales() {
    qt().forAll(probabilities(), Theories.groupSizes()).checkAssert((p, g) -> {
      assertEquals(zeroOne.expectedVariance(p, g), zeroOne.expectedVariance(1 - p, g), 1e-16);
      assertEquals(4 * zeroOne.expectedVariance(p, g),
          RlvrDiagnostics.advantageVariance(3, 5).expectedVariance(p, g), 1e-15);
      assertEquals(9 * zeroOne.expectedVariance(p, g), zeroOne.gradientNormSquaredBound(p, g, 3), 1e-15);
    });
  }

  @Test
  void goldenValuesOfTheRankInversionPaper() {
    assertEquals(0.199, zeroOne.expectedVariance(0.351, 8), 5e-4);
    assertEquals(0.212, zeroOne.expectedVariance(0.413, 8), 5e-4);
    assertEquals(0.017, zeroOne.expectedVariance(0.020, 8), 5e-4);
    assertEquals(0.25 * 7 / 8, zeroOne.expectedVariance(0.5, 8), 1e-16);
    assertEquals(0.0, zeroOne.expectedVariance(0.3, 1));
    assertEquals((0.0 + 0.25 * 0.75) / 2 * 3 / 4,
        zeroOne.batchExpectedVariance(new double[] {0.0, 0.25}, 4), 1e-16);
  }

  @Test
  void badInput() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> RlvrDiagnostics.advantageVariance(1.0, 1.0));
    assertEquals("rewardHigh must be > rewardLow, was rewardLow=1.0, rewardHigh=1.0", e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> RlvrDiagnostics.advantageVariance(Double.NaN, 1.0));
    assertThrows(IllegalArgumentException.class, () -> zeroOne.expectedVariance(-0.1, 4));
    assertThrows(IllegalArgumentException.class, () -> zeroOne.expectedVariance(0.1, 0));
    assertThrows(IllegalArgumentException.class, () -> zeroOne.gradientNormSquaredBound(0.1, 4, Double.NaN));
    assertThrows(IllegalArgumentException.class, () -> zeroOne.batchExpectedVariance(new double[] {2.0}, 4));
  }
}
