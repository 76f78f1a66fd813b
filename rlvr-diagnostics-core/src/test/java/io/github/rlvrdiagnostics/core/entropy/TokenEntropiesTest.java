package io.github.rlvrdiagnostics.core.entropy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.rlvrdiagnostics.api.LogitsHook;
import io.github.rlvrdiagnostics.api.SamplingConfig;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The sampler hook's recorder: the probe's bits, token by token, and the accumulator laws. */
class TokenEntropiesTest {
  private static float[] row(int vocab, long seed) {
    Random random = new Random(seed);
    float[] row = new float[vocab];
    for (int i = 0; i < vocab; i++) {
      row[i] = (float) (3 * random.nextGaussian());
    }
    return row;
  }

  @Test
  void eachTokenGetsTheProbesBitsAtEveryLengthAndConfiguration() {
    SamplingConfig[] configs = {SamplingConfig.ofTemperature(1.0), SamplingConfig.ofTemperature(0.7),
        new SamplingConfig(1.0, 0, 0.9)};
    int[] vocabs = {1, 5, 127, 128, 1000, Entropies.SEGMENT, Entropies.SEGMENT + 1, 151_936};
    for (SamplingConfig sampling : configs) {
      TokenEntropies recorder = TokenEntropies.create(sampling);
      double sum = 0;
      for (int vocab : vocabs) {
        float[] logits = row(vocab, vocab);
        logits[vocab / 2] = Float.NEGATIVE_INFINITY; // a masked token
        if (vocab == 1) {
          logits[0] = 2f;
        }
        double expected = Entropies.entropy(logits, sampling);
        long before = recorder.count();
        recorder.onLogits(logits);
        assertEquals(before + 1, recorder.count());
        TokenEntropies single = TokenEntropies.create(sampling);
        single.onLogits(logits);
        assertEquals(Double.doubleToLongBits(expected), Double.doubleToLongBits(single.value().getAsDouble()),
            sampling + ", vocab " + vocab);
        sum += expected;
      }
      assertEquals(sum / vocabs.length, recorder.value().getAsDouble(), 1e-12);
    }
  }

  @Test
  void withoutTheVectorApiTheReusedSumsGiveThePlainJavaBits() {
    SamplingConfig sampling = SamplingConfig.ofTemperature(0.8);
    EntropySums part = new EntropySums();
    EntropySums total = new EntropySums();
    for (int vocab : new int[] {5, 127, 128, 1000, Entropies.SEGMENT + 1, 151_936}) {
      float[] logits = row(vocab, vocab + 1);
      assertEquals(Double.doubleToLongBits(Entropies.entropyWithoutVectorApi(logits, sampling)),
          Double.doubleToLongBits(Entropies.entropyReusing(logits, 0, vocab, sampling, part, total, false)), "vocab " + vocab);
    }
  }

  @Test
  void aRangeOfAFlatBufferIsThatRow() {
    float[] flat = row(3 * 40_000, 3);
    SamplingConfig sampling = SamplingConfig.ofTemperature(1.0);
    TokenEntropies recorder = TokenEntropies.create(sampling);
    recorder.onLogits(flat, 40_000, 40_000);
    assertEquals(Entropies.entropy(flat, 40_000, 40_000, sampling), recorder.value().getAsDouble(), 0.0);
  }

  @Test
  void badLogitsAreRejectedAndLeaveTheRecorderUnchanged() {
    TokenEntropies recorder = TokenEntropies.create(SamplingConfig.ofTemperature(1.0));
    recorder.onLogits(row(500, 1));
    float[] bad = row(500, 2);
    bad[17] = Float.NaN;
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> recorder.onLogits(bad));
    assertTrue(e.getMessage().contains("[17]"), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> recorder.onLogits(bad, 400, 200));
    assertThrows(IllegalArgumentException.class, () -> recorder.accept(Double.NaN));
    assertEquals(1, recorder.count());
    assertTrue(TokenEntropies.create(SamplingConfig.ofTemperature(1.0)).value().isEmpty());
  }

  @Test
  void combiningIsRecordingEverythingInOne() {
    SamplingConfig sampling = SamplingConfig.ofTemperature(1.0);
    TokenEntropies all = TokenEntropies.create(sampling);
    TokenEntropies a = TokenEntropies.create(sampling);
    TokenEntropies b = TokenEntropies.create(sampling);
    for (int t = 0; t < 20; t++) {
      float[] logits = row(300 + t, 100 + t);
      all.onLogits(logits);
      (t < 7 ? a : b).onLogits(logits);
    }
    TokenEntropies merged = TokenEntropies.create(sampling).combine(a).combine(b);
    assertEquals(all.count(), merged.count());
    assertEquals(all.min(), merged.min());
    assertEquals(all.max(), merged.max());
    assertEquals(all.value().getAsDouble(), merged.value().getAsDouble(), 1e-12);
  }

  @Test
  void aSamplerWrapsItselfWithTheHook() {
    TokenEntropies recorder = TokenEntropies.create(SamplingConfig.ofTemperature(1.0));
    LogitsHook hook = recorder;
    java.util.function.ToIntFunction<float[]> greedy = logits -> {
      int best = 0;
      for (int i = 1; i < logits.length; i++) {
        best = logits[i] > logits[best] ? i : best;
      }
      return best;
    };
    java.util.function.ToIntFunction<float[]> hooked = logits -> {
      hook.onLogits(logits);
      return greedy.applyAsInt(logits);
    };
    float[] logits = row(1000, 9);
    assertEquals(greedy.applyAsInt(logits), hooked.applyAsInt(logits));
    assertEquals(1, recorder.count());
  }
}
