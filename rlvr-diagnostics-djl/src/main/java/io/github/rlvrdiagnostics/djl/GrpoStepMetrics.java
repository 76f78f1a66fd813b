package io.github.rlvrdiagnostics.djl;

import java.util.OptionalDouble;

/**
 * What one GRPO step of {@link GrpoTrainer} measured (docs/MATH.md §5 (GRPO advantages, losses and
 * entropy controls)); the JSONL metrics file uses these
 * component names, which {@code rlvr-diag monitor} reads.
 *
 * @param step the step number, from 1
 * @param reward the mean reward of the step's rollouts
 * @param degenerateFraction the fraction of groups whose rewards were all equal
 * @param predictedDegenerateFraction {@code mean_j P_deg(p_j, G)} from the per-prompt pass rates
 *     the trainer was given; empty without them or with non-binary rewards
 * @param preRlPredictedDegenerateFraction the fraction predicted without bias from the pre-RL
 *     samples of the step's prompts, {@code mean_j [C(c_j, G) + C(n_j−c_j, G)]/C(n_j, G)}; empty
 *     unless the trainer was given samples for every prompt of the step
 * @param groups the number of groups
 * @param entropy the mean token entropy over response tokens (at the rollout temperature)
 * @param worstTokenEntropy the minimum over the step's prompts of the generation-start entropy
 * @param clipFractionLow the fraction of tokens clipped below ({@code A < 0}), last update
 * @param clipFractionHigh the fraction clipped above ({@code A > 0}), last update
 * @param kl the mean k3 KL to the reference policy; 0 without one
 * @param covLogProbAdvantage {@code Cov(log π, A)} over response tokens
 * @param calibrationGap mean per-token log-probability of passing minus failing rollouts; empty
 *     when the step had only one kind
 * @param distinct2 distinct bigrams over all bigrams of the completions
 * @param entropyCoefficient the entropy-bonus coefficient in force
 * @param parLambda the Positive-Advantage Reweighting λ in force
 */
public record GrpoStepMetrics(
    long step,
    double reward,
    double degenerateFraction,
    OptionalDouble predictedDegenerateFraction,
    OptionalDouble preRlPredictedDegenerateFraction,
    int groups,
    double entropy,
    double worstTokenEntropy,
    double clipFractionLow,
    double clipFractionHigh,
    double kl,
    double covLogProbAdvantage,
    OptionalDouble calibrationGap,
    OptionalDouble distinct2,
    double entropyCoefficient,
    double parLambda) {}
