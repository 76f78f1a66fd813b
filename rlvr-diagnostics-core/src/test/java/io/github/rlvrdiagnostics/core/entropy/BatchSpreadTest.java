package io.github.rlvrdiagnostics.core.entropy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.rlvrdiagnostics.api.SamplingConfig;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** A batch large enough to spread its rows' segments over the pool gives each row's serial bits. */
class BatchSpreadTest {
  private static float[] row(int vocab, long seed) {
    Random random = new Random(seed);
    float[] row = new float[vocab];
    for (int i = 0; i < vocab; i++) {
      row[i] = (float) (3 * random.nextGaussian());
    }
    return row;
  }

  private static float[][] batch() {
    // 8 rows of Qwen's vocabulary (about 1.2M logits, past the spreading threshold), a short row
    // off the fast paths, and a row of one segment.
    float[][] rows = new float[10][];
    for (int r = 0; r < 8; r++) {
      rows[r] = row(151_936, r);
    }
    rows[8] = row(7, 8);
    rows[9] = row(Entropies.SEGMENT, 9);
    rows[3][100_000] = Float.NEGATIVE_INFINITY;
    return rows;
  }

  @Test
  void everyRowHasItsSerialBitsOnBothFastPathsAndAtSeveralTemperatures() {
    float[][] rows = batch();
    for (double t : new double[] {1.0, 0.6, 3.0}) {
      SamplingConfig sampling = SamplingConfig.ofTemperature(t);
      double[] batch = Entropies.rows(rows, sampling);
      for (int r = 0; r < rows.length; r++) {
        assertEquals(Double.doubleToLongBits(Entropies.entropyInOneThread(rows[r], sampling, Entropies.vectorized())),
            Double.doubleToLongBits(batch[r]), "row " + r + ", T = " + t);
      }
      float[] flat = new float[8 * 151_936];
      for (int r = 0; r < 8; r++) {
        System.arraycopy(rows[r], 0, flat, r * 151_936, 151_936);
      }
      assertTrue(Arrays.equals(Arrays.copyOf(batch, 8), Entropies.rows(flat, 151_936, sampling)), "flat, T = " + t);
    }
  }

  @Test
  void truncatedBatchesSpreadRowsWithTheSameBits() {
    float[][] rows = batch();
    SamplingConfig sampling = new SamplingConfig(1.0, 50, 0.9);
    double[] batch = Entropies.rows(rows, sampling);
    for (int r = 0; r < rows.length; r++) {
      assertEquals(Entropies.entropy(rows[r], sampling), batch[r], 0.0, "row " + r);
    }
  }

  @Test
  void aBadRowInASpreadBatchIsNamed() {
    float[][] rows = batch();
    rows[5][123_456] = Float.NaN;
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> Entropies.rows(rows, SamplingConfig.ofTemperature(1.0)));
    assertTrue(e.getMessage().contains("logits[5][123456]"), e.getMessage());
    float[][] masked = batch();
    Arrays.fill(masked[2], Float.NEGATIVE_INFINITY);
    e = assertThrows(IllegalArgumentException.class, () -> Entropies.rows(masked, SamplingConfig.ofTemperature(1.0)));
    assertTrue(e.getMessage().contains("logits[2]"), e.getMessage());
  }
}
