package io.github.rlvrdiagnostics.djl;

import ai.djl.ndarray.NDManager;
import io.github.rlvrdiagnostics.api.SamplingConfig;
import io.github.rlvrdiagnostics.core.entropy.EntropyProbeContract;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/**
 * The core probe contract run against the DJL probe on the engine's default device: the GPU
 * when DJL finds one, the CPU otherwise.
 */
class DjlEntropyProbeContractTest extends EntropyProbeContract {
  private NDManager manager;

  @BeforeEach
  void open() {
    manager = NDManager.newBaseManager();
  }

  @AfterEach
  void close() {
    manager.close();
  }

  /** NDArrays are rectangular: ragged rows are padded with −∞, which the contract says is removal. */
  @Override
  protected double[] entropies(float[][] logits, SamplingConfig sampling) {
    int width = 0;
    for (float[] row : logits) {
      width = Math.max(width, row.length);
    }
    float[][] padded = new float[logits.length][width];
    for (int r = 0; r < logits.length; r++) {
      java.util.Arrays.fill(padded[r], Float.NEGATIVE_INFINITY);
      System.arraycopy(logits[r], 0, padded[r], 0, logits[r].length);
    }
    return DjlEntropyProbe.of(sampling).entropies(manager.create(padded));
  }
}
