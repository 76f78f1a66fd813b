package io.github.rlvrdiagnostics.api;

import java.util.OptionalDouble;

/**
 * How well one pre-RL predictor ranks the GRPO outcomes of a ladder (docs/MATH.md §4; <i>SFT Overtraining Predicts Rank Inversion via Entropy Collapse Under RLVR</i>, Appendix A.6,
 * <i>Quagmires in SFT-RL Post-Training</i>).
 *
 * @param predictor the predictor's name ("entropy", "passAt1", "passAt10", "generalisationLoss",
 *     "stage2Drop", …)
 * @param n the number of checkpoints with both values
 * @param spearman Spearman's ρ over all checkpoints (pooled)
 * @param spearmanPValue the two-sided permutation p-value of the pooled ρ
 * @param spearmanSeedDemeaned Spearman's ρ after subtracting each seed's mean from predictor and
 *     outcome; empty unless at least two seeds have two or more checkpoints
 * @param kendallTau Kendall's τ-b, pooled
 * @param rSquared the R² of a least-squares line of outcome on predictor, pooled, in [0, 1]
 *     (never NaN: {@link #rSquared()} is a number a JSON writer can print as one)
 */
public record Correlation(
    String predictor, int n, double spearman, double spearmanPValue,
    OptionalDouble spearmanSeedDemeaned, double kendallTau, double rSquared) {

  /** Validates the components. */
  public Correlation {
    Checks.atLeast("n", n, 3);
    Checks.probability("spearmanPValue", spearmanPValue);
    Checks.probability("rSquared", rSquared);
  }
}
