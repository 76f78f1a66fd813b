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
 * @param signalPickOutcome the mean outcome of the signal pick; empty when there is none
 * @param bestName the checkpoint name with the best mean outcome
 * @param bestOutcome that outcome
 * @param worstOutcome the worst mean outcome of any name
 * @param correlations one entry per predictor known for at least three checkpoints with outcomes
 */
public record OutcomeAnalysis(
    boolean rankInversion,
    double standardPickOutcome,
    Optional<Double> triagePickOutcome,
    Optional<Double> signalPickOutcome,
    String bestName,
    double bestOutcome,
    double worstOutcome,
    List<Correlation> correlations) {

  /** Copies the list. */
  public OutcomeAnalysis {
    correlations = List.copyOf(correlations);
  }

  /**
   * Outcomes closer than this are reported as ties: a run's outcome is a mean over a finite
   * evaluation set, so smaller differences are not evidence of a ranking.
   */
  public static final double TIE_TOLERANCE = 1e-3;

  /**
   * Whether the standard pick is not strictly the worst but ties it within {@link #TIE_TOLERANCE}
   * while the outcomes do differ: a rank inversion up to evaluation noise, reported as such.
   */
  public boolean standardTiesWorst() {
    return !rankInversion && bestOutcome - worstOutcome > TIE_TOLERANCE
        && standardPickOutcome - worstOutcome <= TIE_TOLERANCE;
  }
}
