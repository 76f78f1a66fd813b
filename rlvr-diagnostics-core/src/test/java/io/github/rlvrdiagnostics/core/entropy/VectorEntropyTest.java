package io.github.rlvrdiagnostics.core.entropy;

import static io.github.rlvrdiagnostics.core.Theories.qt;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.github.rlvrdiagnostics.api.SamplingConfig;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.quicktheories.generators.Generate;

/**
 * The Vector API path and the default (block) path agree with the plain pass to the 1e-6 relative
 * contract and to their proven bounds. The module's tests run with {@code --add-modules
 * jdk.incubator.vector}; without it the Vector API checks are skipped, not passed.
 */
class VectorEntropyTest {

  @Test
  void acceleratedAndPlainPathsAgree() {
    assumeTrue(Entropies.vectorized(), "jdk.incubator.vector is not in this JVM");
    qt(300).forAll(Generate.longRange(0, Long.MAX_VALUE), Generate.range(1, 5000),
            Generate.pick(List.of(1e-3, 1.0, 3.0, 30.0, 1e4, 1e30)), Generate.pick(List.of(0.0, 0.3, 0.99)))
        .checkAssert((seed, vocab, scale, mask) -> {
          float[] row = EntropyProbeContract.random(seed, 1, vocab, scale, mask)[0];
          for (double t : new double[] {0.05, 0.7, 1.0, 9.0}) {
            SamplingConfig sampling = SamplingConfig.ofTemperature(t);
            double plain = Entropies.scalarEntropy(row, sampling);
            double fast = Entropies.entropy(row, sampling);
            double block = Entropies.entropyWithoutVectorApi(row, sampling);
            assertEquals(plain, fast, FastEntropyAccuracyTest.contract(plain), "vocab " + vocab + " T " + t);
            assertEquals(plain, block, FastEntropyAccuracyTest.contract(plain), "vocab " + vocab + " T " + t);
            // The proven bounds (2.1e-8 and 1e-9 of H), not only the contract.
            assertEquals(plain, fast, 2.2e-8 * plain + 1e-14, "Vector API path within its bound");
            assertEquals(plain, block, 1.1e-9 * plain + 1e-14, "plain-Java path within its bound");
          }
        });
  }

  @Test
  void badRowsAreStillReportedPrecisely() {
    assumeTrue(Entropies.vectorized(), "jdk.incubator.vector is not in this JVM");
    float[] row = new float[100];
    row[57] = Float.NaN;
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> Entropies.entropy(row, SamplingConfig.DEFAULT));
    assertEquals("logits[57] must be finite or -Infinity, was NaN", e.getMessage());
    java.util.Arrays.fill(row, Float.NEGATIVE_INFINITY);
    assertThrows(IllegalArgumentException.class, () -> Entropies.entropy(row, SamplingConfig.DEFAULT));
    row[3] = Float.POSITIVE_INFINITY;
    assertThrows(IllegalArgumentException.class, () -> Entropies.entropy(row, SamplingConfig.DEFAULT));
  }

  @Test
  void largeBatchesSpreadOverCoresGiveTheSameRows() {
    float[][] batch = EntropyProbeContract.random(9, 16, 100_000, 3.0, 0.1); // 1.6M logits: the parallel path
    double[] together = Entropies.rows(batch, SamplingConfig.DEFAULT);
    for (int r = 0; r < batch.length; r++) {
      assertEquals(Entropies.entropy(batch[r], SamplingConfig.DEFAULT), together[r], 0.0);
    }
    assertTrue(together.length == 16);
  }
}
