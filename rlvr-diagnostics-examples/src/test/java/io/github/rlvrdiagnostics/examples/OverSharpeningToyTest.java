package io.github.rlvrdiagnostics.examples;

import io.github.rlvrdiagnostics.djl.GrpoConfig;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Model;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import io.github.rlvrdiagnostics.api.AdvantageEstimator;
import org.junit.jupiter.api.Test;

/** The toy's setup and invariants (its findings are reported in the README, not asserted). */
class OverSharpeningToyTest {

  @Test
  void startsUniformAndStaysAProbabilityDistribution() {
    try (Model model = Model.newInstance("toy")) {
      model.setBlock(OverSharpeningToy.policy());
      model.getBlock().initialize(model.getNDManager(), DataType.FLOAT32, new Shape(1, 1));
      for (float[] row : OverSharpeningToy.probabilities(model)) {
        assertArrayEquals(new float[] {0.25f, 0.25f, 0.25f, 0.25f}, row, 1e-6f);
      }
    }
    OverSharpeningToy.Variant variant = new OverSharpeningToy.Variant("raw", 4, AdvantageEstimator.RAW,
        GrpoConfig.OptimizerKind.SGD, 0, 0);
    OverSharpeningToy.Run run = OverSharpeningToy.run(variant, 7, 20, 0.5);
    assertEquals(21, run.persianShare().length);
    assertEquals(0.5, run.persianShare()[0], 1e-6);
    for (int s = 0; s <= 20; s++) {
      assertTrue(run.persianShare()[s] >= 0 && run.persianShare()[s] <= 1);
      for (double a : run.heldOutAccuracy()[s]) {
        assertTrue(a >= 0 && a <= 1);
      }
    }
    // Rewarded labels gain mass: Cat + Persian on the training input rises from 1/2.
    assertEquals(0.5, run.rewardedMass()[0], 1e-6);
    assertTrue(run.rewardedMass()[20] > 0.6, "rewarded mass after 20 steps: " + run.rewardedMass()[20]);
    assertEquals(0.5, run.heldOutAccuracy()[0][0], 1e-6, "held-out accuracy starts at p(Cat) + p(Siamese) = 1/2");
    // Deterministic for a seed.
    assertArrayEquals(run.persianShare(), OverSharpeningToy.run(variant, 7, 20, 0.5).persianShare(), 0.0);
  }
}
