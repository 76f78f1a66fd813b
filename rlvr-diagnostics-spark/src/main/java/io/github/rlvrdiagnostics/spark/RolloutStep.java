package io.github.rlvrdiagnostics.spark;

import io.github.rlvrdiagnostics.api.Checks;
import java.util.OptionalDouble;

/**
 * One row of the per-step rollout table: what the rollouts of one training step say about its
 * learning signal, each value the result of a core accumulator over the step's groups.
 *
 * <p>Special cases: with a reward outside {0, 1} in the step ({@code binaryRewards} false) the
 * all-pass/all-fail split and the prediction are empty, because the binary closed forms do not
 * apply; the observed degenerate fraction is still reported (spread of the group's rewards at most
 * {@code DegenerateGroups.DEFAULT_SPREAD_FLOOR}).
 *
 * @param step the training step, {@code ≥ 0}
 * @param groups the groups of the step (rollouts with the same {@code group_id}), {@code ≥ 1}
 * @param rollouts the rollouts used, {@code ≥ groups}
 * @param meanReward the mean reward over the step's rollouts
 * @param rewardMin the smallest reward of the step
 * @param rewardMax the largest reward of the step
 * @param degenerateFraction the observed fraction of degenerate groups ({@code DegenerateGroups}), in [0, 1]
 * @param allPassFraction the fraction of groups whose rewards were all 1; empty with non-binary rewards
 * @param allFailFraction the fraction of groups whose rewards were all 0; empty with non-binary rewards
 * @param predictedDegenerateFraction {@code mean_j P_deg(p_j, G_j)} over the groups with a
 *     {@code pass_rate}; empty without pass rates or with non-binary rewards
 * @param distinct2 distinct-2 of the step's token sequences ({@code DistinctN}); empty without tokens
 * @param selfBleu Self-BLEU of the step's token sequences ({@code SelfBleu}); empty without tokens or
 *     with fewer than two sequences
 * @param calibrationGap the mean per-token log-probability of correct (reward above 0) minus
 *     incorrect rollouts ({@code CalibrationGap}); empty without log-probabilities or unless both
 *     kinds occur
 * @param logProbAdvantageCovariance {@code Cov(log π, A)} over the step's rollouts, one term per
 *     response with its summed log-probability and its group's GRPO advantage
 *     ({@code LogProbAdvantageCovariance}); empty without log-probabilities
 * @param binaryRewards whether every reward of the step was 0 or 1
 */
public record RolloutStep(
    long step,
    long groups,
    long rollouts,
    double meanReward,
    double rewardMin,
    double rewardMax,
    double degenerateFraction,
    OptionalDouble allPassFraction,
    OptionalDouble allFailFraction,
    OptionalDouble predictedDegenerateFraction,
    OptionalDouble distinct2,
    OptionalDouble selfBleu,
    OptionalDouble calibrationGap,
    OptionalDouble logProbAdvantageCovariance,
    boolean binaryRewards) {

  /**
   * Validates the counts and fractions.
   *
   * @throws IllegalArgumentException on a negative step, no groups, fewer rollouts than groups,
   *     or a fraction outside [0, 1]
   */
  public RolloutStep {
    Checks.atLeast("step", step, 0L);
    Checks.atLeast("groups", groups, 1L);
    Checks.atLeast("rollouts", rollouts, groups);
    Checks.probability("degenerateFraction", degenerateFraction);
  }
}
