package io.github.rlvrdiagnostics.core.entropy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.github.rlvrdiagnostics.api.SamplingConfig;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The contract every {@code EntropyProbe} implementation honours, run against each of them (the
 * core probe here, the DJL probe on CPU and GPU in the djl module): subclasses say how to turn
 * {@code [rows][vocab]} float logits into one entropy per row. Results must agree with the
 * double-precision reference to {@link #tolerance()}.
 */
public abstract class EntropyProbeContract {

  /** The implementation under test: one entropy per row of {@code logits}. */
  protected abstract double[] entropies(float[][] logits, SamplingConfig sampling);

  /** The agreement required with the reference, in nats. */
  protected double tolerance() {
    return 1e-5;
  }

  private void assertRows(float[][] logits, SamplingConfig sampling) {
    double[] actual = entropies(logits, sampling);
    assertEquals(logits.length, actual.length);
    for (int r = 0; r < logits.length; r++) {
      assertEquals(ReferenceEntropy.of(logits[r], sampling), actual[r], tolerance(), "row " + r + " " + sampling);
    }
  }

  static float[][] random(long seed, int rows, int vocab, double scale, double maskRate) {
    Random random = new Random(seed);
    float[][] logits = new float[rows][vocab];
    for (float[] row : logits) {
      for (int i = 0; i < vocab; i++) {
        row[i] = random.nextDouble() < maskRate ? Float.NEGATIVE_INFINITY : (float) (random.nextGaussian() * scale);
      }
      row[random.nextInt(vocab)] = (float) (random.nextGaussian() * scale);
    }
    return logits;
  }

  @Test
  public void uniformRowsHaveLogVocabNats() {
    float[][] logits = new float[3][];
    logits[0] = new float[1];
    logits[1] = new float[2];
    logits[2] = new float[1000];
    Arrays.fill(logits[2], 7.5f);
    double[] h = entropies(logits, SamplingConfig.ofTemperature(0.3));
    assertEquals(0.0, h[0], tolerance());
    assertEquals(Math.log(2), h[1], tolerance());
    assertEquals(Math.log(1000), h[2], tolerance());
  }

  @Test
  public void maskedTokensContributeNothing() {
    float[][] logits = {{1f, Float.NEGATIVE_INFINITY, 2f, Float.NEGATIVE_INFINITY}, {1f, 2f}};
    double[] h = entropies(logits, SamplingConfig.DEFAULT);
    assertEquals(h[1], h[0], tolerance());
  }

  @Test
  public void randomLogitsAtSeveralTemperatures() {
    for (double t : new double[] {0.1, 0.6, 1.0, 2.5}) {
      assertRows(random(1, 4, 3000, 3.0, 0.2), SamplingConfig.ofTemperature(t));
    }
  }

  @Test
  public void hugeMagnitudes() {
    float[][] logits = random(2, 3, 500, 1e30, 0.0);
    logits[2] = new float[] {1e30f, 0f, -1e30f, 1e30f};
    assertRows(logits, SamplingConfig.DEFAULT);
    assertEquals(Math.log(2), entropies(new float[][] {logits[2]}, SamplingConfig.DEFAULT)[0], tolerance());
  }

  @Test
  public void largeVocabulary() {
    assertRows(random(3, 2, 151_936, 4.0, 0.0), SamplingConfig.ofTemperature(0.7));
  }

  @Test
  public void topKAndTopP() {
    float[][] logits = random(4, 4, 2000, 2.0, 0.1);
    assertRows(logits, SamplingConfig.DEFAULT.withTopK(50));
    assertRows(logits, SamplingConfig.DEFAULT.withTopP(0.9));
    assertRows(logits, new SamplingConfig(0.6, 40, 0.95));
    double[] one = entropies(logits, SamplingConfig.DEFAULT.withTopK(1));
    for (double h : one) {
      assertEquals(0.0, h, tolerance());
    }
  }

  @Test
  public void badLogitsAreRejected() {
    assertThrows(IllegalArgumentException.class, () -> entropies(new float[][] {{1f, Float.NaN}}, SamplingConfig.DEFAULT));
    assertThrows(IllegalArgumentException.class,
        () -> entropies(new float[][] {{1f}, {Float.POSITIVE_INFINITY}}, SamplingConfig.DEFAULT));
    assertThrows(IllegalArgumentException.class,
        () -> entropies(new float[][] {{Float.NEGATIVE_INFINITY, Float.NEGATIVE_INFINITY}}, SamplingConfig.DEFAULT));
  }
}
