package io.github.rlvrdiagnostics.logs;

import java.util.Locale;

/** A log format as {@link io.github.rlvrdiagnostics.api.TrainingLog#format()} names it. */
enum LogFormat {
  /** A Hugging Face TRL {@code trainer_state.json}, or TRL's console output of Python dicts. */
  TRL,
  /** verl console lines, or JSON lines with verl's metric names. */
  VERL,
  /** JSON lines with any other field names. */
  JSONL,
  /** Comma-separated values with a header row. */
  CSV,
  /** TensorBoard event files. */
  TENSORBOARD,
  /** slime's console output: rollout metrics as Python dicts ({@code perf N: {…}}). */
  SLIME,
  /** NeMo-RL's console output: a {@code Step N/M} banner, then {@code • Name: value} lines. */
  NEMO_RL;

  /**
   * The name {@code TrainingLog#format()} reports: {@code "trl"}, {@code "verl"}, {@code "jsonl"},
   * {@code "csv"}, {@code "tensorboard"}, {@code "slime"} or {@code "nemo_rl"}.
   */
  String label() {
    return name().toLowerCase(Locale.ROOT);
  }
}
