package io.github.rlvrdiagnostics.spark;

import io.github.rlvrdiagnostics.api.AdvantageEstimator;
import io.github.rlvrdiagnostics.core.rollout.Advantages;
import io.github.rlvrdiagnostics.core.rollout.CalibrationGap;
import io.github.rlvrdiagnostics.core.rollout.DegenerateGroups;
import io.github.rlvrdiagnostics.core.rollout.DistinctN;
import io.github.rlvrdiagnostics.core.rollout.LogProbAdvantageCovariance;
import io.github.rlvrdiagnostics.core.rollout.SelfBleu;
import java.io.Serializable;
import java.util.OptionalDouble;
import org.jspecify.annotations.Nullable;

/**
 * The partial reduction of one step: the core accumulators over the groups seen so far, plus the
 * reward count, sum and range. Mergeable with {@link #combine} (each accumulator's own
 * {@code combine}), {@link #empty()} the identity; Serializable so that Spark can move it. Not
 * thread-safe.
 */
final class StepState implements Serializable {
  private static final long serialVersionUID = 1L;

  /**
   * The advantage estimator of the covariance {@code Cov(log π, A)}: GRPO with the sample standard
   * deviation, as TRL and verl compute it (and the reference loop's default), with verl's ε.
   */
  static final AdvantageEstimator ADVANTAGE = AdvantageEstimator.GRPO_SAMPLE_STD;

  /** The n of distinct-n the table reports. */
  static final int DISTINCT_N = 2;

  final DegenerateGroups degenerate = DegenerateGroups.empty();
  final DistinctN distinct = DistinctN.empty(DISTINCT_N);
  final SelfBleu selfBleu = SelfBleu.empty();
  final CalibrationGap calibration = CalibrationGap.empty();
  final LogProbAdvantageCovariance covariance = LogProbAdvantageCovariance.empty();
  long rollouts;
  double rewardSum;
  double rewardMin = Double.POSITIVE_INFINITY;
  double rewardMax = Double.NEGATIVE_INFINITY;
  /** Records left out, by {@link SkipReason} ordinal (see {@link RolloutTable#skippedReasons()}). */
  final long[] skipped = new long[SkipReason.values().length];
  /** Records without a step: the input is bad as a whole, reported once the job is done. */
  long nullSteps;

  static StepState empty() {
    return new StepState();
  }

  /**
   * Adds one group whose records were all checked.
   *
   * @param passRate the prompt's pass rate, or NaN for none
   * @param tokens one sequence per rollout, or null without tokens
   * @param logProbs one summed log-probability per rollout, or null without them
   * @param meanTokenLogProbs one mean per-token log-probability per rollout, or null without them
   */
  void acceptGroup(double[] rewards, double passRate, int[] @Nullable [] tokens,
      double @Nullable [] logProbs, double @Nullable [] meanTokenLogProbs) {
    if (Double.isNaN(passRate)) {
      degenerate.accept(rewards);
    } else {
      degenerate.accept(rewards, passRate);
    }
    for (double r : rewards) {
      rollouts++;
      rewardSum += r;
      rewardMin = Math.min(rewardMin, r);
      rewardMax = Math.max(rewardMax, r);
    }
    if (tokens != null) {
      for (int[] sequence : tokens) {
        distinct.accept(sequence);
        selfBleu.accept(sequence);
      }
    }
    if (logProbs != null && meanTokenLogProbs != null) {
      double[] advantages = Advantages.compute(ADVANTAGE, new double[][] {rewards}, Advantages.DEFAULT_EPSILON)[0];
      for (int i = 0; i < rewards.length; i++) {
        covariance.accept(logProbs[i], advantages[i]);
        calibration.accept(meanTokenLogProbs[i], CalibrationGap.isCorrect(rewards[i]));
      }
    }
  }

  /**
   * Adds one group whose records were all checked, from its summary (the aggregate path): the
   * same state as {@link #acceptGroup} of its records, up to the rounding of the sums and means
   * (see the core's group-level methods).
   *
   * @param size the number of records, sum, min and max their rewards' sum and range
   * @param passRate the prompt's pass rate, or NaN for none
   * @param logProbs the log-probability moments, or null without them
   */
  void acceptSummary(int size, double sum, double min, double max, boolean binary, double passRate,
      @Nullable LogProbMoments logProbs) {
    if (Double.isNaN(passRate)) {
      degenerate.acceptSummary(size, min, max, binary);
    } else {
      degenerate.acceptSummary(size, min, max, binary, passRate);
    }
    rollouts += size;
    rewardSum += sum;
    rewardMin = Math.min(rewardMin, min);
    rewardMax = Math.max(rewardMax, max);
    if (logProbs != null) {
      covariance.combine(LogProbAdvantageCovariance.ofGroup(ADVANTAGE, size, min, max,
          logProbs.rewardSquaredDeviations(), logProbs.meanLogProb(), logProbs.rewardLogProbCoMoment(),
          Advantages.DEFAULT_EPSILON));
      calibration.acceptMeans(logProbs.correct(), logProbs.correctMean(), size - logProbs.correct(),
          logProbs.incorrectMean());
    }
  }

  /**
   * A group's log-probability moments, centred as Welford's and Chan's updates centre them (no
   * difference of raw sums), with the counts and means of its correct and incorrect records
   * ({@link CalibrationGap#isCorrect}; a mean is 0 where its count is).
   */
  record LogProbMoments(double rewardSquaredDeviations, double meanLogProb, double rewardLogProbCoMoment,
      long correct, double correctMean, double incorrectMean) {}

  /** Adds {@code other}'s groups to this state and returns this. */
  StepState combine(StepState other) {
    degenerate.combine(other.degenerate);
    distinct.combine(other.distinct);
    selfBleu.combine(other.selfBleu);
    calibration.combine(other.calibration);
    covariance.combine(other.covariance);
    rollouts += other.rollouts;
    rewardSum += other.rewardSum;
    rewardMin = Math.min(rewardMin, other.rewardMin);
    rewardMax = Math.max(rewardMax, other.rewardMax);
    for (int i = 0; i < skipped.length; i++) {
      skipped[i] += other.skipped[i];
    }
    nullSteps += other.nullSteps;
    return this;
  }

  /** The step's values; {@code groups() == 0} when no group of it was usable (only skipped records). */
  StepResult result(long step, boolean tokens, boolean logProbs, long selfBleuPairs, long seed) {
    return new StepResult(step, degenerate.groups(), rollouts, rollouts == 0 ? Double.NaN : rewardSum / rollouts,
        rewardMin, rewardMax, orNaN(degenerate.observedFraction()), orNaN(degenerate.allPassFraction()),
        orNaN(degenerate.allFailFraction()), orNaN(degenerate.predictedFraction()),
        tokens ? orNaN(distinct.value()) : Double.NaN, tokens ? orNaN(selfBleu.sampledValue(selfBleuPairs, seed)) : Double.NaN,
        logProbs ? orNaN(calibration.value()) : Double.NaN, logProbs ? orNaN(covariance.value()) : Double.NaN,
        degenerate.binaryRewards(), skipped, nullSteps);
  }

  private static double orNaN(OptionalDouble value) {
    return value.isPresent() ? value.getAsDouble() : Double.NaN;
  }

  /**
   * A step's values as computed on a worker, NaN for "empty": plain doubles, so that the driver
   * receives a few hundred bytes per step whatever the accumulators hold (Self-BLEU's sequences
   * stay on the worker that computed it).
   */
  record StepResult(long step, long groups, long rollouts, double meanReward, double rewardMin, double rewardMax,
      double degenerateFraction, double allPassFraction, double allFailFraction, double predictedFraction,
      double distinct2, double selfBleu, double calibrationGap, double covariance, boolean binaryRewards,
      long[] skipped, long nullSteps) implements Serializable {

    RolloutStep row() {
      return new RolloutStep(step, groups, rollouts, meanReward, rewardMin, rewardMax, degenerateFraction,
          optional(allPassFraction), optional(allFailFraction), optional(predictedFraction), optional(distinct2),
          optional(selfBleu), optional(calibrationGap), optional(covariance), binaryRewards);
    }

    private static OptionalDouble optional(double value) {
      return Double.isNaN(value) ? OptionalDouble.empty() : OptionalDouble.of(value);
    }
  }
}
