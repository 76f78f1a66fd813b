package io.github.rlvrdiagnostics.djl;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import io.github.rlvrdiagnostics.core.rollout.LogProbAdvantageCovariance;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import org.jspecify.annotations.Nullable;

/**
 * The token-level GRPO policy loss with every entropy control of {@link GrpoConfig} (docs/MATH.md
 * §5 (GRPO advantages, losses and entropy controls)).
 *
 * <p>Per response token {@code t} of sequence {@code b}, with {@code ρ = exp(log π − log π_old)}
 * and the sequence's advantage {@code A}:
 * <pre>  L_t = w_t · max(−ρA, −clip(ρ, 1−ε_low, 1+ε_high)·A)      (−ρA when clipping is off)
 *        + β·k3_t − c·H_t + k·|log π − log π_old|·[t in KL-Cov's top tokens]</pre>
 * where {@code w_t} is the Positive-Advantage Reweighting λ for {@code A > 0} (else 1), and the
 * tokens chosen by Rand-Pos-Clip and Clip-Cov keep their loss value but pass no gradient (their
 * term is detached, as verl does). The token losses are then aggregated over the response mask.
 */
final class GrpoLoss {
  private GrpoLoss() {}

  /** The batch loss and what happened inside it. */
  record Result(NDArray loss, double clipFractionLow, double clipFractionHigh, double kl,
      double covariance, int gradientZeroed, int klCovTokens) {}

  /**
   * @param logProbs {@code [B, T]} log-probabilities of the response tokens under the current
   *     policy (carrying gradient)
   * @param oldLogProbs {@code [B, T]} under the rollout policy
   * @param refLogProbs {@code [B, T]} under the reference policy, or null without KL
   * @param entropy {@code [B, T]} token entropies of the current policy, or null without a bonus
   * @param advantages one advantage per sequence
   * @param mask {@code [B, T]} 1 for response tokens, 0 for padding
   */
  static Result compute(GrpoConfig config, NDArray logProbs, NDArray oldLogProbs, @Nullable NDArray refLogProbs,
      @Nullable NDArray entropy, double[] advantages, NDArray mask, double entropyCoefficient, double parLambda,
      Random random) {
    Shape shape = logProbs.getShape();
    int batch = (int) shape.get(0);
    int width = (int) shape.get(1);
    if (advantages.length != batch) {
      throw new IllegalArgumentException("advantages must have one value per sequence (" + batch + "), was " + advantages.length);
    }
    NDManager manager = logProbs.getManager();
    GrpoConfig.Clip clip = config.clip();
    GrpoConfig.CovarianceControls controls = config.covarianceControls();
    float[] m = mask.toType(DataType.FLOAT32, false).toFloatArray();
    float[] logp = logProbs.toType(DataType.FLOAT32, false).toFloatArray();
    float[] old = oldLogProbs.toType(DataType.FLOAT32, false).toFloatArray();
    int n = batch * width;
    double tokens = 0;
    for (float v : m) {
      tokens += v;
    }
    if (!(tokens > 0)) {
      throw new IllegalArgumentException("mask must select at least one response token");
    }

    float[] a = new float[n];
    for (int b = 0; b < batch; b++) {
      for (int t = 0; t < width; t++) {
        a[b * width + t] = (float) advantages[b];
      }
    }
    // Token covariance (Cui et al.): (A − mean A)(log π − mean log π) over response tokens. The
    // means and the reported covariance come from the one definition in core; the per-token terms
    // are what Clip-Cov and KL-Cov rank tokens by.
    LogProbAdvantageCovariance covariance = LogProbAdvantageCovariance.empty();
    for (int i = 0; i < n; i++) {
      if (m[i] > 0) {
        covariance.accept(logp[i], a[i]);
      }
    }
    double meanA = covariance.meanAdvantage();
    double meanLogp = covariance.meanLogProb();
    double[] cov = new double[n];
    for (int i = 0; i < n; i++) {
      cov[i] = m[i] > 0 ? (a[i] - meanA) * (logp[i] - meanLogp) : 0;
    }

    // Tokens whose gradient is zeroed: Rand-Pos-Clip, then Clip-Cov.
    boolean[] detached = new boolean[n];
    if (controls.randPosClip()) {
      for (int i = 0; i < n; i++) {
        if (m[i] > 0 && a[i] > 0 && random.nextDouble() < controls.randPosClipFraction()) {
          detached[i] = true;
        }
      }
    }
    if (controls.clipCov()) {
      List<Integer> candidates = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        if (m[i] > 0 && cov[i] > controls.clipCovLow() && cov[i] < controls.clipCovHigh()) {
          candidates.add(i);
        }
      }
      Collections.shuffle(candidates, random);
      int take = Math.min(candidates.size(), Math.max(1, (int) Math.floor(controls.clipCovRatio() * tokens)));
      for (int j = 0; j < take; j++) {
        detached[candidates.get(j)] = true;
      }
    }
    int zeroed = 0;
    for (boolean d : detached) {
      zeroed += d ? 1 : 0;
    }
    // KL-Cov: the top ratio·N tokens by covariance.
    float[] klCovMask = new float[n];
    int klCovTokens = 0;
    if (controls.klCov()) {
      List<Integer> order = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        if (m[i] > 0) {
          order.add(i);
        }
      }
      order.sort(Comparator.comparingDouble((Integer i) -> cov[i]).reversed());
      klCovTokens = Math.min(order.size(), (int) Math.floor(controls.klCovRatio() * tokens));
      for (int j = 0; j < klCovTokens; j++) {
        klCovMask[order.get(j)] = 1;
      }
    }
    float[] weight = new float[n];
    float[] keep = new float[n];
    int clipLow = 0;
    int clipHigh = 0;
    for (int i = 0; i < n; i++) {
      weight[i] = a[i] > 0 ? (float) parLambda : 1f;
      keep[i] = detached[i] ? 0f : 1f;
      double ratio = Math.exp(logp[i] - old[i]);
      if (m[i] > 0 && clip.enabled()) {
        clipLow += a[i] < 0 && ratio < 1 - clip.low() ? 1 : 0;
        clipHigh += a[i] > 0 && ratio > 1 + clip.high() ? 1 : 0;
      }
    }

    NDArray adv = manager.create(a, shape);
    NDArray maskArray = manager.create(m, shape);
    NDArray ratio = logProbs.sub(oldLogProbs).exp();
    NDArray pg = ratio.mul(adv).neg();
    if (clip.enabled()) {
      NDArray clipped = ratio.clip(1 - clip.low(), 1 + clip.high()).mul(adv).neg();
      pg = pg.maximum(clipped);
    }
    if (zeroed > 0) {
      NDArray keepArray = manager.create(keep, shape);
      pg = pg.mul(keepArray).add(pg.stopGradient().mul(keepArray.neg().add(1f)));
    }
    NDArray tokenLoss = pg.mul(manager.create(weight, shape));
    double klMean = 0;
    if (config.klBeta() > 0) {
      if (refLogProbs == null) {
        throw new IllegalArgumentException("klBeta > 0 needs reference log-probabilities");
      }
      NDArray diff = refLogProbs.sub(logProbs);
      NDArray k3 = diff.exp().sub(diff).sub(1f);
      tokenLoss = tokenLoss.add(k3.mul((float) config.klBeta()));
      klMean = k3.mul(maskArray).sum().getFloat() / tokens;
    }
    if (entropyCoefficient > 0) {
      if (entropy == null) {
        throw new IllegalArgumentException("an entropy bonus needs token entropies");
      }
      tokenLoss = tokenLoss.sub(entropy.mul((float) entropyCoefficient));
    }
    if (klCovTokens > 0) {
      tokenLoss = tokenLoss.add(logProbs.sub(oldLogProbs).abs().mul(manager.create(klCovMask, shape))
          .mul((float) controls.klCovCoefficient()));
    }
    NDArray masked = tokenLoss.mul(maskArray);
    NDArray loss = switch (config.aggregation()) {
      case TOKEN_MEAN -> masked.sum().div((float) tokens);
      case SEQ_MEAN_TOKEN_SUM -> masked.sum(new int[] {1}).mean();
      case SEQ_MEAN_TOKEN_MEAN -> masked.sum(new int[] {1}).div(maskArray.sum(new int[] {1}).maximum(1f)).mean();
      case SEQ_MEAN_TOKEN_SUM_NORM -> masked.sum(new int[] {1}).div((float) width).mean();
    };
    return new Result(loss, clipLow / tokens, clipHigh / tokens, klMean, covariance.value().orElse(0.0), zeroed, klCovTokens);
  }
}
