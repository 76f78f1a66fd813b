package io.github.rlvrdiagnostics.api;

import java.util.List;
import java.util.Optional;

/**
 * The two-stage diagnostic applied to a checkpoint ladder (docs/MATH.md §4).
 *
 * @param config the thresholds and steps used
 * @param checkpoints one verdict per checkpoint, in input order
 * @param standardPick the name picked by the standard rule: the highest mean pre-RL pass@1
 * @param triagePick the name picked by triage: the highest mean pass@1 among names flagged by
 *     neither stage; empty when every name is flagged, or when some checkpoint has no pre-RL
 *     entropy (the entropy rules then cannot judge the ladder)
 * @param signalPick the name picked by the signal rule: the highest mean pass@1 among names whose
 *     mean predicted degenerate fraction does not exceed the threshold, else the name with the
 *     lowest mean predicted degenerate fraction; empty unless every checkpoint has a signal profile
 * @param computeSavedFraction the fraction of one run's RL compute saved by stopping it at the
 *     check step, {@code (planned − check)/planned}
 * @param ladderComputeSavedFraction the fraction of the whole ladder's RL compute saved by
 *     stopping every Stage 2-flagged run at the check step
 * @param outcomes the outcome analysis; empty unless every checkpoint has an outcome
 */
public record LadderReport(
    TriageConfig config,
    List<CheckpointVerdict> checkpoints,
    String standardPick,
    Optional<String> triagePick,
    Optional<String> signalPick,
    double computeSavedFraction,
    double ladderComputeSavedFraction,
    Optional<OutcomeAnalysis> outcomes) {

  /** Copies the list. */
  public LadderReport {
    checkpoints = List.copyOf(checkpoints);
  }
}
