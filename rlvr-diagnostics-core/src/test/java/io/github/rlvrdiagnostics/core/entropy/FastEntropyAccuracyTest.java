package io.github.rlvrdiagnostics.core.entropy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.github.rlvrdiagnostics.api.SamplingConfig;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The two fast paths ({@link VectorEntropy}, {@link BlockEntropy}) against the exact
 * {@link ReferenceEntropy} on rows built to hurt them. The contract is 1e-6 relative; each path is
 * also held to its proven bound (2.1e-8 and 1e-9 of {@code H}, with room for rounding), so a
 * broken polynomial fails here even where it would still meet the contract. Below an entropy of
 * about 1e-8 nats the contract has an absolute floor, {@link #ABSOLUTE_FLOOR}.
 */
class FastEntropyAccuracyTest {
  private static final double[] INVERSE_TEMPERATURES = {1.0, 1 / 0.7, 1 / 0.05, 1 / 9.0};
  /**
   * The absolute floor of the contract: every path rounds {@code S = Σ e^{x−m} ≈ 1} to a double,
   * so a nearly one-hot row (entropy below about 1e-8) keeps an absolute error of a few 1e-16 in
   * {@code log S}, whatever the {@code exp}.
   */
  static final double ABSOLUTE_FLOOR = 1e-14;
  /** The agreement the contract asks of a fast path with the exact entropy {@code h}. */
  static double contract(double h) {
    return 1e-6 * h + ABSOLUTE_FLOOR;
  }

  /** Rows whose entropy is at least this are held to the relative bound alone. */
  static final double RELATIVE_FROM = 1e-8;

  /** Adversarial rows, by name. */
  static Map<String, float[]> adversarialRows() {
    Map<String, float[]> rows = new LinkedHashMap<>();
    Random random = new Random(14);
    float[] tied = new float[1000];
    Arrays.fill(tied, 7.5f);
    rows.put("all tied at the maximum", tied);
    float[] tiedPairs = gaussian(random, 3000, 2.0);
    for (int i = 0; i < tiedPairs.length; i += 97) {
      tiedPairs[i] = 9f; // 31 tokens tied at the maximum
    }
    rows.put("31 ties at the maximum", tiedPairs);
    rows.put("scale 1e30", gaussian(random, 5000, 1e30));
    float[] edge = new float[4099];
    float[] edgeValues = {0f, -700f, -740f, -744f, -745.5f, -1e30f, -20f};
    for (int i = 0; i < edge.length; i++) {
      edge[i] = edgeValues[i % edgeValues.length];
    }
    rows.put("terms at the underflow edge", edge);
    float[] wide = new float[4096];
    for (int i = 0; i < wide.length; i++) {
      wide[i] = (float) (-800 * random.nextDouble());
    }
    wide[77] = 0f;
    rows.put("uniform in [-800, 0]", wide);
    float[] spans = new float[10_000];
    for (int i = 0; i < spans.length; i++) {
      spans[i] = (float) ((i / 1024 % 2 == 0 ? -300 : -30) * random.nextDouble());
    }
    rows.put("blocks alternately wider and narrower than 256", spans);
    float[] nearlyUniform = new float[5000];
    for (int i = 0; i < nearlyUniform.length; i++) {
      nearlyUniform[i] = (float) (5 + 1e-6 * random.nextGaussian());
    }
    rows.put("nearly uniform at 5", nearlyUniform);
    float[] tinyUniform = gaussian(random, 5000, 1e-30);
    rows.put("nearly uniform at 0", tinyUniform);
    rows.put("nearly one-hot, others in [-100, -30]", oneHot(random, 5000, -100, -30));
    rows.put("nearly one-hot, others in [-90, -75]", oneHot(random, 5000, -90, -75));
    rows.put("nearly one-hot, others in [-740, -700]", oneHot(random, 2000, -740, -700));
    float[] masked = EntropyProbeContract.random(15, 1, 20_000, 3.0, 0.99)[0];
    rows.put("99% masked", masked);
    float[] maskedBlocks = gaussian(random, 9000, 3.0);
    Arrays.fill(maskedBlocks, 0, 5000, Float.NEGATIVE_INFINITY);
    rows.put("masked whole blocks", maskedBlocks);
    float[] single = new float[3000];
    Arrays.fill(single, Float.NEGATIVE_INFINITY);
    single[2999] = -4f;
    rows.put("one finite logit, last", single);
    float[] ascending = new float[20_000];
    float[] descending = new float[20_000];
    for (int i = 0; i < ascending.length; i++) {
      ascending[i] = i * 1e-3f;
      descending[i] = -i * 1e-3f;
    }
    rows.put("ascending", ascending);
    rows.put("descending", descending);
    rows.put("vocab 262,144, N(0, 3^2)", gaussian(random, 262_144, 3.0));
    rows.put("vocab 262,144, nearly one-hot", oneHot(random, 262_144, -60, -25));
    float[] bigAscending = new float[262_144];
    for (int i = 0; i < bigAscending.length; i++) {
      bigAscending[i] = i * 1e-4f;
    }
    rows.put("vocab 262,144, ascending", bigAscending);
    return rows;
  }

  private static float[] gaussian(Random random, int vocab, double scale) {
    float[] row = new float[vocab];
    for (int i = 0; i < vocab; i++) {
      row[i] = (float) (scale * random.nextGaussian());
    }
    return row;
  }

  private static float[] oneHot(Random random, int vocab, double low, double high) {
    float[] row = new float[vocab];
    for (int i = 0; i < vocab; i++) {
      row[i] = (float) (low + (high - low) * random.nextDouble());
    }
    row[random.nextInt(vocab)] = 0f;
    return row;
  }

  /** The exact entropies of the adversarial rows, computed once (the 262,144-logit rows take seconds). */
  private static final Map<String, Double> REFERENCES = new java.util.concurrent.ConcurrentHashMap<>();

  private static double reference(String name, float[] logits, double inverseT) {
    return REFERENCES.computeIfAbsent(name + " @ " + inverseT,
        key -> ReferenceEntropy.of(logits, SamplingConfig.ofTemperature(1 / inverseT)));
  }

  /** Worst relative error of {@code path} over the adversarial rows and temperatures, checking the contract on each. */
  private static double worstRelativeError(FastPath path) {
    double worst = 0.0;
    double worstAbsolute = 0.0;
    List<String> failures = new ArrayList<>();
    for (Map.Entry<String, float[]> row : adversarialRows().entrySet()) {
      for (double inverseT : INVERSE_TEMPERATURES) {
        float[] logits = row.getValue();
        if (logits.length > 100_000 && inverseT > 2) {
          continue; // the exact reference of a 262,144-logit row takes a second: two temperatures suffice
        }
        double expected = reference(row.getKey(), logits, inverseT);
        double actual = path.entropy(logits, 0, logits.length, 1 / (1 / inverseT));
        if (Double.isNaN(actual)) {
          failures.add(row.getKey() + " at 1/T " + inverseT + ": handed back");
          continue;
        }
        double error = Math.abs(actual - expected);
        if (error > contract(expected)) {
          failures.add(row.getKey() + " at 1/T " + inverseT + ": " + actual + " vs " + expected);
        }
        if (expected >= RELATIVE_FROM) {
          worst = Math.max(worst, error / expected);
        } else {
          worstAbsolute = Math.max(worstAbsolute, error);
        }
      }
    }
    assertTrue(failures.isEmpty(), failures.toString());
    System.out.println("worst relative error (entropy ≥ " + RELATIVE_FROM + ") " + worst
        + ", worst absolute error below " + worstAbsolute);
    return worst;
  }

  interface FastPath {
    double entropy(float[] row, int offset, int length, double inverseT);
  }

  @Test
  void vectorPathMeetsItsBoundOnAdversarialRows() {
    assumeTrue(Entropies.vectorized(), "jdk.incubator.vector is not in this JVM");
    double worst = worstRelativeError(VectorEntropy::entropy);
    assertTrue(worst <= 2.2e-8, "worst relative error " + worst);
  }

  @Test
  void blockPathMeetsItsBoundOnAdversarialRows() {
    double worst = worstRelativeError(BlockEntropy::entropy);
    assertTrue(worst <= 1.1e-9, "worst relative error " + worst);
  }

  /**
   * The polynomial {@code exp} of the Vector API path over its whole range, through the kernel
   * itself: a row {@code [0, d, d, …]} of 16 logits (all on lanes, none in the scalar tail) has
   * {@code W = 15·e^d·d}, from which the term {@code e^d} the kernel used is read back.
   */
  @Test
  void vectorExpIsWithinItsBound() {
    assumeTrue(Entropies.vectorized(), "jdk.incubator.vector is not in this JVM");
    float[] row = new float[16];
    double worst = 0.0;
    for (int i = 1; i <= 760_000; i++) {
      float d = (float) (-i * 1e-3); // down to −760, past the underflow of e^d
      Arrays.fill(row, 1, row.length, d);
      EntropySums sums = new EntropySums();
      assertTrue(VectorEntropy.sum(row, 0, row.length, 1.0, sums));
      double term = sums.weighted() / (15.0 * d);
      double exact = Math.exp(d);
      if (exact >= Double.MIN_NORMAL) {
        worst = Math.max(worst, Math.abs(term - exact) / exact);
      } else {
        assertEquals(exact, term, 1e-8 * exact + 0x1p-1070, "at d = " + d); // subnormal: one rounding more
      }
    }
    assertTrue(worst <= 1.04e-8, "worst " + worst);
  }

  /** The same for the default path's {@code q(d/1024)^1024}, over the span it covers. */
  @Test
  void blockExpIsWithinItsBound() {
    float[] row = new float[16];
    double worst = 0.0;
    for (int i = 1; i <= 256_000; i++) {
      float d = (float) (-i * 1e-3); // down to −SPAN
      Arrays.fill(row, 1, row.length, d);
      EntropySums sums = new EntropySums();
      assertTrue(BlockEntropy.sum(row, 0, row.length, 1.0, sums));
      double exact = Math.exp(d);
      worst = Math.max(worst, Math.abs(sums.weighted() / (15.0 * d) - exact) / exact);
    }
    assertTrue(worst <= 4.6e-10, "worst " + worst);
  }

  @Test
  void longRowsGiveTheSameBitsForkedOrNot() {
    float[] row = EntropyProbeContract.random(17, 1, 3 * Entropies.SEGMENT + 123, 3.0, 0.01)[0];
    SamplingConfig sampling = SamplingConfig.ofTemperature(0.7);
    assertEquals(Entropies.entropyInOneThread(row, sampling, false), Entropies.entropyWithoutVectorApi(row, sampling), 0.0);
    if (Entropies.vectorized()) {
      assertEquals(Entropies.entropyInOneThread(row, sampling, true), Entropies.entropy(row, sampling), 0.0);
    }
    assertEquals(ReferenceEntropy.of(row, sampling), Entropies.entropy(row, sampling),
        contract(ReferenceEntropy.of(row, sampling)));
    row[2 * Entropies.SEGMENT + 5] = Float.NaN; // a bad logit in the third segment, named by the plain pass
    IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
        () -> Entropies.entropy(row, sampling));
    assertEquals("logits[" + (2 * Entropies.SEGMENT + 5) + "] must be finite or -Infinity, was NaN", e.getMessage());
  }

  @Test
  void fastPathsAreRepeatableBitForBit() {
    float[] row = EntropyProbeContract.random(16, 1, 5000, 3.0, 0.1)[0];
    float[] flat = new float[row.length + 3];
    System.arraycopy(row, 0, flat, 3, row.length);
    double block = BlockEntropy.entropy(row, 0, row.length, 1.0);
    double vector = Entropies.vectorized() ? VectorEntropy.entropy(row, 0, row.length, 1.0) : block;
    // Enough calls for C2 to compile both paths: the interpreted and compiled results must agree.
    for (int call = 0; call < 3000; call++) {
      assertEquals(block, BlockEntropy.entropy(flat, 3, row.length, 1.0), 0.0);
      if (Entropies.vectorized()) {
        assertEquals(vector, VectorEntropy.entropy(flat, 3, row.length, 1.0), 0.0);
      }
    }
  }
}
