package io.github.rlvrdiagnostics.api;

/**
 * The thresholds of the training monitor's instability detectors, and the one home of their rules
 * (docs/MONITOR.md, "Detectors"). Each detector is a level alert with the monitor's hysteresis.
 *
 * <ul>
 *   <li>{@link AlertKind#KL_SPIKE}: the KL exceeds {@code spikeFactor} times the median of the
 *       previous {@code baselineReadings} KL readings, and {@code minKl};
 *   <li>{@link AlertKind#GRAD_NORM_SPIKE}: the gradient norm exceeds {@code spikeFactor} times the
 *       median of the previous {@code baselineReadings} readings;
 *   <li>{@link AlertKind#ZERO_STD_NONZERO_LOSS}: the reward spread is at most {@code residueStd}
 *       (every group degenerate: no advantage should survive) while the loss exceeds
 *       {@code residueLoss} in size — the signature of advantages divided by a float32 residue of
 *       a zero standard deviation;
 *   <li>{@link AlertKind#TRUNCATION}: more than {@code maxTruncated} of the responses hit the
 *       length limit;
 *   <li>{@link AlertKind#LENGTH_DRIFT}: the mean response length is more than
 *       {@code lengthDriftFactor} times, or less than its inverse, the median of the run's first
 *       {@code baselineReadings} readings;
 *   <li>{@link AlertKind#ENTROPY_RISING}: the entropy exceeds {@code entropyRiseFactor} times the
 *       median of the run's first {@code baselineReadings} readings (instability, not
 *       exploration, once the policy had settled);
 *   <li>{@link AlertKind#NON_FINITE}: the step logged a NaN or infinite value.
 * </ul>
 * A detector needs its {@code baselineReadings} readings before it can fire. NaN never fires.
 *
 * @param spikeFactor the factor over the recent median that is a spike, {@code > 1}
 * @param baselineReadings the readings a baseline is the median of, {@code ≥ 3}
 * @param minKl the smallest KL that can be a spike, {@code ≥ 0}
 * @param residueStd the reward spread at or below which no advantage should remain, {@code ≥ 0}
 * @param residueLoss the loss size above which a zero-spread step is suspicious, {@code ≥ 0}
 * @param maxTruncated the largest tolerated fraction of truncated responses, in (0, 1)
 * @param lengthDriftFactor the drift factor of the response length, {@code > 1}
 * @param entropyRiseFactor the rise factor of the entropy, {@code > 1}
 */
public record DetectorConfig(double spikeFactor, int baselineReadings, double minKl, double residueStd,
    double residueLoss, double maxTruncated, double lengthDriftFactor, double entropyRiseFactor) {

  /**
   * The defaults: a spike is 10× the median of the last 20 readings (KL also above 0.001); a
   * reward spread of at most 1e-6 with a loss above 0.001 in size; more than 10% truncated; the
   * length doubled or halved; the entropy doubled against the first 20 readings.
   */
  public static final DetectorConfig DEFAULT = new DetectorConfig(10.0, 20, 1e-3, 1e-6, 1e-3, 0.1, 2.0, 2.0);

  /** Validates the components. */
  public DetectorConfig {
    if (!(spikeFactor > 1 && spikeFactor < Double.POSITIVE_INFINITY)) {
      throw new IllegalArgumentException("spikeFactor must be finite and > 1, was " + spikeFactor);
    }
    Checks.atLeast("baselineReadings", baselineReadings, 3);
    Checks.nonNegative("minKl", minKl);
    Checks.nonNegative("residueStd", residueStd);
    Checks.nonNegative("residueLoss", residueLoss);
    Checks.open("maxTruncated", maxTruncated, 0.0, 1.0);
    if (!(lengthDriftFactor > 1 && lengthDriftFactor < Double.POSITIVE_INFINITY)) {
      throw new IllegalArgumentException("lengthDriftFactor must be finite and > 1, was " + lengthDriftFactor);
    }
    if (!(entropyRiseFactor > 1 && entropyRiseFactor < Double.POSITIVE_INFINITY)) {
      throw new IllegalArgumentException("entropyRiseFactor must be finite and > 1, was " + entropyRiseFactor);
    }
  }

  /** Whether a reading is a spike over the recent median (false for a baseline of 0 or NaN). */
  public boolean spike(double value, double recentMedian) {
    return recentMedian > 0 && value > spikeFactor * recentMedian;
  }

  /** Whether a KL reading is a spike: above {@code minKl} and {@link #spike}. */
  public boolean klSpike(double kl, double recentMedian) {
    return kl > minKl && spike(kl, recentMedian);
  }

  /** Whether a step's zero reward spread comes with a loss that should not be there. */
  public boolean zeroStdResidue(double rewardStd, double loss) {
    return rewardStd <= residueStd && Math.abs(loss) > residueLoss;
  }

  /** Whether too many responses were truncated. */
  public boolean truncated(double truncatedFraction) {
    return truncatedFraction > maxTruncated;
  }

  /** Whether the response length drifted from its start by more than the factor, either way. */
  public boolean lengthDrift(double length, double startMedian) {
    return startMedian > 0 && (length > lengthDriftFactor * startMedian || length * lengthDriftFactor < startMedian);
  }

  /** Whether a step's count of NaN or infinite logged values shows a diverged update: any at all. */
  public boolean nonFinite(int nonFiniteValues) {
    return nonFiniteValues > 0;
  }

  /** Whether the entropy rose by more than the factor over its start. */
  public boolean entropyRising(double entropy, double startMedian) {
    return startMedian > 0 && entropy > entropyRiseFactor * startMedian;
  }
}
