package io.github.rlvrdiagnostics.djl;

import ai.djl.Model;
import ai.djl.ndarray.NDManager;
import io.github.rlvrdiagnostics.api.Checks;
import io.github.rlvrdiagnostics.api.SamplingConfig;
import java.util.Random;

/**
 * How {@link SftStopAdvisor} draws completions of a probe prompt from the model being trained:
 * {@code n} completions, each a sequence of token ids the {@link Verifier} then scores. A user
 * with an inference engine of their own wraps it here; {@link #autoregressive} is the plain
 * token-by-token sampler of the reference GRPO loop.
 */
@FunctionalInterface
public interface CompletionSampler {
  /**
   * Draws completions of one prompt.
   *
   * @param model the model as it is now (do not train it here)
   * @param prompt the prompt's token ids, not modified
   * @param n how many completions to draw, {@code ≥ 1}
   * @return exactly {@code n} completions
   */
  int[][] sample(Model model, int[] prompt, int n);

  /**
   * Token-by-token sampling from {@code softmax(z/T)} (truncated to the nucleus when
   * {@code topP < 1}), all {@code n} completions of a prompt as one batch, as the reference GRPO
   * loop samples: the model's block must map token ids {@code [batch, len]} to logits
   * {@code [batch, len, vocab]}. Draws from its own {@link Random} seeded with {@code seed}, one
   * number per token, in call order: the same calls give the same completions. Each forward pass
   * runs in a child of the model's manager, closed before the next. Not thread-safe.
   *
   * @param maxNewTokens the completion length, {@code ≥ 1}
   * @throws IllegalArgumentException if {@code maxNewTokens < 1}
   */
  static CompletionSampler autoregressive(SamplingConfig sampling, int maxNewTokens, long seed) {
    Checks.atLeast("maxNewTokens", maxNewTokens, 1);
    GroupSampler sampler = new GroupSampler(sampling, new Random(seed), null);
    return (model, prompt, n) -> {
      Checks.atLeast("n", n, 1);
      try (NDManager scope = model.getNDManager().newSubManager()) {
        GroupSampler.Rollouts rollouts = sampler.sample(model.getBlock(), scope, new int[][] {prompt}, n, maxNewTokens);
        int[][] completions = new int[n][];
        for (int i = 0; i < n; i++) {
          completions[i] = rollouts.completion(i);
        }
        return completions;
      }
    };
  }
}
