package io.github.rlvrdiagnostics.core.entropy;

import io.github.rlvrdiagnostics.core.RlvrDiagnostics;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.rlvrdiagnostics.api.Aggregation;
import io.github.rlvrdiagnostics.api.EntropySummary;
import io.github.rlvrdiagnostics.api.SamplingConfig;
import org.junit.jupiter.api.Test;

/** Hand-computed cases, masked helpers, the EMA and every bad input. */
class EntropiesTest {
  private static final SamplingConfig T1 = SamplingConfig.DEFAULT;

  /** {@code −Σ p ln p} of an explicit distribution. */
  private static double h(double... p) {
    double s = 0;
    for (double v : p) {
      s -= v > 0 ? v * Math.log(v) : 0;
    }
    return s;
  }

  @Test
  void handComputedDistributions() {
    // logits (ln 1, ln 2, ln 3, ln 4): p = (0.1, 0.2, 0.3, 0.4).
    float[] logits = {0f, (float) Math.log(2), (float) Math.log(3), (float) Math.log(4)};
    assertEquals(h(0.1, 0.2, 0.3, 0.4), Entropies.entropy(logits, T1), 1e-7);
    // Top-k 2 keeps (0.3, 0.4) → (3/7, 4/7); top-p 0.5 keeps 0.4 then 0.3 (mass before 0.4 < 0.5).
    assertEquals(h(3.0 / 7, 4.0 / 7), Entropies.entropy(logits, T1.withTopK(2)), 1e-7);
    assertEquals(h(3.0 / 7, 4.0 / 7), Entropies.entropy(logits, T1.withTopP(0.5)), 1e-7);
    assertEquals(0.0, Entropies.entropy(logits, T1.withTopP(0.35)), 1e-12);
    // Temperature 1/2 squares the odds: p ∝ (1, 4, 9, 16).
    assertEquals(h(1 / 30.0, 4 / 30.0, 9 / 30.0, 16 / 30.0), Entropies.entropy(logits, SamplingConfig.ofTemperature(0.5)), 1e-6);
  }

  @Test
  void maskedAggregateAndPerSequence() {
    float[][] seq = {{0f, 0f}, {0f, 0f, 0f, 0f}, {5f, -5f}};
    boolean[] mask = {true, true, false};
    assertEquals((Math.log(2) + Math.log(4)) / 2, Entropies.maskedAggregate(seq, mask, T1, Aggregation.MEAN), 1e-12);
    assertEquals(Math.log(2), Entropies.maskedAggregate(seq, mask, T1, Aggregation.MIN), 1e-12);
    float[][] padded = {{0f, 0f}, {Float.NaN, 1f}}; // padding may hold anything
    assertArrayEquals(new double[] {(Math.log(2) + Math.log(4)) / 2, Math.log(2)},
        Entropies.perSequence(new float[][][] {seq, padded}, new boolean[][] {mask, {true, false}}, T1, Aggregation.MEAN), 1e-12);
  }

  @Test
  void probeSummaries() {
    EntropySummary summary = RlvrDiagnostics.entropyProbe(T1).summarize(new float[][] {{0f, 0f}, {0f}});
    assertEquals(2, summary.rows());
    assertEquals(Math.log(2) / 2, summary.mean(), 1e-15);
    assertEquals(0.0, summary.min());
    assertEquals(Math.log(2), RlvrDiagnostics.entropyProbeDouble(T1).aggregate(new double[][] {{3, 3}}, Aggregation.MEAN), 1e-15);
  }

  @Test
  void emaFollowsTheRevisitingEntropyPaper() {
    EntropyEma ema = EntropyEma.create();
    assertTrue(ema.value().isEmpty());
    ema.accept(1.0);
    assertEquals(1.0, ema.value().getAsDouble());
    ema.accept(0.5); // 0.6 · 1.0 + 0.4 · 0.5
    assertEquals(0.8, ema.value().getAsDouble(), 1e-15);
    ema.accept(0.0); // 0.6 · 0.8
    assertEquals(0.48, ema.value().getAsDouble(), 1e-15);
    assertEquals(3, ema.count());
    assertThrows(IllegalArgumentException.class, () -> EntropyEma.create(1.0));
    assertThrows(IllegalArgumentException.class, () -> EntropyEma.create(Double.NaN));
    assertThrows(IllegalArgumentException.class, () -> ema.accept(-0.1));
    assertThrows(IllegalArgumentException.class, () -> ema.accept(Double.NaN));
  }

  @Test
  void badInputNamesRowAndPosition() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> Entropies.rows(new float[][] {{1f}, {0f, Float.NaN}}, T1));
    assertEquals("logits[1][1] must be finite or -Infinity, was NaN", e.getMessage());
    e = assertThrows(IllegalArgumentException.class,
        () -> Entropies.rows(new float[][] {{Float.NEGATIVE_INFINITY}}, T1));
    assertEquals("logits[0] must hold a finite logit, all are -Infinity", e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> Entropies.entropy(new float[0], T1));
    assertThrows(IllegalArgumentException.class, () -> Entropies.entropy(new double[0], T1));
    assertThrows(IllegalArgumentException.class, () -> Entropies.rows(new float[0][], T1));
    assertThrows(IllegalArgumentException.class, () -> Entropies.rows(new float[][] {{}}, T1));
    assertThrows(IllegalArgumentException.class, () -> Entropies.entropy(new float[4], 3, 2, T1));
    assertThrows(IllegalArgumentException.class, () -> Entropies.entropy(new float[4], -1, 2, T1));
    assertThrows(IllegalArgumentException.class, () -> Entropies.rows(new float[5], 2, T1));
    assertThrows(IllegalArgumentException.class, () -> Entropies.rows(new float[4], 0, T1));
    assertThrows(IllegalArgumentException.class,
        () -> Entropies.entropy(new float[] {1e30f}, SamplingConfig.ofTemperature(1e-300)));
    assertThrows(IllegalArgumentException.class,
        () -> Entropies.maskedAggregate(new float[][] {{0f}}, new boolean[] {false}, T1, Aggregation.MEAN));
    assertThrows(IllegalArgumentException.class,
        () -> Entropies.maskedAggregate(new float[][] {{0f}}, new boolean[2], T1, Aggregation.MEAN));
    assertThrows(IllegalArgumentException.class,
        () -> Entropies.perSequence(new float[][][] {{{0f}}}, new boolean[0][], T1, Aggregation.MEAN));
    assertThrows(IllegalArgumentException.class, () -> new SamplingConfig(0.0, 0, 1.0));
    assertThrows(IllegalArgumentException.class, () -> new SamplingConfig(Double.NaN, 0, 1.0));
    assertThrows(IllegalArgumentException.class, () -> new SamplingConfig(1.0, -1, 1.0));
    assertThrows(IllegalArgumentException.class, () -> new SamplingConfig(1.0, 0, 0.0));
  }
}
