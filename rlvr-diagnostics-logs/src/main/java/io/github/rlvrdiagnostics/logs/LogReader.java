package io.github.rlvrdiagnostics.logs;

import java.util.Locale;

/**
 * A reader of one kind of log file: turns the whole text into records for a {@link StepCollector}.
 * Sealed, so that {@link #detect} is the one place that knows every kind. Implementations hold no
 * state between reads and are thread-safe.
 */
sealed interface LogReader permits TrlStateReader, CsvReader, LineLogReader {

  /**
   * The reader for a log: text that starts with <code>{</code> and holds {@code "log_history"}
   * (quotes included, anywhere: a cheap test, not a parse) is a TRL {@code trainer_state.json};
   * otherwise a name ending in {@code .csv} (any case) is CSV; anything else is read line by line
   * (JSON lines, verl console output, or both).
   *
   * @param name the log's name
   * @param trimmed the log's text without leading and trailing white space
   */
  static LogReader detect(String name, String trimmed) {
    if (trimmed.startsWith("{") && trimmed.contains("\"log_history\"")) {
      return new TrlStateReader();
    }
    if (name.toLowerCase(Locale.ROOT).endsWith(".csv")) {
      return new CsvReader();
    }
    return new LineLogReader();
  }

  /**
   * Reads a log's text into {@code out}; a record that cannot be a step is skipped there, not here.
   *
   * @return the format the log turned out to be
   * @throws IllegalArgumentException if the log as a whole cannot be read
   */
  LogFormat read(String text, StepCollector out);
}
