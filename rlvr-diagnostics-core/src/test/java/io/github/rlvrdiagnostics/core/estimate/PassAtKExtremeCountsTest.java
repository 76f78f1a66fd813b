package io.github.rlvrdiagnostics.core.estimate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.rlvrdiagnostics.api.PassAtK;
import io.github.rlvrdiagnostics.core.RlvrDiagnostics;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Counts at {@code Integer.MAX_VALUE}: no hang, no overflow, no OutOfMemoryError. */
class PassAtKExtremeCountsTest {
  private static final int MAX = Integer.MAX_VALUE;
  private static final Duration QUICK = Duration.ofSeconds(2);
  private final PassAtK passAtK = RlvrDiagnostics.passAtK();

  @Test
  void estimateAtMaxNReturns() {
    assertEquals(0.0, assertTimeoutPreemptively(QUICK, () -> passAtK.estimate(MAX, 0, 1)));
    assertEquals(0.0, assertTimeoutPreemptively(QUICK, () -> passAtK.estimate(MAX, 0, MAX)));
    assertEquals(1.0, assertTimeoutPreemptively(QUICK, () -> passAtK.estimate(MAX, 1, MAX)));
    assertEquals(1.0, assertTimeoutPreemptively(QUICK, () -> passAtK.estimate(MAX, MAX / 2, MAX / 2)));
    assertEquals(1.0 / MAX, assertTimeoutPreemptively(QUICK, () -> passAtK.estimate(MAX, 1, 1)), 1e-24);
  }

  @Test
  void degenerateEstimateAtMaxIsQuickAndExact() {
    assertEquals(1.0, assertTimeoutPreemptively(QUICK, () -> passAtK.degenerateProbabilityEstimate(MAX, MAX, MAX)));
    assertEquals(1.0, assertTimeoutPreemptively(QUICK, () -> passAtK.degenerateProbabilityEstimate(MAX, 0, MAX)));
    assertEquals(0.0, assertTimeoutPreemptively(QUICK, () -> passAtK.degenerateProbabilityEstimate(MAX, MAX / 2, MAX / 2)));
    // C(MAX−1, MAX−1)/C(MAX, MAX−1) = 1/MAX, a product of 2^31 − 2 factors done as one.
    assertEquals(1.0 / MAX, assertTimeoutPreemptively(QUICK, () -> passAtK.allPassEstimate(MAX, MAX - 1, MAX - 1)), 1e-22);
  }

  @Test
  void curveRefusesHugeNInsteadOfRunningOutOfMemory() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> passAtK.curve(MAX, 3));
    assertTrue(e.getMessage().startsWith("n must be <= " + PassAtK.MAX_CURVE_N), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> passAtK.curve(PassAtK.MAX_CURVE_N + 1, 0));
  }
}
