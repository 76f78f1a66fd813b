package io.github.rlvrdiagnostics.core.entropy;

import io.github.rlvrdiagnostics.api.SamplingConfig;

/**
 * The probe contract for float rows as a JVM without {@code jdk.incubator.vector} computes them
 * (the block path and the plain pass), since this module's tests run with the module.
 */
class PlainJavaEntropyProbeContractTest extends EntropyProbeContract {
  @Override
  protected double[] entropies(float[][] logits, SamplingConfig sampling) {
    double[] h = new double[logits.length];
    for (int r = 0; r < logits.length; r++) {
      h[r] = Entropies.entropyWithoutVectorApi(logits[r], sampling);
    }
    return h;
  }
}
