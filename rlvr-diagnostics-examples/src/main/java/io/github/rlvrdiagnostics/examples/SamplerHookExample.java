package io.github.rlvrdiagnostics.examples;

import io.github.rlvrdiagnostics.api.LogitsHook;
import io.github.rlvrdiagnostics.api.SamplingConfig;
import io.github.rlvrdiagnostics.core.entropy.TokenEntropies;
import java.util.Locale;
import java.util.Random;

/**
 * How a JVM inference engine records the entropy of the tokens it generates: its sampler, of the
 * {@code int sampleToken(float[] logits)} shape that GPULlama3.java, langchain4j-llama3 and
 * similar engines use, is wrapped so that it first hands the logits it already holds to a
 * {@link LogitsHook}, here a {@link TokenEntropies} recorder at the sampler's temperature. The
 * engine needs no dependency beyond the api and core modules, and the wrapped sampler draws
 * exactly the tokens it drew before.
 *
 * <pre>{@code
 * TokenEntropies entropy = TokenEntropies.create(SamplingConfig.ofTemperature(0.7));
 * Sampler sampler = SamplerHookExample.withHook(engineSampler, entropy);
 * // ... generate with sampler ...
 * entropy.value();   // mean entropy per generated token (nats); entropy.min() the worst token
 * }</pre>
 */
public final class SamplerHookExample {
  private SamplerHookExample() {}

  /** The sampler shape of JVM inference engines: the next token from the logits of the last position. */
  @FunctionalInterface
  public interface Sampler {
    /** The token drawn from {@code logits} (the engine may reuse the array afterwards). */
    int sampleToken(float[] logits);
  }

  /** {@code inner}, telling {@code hook} each token's logits before drawing from them. */
  public static Sampler withHook(Sampler inner, LogitsHook hook) {
    return logits -> {
      hook.onLogits(logits);
      return inner.sampleToken(logits);
    };
  }

  /** The greedy sampler (temperature 0 in most engines): the first token of highest logit. */
  public static Sampler argmax() {
    return logits -> {
      int best = 0;
      for (int i = 1; i < logits.length; i++) {
        if (logits[i] > logits[best]) {
          best = i;
        }
      }
      return best;
    };
  }

  /**
   * Generates 32 tokens from random logits over a vocabulary of 151,936 (Qwen's) with a hooked
   * greedy sampler and prints the recorded entropy.
   */
  public static void main(String[] args) {
    int vocab = 151_936;
    Random random = new Random(42);
    float[] logits = new float[vocab];
    TokenEntropies entropy = TokenEntropies.create(SamplingConfig.ofTemperature(1.0));
    Sampler sampler = withHook(argmax(), entropy);
    long tokenSum = 0;
    for (int t = 0; t < 32; t++) {
      for (int i = 0; i < vocab; i++) {
        logits[i] = (float) (3 * random.nextGaussian());
      }
      tokenSum += sampler.sampleToken(logits);
    }
    System.out.printf(Locale.ROOT, "%d tokens (id sum %d): mean entropy %.4f nats, worst token %.4f%n", entropy.count(),
        tokenSum, entropy.value().getAsDouble(), entropy.min().getAsDouble());
  }
}
