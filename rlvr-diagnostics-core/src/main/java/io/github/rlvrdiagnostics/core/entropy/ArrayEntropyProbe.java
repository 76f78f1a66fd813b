package io.github.rlvrdiagnostics.core.entropy;

import io.github.rlvrdiagnostics.api.EntropyProbe;
import io.github.rlvrdiagnostics.api.SamplingConfig;

/** {@link EntropyProbe} over {@code [rows][vocab]} float or double arrays, backed by {@link Entropies}. */
final class ArrayEntropyProbe {
  private ArrayEntropyProbe() {}

  record Floats(SamplingConfig sampling) implements EntropyProbe<float[][]> {
    @Override
    public double[] entropies(float[][] logits) {
      return Entropies.rows(logits, sampling);
    }
  }

  record Doubles(SamplingConfig sampling) implements EntropyProbe<double[][]> {
    @Override
    public double[] entropies(double[][] logits) {
      return Entropies.rows(logits, sampling);
    }
  }
}
