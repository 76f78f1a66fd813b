package io.github.rlvrdiagnostics.logs;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The reader of line-oriented logs: JSON lines, verl console output, or a file that mixes them.
 * Each line goes to the first {@link LineReader} that takes it; the log is verl's as soon as one
 * line shows it, JSON lines otherwise. A line no reader takes is noise in a console log (progress
 * bars, warnings), so only counted in a note; in any other log it is listed as skipped. A line
 * that is not valid UTF-8 is listed as skipped; a last line without its newline is held back
 * (listed as incomplete, not read). A launch line stating {@code actor_rollout_ref.rollout.n=G}
 * gives the log's group size.
 */
final class LineLogReader implements LogReader {
  /** In order: a line starting with <code>{</code> is JSON even if it also holds {@code step:N - }. */
  private static final List<LineReader> READERS = List.of(new JsonLinesReader(), new VerlConsoleReader());

  /**
   * verl's launch command (echoed at the top of a console log) as it states the group size G,
   * {@code actor_rollout_ref.rollout.n=5}.
   */
  private static final Pattern ROLLOUT_N = Pattern.compile("(?:^|[\\s'\"])\\+?actor_rollout_ref\\.rollout\\.n=(\\d{1,9})(?![\\w.])");

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
    private int statedGroupSize = -1;

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
      Matcher n = ROLLOUT_N.matcher(line);
      if (n.find()) {
        groupSize(Integer.parseInt(n.group(1)), raw.number());
      }
      untakenCount++;
      if (untaken.size() < MAX_LISTED_UNTAKEN) {
        untaken.add(raw.number());
      }
    }

    private void groupSize(int g, int line) {
      if (g < 1) {
        out.note("line " + line + ": actor_rollout_ref.rollout.n=" + g + " is no group size: ignored");
      } else if (statedGroupSize < 0) {
        statedGroupSize = g;
        out.groupSize(g);
        out.note("group size G = " + g + " stated by the launch line (line " + line + ", actor_rollout_ref.rollout.n)");
      } else if (g != statedGroupSize) {
        out.note("line " + line + " states another group size, actor_rollout_ref.rollout.n=" + g + ": G = "
            + statedGroupSize + " (the first) is kept");
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
