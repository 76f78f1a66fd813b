package io.github.rlvrdiagnostics.core.rollout;

import io.github.rlvrdiagnostics.api.Checks;

import io.github.rlvrdiagnostics.core.signal.Signals;

import java.util.OptionalDouble;

/**
 * Accumulates rollout groups into the observed degenerate fraction and, where per-prompt pass
 * rates are known, the fraction the binary closed forms predict (SPEC §1.3, §5).
 *
 * <p>The prediction is {@code mean_j P_deg(p_j, G_j)} over the groups given with a pass rate. It is
 * made from per-prompt rates on purpose: {@code P_deg} is convex, so predicting from the mean pass
 * rate would only give a lower bound. A group with a reward outside {0, 1} voids the prediction
 * (the binary closed forms do not apply); the observed fraction is still counted.
 *
 * <p>Mergeable: {@link #combine} is associative and {@link #empty()} is its identity, so partial
 * accumulators can be reduced on Spark or Flink. Not thread-safe.
 */
public final class DegenerateGroups {
  private long groups;
  private long degenerate;
  private long predictedGroups;
  private double predictedSum;
  private boolean nonBinary;

  private DegenerateGroups() {}

  /** An accumulator of no groups. */
  public static DegenerateGroups empty() {
    return new DegenerateGroups();
  }

  /**
   * Adds a group without a known pass rate.
   *
   * @throws IllegalArgumentException on an empty group or a non-finite reward
   */
  public DegenerateGroups accept(double[] rewards) {
    add(rewards);
    return this;
  }

  /**
   * Adds a group whose prompt has the given pass rate.
   *
   * @throws IllegalArgumentException on an empty group, a non-finite reward or a rate outside [0, 1]
   */
  public DegenerateGroups accept(double[] rewards, double passRate) {
    Checks.probability("passRate", passRate);
    add(rewards);
    predictedGroups++;
    predictedSum += Signals.degenerateThreshold().degenerateProbability(passRate, rewards.length);
    return this;
  }

  private void add(double[] rewards) {
    if (rewards.length == 0) {
      throw new IllegalArgumentException("rewards must hold at least one reward, was empty");
    }
    boolean allEqual = true;
    for (int i = 0; i < rewards.length; i++) {
      if (!Double.isFinite(rewards[i])) {
        throw new IllegalArgumentException("rewards[" + i + "] must be finite, was " + rewards[i]);
      }
      allEqual &= rewards[i] == rewards[0];
      nonBinary |= !(rewards[i] == 0.0 || rewards[i] == 1.0);
    }
    groups++;
    degenerate += allEqual ? 1 : 0;
  }

  /** Merges another accumulator into this one and returns this. */
  public DegenerateGroups combine(DegenerateGroups other) {
    groups += other.groups;
    degenerate += other.degenerate;
    predictedGroups += other.predictedGroups;
    predictedSum += other.predictedSum;
    nonBinary |= other.nonBinary;
    return this;
  }

  /** The number of groups seen. */
  public long groups() {
    return groups;
  }

  /** The fraction of groups whose rewards were all equal; empty before the first group. */
  public OptionalDouble observedFraction() {
    return groups == 0 ? OptionalDouble.empty() : OptionalDouble.of((double) degenerate / groups);
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
