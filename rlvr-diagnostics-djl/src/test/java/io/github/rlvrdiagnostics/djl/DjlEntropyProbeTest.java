package io.github.rlvrdiagnostics.djl;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import io.github.rlvrdiagnostics.api.Aggregation;
import io.github.rlvrdiagnostics.api.SamplingConfig;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The NDArray probe against a double-precision reference, on the engine's default device. */
class DjlEntropyProbeTest {
  private static NDManager manager;

  @BeforeAll
  static void open() {
    manager = NDManager.newBaseManager();
  }

  @AfterAll
  static void close() {
    manager.close();
  }

  private static float[][] randomLogits(Random random, int rows, int vocab, double scale, double maskRate) {
    float[][] logits = new float[rows][vocab];
    for (float[] row : logits) {
      for (int i = 0; i < vocab; i++) {
        row[i] = random.nextDouble() < maskRate ? Float.NEGATIVE_INFINITY : (float) (random.nextGaussian() * scale);
      }
      row[random.nextInt(vocab)] = (float) (random.nextGaussian() * scale); // never all masked
    }
    return logits;
  }

  @ParameterizedTest
  @CsvSource({
    "1.0, 0, 1.0, 3.0, 0.0",
    "0.7, 0, 1.0, 3.0, 0.3",
    "1.3, 0, 1.0, 1e-3, 0.0",
    "1.0, 50, 1.0, 3.0, 0.1",
    "1.0, 0, 0.9, 2.0, 0.0",
    "0.6, 40, 0.95, 2.0, 0.2",
    "1.0, 0, 1.0, 30.0, 0.5"
  })
  void agreesWithDoubleReference(double temperature, int topK, double topP, double scale, double maskRate) {
    Random random = new Random(7);
    float[][] logits = randomLogits(random, 6, 1000, scale, maskRate);
    SamplingConfig sampling = new SamplingConfig(temperature, topK, topP);
    double[] ours = DjlEntropyProbe.of(sampling).entropies(manager.create(logits));
    for (int r = 0; r < logits.length; r++) {
      assertEquals(Reference.entropy(logits[r], temperature, topK, topP), ours[r], 1e-5, "row " + r);
    }
  }

  @Test
  void largeVocabularyAndHugeMagnitudes() {
    Random random = new Random(11);
    float[][] logits = randomLogits(random, 2, 151_936, 4.0, 0.0);
    logits[1][5] = 1e30f; // one token takes all the mass
    double[] ours = DjlEntropyProbe.ofTemperature(1.0).entropies(manager.create(logits));
    assertEquals(Reference.entropy(logits[0], 1.0, 0, 1.0), ours[0], 1e-5);
    assertEquals(0.0, ours[1], 1e-12);
  }

  @Test
  void uniformRowsGiveLogVocab() {
    double[] h = DjlEntropyProbe.ofTemperature(0.5).entropies(manager.zeros(new Shape(3, 128)));
    for (double v : h) {
      assertEquals(Math.log(128), v, 1e-5);
    }
    assertEquals(Math.log(64), DjlEntropyProbe.of(SamplingConfig.DEFAULT.withTopK(64))
        .entropies(manager.zeros(new Shape(128)))[0], 1e-5);
  }

  @Test
  void threeDimensionalLogitsGiveOneValuePerPositionRowMajor() {
    Random random = new Random(3);
    float[][] flat = randomLogits(random, 6, 50, 2.0, 0.1);
    NDArray logits = manager.create(flat).reshape(2, 3, 50);
    double[] h = DjlEntropyProbe.ofTemperature(1.0).entropies(logits);
    assertEquals(6, h.length);
    for (int i = 0; i < 6; i++) {
      assertEquals(Reference.entropy(flat[i], 1.0, 0, 1.0), h[i], 1e-5);
    }
  }

  @Test
  void maskedAggregateIgnoresPaddingEvenWhenItIsNaN() {
    Random random = new Random(5);
    float[][] flat = randomLogits(random, 8, 40, 2.0, 0.0);
    flat[3] = new float[40];
    java.util.Arrays.fill(flat[3], Float.NaN); // sequence 0, position 3: padding
    NDArray logits = manager.create(flat).reshape(2, 4, 40);
    NDArray mask = manager.create(new boolean[] {true, true, false, false, false, true, true, true}, new Shape(2, 4));
    DjlEntropyProbe probe = DjlEntropyProbe.ofTemperature(1.0);
    double[] mean = probe.maskedAggregate(logits, mask, Aggregation.MEAN);
    double[] min = probe.maskedAggregate(logits, mask.toType(DataType.FLOAT32, false), Aggregation.MIN);
    double[] h = new double[8];
    for (int i = 0; i < 8; i++) {
      h[i] = i == 3 ? Double.NaN : Reference.entropy(flat[i], 1.0, 0, 1.0);
    }
    assertArrayEquals(new double[] {(h[0] + h[1]) / 2, (h[5] + h[6] + h[7]) / 3}, mean, 1e-5);
    assertArrayEquals(new double[] {Math.min(h[0], h[1]), Math.min(h[5], Math.min(h[6], h[7]))}, min, 1e-5);
  }

  @Test
  void badInputNamesThePosition() {
    DjlEntropyProbe probe = DjlEntropyProbe.ofTemperature(1.0);
    float[][] logits = new float[3][4];
    logits[2][1] = Float.NaN;
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> probe.entropies(manager.create(logits)));
    assertTrue(e.getMessage().startsWith("logits[2] must be finite"), e.getMessage());
    logits[2][1] = Float.POSITIVE_INFINITY;
    assertThrows(IllegalArgumentException.class, () -> probe.entropies(manager.create(logits)));
    logits[2][1] = 0f;
    java.util.Arrays.fill(logits[1], Float.NEGATIVE_INFINITY);
    e = assertThrows(IllegalArgumentException.class, () -> probe.entropies(manager.create(logits)));
    assertEquals("logits[1] must hold a finite logit, all are -Infinity", e.getMessage());
    e = assertThrows(IllegalArgumentException.class,
        () -> probe.entropies(manager.create(new int[] {1, 2})));
    assertTrue(e.getMessage().contains("floating-point"), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> probe.entropies(manager.zeros(new Shape(1, 1, 1, 2))));
    assertThrows(IllegalArgumentException.class, () -> probe.entropies(manager.zeros(new Shape(0, 5))));
    NDArray three = manager.zeros(new Shape(2, 3, 5));
    assertThrows(IllegalArgumentException.class,
        () -> probe.maskedAggregate(three, manager.ones(new Shape(2, 4)), Aggregation.MEAN));
    e = assertThrows(IllegalArgumentException.class, () -> probe.maskedAggregate(
        three, manager.create(new float[] {1, 0, 0, 0, 0, 0}, new Shape(2, 3)), Aggregation.MEAN));
    assertTrue(e.getMessage().endsWith("selects none of sequence 1"), e.getMessage());
  }
}
