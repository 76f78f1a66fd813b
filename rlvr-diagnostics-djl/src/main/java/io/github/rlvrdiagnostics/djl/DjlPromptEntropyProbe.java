package io.github.rlvrdiagnostics.djl;

import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import io.github.rlvrdiagnostics.api.EntropyProbe;
import io.github.rlvrdiagnostics.api.SamplingConfig;
import java.util.List;

/**
 * The prompt probes of docs/MATH.md §3 (entropy probes): one forward pass of a language model over
 * each prompt's tokens only, and the entropy of the next-token distribution at the last prompt
 * position, at the rollout temperature.
 *
 * <ul>
 *   <li>The <b>generation-start probe</b> (Stage 1, pre-RL triage) averages it over a probe set
 *       (40 problems in <em>SFT Overtraining Predicts Rank Inversion via Entropy Collapse Under
 *       RLVR</em>): {@code aggregate(prompts, Aggregation.MEAN)}.
 *   <li>The <b>worst-token probe</b> (Stage 2, every 10 GRPO steps) takes the minimum over a
 *       small health-check set (5 problems in the same paper):
 *       {@code aggregate(prompts, Aggregation.MIN)}.
 * </ul>
 *
 * <p>The model is any DJL {@link Block} whose first output, for token ids of shape
 * {@code [1, len]} (int64), holds logits of shape {@code [1, len, vocab]}, {@code [len, vocab]}
 * or {@code [1, vocab]} (the last already selected). Prompts run one at a time, so prompts of
 * different lengths need no padding. The block runs in inference mode ({@code training = false});
 * each call scopes its arrays in a child of the manager given here. Instances hold no native
 * memory of their own and are safe to share across threads to the extent the block is.
 */
public final class DjlPromptEntropyProbe implements EntropyProbe<List<int[]>> {
  private final Block block;
  private final NDManager manager;
  private final DjlEntropyProbe probe;

  private DjlPromptEntropyProbe(Block block, NDManager manager, SamplingConfig sampling) {
    this.block = block;
    this.manager = manager;
    this.probe = DjlEntropyProbe.of(sampling);
  }

  /**
   * A probe of an initialised block, computing in children of {@code manager} (whose device
   * decides where the forward pass runs).
   *
   * @throws IllegalArgumentException if the block is not initialised
   */
  public static DjlPromptEntropyProbe of(Block block, NDManager manager, SamplingConfig sampling) {
    if (!block.isInitialized()) {
      throw new IllegalArgumentException("block must be initialized before probing, was not");
    }
    return new DjlPromptEntropyProbe(block, manager, sampling);
  }

  /** A probe of a loaded model's block on the model's own manager and device. */
  public static DjlPromptEntropyProbe of(Model model, SamplingConfig sampling) {
    return of(model.getBlock(), model.getNDManager(), sampling);
  }

  @Override
  public SamplingConfig sampling() {
    return probe.sampling();
  }

  /**
   * The entropy at the last position of each prompt, in the prompts' order.
   *
   * @param prompts token ids, at least one prompt, each non-empty
   * @throws IllegalArgumentException on an empty list or prompt (naming its index), on model
   *     output of an unexpected shape, or on bad logits
   */
  @Override
  public double[] entropies(List<int[]> prompts) {
    if (prompts.isEmpty()) {
      throw new IllegalArgumentException("prompts must not be empty, was size 0");
    }
    double[] entropies = new double[prompts.size()];
    for (int i = 0; i < entropies.length; i++) {
      int[] prompt = prompts.get(i);
      if (prompt.length == 0) {
        throw new IllegalArgumentException("prompts[" + i + "] must hold at least one token, was empty");
      }
      entropies[i] = entropyAfter(prompt, i);
    }
    return entropies;
  }

  private double entropyAfter(int[] prompt, int index) {
    try (NDManager scope = manager.newSubManager()) {
      long[] ids = new long[prompt.length];
      for (int t = 0; t < prompt.length; t++) {
        ids[t] = prompt[t];
      }
      NDArray tokens = scope.create(ids, new Shape(1, prompt.length));
      ParameterStore parameters = new ParameterStore(scope, false);
      NDList output = block.forward(parameters, new NDList(tokens), false);
      // Outputs may be attached elsewhere by the block: bring them into this scope.
      output.attach(scope);
      NDArray logits = output.head();
      return probe.entropies(lastPosition(logits, prompt.length, index))[0];
    }
  }

  private static NDArray lastPosition(NDArray logits, int length, int index) {
    Shape shape = logits.getShape();
    if (shape.dimension() == 3 && shape.get(0) == 1 && shape.get(1) == length) {
      return logits.get(0, length - 1);
    }
    if (shape.dimension() == 2 && shape.get(0) == length) {
      return logits.get(length - 1);
    }
    if (shape.dimension() == 2 && shape.get(0) == 1) {
      return logits.get(0);
    }
    throw new IllegalArgumentException("model output for prompts[" + index + "] of length " + length
        + " must have shape [1, len, vocab], [len, vocab] or [1, vocab], was " + shape);
  }

  @Override
  public String toString() {
    return "DjlPromptEntropyProbe{" + probe.sampling() + "}";
  }
}
