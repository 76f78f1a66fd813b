package io.github.rlvrdiagnostics.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.rlvrdiagnostics.api.AdvantageEstimator;
import io.github.rlvrdiagnostics.api.Checkpoint;
import io.github.rlvrdiagnostics.api.EntropyPoint;
import io.github.rlvrdiagnostics.api.SamplingConfig;
import io.github.rlvrdiagnostics.core.diagnostic.Correlations;
import io.github.rlvrdiagnostics.core.entropy.Entropies;
import io.github.rlvrdiagnostics.core.rollout.Advantages;
import io.github.rlvrdiagnostics.core.rollout.CalibrationGap;
import io.github.rlvrdiagnostics.core.rollout.LogProbAdvantageCovariance;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.Test;

/**
 * The silent wrong numbers found by a hostile-input round: each call once returned NaN or ±∞ (or accepted a value it
 * fails on later); now it returns the finite documented result or throws an
 * {@link IllegalArgumentException} whose message starts with the parameter's name.
 */
class SpecialValuesTest {
  private static final double MAX = Double.MAX_VALUE;

  private static void assertNamed(String parameter, Executable call) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call);
    assertTrue(e.getMessage().startsWith(parameter), "'" + e.getMessage() + "' does not start with " + parameter);
  }

  @Test
  void entropyOfLogitsFarApartIsZeroNotNaN() {
    assertEquals(0.0, Entropies.entropy(new double[] {1e308, -1e308}, SamplingConfig.DEFAULT));
    assertEquals(0.0, Entropies.entropy(new double[] {-1e308, 1e308}, SamplingConfig.DEFAULT));
    assertEquals(0.0, Entropies.entropy(new float[] {Float.MAX_VALUE, -Float.MAX_VALUE}, SamplingConfig.DEFAULT));
    assertEquals(0.0, Entropies.entropy(new double[] {-1e308, 1e308}, new SamplingConfig(1.0, 1, 1.0)));
  }

  @Test
  void subnormalTemperatureIsExactOrNamed() {
    SamplingConfig tiny = SamplingConfig.ofTemperature(4.9e-324);
    assertEquals(Math.log(2), Entropies.entropy(new double[] {0, 0}, tiny), 1e-15);
    assertEquals(Math.log(2), Entropies.entropy(new float[] {0, 0, Float.NEGATIVE_INFINITY}, tiny), 1e-15);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> Entropies.entropy(new double[] {1, 2}, tiny));
    assertTrue(e.getMessage().startsWith("logits[0] / temperature overflows"), e.getMessage());
  }

  @Test
  void advantagesOfTinyAndHugeRewardsAreFinite() {
    assertArrayEquals(new double[] {-1, 1},
        Advantages.compute(AdvantageEstimator.GRPO_POPULATION_STD, new double[][] {{0, 1e-170}}, 0.0, 0.0)[0], 1e-15);
    // At the default spread floor (1e-6) the same group is degenerate: advantage 0.
    assertArrayEquals(new double[] {0, 0},
        Advantages.compute(AdvantageEstimator.GRPO_POPULATION_STD, new double[][] {{0, 1e-170}}, 0.0)[0], 0.0);
    assertArrayEquals(new double[] {1, -1},
        Advantages.compute(AdvantageEstimator.GRPO_POPULATION_STD, new double[][] {{MAX, -MAX}}, 0.0)[0], 1e-15);
    assertArrayEquals(new double[] {Math.sqrt(0.5), -Math.sqrt(0.5)},
        Advantages.compute(AdvantageEstimator.GRPO_SAMPLE_STD, new double[][] {{MAX, -MAX}}, 0.0)[0], 1e-15);
    assertArrayEquals(new double[] {MAX, -MAX},
        Advantages.compute(AdvantageEstimator.MEAN_SHIFTED, new double[][] {{MAX, -MAX}}, 0.0)[0]);
    assertArrayEquals(new double[] {MAX / 2 * 2, -MAX / 2 * 2},
        Advantages.compute(AdvantageEstimator.RLOO, new double[][] {{MAX / 2, -MAX / 2}}, 0.0)[0]);
    assertNamed("groupRewards[0]", () -> Advantages.compute(AdvantageEstimator.RLOO, new double[][] {{MAX, -MAX}}, 0.0));
    double[] whitened = Advantages.compute(AdvantageEstimator.REINFORCE_PP_BASELINE, new double[][] {{MAX, -MAX}, {0, 1e-300}}, 0.0, 0.0)[0];
    assertTrue(Double.isFinite(whitened[0]) && whitened[0] > 0 && whitened[1] < 0, Arrays.toString(whitened));
  }

  @Test
  void calibrationWithHugeAlphaOrNaNAdvantagesIsNamed() {
    double[][] rewards = {{1, 0, 0, 0, 0, 0, 0, 0}};
    double[][] advantages = Advantages.compute(AdvantageEstimator.GRPO_POPULATION_STD, rewards, 0.0);
    assertNamed("alpha", () -> Advantages.inverseSuccessCalibration(advantages, rewards, 2000));
    assertNamed("advantages[0][1]", () -> Advantages.inverseSuccessCalibration(new double[][] {{1, Double.NaN}}, new double[][] {{1, 0}}, 1));
    assertNamed("groupRewards[0][1]", () -> Advantages.inverseSuccessCalibration(new double[][] {{1, -1}}, new double[][] {{1, Double.NaN}}, 1));
    double scaled = Advantages.inverseSuccessCalibration(advantages, rewards, 1)[0][0];
    assertEquals(advantages[0][0] * 8, scaled, 1e-12);
  }

  @Test
  void accumulatorsAtTheEdgeOfDoubleStayFiniteOrSaySo() {
    CalibrationGap gap = CalibrationGap.empty().accept(-1e308, true).accept(-1e308, true).accept(-MAX, false).accept(-MAX, false);
    assertEquals(-1e308 + MAX, gap.value().getAsDouble(), 1e294);
    CalibrationGap other = CalibrationGap.empty().accept(-MAX, true).accept(0, false);
    assertTrue(Double.isFinite(gap.combine(other).value().getAsDouble()));
    LogProbAdvantageCovariance cov = LogProbAdvantageCovariance.empty().accept(-1e308, 1e308);
    assertNamed("logProb", () -> cov.accept(0, -1e308));
    assertEquals(OptionalDouble.of(0.0), cov.value(), "a rejected token leaves the accumulator unchanged");
    LogProbAdvantageCovariance far = LogProbAdvantageCovariance.empty().accept(0, -1e308);
    assertNamed("logProb", () -> cov.combine(far));
    assertEquals(1, cov.count());
  }

  @Test
  void apiValuesRejectWhatFailsLater() {
    List<EntropyPoint> trace = Arrays.asList(EntropyPoint.of(1, 0.5), null);
    assertNamed("entropyTrace", () -> new Checkpoint("a", 0, 0.5, Map.of(1, 0.2), trace,
        OptionalDouble.empty(), OptionalDouble.empty(), Optional.empty()));
    double[] x = {1, 2, 3, 4};
    long[] seeds = {0, 0, 0, 0};
    assertNamed("permutations", () -> Correlations.of("p", x, x, seeds, 0, 1));
    assertNamed("permutations", () -> Correlations.of("p", x, x, seeds, -1, 1));
  }
}
