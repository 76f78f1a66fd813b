package io.github.rlvrdiagnostics.djl;

import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.nn.Block;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.GradientCollector;
import ai.djl.training.Trainer;
import ai.djl.training.loss.Loss;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;

/**
 * The memory of Distribution-Level Calibration (<em>When Sharpening Becomes Collapse: Sampling
 * Bias and Semantic Coupling in RL with Verifiable Rewards</em>, §4.2): a model with the policy's
 * input and output contract, trained by cross-entropy on the completions already sampled (AdamW
 * at a fixed learning rate), whose logits {@code z_memory} damp the sampler:
 * {@code softmax((z_policy − β·z_memory)/T)}.
 *
 * <p>Holds a DJL trainer on the memory model (a child of the model's manager), released by
 * {@link #close()}, which is idempotent; the model itself stays the caller's. Not thread-safe.
 */
final class DlcMemory implements AutoCloseable {
  private final Model model;
  private final double beta;
  private final Optimizer optimizer;
  private final Trainer trainer;
  private boolean closed;

  /**
   * @param model an initialised memory model, trained in place
   * @param beta the damping {@code β}, finite and {@code > 0}
   * @param learningRate AdamW's learning rate, finite and {@code > 0}
   */
  DlcMemory(Model model, double beta, double learningRate) {
    this.model = model;
    this.beta = beta;
    this.optimizer = Optimizer.adamW().optLearningRateTracker(Tracker.fixed((float) learningRate)).build();
    this.trainer = model.newTrainer(new DefaultTrainingConfig(Loss.l2Loss()).optOptimizer(optimizer));
  }

  /** The memory model's block, for its next-token logits. */
  Block block() {
    return model.getBlock();
  }

  /** The calibrated sampling logits {@code z_policy − β·z_memory}. */
  float[] calibrate(float[] policy, float[] memory) {
    return Schedules.calibrated(policy, memory, beta);
  }

  /**
   * One cross-entropy step on a batch of completions.
   *
   * @param tokens {@code [N, promptLength + new]} prompts and completions
   * @param responseTokens {@code [N, new]} the completions
   */
  void train(NDArray tokens, NDArray responseTokens, int promptLength) {
    if (closed) {
      throw new IllegalStateException("the DLC memory is closed");
    }
    try (GradientCollector collector = trainer.newGradientCollector()) {
      NDArray logits = trainer.forward(new NDList(tokens)).head();
      long total = tokens.getShape().get(1);
      NDArray logSoftmax = logits.get(":, " + (promptLength - 1) + ":" + (total - 1) + ", :").logSoftmax(-1);
      NDArray oneHot = responseTokens.oneHot((int) logSoftmax.getShape().get(2)).toType(logSoftmax.getDataType(), false);
      collector.backward(logSoftmax.mul(oneHot).sum(new int[] {-1}).mean().neg());
      OptimizerSteps.apply(model, optimizer);
    }
  }

  /** Closes the memory's DJL trainer; idempotent. */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    trainer.close();
  }
}
