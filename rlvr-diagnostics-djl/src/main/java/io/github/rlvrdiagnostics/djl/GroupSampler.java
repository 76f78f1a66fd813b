package io.github.rlvrdiagnostics.djl;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import io.github.rlvrdiagnostics.api.SamplingConfig;
import io.github.rlvrdiagnostics.core.entropy.Entropies;
import io.github.rlvrdiagnostics.core.entropy.Truncation;
import java.util.Arrays;
import java.util.Random;
import org.jspecify.annotations.Nullable;

/**
 * The rollouts of one GRPO step: {@code G} completions of each prompt, all groups as one batch,
 * one token at a time, each drawn from {@code softmax(z/T)} truncated to the nucleus
 * {@code topP} by {@link Truncation}'s rule. With a {@link DlcMemory} the logits drawn from are
 * the calibrated {@code z_policy − β·z_memory}; the generation-start entropy it reports is always
 * the policy's own.
 *
 * <p>Draws from the trainer's {@link Random}, one number per token, so a run is reproducible.
 * Each forward pass runs in a child of the step's manager, closed before the next token; only
 * the logits of the last position reach the host. Not thread-safe.
 */
final class GroupSampler {
  private final SamplingConfig sampling;
  private final Random random;
  private final @Nullable DlcMemory memory;

  GroupSampler(SamplingConfig sampling, Random random, @Nullable DlcMemory memory) {
    this.sampling = sampling;
    this.random = random;
    this.memory = memory;
  }

  /**
   * The rollouts of a batch of groups.
   *
   * @param prompts the step's prompts, one per group, of one non-zero length
   */
  Rollouts sample(Block policy, NDManager scope, int[][] prompts, int groupSize, int newTokens) {
    int groups = prompts.length;
    int promptLength = prompts[0].length;
    int total = promptLength + newTokens;
    int n = groups * groupSize;
    long[] sequences = new long[n * total];
    for (int j = 0; j < groups; j++) {
      for (int i = 0; i < groupSize; i++) {
        for (int t = 0; t < promptLength; t++) {
          sequences[(j * groupSize + i) * total + t] = prompts[j][t];
        }
      }
    }
    double worstStart = Double.POSITIVE_INFINITY;
    for (int s = 0; s < newTokens; s++) {
      int length = promptLength + s;
      float[][] next = nextLogits(policy, scope, sequences, n, total, length);
      float[][] damp = memory == null ? null : nextLogits(memory.block(), scope, sequences, n, total, length);
      for (int r = 0; r < n; r++) {
        if (s == 0) {
          // The probe measures the policy itself, not the calibrated sampler.
          worstStart = Math.min(worstStart, Entropies.entropy(next[r], sampling));
        }
        float[] logits = damp == null ? next[r] : memory.calibrate(next[r], damp[r]);
        sequences[r * total + length] = sampleToken(logits);
      }
    }
    return new Rollouts(sequences, groups, groupSize, promptLength, newTokens, worstStart);
  }

  /** One token drawn from {@code softmax(logits / T)}, truncated to the nucleus when {@code topP < 1}. */
  int sampleToken(float[] logits) {
    if (sampling.truncates()) {
      return sampleKept(logits, Truncation.keptTokens(logits, sampling));
    }
    double temperature = sampling.temperature();
    int vocab = logits.length;
    double max = Double.NEGATIVE_INFINITY;
    for (float z : logits) {
      max = Math.max(max, z / temperature);
    }
    double[] p = new double[vocab];
    double sum = 0;
    for (int i = 0; i < vocab; i++) {
      p[i] = Math.exp(logits[i] / temperature - max);
      sum += p[i];
    }
    for (int i = 0; i < vocab; i++) {
      p[i] /= sum;
    }
    double u = random.nextDouble();
    double acc = 0;
    for (int i = 0; i < vocab; i++) {
      acc += p[i];
      if (u < acc) {
        return i;
      }
    }
    return vocab - 1;
  }

  /** A draw among the kept tokens, in proportion to their probabilities. */
  private int sampleKept(float[] logits, int[] kept) {
    double temperature = sampling.temperature();
    double max = Double.NEGATIVE_INFINITY;
    for (int k : kept) {
      max = Math.max(max, logits[k] / temperature);
    }
    double[] w = new double[kept.length];
    double sum = 0;
    for (int j = 0; j < kept.length; j++) {
      w[j] = Math.exp(logits[kept[j]] / temperature - max);
      sum += w[j];
    }
    double u = random.nextDouble() * sum;
    double acc = 0;
    for (int j = 0; j < kept.length; j++) {
      acc += w[j];
      if (u < acc) {
        return kept[j];
      }
    }
    return kept[kept.length - 1];
  }

  /**
   * The next-token logits of {@code block} after the first {@code length} tokens of each sequence,
   * on the host.
   */
  private static float[][] nextLogits(Block block, NDManager scope, long[] sequences, int n, int total, int length) {
    try (NDManager inner = scope.newSubManager()) {
      long[] prefix = new long[n * length];
      for (int r = 0; r < n; r++) {
        System.arraycopy(sequences, r * total, prefix, r * length, length);
      }
      NDArray input = inner.create(prefix, new Shape(n, length));
      NDArray logits = block.forward(new ParameterStore(inner, false), new NDList(input), false).head();
      NDArray last = logits.get(":, " + (length - 1) + ", :").toType(DataType.FLOAT32, false);
      float[] flat = last.toFloatArray();
      int vocab = (int) last.getShape().get(1);
      float[][] rows = new float[n][];
      for (int r = 0; r < n; r++) {
        rows[r] = Arrays.copyOfRange(flat, r * vocab, (r + 1) * vocab);
      }
      return rows;
    }
  }

  /**
   * The sampled batch: {@code groups × groupSize} sequences of {@code promptLength + newTokens}
   * token ids, row-major, rollout {@code r} of group {@code r / groupSize}.
   *
   * @param sequences the prompts followed by their completions
   * @param worstStartEntropy the minimum over the batch of the policy's generation-start entropy
   */
  record Rollouts(long[] sequences, int groups, int groupSize, int promptLength, int newTokens,
      double worstStartEntropy) {
    /** The number of rollouts. */
    int count() {
      return groups * groupSize;
    }

    /** Prompt plus completion length. */
    int length() {
      return promptLength + newTokens;
    }

    /** The completion of rollout {@code r}. */
    int[] completion(int r) {
      int[] out = new int[newTokens];
      for (int t = 0; t < newTokens; t++) {
        out[t] = (int) sequences[r * length() + promptLength + t];
      }
      return out;
    }
  }
}
