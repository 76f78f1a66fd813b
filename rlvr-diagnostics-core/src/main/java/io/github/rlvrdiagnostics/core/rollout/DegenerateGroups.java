package io.github.rlvrdiagnostics.core.rollout;

import io.github.rlvrdiagnostics.api.Accumulator;
import io.github.rlvrdiagnostics.api.Checks;
import io.github.rlvrdiagnostics.core.signal.Signals;
import java.util.OptionalDouble;

/**
 * Accumulates rollout groups into the observed degenerate fraction, its all-pass and all-fail
 * parts, and, where per-prompt pass rates are known, the fraction the binary closed forms predict
 * (docs/MATH.md §1, the learning signal of one group, and §5). It is also the one home of the
 * rule "a group is degenerate when all its rewards are equal" ({@link #isDegenerate}).
 *
 * <p>The prediction is {@code mean_j P_deg(p_j, G_j)} over the groups given with a pass rate. It is
 * made from per-prompt rates on purpose: {@code P_deg} is convex, so predicting from the mean pass
 * rate would only give a lower bound. A group with a reward outside {0, 1} voids the prediction
 * and the all-pass/all-fail split (the binary closed forms do not apply); the observed fraction is
 * still counted.
 *
 * <p>An {@link Accumulator}: {@link #combine} is associative — exactly for the counts, up to
 * rounding for the predicted fraction, whose sum is a double — and {@link #empty()} is its
 * identity, so partial accumulators can be reduced in parallel; a rejected group leaves it unchanged. Not
 * thread-safe.
 */
public final class DegenerateGroups implements Accumulator<DegenerateGroups> {
  private long groups;
  private long degenerate;
  private long allPass;
  private long allFail;
  private long predictedGroups;
  private double predictedSum;
  private boolean nonBinary;

  private DegenerateGroups() {}

  /** An accumulator of no groups. */
  public static DegenerateGroups empty() {
    return new DegenerateGroups();
  }

  /**
   * Whether a group is degenerate: all its rewards are equal, so every centred advantage is 0 and
   * the group carries no gradient.
   *
   * @throws IllegalArgumentException on an empty group or a non-finite reward
   */
  public static boolean isDegenerate(double[] rewards) {
    checkRewards(rewards);
    for (double r : rewards) {
      if (r != rewards[0]) {
        return false;
      }
    }
    return true;
  }

  /**
   * Adds a group without a known pass rate.
   *
   * @throws IllegalArgumentException on an empty group or a non-finite reward
   */
  public DegenerateGroups accept(double[] rewards) {
    add(rewards, isDegenerate(rewards));
    return this;
  }

  /**
   * Adds a group whose prompt has the given pass rate.
   *
   * @throws IllegalArgumentException on an empty group, a non-finite reward or a rate outside [0, 1]
   */
  public DegenerateGroups accept(double[] rewards, double passRate) {
    Checks.probability("passRate", passRate);
    add(rewards, isDegenerate(rewards));
    predictedGroups++;
    predictedSum += Signals.degenerateThreshold().degenerateProbability(passRate, rewards.length);
    return this;
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
    for (double r : rewards) {
      nonBinary |= !(r == 0.0 || r == 1.0);
    }
    groups++;
    if (allEqual) {
      degenerate++;
      allPass += rewards[0] == 1.0 ? 1 : 0;
      allFail += rewards[0] == 0.0 ? 1 : 0;
    }
  }

  @Override
  public DegenerateGroups combine(DegenerateGroups other) {
    groups += other.groups;
    degenerate += other.degenerate;
    allPass += other.allPass;
    allFail += other.allFail;
    predictedGroups += other.predictedGroups;
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

  /** The observed degenerate fraction: groups whose rewards were all equal; empty before the first group. */
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
