package io.github.rlvrdiagnostics.djl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.github.rlvrdiagnostics.api.Aggregation;
import io.github.rlvrdiagnostics.api.SamplingConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * Probe calls leave the caller's manager holding exactly the arrays it held before, and the
 * process's resident memory does not grow with the number of calls.
 */
class NativeMemoryTest {

  @Test
  void tenThousandCallsLeaveNothingBehind() throws IOException {
    try (NDManager manager = NDManager.newBaseManager()) {
      NDArray logits = manager.randomNormal(new Shape(2, 4, 256));
      NDArray mask = manager.ones(new Shape(2, 4));
      DjlEntropyProbe plain = DjlEntropyProbe.ofTemperature(0.8);
      DjlEntropyProbe truncated = DjlEntropyProbe.of(new SamplingConfig(0.8, 64, 0.9));
      // Warm-up: the JVM heap and the native allocator's arenas grow for the first few thousand
      // calls (measured: resident memory rises by ~240 MiB, then stays flat within a few MiB).
      for (int i = 0; i < 5_000; i++) {
        plain.entropies(logits);
        truncated.maskedAggregate(logits, mask, Aggregation.MIN);
      }
      int arraysBefore = manager.getManagedArrays().size();
      // Three windows of 10,000 calls: a leak grows resident memory in each by the same amount,
      // while a busy machine (GC timing, allocator arenas) can inflate a window on its own. A full
      // collection before each reading lets the JVM give back heap it grew under load (seen on a
      // machine at load 5: 53 MiB in two windows without it), so what is left is native memory.
      long smallestGrowthKiB = Long.MAX_VALUE;
      for (int window = 0; window < 3; window++) {
        long rssBefore = residentKiB();
        for (int i = 0; i < 10_000; i++) {
          plain.entropies(logits);
          truncated.maskedAggregate(logits, mask, Aggregation.MIN);
        }
        assertEquals(arraysBefore, manager.getManagedArrays().size());
        smallestGrowthKiB = Math.min(smallestGrowthKiB, residentKiB() - rssBefore);
      }
      // A leak of even one intermediate per call would be 10,000 × 2 × 8 KiB = 160 MiB per window.
      assertTrue(smallestGrowthKiB < 48 * 1024, "resident memory grew by " + smallestGrowthKiB + " KiB in every window");
    }
  }

  private static long residentKiB() throws IOException {
    System.gc();
    for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
      if (line.startsWith("VmRSS:")) {
        return Long.parseLong(line.replaceAll("[^0-9]", ""));
      }
    }
    return 0;
  }
}
