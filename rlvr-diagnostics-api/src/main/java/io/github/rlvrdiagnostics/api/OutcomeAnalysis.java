package io.github.rlvrdiagnostics.api;

import java.util.List;
import java.util.Optional;

/**
 * What a ladder's known GRPO outcomes say about the selection rules (docs/MATH.md §4).
 *
 * @param rankInversion whether the standard rule (highest pre-RL pass@1) picked the checkpoint
 *     with the worst mean GRPO outcome
 * @param standardPickOutcome the mean outcome of the standard rule's pick
 * @param triagePickOutcome the mean outcome of the triage pick; empty when triage picked none
 * @param bestName the checkpoint name with the best mean outcome
 * @param bestOutcome that outcome
 * @param correlations one entry per predictor known for at least three checkpoints with outcomes
 */
public record OutcomeAnalysis(
    boolean rankInversion,
    double standardPickOutcome,
    Optional<Double> triagePickOutcome,
    String bestName,
    double bestOutcome,
    List<Correlation> correlations) {

  /** Copies the list. */
  public OutcomeAnalysis {
    correlations = List.copyOf(correlations);
  }
}
