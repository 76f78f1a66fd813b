package io.github.rlvrdiagnostics.logs;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The reader of line-oriented logs: JSON lines, verl console output, or a file that mixes them.
 * Each line goes to the first {@link LineReader} that takes it; the log is verl's as soon as one
 * line shows it, JSON lines otherwise. A line no reader takes is noise in a console log (progress
 * bars, warnings), so only counted in a note; in any other log it is listed as skipped. A line
 * that is not valid UTF-8 is listed as skipped; a last line without its newline is held back
 * (listed as incomplete, not read).
 */
final class LineLogReader implements LogReader {
  /** In order: a line starting with <code>{</code> is JSON even if it also holds {@code step:N - }. */
  private static final List<LineReader> READERS = List.of(new JsonLinesReader(), new VerlConsoleReader());

  /** How many untaken line numbers are kept to be listed; beyond that they are only counted. */
  private static final int MAX_LISTED_UNTAKEN = 1000;

  @Override
  public LogFormat read(InputStream in, StepCollector out) throws IOException {
    Session session = new Session(out);
    LineSource lines = new LineSource(in);
    for (LineSource.Line line = lines.next(); line != null; line = lines.next()) {
      session.accept(line);
    }
    return session.finish();
  }

  /** The state of one read, fed line by line (by {@link #read} or by a follower of a growing log). */
  static final class Session implements LineConsumer {
    private final StepCollector out;
    private LogFormat format = LogFormat.JSONL;
    private boolean mixedWithOtherOutput;
    private final List<Integer> untaken = new ArrayList<>();
    private long untakenCount;

    Session(StepCollector out) {
      this.out = out;
    }

    @Override
    public void accept(LineSource.Line raw) {
      if (raw.text() == null) {
        out.skipLine(raw.number(), String.valueOf(raw.error()));
        return;
      }
      String line = raw.text().strip();
      if (line.isEmpty()) {
        return;
      }
      for (LineReader reader : READERS) {
        Optional<LogFormat> shown = reader.read(line, raw.number(), !raw.terminated(), out);
        if (shown.isPresent()) {
          if (shown.get() == LogFormat.VERL) {
            format = LogFormat.VERL;
          }
          mixedWithOtherOutput |= reader.mixedWithOtherOutput();
          return;
        }
      }
      untakenCount++;
      if (untaken.size() < MAX_LISTED_UNTAKEN) {
        untaken.add(raw.number());
      }
    }

    @Override
    public LogFormat finish() {
      if (mixedWithOtherOutput) {
        if (untakenCount > 0) {
          out.note(untakenCount + " non-metric console line(s) ignored");
        }
      } else {
        for (int line : untaken) {
          out.skipLine(line, "neither a JSON object nor a 'step:N - key:value' metric line");
        }
        if (untakenCount > untaken.size()) {
          out.note((untakenCount - untaken.size()) + " more line(s) neither JSON nor metric lines, not listed");
        }
      }
      return format;
    }
  }
}
