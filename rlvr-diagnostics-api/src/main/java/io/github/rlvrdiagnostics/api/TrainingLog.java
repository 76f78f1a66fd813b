package io.github.rlvrdiagnostics.api;

import java.util.List;
import java.util.OptionalInt;
import java.util.OptionalLong;

/**
 * A training log read into normalised steps, with what the log says about its own run.
 *
 * @param format the format detected: {@code "trl"} (a Hugging Face TRL {@code trainer_state.json}),
 *     {@code "verl"} (verl console lines or metric JSON lines), {@code "jsonl"}, {@code "csv"} or {@code "tensorboard"} (TensorBoard event files)
 * @param steps the steps in increasing step order; when a step appears twice (a resumed run) the
 *     later record wins
 * @param skipped the lines that could not be used, with reasons
 * @param notes what the reader derived or could not derive, one sentence each
 * @param groupSize the group size G (completions per prompt) the log states, such as a verl
 *     launch line's {@code actor_rollout_ref.rollout.n=5}; {@code ≥ 1}
 * @param plannedSteps the planned number of steps the log states ({@code max_steps} of a
 *     {@code trainer_state.json}); {@code ≥ 1}
 * @param loggingSteps the steps between two logged records the log states ({@code logging_steps});
 *     {@code ≥ 1}
 */
public record TrainingLog(String format, List<TrainingStep> steps, List<SkippedLine> skipped, List<String> notes,
    OptionalInt groupSize, OptionalLong plannedSteps, OptionalLong loggingSteps) {

  /** Copies the lists and checks the stated run settings. */
  public TrainingLog {
    // A compact list is immutable already, and copying it would undo its compactness.
    steps = CompactSteps.isCompact(steps) ? steps : List.copyOf(steps);
    skipped = List.copyOf(skipped);
    notes = List.copyOf(notes);
    if (groupSize.isPresent()) {
      Checks.groupSize(groupSize.getAsInt());
    }
    if (plannedSteps.isPresent()) {
      Checks.atLeast("plannedSteps", plannedSteps.getAsLong(), 1L);
    }
    if (loggingSteps.isPresent()) {
      Checks.atLeast("loggingSteps", loggingSteps.getAsLong(), 1L);
    }
  }

  /** A log that states nothing about its run's settings. */
  public TrainingLog(String format, List<TrainingStep> steps, List<SkippedLine> skipped, List<String> notes) {
    this(format, steps, skipped, notes, OptionalInt.empty(), OptionalLong.empty(), OptionalLong.empty());
  }
}
