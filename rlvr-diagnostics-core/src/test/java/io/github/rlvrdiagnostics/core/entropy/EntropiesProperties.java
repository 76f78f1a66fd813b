package io.github.rlvrdiagnostics.core.entropy;

import static io.github.rlvrdiagnostics.core.Theories.qt;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.rlvrdiagnostics.api.SamplingConfig;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.quicktheories.core.Gen;
import org.quicktheories.generators.Generate;

/** Laws of the one-pass entropy, against the exact-sum reference, over wide random logits. */
class EntropiesProperties {

  /** A row of logits: vocab 1..5000, scales from 1e-3 to 1e30, up to 99% of tokens masked. */
  private static Gen<float[]> rows() {
    Gen<Double> scales = Generate.pick(List.of(1e-3, 1.0, 3.0, 30.0, 1e4, 1e30));
    Gen<Double> maskRates = Generate.pick(List.of(0.0, 0.0, 0.3, 0.9, 0.99));
    Gen<Integer> vocab = Generate.range(1, 64).mix(Generate.range(65, 5000), 40);
    return Generate.longRange(0, Long.MAX_VALUE).zip(vocab, scales, maskRates,
            (seed, v, scale, mask) -> EntropyProbeContract.random(seed, 1, v, scale, mask)[0])
        .describedAs(row -> "float[" + row.length + "] " + Arrays.toString(Arrays.copyOf(row, Math.min(6, row.length))));
  }

  private static Gen<Double> temperatures() {
    return Generate.range(5, 1000).map(i -> i / 100.0);
  }

  private static Gen<SamplingConfig> samplers() {
    return temperatures().zip(Generate.pick(List.of(0, 0, 1, 5, 100)), Generate.pick(List.of(1.0, 1.0, 0.5, 0.9, 0.99)),
        SamplingConfig::new);
  }

  @Test
  void agreesWithTheExactSumReference() {
    qt(400).forAll(rows(), samplers()).checkAssert((row, sampling) -> {
      double expected = ReferenceEntropy.of(row, sampling);
      // The plain pass (and the truncated path, which is plain Java too) to rounding; the fast
      // paths to the contract.
      double plain = sampling.truncates() ? Entropies.entropy(row, sampling) : Entropies.scalarEntropy(row, sampling);
      assertEquals(expected, plain, 1e-11 + 1e-12 * expected, sampling.toString());
      assertEquals(expected, Entropies.entropy(row, sampling), FastEntropyAccuracyTest.contract(expected), sampling.toString());
      assertEquals(expected, Entropies.entropyWithoutVectorApi(row, sampling), FastEntropyAccuracyTest.contract(expected),
          sampling.toString());
    });
  }

  @Test
  void boundedByLogOfFiniteCountAndNonNegative() {
    qt().forAll(rows(), temperatures()).checkAssert((row, t) -> {
      long finite = countFinite(row);
      double h = Entropies.entropy(row, SamplingConfig.ofTemperature(t));
      assertTrue(h >= 0.0 && h <= Math.log(finite) + 1e-12, "h=" + h + " finite=" + finite);
    });
  }

  @Test
  void invariantUnderShiftAndPermutation() {
    qt(300).forAll(rows(), temperatures(), Generate.range(-1000, 1000)).checkAssert((row, t, shift) -> {
      SamplingConfig sampling = SamplingConfig.ofTemperature(t);
      double h = Entropies.entropy(row, sampling);
      double maxAbs = 0;
      for (float f : row) {
        if (Float.isFinite(f)) {
          maxAbs = Math.max(maxAbs, Math.abs(f));
        }
      }
      if (maxAbs < 1e6) { // a shift is exact in double for these; the float row is converted first
        double[] shifted = new double[row.length];
        for (int i = 0; i < row.length; i++) {
          shifted[i] = (double) row[i] + shift;
        }
        assertEquals(h, Entropies.entropy(shifted, sampling), 1e-9 * (1 + Math.abs(shift) / t) + FastEntropyAccuracyTest.contract(h));
      }
      float[] permuted = row.clone();
      shuffle(permuted, new Random(row.length));
      assertEquals(h, Entropies.entropy(permuted, sampling), 2 * FastEntropyAccuracyTest.contract(h));
    });
  }

  @Test
  void maskingATokenEqualsRemovingIt() {
    qt(300).forAll(rows(), temperatures()).checkAssert((row, t) -> {
      if (countFinite(row) < 2) {
        return;
      }
      int victim = firstFinite(row);
      float[] masked = row.clone();
      masked[victim] = Float.NEGATIVE_INFINITY;
      float[] removed = new float[row.length - 1];
      System.arraycopy(row, 0, removed, 0, victim);
      System.arraycopy(row, victim + 1, removed, victim, row.length - victim - 1);
      SamplingConfig sampling = SamplingConfig.ofTemperature(t);
      double h = Entropies.entropy(removed, sampling);
      assertEquals(h, Entropies.entropy(masked, sampling), 2 * FastEntropyAccuracyTest.contract(h));
      assertEquals(Entropies.scalarEntropy(removed, sampling), Entropies.scalarEntropy(masked, sampling), 1e-12);
    });
  }

  @Test
  void highTemperatureApproachesLogOfFiniteCount() {
    qt(200).forAll(rows()).checkAssert(row -> {
      double maxAbs = 0;
      for (float f : row) {
        if (Float.isFinite(f)) {
          maxAbs = Math.max(maxAbs, Math.abs(f));
        }
      }
      if (maxAbs < 1e4) {
        double h = Entropies.entropy(row, SamplingConfig.ofTemperature(1e9 * (1 + maxAbs)));
        assertEquals(Math.log(countFinite(row)), h, 1e-6);
      }
    });
  }

  @Test
  void floatDoubleFlatAndRowPathsAgree() {
    qt(200).forAll(rows(), samplers()).checkAssert((row, sampling) -> {
      double h = Entropies.entropy(row, sampling);
      double[] asDouble = new double[row.length];
      for (int i = 0; i < row.length; i++) {
        asDouble[i] = row[i];
      }
      // The double path is always the plain pass; the float path may be a fast one.
      assertEquals(h, Entropies.entropy(asDouble, sampling), 2 * FastEntropyAccuracyTest.contract(h));
      float[] flat = new float[row.length * 3];
      System.arraycopy(row, 0, flat, row.length, row.length);
      Arrays.fill(flat, 0, row.length, 1f);
      Arrays.fill(flat, 2 * row.length, 3 * row.length, 2f);
      assertEquals(h, Entropies.entropy(flat, row.length, row.length, sampling), 0.0);
      assertEquals(h, Entropies.rows(flat, row.length, sampling)[1], 0.0);
      assertEquals(h, Entropies.rows(new float[][] {row}, sampling)[0], 0.0);
      assertEquals(h, Entropies.rows(new double[][] {asDouble}, sampling)[0], 2 * FastEntropyAccuracyTest.contract(h));
    });
  }

  @Test
  void truncationLimits() {
    qt(200).forAll(rows(), temperatures()).checkAssert((row, t) -> {
      SamplingConfig plain = SamplingConfig.ofTemperature(t);
      double h = Entropies.entropy(row, plain);
      assertEquals(h, Entropies.entropy(row, plain.withTopK(row.length)), 2 * FastEntropyAccuracyTest.contract(h));
      assertEquals(0.0, Entropies.entropy(row, plain.withTopK(1)), 1e-12);
      assertTrue(Entropies.entropy(row, plain.withTopP(0.5)) <= h + 2 * FastEntropyAccuracyTest.contract(h));
    });
  }

  private static long countFinite(float[] row) {
    long n = 0;
    for (float f : row) {
      n += f == Float.NEGATIVE_INFINITY ? 0 : 1;
    }
    return n;
  }

  private static int firstFinite(float[] row) {
    for (int i = 0; i < row.length; i++) {
      if (row[i] != Float.NEGATIVE_INFINITY) {
        return i;
      }
    }
    throw new AssertionError("no finite logit");
  }

  private static void shuffle(float[] a, Random random) {
    for (int i = a.length - 1; i > 0; i--) {
      int j = random.nextInt(i + 1);
      float t = a[i];
      a[i] = a[j];
      a[j] = t;
    }
  }
}
