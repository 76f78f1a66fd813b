package io.github.rlvrdiagnostics.djl;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import org.junit.jupiter.api.Test;

/** The PyTorch engine loads offline from the native jar on the test class path. */
class EngineSmokeTest {
  @Test
  void pytorchRunsOffline() {
    try (NDManager manager = NDManager.newBaseManager()) {
      NDArray a = manager.create(new float[] {1f, 2f, 3f});
      assertArrayEquals(new float[] {2f, 4f, 6f}, a.mul(2).toFloatArray());
    }
  }
}
