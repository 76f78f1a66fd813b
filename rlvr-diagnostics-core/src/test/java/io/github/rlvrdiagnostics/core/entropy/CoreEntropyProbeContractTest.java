package io.github.rlvrdiagnostics.core.entropy;

import io.github.rlvrdiagnostics.core.RlvrDiagnostics;

import io.github.rlvrdiagnostics.api.SamplingConfig;

/** The probe contract for the core {@code float[][]} probe, to the same 1e-5 as every probe. */
class CoreEntropyProbeContractTest extends EntropyProbeContract {
  @Override
  protected double[] entropies(float[][] logits, SamplingConfig sampling) {
    return RlvrDiagnostics.entropyProbe(sampling).entropies(logits);
  }
}
