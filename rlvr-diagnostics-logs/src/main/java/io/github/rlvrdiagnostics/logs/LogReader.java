package io.github.rlvrdiagnostics.logs;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * A reader of one kind of log file: turns a stream into records for a {@link StepCollector}, one
 * record at a time, so that memory is bounded by the longest record rather than the file.
 * Sealed, so that {@link #detect} is the one place that knows every kind. Implementations hold no
 * state between reads and are thread-safe.
 */
sealed interface LogReader permits TrlStateReader, CsvReader, LineLogReader, TensorBoardReader {

  /**
   * The reader for a log: a file named {@code events.out.tfevents.*} is a TensorBoard event
   * file; a log whose first bytes (up to {@code head}, a prefix of the file)
   * start with <code>{</code> and hold {@code "log_history"} (quotes included: a cheap test, not
   * a parse), or that start with <code>{</code> and are named {@code *trainer_state.json} or
   * pretty-printed (a first line that is a lone <code>{</code>), is a TRL {@code trainer_state.json}; otherwise a name ending in {@code .csv} (any
   * case) is CSV; anything else is read line by line (JSON lines, verl console output, or both).
   *
   * @param name the log's name
   * @param head the start of the log's text without leading white space
   */
  static LogReader detect(String name, String head) {
    if (isEventFile(name)) {
      return new TensorBoardReader();
    }
    if (head.startsWith("{") && (head.contains("\"log_history\"") || isTrainerStateName(name) || firstLineIsBrace(head))) {
      // log_history may start after the head (a state with large other members first): the
      // name, or a first line that is a lone '{' (pretty-printed JSON, never a JSON line), tells.
      return new TrlStateReader();
    }
    if (name.toLowerCase(Locale.ROOT).endsWith(".csv")) {
      return new CsvReader();
    }
    return new LineLogReader();
  }

  /** Whether a file name (or path) ends in {@code trainer_state.json}. */
  static boolean isTrainerStateName(String name) {
    return name.endsWith("trainer_state.json");
  }

  private static boolean firstLineIsBrace(String head) {
    int newline = head.indexOf('\n');
    return newline > 0 && head.substring(0, newline).strip().equals("{");
  }

  /** Whether a file name (or path) names a TensorBoard event file, {@code events.out.tfevents.*}. */
  static boolean isEventFile(String name) {
    int slash = Math.max(name.lastIndexOf('/'), name.lastIndexOf('\\'));
    return name.substring(slash + 1).startsWith("events.out.tfevents.");
  }

  /**
   * Reads a log from {@code in} into {@code out}; a record that cannot be a step is skipped
   * there, not here.
   *
   * @return the format the log turned out to be
   * @throws IllegalArgumentException if the log as a whole cannot be read
   * @throws IOException if the stream cannot be read
   */
  LogFormat read(InputStream in, StepCollector out) throws IOException;

  /**
   * Reads a log's whole text (tests and small inputs).
   *
   * @throws IllegalArgumentException as {@link #read(InputStream, StepCollector)}
   */
  default LogFormat read(String text, StepCollector out) {
    try {
      return read(new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)), out);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
