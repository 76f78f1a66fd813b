package io.github.rlvrdiagnostics.api;

/**
 * How a GRPO-family trainer turns a group's rewards into per-rollout advantages (docs/MATH.md §5).
 * {@code ε} is the std stabiliser, {@code G} the group size.
 */
public enum AdvantageEstimator {
  /** The reward itself, {@code A_i = r_i} (vanilla REINFORCE; the "raw" estimator of <i>When Sharpening Becomes Collapse</i>). */
  RAW,
  /** Mean-shifted, {@code A_i = r_i − r̄} (Dr. GRPO). */
  MEAN_SHIFTED,
  /** GRPO with the population std: {@code (r_i − r̄) / (std_pop + ε)}. */
  GRPO_POPULATION_STD,
  /** GRPO with the sample std ({@code 1/(G−1)}, as {@code torch.std}): {@code (r_i − r̄) / (std + ε)}. */
  GRPO_SAMPLE_STD,
  /** RLOO: {@code r_i − mean_{j≠i} r_j}, i.e. {@code G/(G−1)·(r_i − r̄)}. */
  RLOO,
  /** REINFORCE++ with baseline: the group mean subtracted, then whitened over the whole batch. */
  REINFORCE_PP_BASELINE
}
