package io.github.rlvrdiagnostics.logs;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The reader of line-oriented logs: JSON lines, verl console output, or a file that mixes them.
 * Each line goes to the first {@link LineReader} that takes it; the log is verl's as soon as one
 * line shows it, JSON lines otherwise. A line no reader takes is noise in a console log (progress
 * bars, warnings), so only counted in a note; in any other log it is listed as skipped.
 */
final class LineLogReader implements LogReader {
  /** In order: a line starting with <code>{</code> is JSON even if it also holds {@code step:N - }. */
  private static final List<LineReader> READERS = List.of(new JsonLinesReader(), new VerlConsoleReader());

  @Override
  public LogFormat read(String text, StepCollector out) {
    String[] lines = text.split("\r?\n", -1);
    int last = lines.length;
    while (last > 0 && lines[last - 1].isBlank()) {
      last--;
    }
    boolean endsWithNewline = text.endsWith("\n");
    LogFormat format = LogFormat.JSONL;
    boolean mixedWithOtherOutput = false;
    List<Integer> untaken = new ArrayList<>();
    for (int i = 0; i < last; i++) {
      String line = lines[i].strip();
      if (line.isEmpty()) {
        continue;
      }
      int number = i + 1;
      boolean unterminatedLast = i == last - 1 && !endsWithNewline;
      boolean taken = false;
      for (LineReader reader : READERS) {
        Optional<LogFormat> shown = reader.read(line, number, unterminatedLast, out);
        if (shown.isPresent()) {
          taken = true;
          if (shown.get() == LogFormat.VERL) {
            format = LogFormat.VERL;
          }
          mixedWithOtherOutput |= reader.mixedWithOtherOutput();
          break;
        }
      }
      if (!taken) {
        untaken.add(number);
      }
    }
    if (mixedWithOtherOutput) {
      if (!untaken.isEmpty()) {
        out.note(untaken.size() + " non-metric console line(s) ignored");
      }
    } else {
      for (int line : untaken) {
        out.skipLine(line, "neither a JSON object nor a 'step:N - key:value' metric line");
      }
    }
    return format;
  }
}
