package io.github.rlvrdiagnostics.core.rollout;

import io.github.rlvrdiagnostics.api.Accumulator;
import java.util.OptionalDouble;

/**
 * The calibration gap of <i>Revisiting Entropy in Reinforcement Learning for Large Reasoning Models</i>: the mean per-token log-probability of correct responses
 * minus that of incorrect ones. A policy that is confident on exactly the answers it gets wrong
 * has a small or negative gap.
 *
 * <p>Each response contributes its own mean per-token log-probability once, so long responses do
 * not dominate. Mergeable ({@link #combine} associative, {@link #empty()} the identity; sums are
 * plain doubles, so merged results agree to rounding). Not thread-safe.
 */
public final class CalibrationGap implements Accumulator<CalibrationGap> {
  private long correct;
  private double correctSum;
  private long incorrect;
  private double incorrectSum;

  private CalibrationGap() {}

  /** An accumulator of no responses. */
  public static CalibrationGap empty() {
    return new CalibrationGap();
  }

  /**
   * Adds one response.
   *
   * @param meanTokenLogProb its mean per-token log-probability, finite and {@code ≤ 0}
   * @param isCorrect whether the verifier accepted it
   * @throws IllegalArgumentException on a positive or non-finite log-probability
   */
  public CalibrationGap accept(double meanTokenLogProb, boolean isCorrect) {
    if (!(meanTokenLogProb <= 0.0 && meanTokenLogProb > Double.NEGATIVE_INFINITY)) {
      throw new IllegalArgumentException("meanTokenLogProb must be finite and <= 0, was " + meanTokenLogProb);
    }
    if (isCorrect) {
      correct++;
      correctSum += meanTokenLogProb;
    } else {
      incorrect++;
      incorrectSum += meanTokenLogProb;
    }
    return this;
  }

  /** Merges another accumulator into this one and returns this. */
  @Override
  public CalibrationGap combine(CalibrationGap other) {
    correct += other.correct;
    correctSum += other.correctSum;
    incorrect += other.incorrect;
    incorrectSum += other.incorrectSum;
    return this;
  }

  /** Mean log-probability of correct minus incorrect; empty unless both kinds were seen. */
  @Override
  public OptionalDouble value() {
    return correct == 0 || incorrect == 0
        ? OptionalDouble.empty()
        : OptionalDouble.of(correctSum / correct - incorrectSum / incorrect);
  }

  /** The number of responses seen. */
  @Override
  public long count() {
    return correct + incorrect;
  }
}
