package io.github.rlvrdiagnostics.djl;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

/**
 * The schedules of <em>Revisiting Entropy in Reinforcement Learning for Large Reasoning Models</em>
 * (§3.2 and §7.3) and DLC's calibrated logits, on hand-computed values.
 */
class SchedulesTest {

  @Test
  void stageBasedParIsZeroThenLinear() {
    // 100 planned steps: λ = 0 up to step 50, then (s − 50)/50.
    assertEquals(0.0, Schedules.parStage(1, 100));
    assertEquals(0.0, Schedules.parStage(50, 100));
    assertEquals(0.5, Schedules.parStage(75, 100), 1e-15);
    assertEquals(1.0, Schedules.parStage(100, 100), 1e-15);
    assertEquals(1.0, Schedules.parStage(130, 100), 1e-15);
  }

  @Test
  void epochWiseParIsEOverEMinusOne() {
    // 4 epochs of 25 steps: λ = 0, 1/3, 2/3, 1.
    assertEquals(0.0, Schedules.parEpoch(1, 100, 4));
    assertEquals(0.0, Schedules.parEpoch(25, 100, 4));
    assertEquals(1.0 / 3, Schedules.parEpoch(26, 100, 4), 1e-15);
    assertEquals(2.0 / 3, Schedules.parEpoch(75, 100, 4), 1e-15);
    assertEquals(1.0, Schedules.parEpoch(100, 100, 4), 1e-15);
  }

  @Test
  void entropyGuidedParMovesTowardsTheTarget() {
    // H_tgt = 0.2, Δ = 0.05: above the target λ grows, below it shrinks, clamped to [0, 1].
    assertEquals(0.55, Schedules.parEntropyGuided(0.5, 0.3, 0.2, 0.05), 1e-15);
    assertEquals(0.45, Schedules.parEntropyGuided(0.5, 0.1, 0.2, 0.05), 1e-15);
    assertEquals(1.0, Schedules.parEntropyGuided(0.98, 0.3, 0.2, 0.05), 1e-15);
    assertEquals(0.0, Schedules.parEntropyGuided(0.02, 0.1, 0.2, 0.05), 1e-15);
  }

  @Test
  void adaptiveEntropyCoefficient() {
    // Below the target: applied, and raised by Δ; above: not applied, lowered by Δ; clamped.
    assertEquals(0.01, Schedules.adaptiveEntropyInForce(0.01, 0.1, 0.2));
    assertEquals(0.0, Schedules.adaptiveEntropyInForce(0.01, 0.3, 0.2));
    assertEquals(0.011, Schedules.adaptiveEntropy(0.01, 0.1, 0.2, 0.001, 0, 0.05), 1e-15);
    assertEquals(0.009, Schedules.adaptiveEntropy(0.01, 0.3, 0.2, 0.001, 0, 0.05), 1e-15);
    assertEquals(0.05, Schedules.adaptiveEntropy(0.0499, 0.1, 0.2, 0.001, 0, 0.05), 1e-15);
    assertEquals(0.0, Schedules.adaptiveEntropy(0.0005, 0.3, 0.2, 0.001, 0, 0.05), 1e-15);
  }

  @Test
  void distributionLevelCalibrationSubtractsScaledMemoryLogits() {
    // z = (2, 0), memory (3, −1), β = 0.5: (2 − 1.5, 0 + 0.5) = (0.5, 0.5): the remembered mode loses its lead.
    assertArrayEquals(new float[] {0.5f, 0.5f}, Schedules.calibrated(new float[] {2, 0}, new float[] {3, -1}, 0.5), 1e-6f);
    assertThrows(IllegalArgumentException.class, () -> Schedules.calibrated(new float[2], new float[3], 1));
  }
}
