package io.github.rlvrdiagnostics.logs;

import java.util.Optional;

/**
 * A reader of one line-oriented format, one line at a time, for the {@link LineLogReader}. Sealed:
 * the line log reader tries each in a fixed order. Implementations hold no state and are
 * thread-safe.
 */
sealed interface LineReader permits JsonLinesReader, VerlConsoleReader {

  /**
   * Reads a line if it is in this format, adding its record (or the reason it is skipped) to
   * {@code out}.
   *
   * @param line the line, stripped and not empty
   * @param number its 1-based line number
   * @param unterminatedLast whether it is the log's last line and has no newline, so that it may
   *     still be being written
   * @return the format the line shows, or empty when the line is not in this format (and another
   *     reader may take it)
   */
  Optional<LogFormat> read(String line, int number, boolean unterminatedLast, StepCollector out);

  /**
   * Whether logs in this format hold other output between their metric lines, so that a line no
   * reader takes is noise rather than damage.
   */
  boolean mixedWithOtherOutput();
}
