package io.github.rlvrdiagnostics.core.rollout;

import io.github.rlvrdiagnostics.api.Accumulator;
import io.github.rlvrdiagnostics.api.Checks;
import io.github.rlvrdiagnostics.core.signal.Signals;
import java.io.Serializable;
import java.util.OptionalDouble;

/**
 * Accumulates rollout groups into the observed degenerate fraction, its all-pass and all-fail
 * parts, and, where per-prompt pass rates are known, the fraction the binary closed forms predict
 * (docs/MATH.md §1, the learning signal of one group, and §5). It is also the one home of the
 * rule "a group is degenerate when the spread (max − min) of its rewards is at most a floor"
 * ({@link #isDegenerate(double[], double)}), shared by the accumulators, {@link Advantages}, the
 * training loop and the monitor.
 *
 * <p><b>The spread floor.</b> The default floor is {@link #DEFAULT_SPREAD_FLOOR} = {@code 1e-6}:
 * rewards computed in fp32 that "should" be equal differ by round-off (NeMo-RL PR #4161), and a
 * group whose rewards differ only there carries no real learning signal. Floor 0 is the exact rule
 * "all rewards equal". The floor applies to every group, binary ones included, where it changes
 * nothing: a {0, 1} group has spread 0 or 1, so any floor below 1 gives exactly "all equal".
 *
 * <p>The prediction is {@code mean_j P_deg(p_j, G_j)} over the groups given with a pass rate. It is
 * made from per-prompt rates on purpose: {@code P_deg} is convex, so predicting from the mean pass
 * rate would only give a lower bound. A group with a reward outside {0, 1} voids the prediction
 * and the all-pass/all-fail split (the binary closed forms do not apply); the observed fraction is
 * still counted.
 *
 * <p>An {@link Accumulator}: {@link #combine} is associative — exactly for the counts, up to
 * rounding for the predicted fraction, whose sum is a double — and {@link #empty()} is its
 * identity, so partial accumulators can be reduced in parallel; a rejected group leaves it unchanged. Serializable, so partial accumulators can travel between workers (Spark, Flink). Not
 * thread-safe.
 */
public final class DegenerateGroups implements Accumulator<DegenerateGroups>, Serializable {
  private static final long serialVersionUID = 1L;

  private long groups;
  private long degenerate;
  private long allPass;
  private long allFail;
  private long predictedGroups;
  private double predictedSum;
  private boolean nonBinary;
  private final double floor;

  /**
   * The default spread floor, {@code 1e-6}: groups whose rewards span at most this much are
   * degenerate (fp32 round-off makes "equal" rewards differ; NeMo-RL PR #4161).
   */
  public static final double DEFAULT_SPREAD_FLOOR = 1e-6;

  private DegenerateGroups(double floor) {
    this.floor = floor;
  }

  /** An accumulator of no groups with the default spread floor {@link #DEFAULT_SPREAD_FLOOR}. */
  public static DegenerateGroups empty() {
    return new DegenerateGroups(DEFAULT_SPREAD_FLOOR);
  }

  /**
   * An accumulator of no groups that counts a group as degenerate when the spread of its rewards
   * is at most {@code floor}.
   *
   * @param floor the spread floor, finite and {@code ≥ 0} (0: exactly equal rewards only)
   * @throws IllegalArgumentException if {@code floor} is negative, infinite or NaN
   */
  public static DegenerateGroups empty(double floor) {
    return new DegenerateGroups(Checks.nonNegative("floor", floor));
  }

  /** The spread floor this accumulator counts degenerate groups with. */
  public double spreadFloor() {
    return floor;
  }

  /**
   * Whether a group is degenerate at the default spread floor {@link #DEFAULT_SPREAD_FLOOR}: the
   * same as {@code isDegenerate(rewards, DEFAULT_SPREAD_FLOOR)}.
   *
   * @throws IllegalArgumentException on an empty group or a non-finite reward
   */
  public static boolean isDegenerate(double[] rewards) {
    return isDegenerate(rewards, DEFAULT_SPREAD_FLOOR);
  }

  /**
   * Whether a group is degenerate: the spread {@code max − min} of its rewards is at most
   * {@code floor}, so its centred advantages are 0 (exactly, at floor 0) and the group carries no
   * gradient. For {0, 1} rewards and any floor below 1 this is "all rewards equal".
   *
   * <p>Special cases: a group of one reward is degenerate; the spread is computed without
   * overflow ({@code {MAX_VALUE, −MAX_VALUE}} has spread +∞, never degenerate).
   *
   * @param rewards the group's rewards, non-empty and finite
   * @param floor the spread floor, finite and {@code ≥ 0}
   * @throws IllegalArgumentException on an empty group, a non-finite reward, or a floor that is
   *     negative, infinite or NaN
   */
  public static boolean isDegenerate(double[] rewards, double floor) {
    Checks.nonNegative("floor", floor);
    checkRewards(rewards);
    double min = rewards[0];
    double max = rewards[0];
    for (double r : rewards) {
      min = Math.min(min, r);
      max = Math.max(max, r);
    }
    return spreadAtMost(min, max, floor);
  }

  /**
   * The rule itself, on a group's smallest and largest reward: the one place where "degenerate"
   * is decided, for whole groups ({@link #isDegenerate(double[], double)}), for group summaries
   * ({@link #acceptSummary}) and for {@link Advantages}.
   */
  static boolean spreadAtMost(double min, double max, double floor) {
    return max - min <= floor; // an overflowing difference is +∞ > floor
  }

  /**
   * Adds a group without a known pass rate.
   *
   * @throws IllegalArgumentException on an empty group or a non-finite reward
   */
  public DegenerateGroups accept(double[] rewards) {
    add(rewards, isDegenerate(rewards, floor));
    return this;
  }

  /**
   * Adds a group whose prompt has the given pass rate.
   *
   * @throws IllegalArgumentException on an empty group, a non-finite reward or a rate outside [0, 1]
   */
  public DegenerateGroups accept(double[] rewards, double passRate) {
    Checks.probability("passRate", passRate);
    add(rewards, isDegenerate(rewards, floor));
    predict(passRate, rewards.length);
    return this;
  }

  private void predict(double passRate, int size) {
    predictedGroups++;
    predictedSum += Signals.degenerateThreshold().degenerateProbability(passRate, size);
  }

  /**
   * Adds a group without a known pass rate from its summary: the same state as
   * {@link #accept(double[])} of the group's rewards (the all-pass/all-fail counts are read only
   * while every reward is 0 or 1, where they agree exactly).
   *
   * @param size the number of rewards, {@code ≥ 1}
   * @param min the smallest reward, finite
   * @param max the largest reward, finite and {@code ≥ min} ({@code = min} for one reward)
   * @param binary whether every reward is 0 or 1 (then {@code min} and {@code max} are too)
   * @throws IllegalArgumentException if the summary breaks one of these rules (NaN included); the
   *     accumulator is then unchanged
   */
  public DegenerateGroups acceptSummary(int size, double min, double max, boolean binary) {
    checkSummary(size, min, max, binary);
    count(binary, spreadAtMost(min, max, floor), min);
    return this;
  }

  /**
   * Adds a group whose prompt has the given pass rate from its summary: the same state as
   * {@link #accept(double[], double)} of the group's rewards, as {@link #acceptSummary(int, double,
   * double, boolean)} says.
   *
   * @throws IllegalArgumentException as {@link #acceptSummary(int, double, double, boolean)}, or
   *     on a rate outside [0, 1]; the accumulator is then unchanged
   */
  public DegenerateGroups acceptSummary(int size, double min, double max, boolean binary, double passRate) {
    checkSummary(size, min, max, binary);
    Checks.probability("passRate", passRate);
    count(binary, spreadAtMost(min, max, floor), min);
    predict(passRate, size);
    return this;
  }

  private static void checkSummary(int size, double min, double max, boolean binary) {
    Checks.atLeast("size", size, 1);
    Checks.finite("min", min);
    Checks.finite("max", max);
    if (!(min <= max)) {
      throw new IllegalArgumentException("max must be >= min " + min + ", was " + max);
    }
    if (size == 1 && min != max) {
      throw new IllegalArgumentException("max must equal min " + min + " for a group of one reward, was " + max);
    }
    if (binary && !(isBinary(min) && isBinary(max))) {
      throw new IllegalArgumentException("min and max must be 0 or 1 for binary rewards, were " + min + " and " + max);
    }
  }

  private static boolean isBinary(double reward) {
    return reward == 0.0 || reward == 1.0;
  }

  private static void checkRewards(double[] rewards) {
    if (rewards.length == 0) {
      throw new IllegalArgumentException("rewards must hold at least one reward, was empty");
    }
    for (int i = 0; i < rewards.length; i++) {
      if (!Double.isFinite(rewards[i])) {
        throw new IllegalArgumentException("rewards[" + i + "] must be finite, was " + rewards[i]);
      }
    }
  }

  /** Counts a group already validated; nothing here can throw, so a bad group changes nothing. */
  private void add(double[] rewards, boolean allEqual) {
    boolean binary = true;
    for (double r : rewards) {
      binary &= isBinary(r);
    }
    count(binary, allEqual, rewards[0]);
  }

  /** Counts one group; {@code anyReward} is one of its rewards (all equal when it is degenerate and binary). */
  private void count(boolean binary, boolean allEqual, double anyReward) {
    nonBinary |= !binary;
    groups++;
    if (allEqual) {
      degenerate++;
      allPass += anyReward == 1.0 ? 1 : 0; // only read while every reward is 0 or 1
      allFail += anyReward == 0.0 ? 1 : 0;
    }
  }

  /**
   * Adds the groups of {@code other} to this accumulator.
   *
   * @throws IllegalArgumentException if the two accumulators use different spread floors, or if
   *     a combined count would pass 2^63 − 1 (it would wrap negative); this accumulator is then
   *     unchanged
   */
  @Override
  public DegenerateGroups combine(DegenerateGroups other) {
    if (Double.compare(other.floor, floor) != 0) {
      throw new IllegalArgumentException("other must use spread floor " + floor + ", uses " + other.floor);
    }
    long sumGroups;
    long sumDegenerate;
    long sumAllPass;
    long sumAllFail;
    long sumPredicted;
    try {
      sumGroups = Math.addExact(groups, other.groups);
      sumDegenerate = Math.addExact(degenerate, other.degenerate);
      sumAllPass = Math.addExact(allPass, other.allPass);
      sumAllFail = Math.addExact(allFail, other.allFail);
      sumPredicted = Math.addExact(predictedGroups, other.predictedGroups);
    } catch (ArithmeticException e) {
      throw new IllegalArgumentException("other cannot be combined: the group count would pass 2^63 - 1, was "
          + groups + " + " + other.groups, e);
    }
    groups = sumGroups;
    degenerate = sumDegenerate;
    allPass = sumAllPass;
    allFail = sumAllFail;
    predictedGroups = sumPredicted;
    predictedSum += other.predictedSum;
    nonBinary |= other.nonBinary;
    return this;
  }

  /** The number of groups seen. */
  @Override
  public long count() {
    return groups;
  }

  /** The number of groups seen (the same as {@link #count()}). */
  public long groups() {
    return groups;
  }

  /**
   * The observed degenerate fraction: groups whose rewards spanned at most the spread floor;
   * empty before the first group.
   */
  @Override
  public OptionalDouble value() {
    return groups == 0 ? OptionalDouble.empty() : OptionalDouble.of((double) degenerate / groups);
  }

  /** The observed degenerate fraction (the same as {@link #value()}). */
  public OptionalDouble observedFraction() {
    return value();
  }

  /** The fraction of groups whose rewards were all 1 (too easy); empty before the first group or with non-binary rewards. */
  public OptionalDouble allPassFraction() {
    return groups == 0 || nonBinary ? OptionalDouble.empty() : OptionalDouble.of((double) allPass / groups);
  }

  /** The fraction of groups whose rewards were all 0 (too hard); empty before the first group or with non-binary rewards. */
  public OptionalDouble allFailFraction() {
    return groups == 0 || nonBinary ? OptionalDouble.empty() : OptionalDouble.of((double) allFail / groups);
  }

  /**
   * The predicted degenerate fraction over the groups given with a pass rate; empty when there
   * were none or when a reward outside {0, 1} was seen.
   */
  public OptionalDouble predictedFraction() {
    return predictedGroups == 0 || nonBinary
        ? OptionalDouble.empty()
        : OptionalDouble.of(Math.min(1.0, predictedSum / predictedGroups));
  }

  /** Whether every reward seen was 0 or 1. */
  public boolean binaryRewards() {
    return !nonBinary;
  }
}
