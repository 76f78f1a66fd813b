package io.github.rlvrdiagnostics.djl;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import io.github.rlvrdiagnostics.api.AdvantageEstimator;
import io.github.rlvrdiagnostics.core.rollout.Advantages;
import java.util.Random;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Every loss option on a hand-computable case: a group of 4 one-token completions over a
 * 2-token vocabulary, so each rollout is one token with log-probability {@code log π} and the
 * rollout policy gave it {@code log π_old}. The expected values are worked out in each comment;
 * gradients are with respect to {@code log π}.
 */
class GrpoLossTest {
  private NDManager manager;

  @BeforeEach
  void open() {
    manager = NDManager.newBaseManager();
  }

  @AfterEach
  void close() {
    manager.close();
  }

  private static final double LN_HALF = Math.log(0.5);

  /** The loss value, its gradient wrt log π, and the result, for ratios ρ_i = exp(logp − old). */
  private record Run(double loss, float[] gradient, GrpoLoss.Result result) {}

  private Run run(GrpoConfig config, double[] ratios, double[] advantages, Consumer<Extras> extras) {
    int n = ratios.length;
    float[] old = new float[n];
    float[] now = new float[n];
    for (int i = 0; i < n; i++) {
      old[i] = (float) LN_HALF;
      now[i] = (float) (LN_HALF + Math.log(ratios[i]));
    }
    Extras e = new Extras();
    extras.accept(e);
    try (NDManager scope = manager.newSubManager()) {
      NDArray logp = scope.create(now, new Shape(n, 1)); // n sequences of one token
      logp.setRequiresGradient(true);
      NDArray oldArray = scope.create(old, new Shape(n, 1));
      NDArray mask = scope.ones(new Shape(n, 1));
      NDArray ref = e.ref == null ? null : scope.create(e.ref, new Shape(n, 1));
      NDArray entropy = e.entropy == null ? null : scope.create(e.entropy, new Shape(n, 1));
      try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
        GrpoLoss.Result r = GrpoLoss.compute(config, logp, oldArray, ref, entropy, advantages, mask,
            e.entropyCoefficient, e.lambda, new Random(1));
        gc.backward(r.loss());
        return new Run(r.loss().getFloat(), logp.getGradient().toFloatArray(), r);
      }
    }
  }

  private static final class Extras {
    float[] ref;
    float[] entropy;
    double entropyCoefficient;
    double lambda = 1.0;
  }

  private static final double[] ON_POLICY = {1, 1, 1, 1};

  @Test
  void onPolicyLossIsMinusTheMeanAdvantage() {
    // r = (1, 0, 0, 0) with the GRPO sample-std estimator: A = (1.5, −0.5, −0.5, −0.5).
    double[] a = Advantages.compute(AdvantageEstimator.GRPO_SAMPLE_STD, new double[][] {{1, 0, 0, 0}}, 0)[0];
    // ρ = 1: L_i = −A_i, token mean = −(1.5 − 1.5)/4 = 0; ∂L/∂log π_i = −A_i ρ_i / 4.
    Run r = run(GrpoConfig.builder().build(), ON_POLICY, a, x -> { });
    assertEquals(0.0, r.loss(), 1e-7);
    assertArrayEquals(new float[] {-0.375f, 0.125f, 0.125f, 0.125f}, r.gradient(), 1e-6f);
  }

  @Test
  void clippingSignConventionsForPositiveAndNegativeAdvantages() {
    double[] ratios = {1.5, 1.5, 0.5, 0.5};
    double[] a = {1, -1, -1, 1};
    // ε = 0.2:
    //  i=0, A>0, ρ=1.5: min(1.5, 1.2) = 1.2 → L = −1.2, clipped (no gradient), counted high;
    //  i=1, A<0, ρ=1.5: min(−1.5, −1.2) = −1.5 → L = 1.5, unclipped, ∂L/∂log π = −Aρ = 1.5;
    //  i=2, A<0, ρ=0.5: min(−0.5, −0.8) = −0.8 → L = 0.8, clipped, counted low;
    //  i=3, A>0, ρ=0.5: min(0.5, 0.8) = 0.5 → L = −0.5, unclipped, ∂L/∂log π = −0.5.
    // Token mean (−1.2 + 1.5 + 0.8 − 0.5)/4 = 0.15; gradient (0, 1.5, 0, −0.5)/4.
    Run r = run(GrpoConfig.builder().build(), ratios, a, x -> { });
    assertEquals(0.15, r.loss(), 1e-6);
    assertArrayEquals(new float[] {0f, 0.375f, 0f, -0.125f}, r.gradient(), 1e-6f);
    assertEquals(0.25, r.result().clipFractionLow(), 1e-12);
    assertEquals(0.25, r.result().clipFractionHigh(), 1e-12);
  }

  @Test
  void clipPresets() {
    double[] ratios = {1.5, 1.5, 0.5, 0.5};
    double[] a = {1, -1, -1, 1};
    // Clip-Higher: ε_high 0.28 → i=0 gives −1.28: (−1.28 + 1.5 + 0.8 − 0.5)/4 = 0.13.
    assertEquals(0.13, run(GrpoConfig.builder().clip(GrpoConfig.ClipPreset.HIGHER).build(), ratios, a, x -> { }).loss(), 1e-6);
    // Clip-Lower: ε_low 0.28 → i=2 gives min(−0.5, −0.72) → 0.72: (−1.2 + 1.5 + 0.72 − 0.5)/4 = 0.13.
    assertEquals(0.13, run(GrpoConfig.builder().clip(GrpoConfig.ClipPreset.LOWER).build(), ratios, a, x -> { }).loss(), 1e-6);
    // Clip-Tighter: ε_low 0.12 → i=2 gives 0.88: (−1.2 + 1.5 + 0.88 − 0.5)/4 = 0.17.
    assertEquals(0.17, run(GrpoConfig.builder().clip(GrpoConfig.ClipPreset.TIGHTER).build(), ratios, a, x -> { }).loss(), 1e-6);
    // Clip-Free: L = −ρA = (−1.5, 1.5, 0.5, −0.5) → mean 0; every token has gradient −Aρ/4.
    Run free = run(GrpoConfig.builder().clip(GrpoConfig.ClipPreset.FREE).build(), ratios, a, x -> { });
    assertEquals(0.0, free.loss(), 1e-6);
    assertArrayEquals(new float[] {-0.375f, 0.375f, 0.125f, -0.125f}, free.gradient(), 1e-6f);
    assertEquals(0.0, free.result().clipFractionHigh());
  }

  @Test
  void inverseSuccessCalibrationScalesThePositiveAdvantage() {
    double[][] rewards = {{1, 0, 0, 0}};
    double[] plain = Advantages.compute(AdvantageEstimator.GRPO_SAMPLE_STD, rewards, 0)[0];
    double[] iac = Advantages.inverseSuccessCalibration(new double[][] {plain}, rewards, 1.0)[0];
    // One pass in four: the positive advantage 1.5 becomes 1.5 · (1/4)^(−1) = 6.
    // On-policy loss −(6 − 1.5)/4 = −1.125; the passing token's gradient −6/4.
    Run r = run(GrpoConfig.builder().build(), ON_POLICY, iac, x -> { });
    assertEquals(-1.125, r.loss(), 1e-6);
    assertArrayEquals(new float[] {-1.5f, 0.125f, 0.125f, 0.125f}, r.gradient(), 1e-6f);
  }

  @Test
  void k3KlToTheReference() {
    // log π_ref = log π + ln 2: k3 = e^{ln 2} − ln 2 − 1 = 0.30685 per token; β = 0.1 adds 0.030685.
    // ∂k3/∂log π = −e^{d} + 1 = −1 per token, times β/4 = −0.025.
    float[] ref = new float[4];
    java.util.Arrays.fill(ref, (float) (LN_HALF + Math.log(2)));
    double[] zero = new double[4];
    Run r = run(GrpoConfig.builder().klBeta(0.1).build(), ON_POLICY, zero, x -> x.ref = ref);
    assertEquals(0.1 * (1 - Math.log(2)), r.loss(), 1e-6);
    assertEquals(1 - Math.log(2), r.result().kl(), 1e-6);
    assertArrayEquals(new float[] {-0.025f, -0.025f, -0.025f, -0.025f}, r.gradient(), 1e-6f);
    assertThrows(IllegalArgumentException.class, () -> run(GrpoConfig.builder().klBeta(0.1).build(), ON_POLICY, zero, x -> { }));
  }

  @Test
  void entropyBonusLowersTheLoss() {
    // H = ln 2 per token, c = 0.1: loss −0.1·ln 2 with zero advantages.
    float[] h = new float[4];
    java.util.Arrays.fill(h, (float) Math.log(2));
    Run r = run(GrpoConfig.builder().build(), ON_POLICY, new double[4], x -> {
      x.entropy = h;
      x.entropyCoefficient = 0.1;
    });
    assertEquals(-0.1 * Math.log(2), r.loss(), 1e-6);
  }

  @Test
  void positiveAdvantageReweightingScalesOnlyPositiveTokens() {
    double[] a = {1.5, -0.5, -0.5, -0.5};
    // λ = 0.5: L = (−0.75, 0.5, 0.5, 0.5) → mean 0.1875; the positive token's gradient halves.
    Run r = run(GrpoConfig.builder().build(), ON_POLICY, a, x -> x.lambda = 0.5);
    assertEquals(0.1875, r.loss(), 1e-6);
    assertArrayEquals(new float[] {-0.1875f, 0.125f, 0.125f, 0.125f}, r.gradient(), 1e-6f);
  }

  @Test
  void randPosClipZeroesPositiveGradientsButKeepsTheValue() {
    double[] a = {1.5, -0.5, -0.5, -0.5};
    Run r = run(GrpoConfig.builder().randPosClip(1.0).build(), ON_POLICY, a, x -> { });
    assertEquals(0.0, r.loss(), 1e-7);
    assertArrayEquals(new float[] {0f, 0.125f, 0.125f, 0.125f}, r.gradient(), 1e-6f);
    assertEquals(1, r.result().gradientZeroed());
  }

  @Test
  void clipCovAndKlCovActOnHighCovarianceTokens() {
    // log π = ln 0.5 + ln ρ with ρ = (4, 1, 1, 1): mean log π = ln 0.5 + ln 4/4; A = (1.5, −.5, −.5, −.5), mean 0.
    // cov_0 = 1.5 · (3/4 · ln 4) = 1.5597; cov_i = −0.5 · (−ln 4 / 4) = 0.1733 for i = 1..3.
    double[] ratios = {4, 1, 1, 1};
    double[] a = {1.5, -0.5, -0.5, -0.5};
    // Clip-Cov with bounds (1, 5): only token 0 qualifies; max(1, ⌊0.5·4⌋) = 2 > 1 candidate → token 0 only.
    Run clipCov = run(GrpoConfig.builder().clip(GrpoConfig.ClipPreset.FREE).clipCov(0.5, 1, 5).build(), ratios, a, x -> { });
    assertEquals(1, clipCov.result().gradientZeroed());
    assertEquals(0f, clipCov.gradient()[0], 0f + 1e-9f);
    assertEquals(0.125f, clipCov.gradient()[1], 1e-6f);
    // KL-Cov, top ⌊0.25·4⌋ = 1 token by covariance (token 0) gets k·|log π − log π_old| = 2·ln 4 added, /4.
    Run free = run(GrpoConfig.builder().clip(GrpoConfig.ClipPreset.FREE).build(), ratios, a, x -> { });
    Run klCov = run(GrpoConfig.builder().clip(GrpoConfig.ClipPreset.FREE).klCov(0.25, 2.0).build(), ratios, a, x -> { });
    assertEquals(1, klCov.result().klCovTokens());
    assertEquals(free.loss() + 2 * Math.log(4) / 4, klCov.loss(), 1e-5);
    assertEquals(free.gradient()[0] + 2f / 4, klCov.gradient()[0], 1e-5f);
  }

  @Test
  void aggregationModes() {
    // Two sequences of widths 2 and 1 (mask 1 1 / 1 0), on-policy, A = (1, −1): token losses (−1, −1 | 1).
    try (NDManager scope = manager.newSubManager()) {
      NDArray logp = scope.full(new Shape(2, 2), (float) LN_HALF);
      NDArray mask = scope.create(new float[] {1, 1, 1, 0}, new Shape(2, 2));
      double[] a = {1, -1};
      double[] expected = {
        (-1 - 1 + 1) / 3.0, // TOKEN_MEAN
        (-2 + 1) / 2.0, // SEQ_MEAN_TOKEN_SUM
        (-1 + 1) / 2.0, // SEQ_MEAN_TOKEN_MEAN
        (-2 / 2.0 + 1 / 2.0) / 2.0 // SEQ_MEAN_TOKEN_SUM_NORM (budget 2)
      };
      GrpoConfig.LossAggregation[] modes = GrpoConfig.LossAggregation.values();
      for (int i = 0; i < modes.length; i++) {
        GrpoLoss.Result r = GrpoLoss.compute(GrpoConfig.builder().aggregation(modes[i]).build(), logp, logp, null, null,
            a, mask, 0, 1, new Random(1));
        assertEquals(expected[i], r.loss().getFloat(), 1e-6, modes[i].toString());
      }
    }
  }

  @Test
  void configurationRejectsBadValues() {
    // The library's one group-size rule is G >= 1 (a group of one is degenerate, not invalid).
    assertThrows(IllegalArgumentException.class, () -> GrpoConfig.builder().groupSize(0));
    assertEquals(1, GrpoConfig.builder().groupSize(1).build().sampling().groupSize());
    assertThrows(IllegalArgumentException.class, () -> GrpoConfig.builder().temperature(Double.NaN));
    assertThrows(IllegalArgumentException.class, () -> GrpoConfig.builder().clip(1.2, 0.2));
    assertThrows(IllegalArgumentException.class, () -> GrpoConfig.builder().randPosClip(1.5));
    assertThrows(IllegalArgumentException.class, () -> GrpoConfig.builder().adaptiveEntropy(0.1, 0.2, 0.01, 0.2, 0.3));
    assertThrows(IllegalArgumentException.class, () -> GrpoConfig.builder().clipCov(0.1, 5, 1));
    assertThrows(IllegalArgumentException.class,
        () -> GrpoConfig.builder().positiveAdvantageReweighting(GrpoConfig.ParSchedule.EPOCH, 1, 0.2, 0.05));
  }
}
