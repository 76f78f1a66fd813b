package io.github.rlvrdiagnostics.djl;

/**
 * The coefficient schedules of <em>Revisiting Entropy in Reinforcement Learning for Large
 * Reasoning Models</em> (docs/MATH.md §5 (GRPO advantages, losses and entropy controls)) as pure
 * functions, so each rule is pinned by a test on its own.
 */
final class Schedules {
  private Schedules() {}

  /** Stage-based PAR: λ = 0 for steps in the first half of {@code planned}, then linear from 0 to 1. */
  static double parStage(long step, int planned) {
    double half = planned / 2.0;
    return step <= half ? 0.0 : Math.min(1.0, (step - half) / half);
  }

  /** Epoch-wise PAR: step {@code s} (from 1) of {@code planned} lies in epoch {@code e}; λ = e/(E − 1). */
  static double parEpoch(long step, int planned, int epochs) {
    long epoch = Math.min(epochs - 1, (step - 1) * epochs / planned);
    return (double) epoch / (epochs - 1);
  }

  /** Entropy-guided PAR: {@code λ + Δ} when the entropy is above the target, else {@code λ − Δ}, in [0, 1]. */
  static double parEntropyGuided(double lambda, double entropy, double target, double delta) {
    double next = entropy > target ? lambda + delta : lambda - delta;
    return Math.max(0.0, Math.min(1.0, next));
  }

  /** Adaptive entropy regularisation: {@code c + Δ} below the target, {@code c − Δ} above, in {@code [min, max]}. */
  static double adaptiveEntropy(double coefficient, double entropy, double target, double delta, double min, double max) {
    double next = entropy < target ? coefficient + delta : coefficient - delta;
    return Math.max(min, Math.min(max, next));
  }

  /** The coefficient in force this step: applied only while the entropy is below the target. */
  static double adaptiveEntropyInForce(double coefficient, double entropy, double target) {
    return entropy < target ? coefficient : 0.0;
  }

  /**
   * DLC's calibrated sampling logits {@code z_policy − β·z_memory} (<em>When Sharpening Becomes Collapse: Sampling Bias and Semantic Coupling in RL with Verifiable Rewards</em>, §4.2).
   */
  static float[] calibrated(float[] policy, float[] memory, double beta) {
    if (policy.length != memory.length) {
      throw new IllegalArgumentException("policy and memory logits must have one vocabulary, was "
          + policy.length + " and " + memory.length);
    }
    float[] out = new float[policy.length];
    for (int i = 0; i < out.length; i++) {
      out[i] = (float) (policy[i] - beta * memory[i]);
    }
    return out;
  }
}
