package io.github.rlvrdiagnostics.core.rollout;

import io.github.rlvrdiagnostics.api.Accumulator;
import io.github.rlvrdiagnostics.api.AdvantageEstimator;
import io.github.rlvrdiagnostics.api.Checks;
import java.io.Serializable;
import java.util.OptionalDouble;

/**
 * The token-level covariance {@code Cov(log π, A)} of Cui et al. (docs/MATH.md §5): the mean over tokens
 * of {@code (log π_t − mean log π)(A_t − mean A)}, the population covariance that Clip-Cov and
 * KL-Cov rank tokens by. A large positive covariance is the mechanism of entropy collapse:
 * confident tokens with positive advantage get more confident.
 *
 * <p>Computed with Welford's updates and merged with Chan et al.'s pairwise formula, so neither a
 * long stream nor a merge loses precision to cancellation. Mergeable ({@link #combine}
 * associative up to rounding, {@link #empty()} the identity). Serializable, so partial accumulators can travel between workers (Spark, Flink). Not thread-safe.
 *
 * <p><b>Special cases.</b> Values whose covariance is beyond the double range (tokens near
 * {@code ±1e308}) never turn the result into ±∞ or NaN: the {@link #accept} or {@link #combine}
 * that would overflow throws an {@link IllegalArgumentException} whose message starts with
 * "logProb" and leaves the accumulator unchanged. Values up to about {@code 1e150} in magnitude
 * never overflow.
 */
public final class LogProbAdvantageCovariance implements Accumulator<LogProbAdvantageCovariance>, Serializable {
  private static final long serialVersionUID = 1L;

  private long n;
  private double meanLogProb;
  private double meanAdvantage;
  private double coMoment;

  private LogProbAdvantageCovariance() {}

  /** An accumulator of no tokens. */
  public static LogProbAdvantageCovariance empty() {
    return new LogProbAdvantageCovariance();
  }

  /**
   * An accumulator holding the given moments, as if its tokens had been accepted one by one: the
   * way to add a summarised batch (a group) with {@link #combine}.
   *
   * @param n the number of tokens, {@code ≥ 1}
   * @param meanLogProb their mean log-probability, finite
   * @param meanAdvantage their mean advantage, finite
   * @param coMoment {@code Σ (logProb_i − meanLogProb)(advantage_i − meanAdvantage)}, finite
   * @throws IllegalArgumentException on an argument that breaks its rule (NaN included)
   */
  public static LogProbAdvantageCovariance ofMoments(long n, double meanLogProb, double meanAdvantage,
      double coMoment) {
    LogProbAdvantageCovariance c = new LogProbAdvantageCovariance();
    c.n = Checks.atLeast("n", n, 1L);
    c.meanLogProb = Checks.finite("meanLogProb", meanLogProb);
    c.meanAdvantage = Checks.finite("meanAdvantage", meanAdvantage);
    c.coMoment = Checks.finite("coMoment", coMoment);
    return c;
  }

  /**
   * One group's terms under a std-normalised GRPO estimator, from the group's centred moments
   * instead of its records: the advantages are {@code (r_i − r̄) / d} with {@code d} from
   * {@link Advantages#stdDivisor} (the one home of the formula, default spread floor), so the
   * group's co-moment is {@code Σ (r_i − r̄)(logProb_i − meanLogProb) / d} and its mean advantage 0.
   *
   * <p><b>Accuracy.</b> The arguments must be centred sums as Welford's or Chan's updates give
   * them (Spark's {@code covar_pop} and {@code var_pop} times the count), not differences of raw
   * sums such as {@code Σ r·lp − n·r̄·mean lp}, which lose the digits that cancel. Then the result
   * agrees with accepting the group's (logProb, advantage) pairs one by one to a few ulps of
   * {@code Σ |logProb_i − meanLogProb|·|A_i|}, and the mean advantage to about
   * {@code 1e-16·max |A_i|} (record by record it is 0 up to rounding; here exactly 0).
   *
   * @param estimator {@link AdvantageEstimator#GRPO_SAMPLE_STD} or {@link AdvantageEstimator#GRPO_POPULATION_STD}
   * @param size the group's number of records, {@code ≥ 1}
   * @param rewardMin the group's smallest reward, finite
   * @param rewardMax the group's largest reward, finite and {@code ≥ rewardMin}
   * @param rewardSquaredDeviations {@code Σ (r_i − r̄)²}, finite and {@code ≥ 0}
   * @param meanLogProb the group's mean log-probability, finite
   * @param rewardLogProbCoMoment {@code Σ (r_i − r̄)(logProb_i − meanLogProb)}, finite
   * @param epsilon the std stabiliser, finite and {@code ≥ 0} ({@link Advantages#DEFAULT_EPSILON})
   * @throws IllegalArgumentException on another estimator or an argument that breaks its rule
   *     (NaN included)
   */
  public static LogProbAdvantageCovariance ofGroup(AdvantageEstimator estimator, long size, double rewardMin,
      double rewardMax, double rewardSquaredDeviations, double meanLogProb, double rewardLogProbCoMoment,
      double epsilon) {
    double divisor = Advantages.stdDivisor(estimator, size, rewardMin, rewardMax, rewardSquaredDeviations, epsilon);
    Checks.finite("rewardLogProbCoMoment", rewardLogProbCoMoment);
    double coMoment = divisor == Double.POSITIVE_INFINITY ? 0.0 : rewardLogProbCoMoment / divisor;
    if (!Double.isFinite(coMoment)) {
      throw new IllegalArgumentException("rewardLogProbCoMoment / divisor must be finite, was "
          + rewardLogProbCoMoment + " / " + divisor);
    }
    return ofMoments(size, meanLogProb, 0.0, coMoment);
  }

  /**
   * Adds one token.
   *
   * @throws IllegalArgumentException unless both values are finite, or when the update would
   *     overflow (see the class documentation); the accumulator is then unchanged
   */
  public LogProbAdvantageCovariance accept(double logProb, double advantage) {
    Checks.finite("logProb", logProb);
    Checks.finite("advantage", advantage);
    long count = n + 1;
    double dx = logProb - meanLogProb;
    double newMeanLogProb = meanLogProb + dx / count;
    double newMeanAdvantage = meanAdvantage + (advantage - meanAdvantage) / count;
    double newCoMoment = coMoment + dx * (advantage - newMeanAdvantage);
    checkFinite("logProb and advantage (" + logProb + ", " + advantage + ")",
        dx, newMeanLogProb, newMeanAdvantage, newCoMoment);
    n = count;
    meanLogProb = newMeanLogProb;
    meanAdvantage = newMeanAdvantage;
    coMoment = newCoMoment;
    return this;
  }

  private static void checkFinite(String what, double... values) {
    for (double v : values) {
      if (!Double.isFinite(v)) {
        throw new IllegalArgumentException(what + " overflow the covariance's sums beyond the double range; "
            + "the accumulator is unchanged");
      }
    }
  }

  /** Merges another accumulator into this one and returns this. */
  @Override
  public LogProbAdvantageCovariance combine(LogProbAdvantageCovariance other) {
    if (other.n == 0) {
      return this;
    }
    if (n == 0) {
      n = other.n;
      meanLogProb = other.meanLogProb;
      meanAdvantage = other.meanAdvantage;
      coMoment = other.coMoment;
      return this;
    }
    long total = n + other.n;
    double dx = other.meanLogProb - meanLogProb;
    double dy = other.meanAdvantage - meanAdvantage;
    double newCoMoment = coMoment + other.coMoment + dx * dy * ((double) n * other.n / total);
    double newMeanLogProb = meanLogProb + dx * ((double) other.n / total);
    double newMeanAdvantage = meanAdvantage + dy * ((double) other.n / total);
    checkFinite("logProb and advantage means of the merged accumulators",
        dx, dy, newCoMoment, newMeanLogProb, newMeanAdvantage);
    coMoment = newCoMoment;
    meanLogProb = newMeanLogProb;
    meanAdvantage = newMeanAdvantage;
    n = total;
    return this;
  }

  /** The mean log-probability of the tokens seen; 0 before the first token. */
  public double meanLogProb() {
    return meanLogProb;
  }

  /** The mean advantage of the tokens seen; 0 before the first token. */
  public double meanAdvantage() {
    return meanAdvantage;
  }

  /** The number of tokens seen. */
  @Override
  public long count() {
    return n;
  }

  /** The population covariance; empty before the first token. */
  @Override
  public OptionalDouble value() {
    return n == 0 ? OptionalDouble.empty() : OptionalDouble.of(coMoment / n);
  }
}
