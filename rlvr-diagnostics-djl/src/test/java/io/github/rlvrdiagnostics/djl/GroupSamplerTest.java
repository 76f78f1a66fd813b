package io.github.rlvrdiagnostics.djl;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.rlvrdiagnostics.api.SamplingConfig;
import io.github.rlvrdiagnostics.core.entropy.Entropies;
import io.github.rlvrdiagnostics.core.entropy.Truncation;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The sampler draws from the tokens that core {@link Truncation} keeps, in proportion to their
 * probabilities, and that kept set is the one whose entropy core {@link Entropies} reports: one
 * truncation rule for the sampler and the probes.
 */
class GroupSamplerTest {
  private static final float[] LOGITS = {
    (float) Math.log(0.5), (float) Math.log(0.25), (float) Math.log(0.15), (float) Math.log(0.1)
  };

  @Test
  void nucleusSamplingDrawsOnlyTheKeptTokensInProportion() {
    // topP 0.7: the mass before token 2 is 0.75 ≥ 0.7, so tokens 0 and 1 are kept (2 : 1).
    SamplingConfig sampling = new SamplingConfig(1.0, 0, 0.7);
    assertArrayEquals(new int[] {0, 1}, Truncation.keptTokens(LOGITS, sampling));
    GroupSampler sampler = new GroupSampler(sampling, new Random(1), null);
    int[] counts = new int[LOGITS.length];
    int draws = 30_000;
    for (int i = 0; i < draws; i++) {
      counts[sampler.sampleToken(LOGITS)]++;
    }
    assertEquals(0, counts[2] + counts[3]);
    // Renormalised: 2/3 and 1/3; 30,000 draws put the binomial sd at 0.0027.
    assertEquals(2.0 / 3, counts[0] / (double) draws, 0.015);
  }

  @Test
  void withoutTruncationEveryTokenIsDrawnInProportion() {
    GroupSampler sampler = new GroupSampler(SamplingConfig.DEFAULT, new Random(2), null);
    int[] counts = new int[LOGITS.length];
    int draws = 40_000;
    for (int i = 0; i < draws; i++) {
      counts[sampler.sampleToken(LOGITS)]++;
    }
    double[] expected = {0.5, 0.25, 0.15, 0.1};
    for (int k = 0; k < expected.length; k++) {
      assertEquals(expected[k], counts[k] / (double) draws, 0.015, "token " + k);
    }
  }

  @Test
  void temperatureChangesTheNucleus() {
    // At T = 0.5 the probabilities are ∝ p²: 0.25, 0.0625, 0.0225, 0.01 → 0.725, 0.181, ...; topP 0.7 keeps token 0 only.
    assertArrayEquals(new int[] {0}, Truncation.keptTokens(LOGITS, new SamplingConfig(0.5, 0, 0.7)));
    GroupSampler cold = new GroupSampler(new SamplingConfig(0.5, 0, 0.7), new Random(3), null);
    for (int i = 0; i < 100; i++) {
      assertEquals(0, cold.sampleToken(LOGITS));
    }
  }

  @Test
  void theKeptSetIsTheOneWhoseEntropyTheProbeReports() {
    Random random = new Random(4);
    for (int trial = 0; trial < 500; trial++) {
      int vocab = 1 + random.nextInt(40);
      double[] logits = new double[vocab];
      for (int i = 0; i < vocab; i++) {
        logits[i] = random.nextInt(5) == 0 ? Double.NEGATIVE_INFINITY : 4 * random.nextGaussian();
        if (random.nextInt(6) == 0 && i > 0) {
          logits[i] = logits[i - 1]; // ties on purpose
        }
      }
      logits[random.nextInt(vocab)] = random.nextGaussian(); // at least one finite logit
      SamplingConfig sampling = new SamplingConfig(0.3 + 2 * random.nextDouble(), random.nextInt(vocab + 2),
          random.nextBoolean() ? 1.0 : 0.05 + 0.95 * random.nextDouble());
      int[] kept = Truncation.keptTokens(logits, sampling);
      assertEquals(Entropies.entropy(logits, sampling), entropyOf(logits, kept, sampling.temperature()), 1e-9,
          "trial " + trial + ", " + sampling);
      for (int i = 1; i < kept.length; i++) {
        assertTrue(kept[i - 1] < kept[i], "kept ids must be increasing");
      }
      for (int k : kept) {
        assertTrue(logits[k] > Double.NEGATIVE_INFINITY, "a -Infinity logit was kept");
      }
    }
  }

  @Test
  void truncationSpecialCases() {
    SamplingConfig top2 = new SamplingConfig(1.0, 2, 1.0);
    // Ties: the lower ids are kept.
    assertArrayEquals(new int[] {0, 1}, Truncation.keptTokens(new double[] {1, 1, 1, 0}, top2));
    assertArrayEquals(new int[] {1, 3}, Truncation.keptTokens(new double[] {0, 2, 1, 2}, top2));
    // -Infinity is never kept, even when top-k asks for more tokens than are finite.
    assertArrayEquals(new int[] {1}, Truncation.keptTokens(new double[] {Double.NEGATIVE_INFINITY, 0}, top2));
    // topP = 1 keeps every finite token, even ones whose mass rounds away.
    assertArrayEquals(new int[] {0, 1}, Truncation.keptTokens(new double[] {0, -800}, SamplingConfig.DEFAULT));
    // The most probable token is always kept.
    assertArrayEquals(new int[] {2}, Truncation.keptTokens(new double[] {0, 0, 5}, new SamplingConfig(1.0, 0, 1e-9)));
    assertThrows(IllegalArgumentException.class, () -> Truncation.keptTokens(new double[0], SamplingConfig.DEFAULT));
    IllegalArgumentException nan = assertThrows(IllegalArgumentException.class,
        () -> Truncation.keptTokens(new float[] {0, Float.NaN}, SamplingConfig.DEFAULT));
    assertTrue(nan.getMessage().startsWith("logits[1] "), nan.getMessage());
    assertThrows(IllegalArgumentException.class,
        () -> Truncation.keptTokens(new double[] {Double.NEGATIVE_INFINITY}, SamplingConfig.DEFAULT));
    assertThrows(IllegalArgumentException.class,
        () -> Truncation.keptTokens(new double[] {Double.MAX_VALUE}, new SamplingConfig(0.5, 0, 1.0)));
  }

  /** The entropy of softmax(x/T) over the kept tokens only, directly. */
  private static double entropyOf(double[] logits, int[] kept, double temperature) {
    double max = Double.NEGATIVE_INFINITY;
    for (int k : kept) {
      max = Math.max(max, logits[k] / temperature);
    }
    double sum = 0;
    for (int k : kept) {
      sum += Math.exp(logits[k] / temperature - max);
    }
    double h = 0;
    for (int k : kept) {
      double p = Math.exp(logits[k] / temperature - max) / sum;
      h -= p > 0 ? p * Math.log(p) : 0;
    }
    return Math.max(0.0, h);
  }
}
