package io.github.rlvrdiagnostics.core.entropy;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.github.rlvrdiagnostics.api.SamplingConfig;
import org.junit.jupiter.api.Test;

/** The one top-k/top-p rule, on rows whose kept sets are worked out by hand. */
class TruncationTest {
  /** Logits whose softmax is {0.5, 0.25, 0.125, 0.125}. */
  private static final double[] ROW = {Math.log(4), Math.log(2), 0.0, 0.0};

  @Test
  void keptSetsByHand() {
    assertArrayEquals(new int[] {0, 1, 2, 3}, Truncation.keptTokens(ROW, SamplingConfig.DEFAULT));
    assertArrayEquals(new int[] {0, 1}, Truncation.keptTokens(ROW, new SamplingConfig(1.0, 2, 1.0)));
    // The smallest most-probable prefix whose mass reaches topP: 0.5 alone reaches 0.5.
    assertArrayEquals(new int[] {0}, Truncation.keptTokens(ROW, new SamplingConfig(1.0, 0, 0.5)));
    // 0.5 + 0.25 = 0.75 reaches 0.7; 0.75 does not reach 0.8, so a third token joins: the lower id of the tie.
    assertArrayEquals(new int[] {0, 1}, Truncation.keptTokens(ROW, new SamplingConfig(1.0, 0, 0.7)));
    assertArrayEquals(new int[] {0, 1, 2}, Truncation.keptTokens(ROW, new SamplingConfig(1.0, 0, 0.8)));
    // Top-k first, then top-p renormalised over the kept three (4/7, 2/7, 1/7): the mass before the
    // third token is 6/7 < 0.99, so all three stay.
    assertArrayEquals(new int[] {0, 1, 2}, Truncation.keptTokens(ROW, new SamplingConfig(1.0, 3, 0.99)));
  }

  @Test
  void maskedTokensAreNeverKeptAndBadRowsAreRefused() {
    double[] masked = {Double.NEGATIVE_INFINITY, 0.0, Double.NEGATIVE_INFINITY, 0.0};
    assertArrayEquals(new int[] {1, 3}, Truncation.keptTokens(masked, SamplingConfig.DEFAULT));
    assertThrows(IllegalArgumentException.class,
        () -> Truncation.keptTokens(new double[] {Double.NEGATIVE_INFINITY, Double.NEGATIVE_INFINITY}, SamplingConfig.DEFAULT));
    assertThrows(IllegalArgumentException.class, () -> Truncation.keptTokens(new double[] {0.0, Double.NaN}, SamplingConfig.DEFAULT));
    assertThrows(IllegalArgumentException.class,
        () -> Truncation.keptTokens(new double[] {0.0, Double.POSITIVE_INFINITY}, SamplingConfig.DEFAULT));
  }
}
