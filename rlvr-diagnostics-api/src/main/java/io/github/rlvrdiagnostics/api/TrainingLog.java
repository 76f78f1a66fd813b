package io.github.rlvrdiagnostics.api;

import java.util.List;

/**
 * A training log read into normalised steps.
 *
 * @param format the format detected: {@code "trl"} (a Hugging Face TRL {@code trainer_state.json}),
 *     {@code "verl"} (verl console lines or metric JSON lines), {@code "jsonl"} or {@code "csv"}
 * @param steps the steps in increasing step order; when a step appears twice (a resumed run) the
 *     later record wins
 * @param skipped the lines that could not be used, with reasons
 * @param notes what the reader derived or could not derive, one sentence each
 */
public record TrainingLog(String format, List<TrainingStep> steps, List<SkippedLine> skipped, List<String> notes) {

  /** Copies the lists. */
  public TrainingLog {
    steps = List.copyOf(steps);
    skipped = List.copyOf(skipped);
    notes = List.copyOf(notes);
  }
}
