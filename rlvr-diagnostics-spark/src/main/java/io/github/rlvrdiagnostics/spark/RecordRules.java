package io.github.rlvrdiagnostics.spark;

import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.isnan;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.not;
import static org.apache.spark.sql.functions.when;

import io.github.rlvrdiagnostics.api.Checks;
import io.github.rlvrdiagnostics.core.rollout.CalibrationGap;
import org.apache.spark.sql.Column;

/**
 * The per-record rules of the rollout reduction, each in two forms side by side: a Java predicate
 * for the record path (records with tokens, folded in Java) and a Spark SQL column for the
 * aggregate path (records without tokens, reduced by built-in aggregates). The Java form is the
 * home of each rule (it asks the core where the core owns the rule); the SQL form restates it for
 * code generation, and {@code RecordRulesTest} checks that both forms agree on the edge values
 * (null, NaN, ±∞, ±0, the bounds). The SQL forms are null-safe: a null value breaks the rule.
 */
final class RecordRules {
  private RecordRules() {}

  /** The aggregate path's code of a usable record. */
  static final int GOOD = -1;
  /** The aggregate path's code of a record without a step (the input is bad as a whole). */
  static final int NO_STEP = -2;

  /** A reward must be finite. */
  static boolean rewardOk(double reward) {
    return Double.isFinite(reward);
  }

  static Column rewardOk(Column reward) {
    return finite(reward);
  }

  /**
   * A record's mean per-token log-probability (the summed log-probability over its number of
   * tokens; the sum itself without tokens, {@code tokens = 0}), or NaN when the calibration gap
   * would reject it: the summed log-probability must be finite, and the mean is asked of
   * {@link CalibrationGap#accept} (finite, {@code ≤ 0}).
   */
  static double meanTokenLogProb(double logProb, int tokens) {
    double mean = tokens == 0 ? logProb : logProb / tokens;
    try {
      CalibrationGap.empty().accept(mean, true);
      Checks.finite("logprob", logProb);
    } catch (IllegalArgumentException e) {
      return Double.NaN;
    }
    return mean;
  }

  /**
   * {@link #meanTokenLogProb}'s rule without tokens, where the mean is the sum: finite and
   * {@code ≤ 0}.
   */
  static Column logProbOk(Column logProb) {
    return finite(logProb).and(coalesce(logProb.leq(0.0), lit(false)));
  }

  /** A pass rate is absent (null or NaN) or a probability ({@link Checks#probability}). */
  static boolean passRateOk(double passRate) {
    if (Double.isNaN(passRate)) {
      return true;
    }
    try {
      Checks.probability("pass_rate", passRate);
      return true;
    } catch (IllegalArgumentException e) {
      return false;
    }
  }

  static Column passRateOk(Column passRate) {
    // Spark orders NaN above every number, so NaN is tested before the bounds.
    return coalesce(passRate.isNull().or(isnan(passRate)).or(passRate.geq(0.0).and(passRate.leq(1.0))), lit(false));
  }

  /** A pass rate as the aggregate path reads it: null when absent (null or NaN). */
  static Column passRate(Column passRate) {
    return when(not(isnan(passRate)), passRate);
  }

  /** {@link CalibrationGap#isCorrect} (the home of the rule) as a column, for finite rewards. */
  static Column isCorrect(Column reward) {
    return reward.gt(0.0);
  }

  /** Whether a reward is 0 or 1 (the binary closed forms apply), for finite rewards. */
  static Column isBinary(Column reward) {
    return reward.equalTo(0.0).or(reward.equalTo(1.0));
  }

  /**
   * The aggregate path's code of each record, the rules of the record path's fold in its order:
   * {@link #NO_STEP} (or the reason {@code read} gave) without a step; then the whole group's
   * reason for a negative step or no group; then the reason {@code read} gave, the reward, the
   * log-probability (with {@code logProbs}) and the pass rate; {@link #GOOD} when none applies.
   * Otherwise a {@link SkipReason} ordinal.
   */
  static Column code(Column step, Column group, Column reward, Column logProb, Column passRate, Column readReason,
      boolean logProbs) {
    Column read = ordinal(readReason);
    return when(step.isNull(), coalesce(read, lit(NO_STEP)))
        .when(step.lt(0L), lit(SkipReason.NEGATIVE_STEP.ordinal()))
        .when(group.isNull(), lit(SkipReason.NO_GROUP.ordinal()))
        .when(read.isNotNull(), read)
        .when(not(rewardOk(reward)), lit(SkipReason.BAD_REWARD.ordinal()))
        .when(logProbs ? not(logProbOk(logProb)) : lit(false), lit(SkipReason.BAD_LOGPROB.ordinal()))
        .when(not(passRateOk(passRate)), lit(SkipReason.BAD_PASS_RATE.ordinal()))
        .otherwise(lit(GOOD));
  }

  /** The ordinal of the {@link SkipReason} whose text this is; null for null. */
  static Column ordinal(Column reasonText) {
    Column ordinal = lit(null).cast("int");
    SkipReason[] reasons = SkipReason.values();
    for (int i = reasons.length - 1; i >= 0; i--) {
      ordinal = when(reasonText.equalTo(reasons[i].text()), lit(i)).otherwise(ordinal);
    }
    return ordinal;
  }

  private static Column finite(Column value) {
    // Spark orders NaN above +∞, so this excludes NaN, ±∞ and (through coalesce) null.
    return coalesce(value.gt(Double.NEGATIVE_INFINITY).and(value.lt(Double.POSITIVE_INFINITY)), lit(false));
  }
}
