package io.github.rlvrdiagnostics.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.github.rlvrdiagnostics.api.SamplingConfig;
import io.github.rlvrdiagnostics.core.entropy.Entropies;
import io.github.rlvrdiagnostics.core.entropy.TokenEntropies;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The hooked sampler draws what the bare one draws and records each token's entropy. */
class SamplerHookExampleTest {
  @Test
  void theHookedSamplerDrawsTheSameTokensAndRecordsEachEntropy() {
    SamplingConfig sampling = SamplingConfig.ofTemperature(1.0);
    TokenEntropies entropy = TokenEntropies.create(sampling);
    SamplerHookExample.Sampler bare = SamplerHookExample.argmax();
    SamplerHookExample.Sampler hooked = SamplerHookExample.withHook(bare, entropy);
    Random random = new Random(1);
    double sum = 0;
    for (int t = 0; t < 5; t++) {
      float[] logits = new float[2000];
      for (int i = 0; i < logits.length; i++) {
        logits[i] = (float) random.nextGaussian();
      }
      assertEquals(bare.sampleToken(logits), hooked.sampleToken(logits));
      sum += Entropies.entropy(logits, sampling);
    }
    assertEquals(5, entropy.count());
    assertEquals(sum / 5, entropy.value().getAsDouble(), 1e-12);
  }
}
