package io.github.rlvrdiagnostics.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.rlvrdiagnostics.api.Checks;
import io.github.rlvrdiagnostics.api.Correlation;
import io.github.rlvrdiagnostics.api.SignalProfile;
import io.github.rlvrdiagnostics.api.TrainingStep;
import io.github.rlvrdiagnostics.core.diagnostic.Correlations;
import io.github.rlvrdiagnostics.core.rollout.DegenerateGroups;
import java.util.OptionalDouble;
import org.junit.jupiter.api.Test;

/** Records whose parts must add up, counts that must not wrap, and R² at the ends of the doubles. */
class HostileInputTest {
  private static final double[] X = {1, 2, 3, 4, 5};
  private static final double[] Y = {0.1, 0.35, 0.2, 0.6, 0.5};
  private static final long[] SEEDS = {0, 0, 1, 1, 2};

  /** R² is scale-free: outcomes near ±1e308 or subnormal give the R² of the same outcomes at unit scale. */
  @Test
  void rSquaredAtTheEndsOfTheDoublesEqualsItsValueAtUnitScale() {
    double expected = Correlations.of("x", X, Y, SEEDS, 99, 1).rSquared();
    for (double scale : new double[] {1e308 / 0.6, -1e308 / 0.6, Double.MIN_VALUE * 7, 1e-310}) {
      double[] y = new double[Y.length];
      for (int i = 0; i < y.length; i++) {
        y[i] = Y[i] * scale;
      }
      double r2 = Correlations.of("x", X, y, SEEDS, 99, 1).rSquared();
      assertTrue(r2 >= 0 && r2 <= 1, scale + ": " + r2);
      // Subnormal outcomes keep only a few significant bits; R² keeps what they say.
      assertEquals(expected, r2, Math.abs(scale) < 1e-300 ? 0.1 : 1e-9, "scale " + scale);
    }
    assertThrows(IllegalArgumentException.class,
        () -> new Correlation("x", 3, 0.5, 0.5, OptionalDouble.empty(), 0.5, Double.NaN));
  }

  @Test
  void signalProfilePartsMustAddUp() {
    new SignalProfile(1, 8, 0.5, 0.25, 0.25, 0.5, OptionalDouble.empty());
    // float32-printed parts: within the tolerance
    new SignalProfile(1, 8, 0.5, 0.3333333, 0.3333334, 0.6666667, OptionalDouble.empty());
    assertThrows(IllegalArgumentException.class, () -> new SignalProfile(1, 8, 0.5, 0.7, 0.6, 1.0, OptionalDouble.empty()));
    assertThrows(IllegalArgumentException.class, () -> new SignalProfile(1, 8, 0.5, 0.1, 0.1, 0.9, OptionalDouble.empty()));
    assertThrows(IllegalArgumentException.class, () -> new SignalProfile(1, 8, 0.2, 0.3, 0.1, 0.4, OptionalDouble.empty()));
    assertThrows(IllegalArgumentException.class, () -> new SignalProfile(1, 8, 0.9, 0.1, 0.3, 0.4, OptionalDouble.empty()));
  }

  @Test
  void trainingStepPartsMustAddUp() {
    TrainingStep.builder(1).allPassFraction(0.4).allFailFraction(0.6 + 5e-7).build(); // float32 rounding
    assertThrows(IllegalArgumentException.class,
        () -> TrainingStep.builder(1).allPassFraction(0.4).allFailFraction(0.6 + 1e-5).build());
    TrainingStep.builder(1).rewardMin(0).reward(0.5).rewardMax(1).build();
    assertThrows(IllegalArgumentException.class, () -> TrainingStep.builder(1).rewardMin(1).rewardMax(0).build());
    assertTrue(Checks.atMostWithinTolerance(1.0000005, 1.0));
    assertTrue(!Checks.atMostWithinTolerance(Double.NaN, 1.0));
  }

  /** Combining an accumulator with itself doubles it: the 63rd doubling must be refused, not wrap. */
  @Test
  void degenerateGroupCountsRefuseToWrap() {
    DegenerateGroups groups = DegenerateGroups.empty().accept(new double[] {1, 1}).accept(new double[] {0, 1});
    for (int i = 0; i < 61; i++) {
      groups.combine(groups);
    }
    long before = groups.count();
    assertEquals(1L << 62, before);
    DegenerateGroups same = groups;
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> same.combine(same));
    assertTrue(e.getMessage().contains("2^63 - 1"), e.getMessage());
    assertEquals(before, groups.count()); // unchanged
    assertEquals(0.5, groups.observedFraction().getAsDouble());
  }
}
