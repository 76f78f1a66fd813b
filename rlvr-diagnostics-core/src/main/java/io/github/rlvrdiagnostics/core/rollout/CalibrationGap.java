package io.github.rlvrdiagnostics.core.rollout;

import io.github.rlvrdiagnostics.api.Accumulator;
import io.github.rlvrdiagnostics.api.Checks;
import java.io.Serializable;
import java.util.OptionalDouble;

/**
 * The calibration gap of <i>Revisiting Entropy in Reinforcement Learning for Large Reasoning Models</i>: the mean per-token log-probability of correct responses
 * minus that of incorrect ones. A policy that is confident on exactly the answers it gets wrong
 * has a small or negative gap.
 *
 * <p>Each response contributes its own mean per-token log-probability once, so long responses do
 * not dominate. Mergeable ({@link #combine} associative up to rounding, {@link #empty()} the
 * identity). The two means are kept as running means, not sums, so they never overflow: every
 * value is in {@code [−MAX_VALUE, 0]}, and so is each mean, and their difference is finite even
 * for log-probabilities near {@code −1e308}. Serializable, so partial accumulators can travel between workers (Spark, Flink). Not thread-safe.
 */
public final class CalibrationGap implements Accumulator<CalibrationGap>, Serializable {
  private static final long serialVersionUID = 1L;

  private long correct;
  private double correctMean;
  private long incorrect;
  private double incorrectMean;

  private CalibrationGap() {}

  /** An accumulator of no responses. */
  public static CalibrationGap empty() {
    return new CalibrationGap();
  }

  /**
   * Whether a response with this reward counts as correct for the gap: rewarded at all
   * ({@code reward > 0}), so partial credit counts as correct and NaN does not. The one home of
   * this rule, shared by the reference loop and the Spark reduction.
   */
  public static boolean isCorrect(double reward) {
    return reward > 0;
  }

  /**
   * Adds one response.
   *
   * @param meanTokenLogProb its mean per-token log-probability, finite and {@code ≤ 0}
   * @param isCorrect whether the verifier accepted it
   * @throws IllegalArgumentException on a positive or non-finite log-probability
   */
  public CalibrationGap accept(double meanTokenLogProb, boolean isCorrect) {
    checkMean("meanTokenLogProb", meanTokenLogProb);
    if (isCorrect) {
      correct++;
      correctMean += (meanTokenLogProb - correctMean) / correct;
    } else {
      incorrect++;
      incorrectMean += (meanTokenLogProb - incorrectMean) / incorrect;
    }
    return this;
  }

  /**
   * Adds a batch of responses (a group) from its counts and means: the same state as accepting its
   * responses one by one, up to the rounding of the means (a running mean and a sum over the count
   * differ by a few ulps).
   *
   * @param correct the number of correct responses, {@code ≥ 0}
   * @param correctMean their mean per-token log-probability, finite and {@code ≤ 0} (0 when none)
   * @param incorrect the number of incorrect responses, {@code ≥ 0}
   * @param incorrectMean their mean per-token log-probability, finite and {@code ≤ 0} (0 when none)
   * @throws IllegalArgumentException on an argument that breaks its rule (NaN included); the
   *     accumulator is then unchanged
   */
  public CalibrationGap acceptMeans(long correct, double correctMean, long incorrect, double incorrectMean) {
    Checks.atLeast("correct", correct, 0L);
    Checks.atLeast("incorrect", incorrect, 0L);
    checkMean("correctMean", correctMean);
    checkMean("incorrectMean", incorrectMean);
    this.correctMean = merge(this.correctMean, this.correct, correctMean, correct);
    this.correct += correct;
    this.incorrectMean = merge(this.incorrectMean, this.incorrect, incorrectMean, incorrect);
    this.incorrect += incorrect;
    return this;
  }

  private static void checkMean(String name, double mean) {
    if (!(mean <= 0.0 && mean > Double.NEGATIVE_INFINITY)) {
      throw new IllegalArgumentException(name + " must be finite and <= 0, was " + mean);
    }
  }

  /** Merges another accumulator into this one and returns this. */
  @Override
  public CalibrationGap combine(CalibrationGap other) {
    correctMean = merge(correctMean, correct, other.correctMean, other.correct);
    correct += other.correct;
    incorrectMean = merge(incorrectMean, incorrect, other.incorrectMean, other.incorrect);
    incorrect += other.incorrect;
    return this;
  }

  /** The mean of two groups of non-positive values, without forming a sum that could overflow. */
  private static double merge(double mean, long count, double otherMean, long otherCount) {
    if (otherCount == 0) {
      return mean;
    }
    if (count == 0) {
      return otherMean;
    }
    return mean + (otherMean - mean) * ((double) otherCount / (count + otherCount));
  }

  /** Mean log-probability of correct minus incorrect; empty unless both kinds were seen. */
  @Override
  public OptionalDouble value() {
    return correct == 0 || incorrect == 0
        ? OptionalDouble.empty()
        : OptionalDouble.of(correctMean - incorrectMean);
  }

  /** The number of responses seen. */
  @Override
  public long count() {
    return correct + incorrect;
  }
}
