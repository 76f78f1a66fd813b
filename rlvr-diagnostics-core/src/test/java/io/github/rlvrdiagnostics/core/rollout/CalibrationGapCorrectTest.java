package io.github.rlvrdiagnostics.core.rollout;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** A response is correct for the calibration gap when it was rewarded at all. */
class CalibrationGapCorrectTest {

  @Test
  void rewardedMeansCorrectPartialCreditIncluded() {
    assertTrue(CalibrationGap.isCorrect(1.0));
    assertTrue(CalibrationGap.isCorrect(0.25));
    assertTrue(CalibrationGap.isCorrect(Double.MIN_VALUE));
    assertFalse(CalibrationGap.isCorrect(0.0));
    assertFalse(CalibrationGap.isCorrect(-0.0));
    assertFalse(CalibrationGap.isCorrect(-1.0));
    assertFalse(CalibrationGap.isCorrect(Double.NaN));
  }
}
