package io.github.rlvrdiagnostics.core.rollout;

import static io.github.rlvrdiagnostics.core.Theories.qt;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.github.rlvrdiagnostics.api.AdvantageEstimator;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.quicktheories.generators.Generate;

/** Hand-computed groups of 4 and the laws of each estimator. */
class AdvantagesTest {
  private static final double[][] GROUP = {{1, 0, 0, 0}};

  @Test
  void handComputedGroupOfFour() {
    // r = (1, 0, 0, 0): mean 1/4; centred (3/4, −1/4, −1/4, −1/4).
    assertArrayEquals(new double[] {1, 0, 0, 0}, Advantages.compute(AdvantageEstimator.RAW, GROUP, 0)[0], 0);
    assertArrayEquals(new double[] {0.75, -0.25, -0.25, -0.25},
        Advantages.compute(AdvantageEstimator.MEAN_SHIFTED, GROUP, 0)[0], 1e-15);
    // Population std = sqrt(3/16) = √3/4: (3/4)/(√3/4) = √3, (−1/4)/(√3/4) = −1/√3.
    assertArrayEquals(new double[] {Math.sqrt(3), -1 / Math.sqrt(3), -1 / Math.sqrt(3), -1 / Math.sqrt(3)},
        Advantages.compute(AdvantageEstimator.GRPO_POPULATION_STD, GROUP, 0)[0], 1e-15);
    // Sample std = sqrt((9/16 + 3/16)/3) = 1/2: (3/2, −1/2, −1/2, −1/2).
    assertArrayEquals(new double[] {1.5, -0.5, -0.5, -0.5},
        Advantages.compute(AdvantageEstimator.GRPO_SAMPLE_STD, GROUP, 0)[0], 1e-15);
    // RLOO: 1 − 0 = 1 for the pass; 0 − 1/3 = −1/3 for each failure.
    assertArrayEquals(new double[] {1, -1.0 / 3, -1.0 / 3, -1.0 / 3},
        Advantages.compute(AdvantageEstimator.RLOO, GROUP, 0)[0], 1e-15);
    // REINFORCE++: centred values of two groups whitened together.
    double[][] batch = Advantages.compute(AdvantageEstimator.REINFORCE_PP_BASELINE, new double[][] {{1, 0}, {1, 1}}, 0);
    // Centred: (1/2, −1/2) and (0, 0); batch mean 0, population std sqrt(0.5/4) = 1/(2√2) → (√2, −√2, 0, 0).
    assertArrayEquals(new double[] {Math.sqrt(2), -Math.sqrt(2)}, batch[0], 1e-15);
    assertArrayEquals(new double[] {0, 0}, batch[1], 1e-15);
  }

  @Test
  void inverseSuccessCalibrationScalesOnlyPositives() {
    double[][] a = Advantages.compute(AdvantageEstimator.GRPO_SAMPLE_STD, GROUP, 0);
    // One pass of four: (1/4)^(−1) = 4, so 1.5 → 6; negatives unchanged.
    assertArrayEquals(new double[] {6, -0.5, -0.5, -0.5}, Advantages.inverseSuccessCalibration(a, GROUP, 1.0)[0], 1e-15);
    assertArrayEquals(a[0], Advantages.inverseSuccessCalibration(a, GROUP, 0.0)[0], 0);
    // α = 0.5: scale 2.
    assertArrayEquals(new double[] {3, -0.5, -0.5, -0.5}, Advantages.inverseSuccessCalibration(a, GROUP, 0.5)[0], 1e-15);
    assertThrows(IllegalArgumentException.class, () -> Advantages.inverseSuccessCalibration(a, new double[2][], 1));
    assertThrows(IllegalArgumentException.class, () -> Advantages.inverseSuccessCalibration(a, GROUP, Double.NaN));
  }

  @Test
  void lawsOfTheCentredEstimators() {
    qt(300).forAll(Generate.longRange(0, Long.MAX_VALUE), Generate.range(1, 16), Generate.range(1, 6)).checkAssert((seed, g, b) -> {
      Random random = new Random(seed);
      double[][] rewards = new double[b][g];
      for (double[] r : rewards) {
        for (int i = 0; i < g; i++) {
          r[i] = random.nextBoolean() ? 1 : 0;
        }
      }
      for (AdvantageEstimator e : AdvantageEstimator.values()) {
        double[][] a = Advantages.compute(e, rewards, Advantages.DEFAULT_EPSILON);
        for (int j = 0; j < b; j++) {
          boolean degenerate = java.util.Arrays.stream(rewards[j]).distinct().count() == 1;
          double sum = java.util.Arrays.stream(a[j]).sum();
          if (e != AdvantageEstimator.RAW && e != AdvantageEstimator.REINFORCE_PP_BASELINE) {
            assertEquals(0.0, sum, 1e-9, e + " sums to zero within a group");
            if (degenerate) {
              assertArrayEquals(new double[g], a[j], 0.0, e + " zeroes a degenerate group");
            }
          }
        }
        if (e == AdvantageEstimator.RLOO && g > 1) {
          double[][] shifted = Advantages.compute(AdvantageEstimator.MEAN_SHIFTED, rewards, 0);
          for (int j = 0; j < b; j++) {
            for (int i = 0; i < g; i++) {
              assertEquals(shifted[j][i] * g / (g - 1.0), a[j][i], 1e-12);
            }
          }
        }
      }
      // GRPO is invariant to an affine change of the reward scale.
      double[][] scaled = new double[b][g];
      for (int j = 0; j < b; j++) {
        for (int i = 0; i < g; i++) {
          scaled[j][i] = 3 * rewards[j][i] - 2;
        }
      }
      double[][] x = Advantages.compute(AdvantageEstimator.GRPO_SAMPLE_STD, rewards, 0);
      double[][] y = Advantages.compute(AdvantageEstimator.GRPO_SAMPLE_STD, scaled, 0);
      for (int j = 0; j < b; j++) {
        assertArrayEquals(x[j], y[j], 1e-12);
      }
    });
  }

  @Test
  void badInput() {
    assertThrows(IllegalArgumentException.class, () -> Advantages.compute(AdvantageEstimator.RLOO, new double[0][], 0));
    assertThrows(IllegalArgumentException.class, () -> Advantages.compute(AdvantageEstimator.RLOO, new double[][] {{}}, 0));
    assertThrows(IllegalArgumentException.class, () -> Advantages.compute(AdvantageEstimator.RLOO, new double[][] {{Double.NaN}}, 0));
    assertThrows(IllegalArgumentException.class, () -> Advantages.compute(AdvantageEstimator.RLOO, GROUP, -1));
  }
}
