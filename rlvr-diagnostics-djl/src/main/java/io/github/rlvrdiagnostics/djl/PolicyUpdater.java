package io.github.rlvrdiagnostics.djl;

import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import ai.djl.training.Trainer;
import ai.djl.training.loss.Loss;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import java.util.Arrays;
import java.util.Random;
import org.jspecify.annotations.Nullable;

/**
 * The update half of a GRPO step: the policy's optimiser and DJL trainer, the log-probabilities
 * and entropies of a rollout batch at the rollout temperature, and the {@code μ} clipped
 * policy-gradient updates of {@link GrpoLoss} on it.
 *
 * <p>A batch whose gradient is exactly zero (every advantage 0 and no KL or entropy term) makes
 * no optimizer update, so momentum and weight decay do not move the policy on a step that carried
 * no learning signal. Holds a DJL trainer on the policy model (a child of the model's manager),
 * released by {@link #close()}, which is idempotent; the model stays the caller's. Not thread-safe.
 */
final class PolicyUpdater implements AutoCloseable {
  private final Model model;
  private final double temperature;
  private final int updatesPerBatch;
  private final Optimizer optimizer;
  private final Trainer trainer;
  private boolean closed;

  PolicyUpdater(Model model, GrpoConfig.Optimization optimization, double temperature) {
    this.model = model;
    this.temperature = temperature;
    this.updatesPerBatch = optimization.updatesPerBatch();
    Tracker rate = Tracker.fixed((float) optimization.learningRate());
    this.optimizer = switch (optimization.kind()) {
      case SGD -> Optimizer.sgd().setLearningRateTracker(rate).build();
      case MOMENTUM -> Optimizer.sgd().setLearningRateTracker(rate).optMomentum(0.9f).build();
      case ADAMW -> Optimizer.adamW().optLearningRateTracker(rate).build();
    };
    this.trainer = model.newTrainer(new DefaultTrainingConfig(Loss.l2Loss()).optOptimizer(optimizer));
  }

  /**
   * A rollout batch on the device, in the step's manager.
   *
   * @param tokens {@code [N, promptLength + new]} int64 prompts and completions
   * @param responseTokens {@code [N, new]} the completions
   * @param mask {@code [N, new]} ones: every completion has the full length
   */
  record Batch(NDArray tokens, NDArray responseTokens, NDArray mask, int promptLength) {
    static Batch of(NDManager scope, GroupSampler.Rollouts rollouts) {
      NDArray tokens = scope.create(rollouts.sequences(), new Shape(rollouts.count(), rollouts.length()));
      return new Batch(tokens, tokens.get(":, " + rollouts.promptLength() + ":"),
          scope.ones(new Shape(rollouts.count(), rollouts.newTokens())), rollouts.promptLength());
    }
  }

  /**
   * {log π of the response tokens {@code [N, new]}, token entropy {@code [N, new]}} of
   * {@code block} at the rollout temperature, in inference mode.
   */
  NDArray[] evaluate(Block block, NDManager scope, Batch batch) {
    NDArray logits = block.forward(new ParameterStore(scope, false), new NDList(batch.tokens()), false).head();
    return logProbsAndEntropy(logits, batch);
  }

  /**
   * {@code μ} updates of the policy on one batch.
   *
   * @param oldLogProbs the rollout policy's log-probabilities of the response tokens
   * @param refLogProbs the reference policy's, or null without KL
   * @param entropyCoefficient the entropy-bonus coefficient in force this step
   * @param parLambda the Positive-Advantage Reweighting λ in force this step
   * @return the loss terms of the last update
   */
  GrpoLoss.Result update(GrpoConfig config, Batch batch, NDArray oldLogProbs, @Nullable NDArray refLogProbs,
      double[] advantages, double entropyCoefficient, double parLambda, Random random) {
    if (closed) {
      throw new IllegalStateException("the policy updater is closed");
    }
    // With every advantage zero (all groups degenerate) and no KL or entropy term, the gradient
    // is exactly zero: the step carries no learning signal and no optimizer update is made.
    boolean signal = config.klBeta() > 0 || entropyCoefficient > 0 || Arrays.stream(advantages).anyMatch(v -> v != 0.0);
    GrpoLoss.Result last = null;
    for (int u = 0; u < updatesPerBatch; u++) {
      try (GradientCollector collector = trainer.newGradientCollector()) {
        NDArray[] lp = logProbsAndEntropy(trainer.forward(new NDList(batch.tokens())).head(), batch);
        last = GrpoLoss.compute(config, lp[0], oldLogProbs, refLogProbs, lp[1], advantages, batch.mask(),
            entropyCoefficient, parLambda, random);
        if (signal) {
          collector.backward(last.loss());
          OptimizerSteps.apply(model, optimizer);
        }
      }
    }
    return last;
  }

  private NDArray[] logProbsAndEntropy(NDArray logits, Batch batch) {
    long total = batch.tokens().getShape().get(1);
    int promptLength = batch.promptLength();
    // Position t predicts token t + 1: the response tokens are predicted by positions promptLength − 1 .. total − 2.
    NDArray predicting = logits.get(":, " + (promptLength - 1) + ":" + (total - 1) + ", :").div((float) temperature);
    NDArray logSoftmax = predicting.logSoftmax(-1);
    long vocab = logSoftmax.getShape().get(2);
    NDArray oneHot = batch.responseTokens().oneHot((int) vocab).toType(logSoftmax.getDataType(), false);
    NDArray logProbs = logSoftmax.mul(oneHot).sum(new int[] {-1});
    NDArray entropy = logSoftmax.exp().mul(logSoftmax).sum(new int[] {-1}).neg();
    return new NDArray[] {logProbs, entropy};
  }

  /** Closes the policy's DJL trainer; idempotent. */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    trainer.close();
  }
}
