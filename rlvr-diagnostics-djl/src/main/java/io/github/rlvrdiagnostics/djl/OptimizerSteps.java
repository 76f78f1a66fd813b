package io.github.rlvrdiagnostics.djl;

import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.nn.Parameter;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.util.Pair;

/**
 * One optimiser update from freshly collected gradients, then the gradients zeroed. DJL's
 * {@code Trainer.step()} is not used: it rejects a first step whose gradients <em>sum</em> to
 * zero, which every softmax layer without a bias produces exactly (each row of the softmax
 * Jacobian sums to zero).
 */
final class OptimizerSteps {
  private OptimizerSteps() {}

  /**
   * Updates every trainable parameter of {@code target}'s block with {@code optimizer} from its
   * gradient, then sets the gradient to zero.
   *
   * @param target a model whose gradients were just collected (by a {@code GradientCollector})
   * @param optimizer the optimiser, which keeps its own state per parameter id
   */
  static void apply(Model target, Optimizer optimizer) {
    for (Pair<String, Parameter> p : target.getBlock().getParameters()) {
      Parameter parameter = p.getValue();
      if (!parameter.requiresGradient()) {
        continue;
      }
      NDArray weight = parameter.getArray();
      NDArray gradient = weight.getGradient();
      optimizer.update(parameter.getId(), weight, gradient);
      gradient.subi(gradient);
    }
  }
}
