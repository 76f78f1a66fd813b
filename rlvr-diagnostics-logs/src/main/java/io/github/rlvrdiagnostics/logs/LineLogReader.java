package io.github.rlvrdiagnostics.logs;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * The reader of line-oriented logs: JSON lines, verl console output, or a file that mixes them.
 * Each line goes to the first {@link LineReader} that takes it; the log is verl's as soon as one
 * line shows it, JSON lines otherwise. A line no reader takes is noise in a console log (progress
 * bars, warnings), so only counted in a note; in any other log it is listed as skipped. A line
 * that is not valid UTF-8 is listed as skipped; a last line without its newline is held back
 * (listed as incomplete, not read). A launch line stating {@code actor_rollout_ref.rollout.n=G}
 * gives the log's group size. TRL console output (one Python dict per logged step, such as
 * <code>{'loss': 0.01, 'entropy': 0.52, 'epoch': 0.3}</code>, with warnings and progress bars
 * between) is read too: such a log is TRL's. A dict's step is its {@code step} key, else the
 * count of the progress bar printed before it ({@code  10/29790 [}, as Hugging Face's Trainer
 * logs at the step its bar shows), else its position × {@code logging_steps}; a note says which.
 * slime's rollout lines ({@code … - perf 12: {'rollout/zero_std/count_0.0': 2, …}}) are read
 * too, stepped by their rollout id.
 */
final class LineLogReader implements LogReader {
  /** In order: a line starting with <code>{</code> is JSON even if it also holds {@code step:N - }. */
  private static final List<LineReader> READERS = List.of(new JsonLinesReader(), new VerlConsoleReader());

  /**
   * verl's launch command (echoed at the top of a console log) as it states the group size G,
   * {@code actor_rollout_ref.rollout.n=5}.
   */
  private static final Pattern ROLLOUT_N = Pattern.compile("(?:^|[\\s'\"])\\+?actor_rollout_ref\\.rollout\\.n=(\\d{1,9})(?![\\w.])");

  /** Hugging Face's TrainingArguments as printed at start-up, as it states the logging interval. */
  private static final Pattern LOGGING_STEPS = Pattern.compile("(?:^|[\\s,(])logging_steps=(\\d{1,9})(?![\\w.])");

  /** A tqdm progress bar's count, {@code  12/400 [}; the Trainer logs at the step its bar shows. */
  private static final Pattern PROGRESS = Pattern.compile("(?:^|[\\s|])(\\d{1,12})/(\\d{1,12}) \\[");

  /**
   * slime's rollout metrics as its RolloutManager logs them, one Python dict per rollout id:
   * {@code (RolloutManager pid=…) [time] rollout.py:1244 - perf 12: {'rollout/zero_std/count_0.0': 2, …}}.
   */
  private static final Pattern SLIME_PERF = Pattern.compile("(?:^|\\s)perf (\\d{1,15}): \\{'");

  /**
   * NeMo-RL's step banner as its GRPO loop prints it ({@code nemo_rl/algorithms/grpo.py}):
   * {@code ========================= Step 3/100 =========================}.
   */
  private static final Pattern NEMO_STEP = Pattern.compile("^=+ Step (\\d{1,15})/(\\d{1,15}) =+$");

  /** A NeMo-RL result line after the banner, {@code • Avg Reward: 0.4500}. */
  private static final Pattern NEMO_VALUE = Pattern.compile("^\u2022 ([^:]{1,80}): (\\S+)$");

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
    private long dictPosition;
    private long loggingSteps = 1;
    private int loggingStepsLine = -1;
    private int keyedDicts;
    private int positionalDicts;
    /** The count of the last progress bar seen since the last dict, or -1. */
    private long barStep = -1;
    /**
     * The interval between the dicts without a step key, fixed at the first of them: the
     * {@code logging_steps} the log states, else the count of the progress bar printed before
     * that first dict, else 1. One numbering for the whole file.
     */
    private long interval = -1;
    private String intervalSource = "";
    private int barsDisagreeing;
    private @Nullable Map<String, Object> nemoBlock;
    private int nemoLine;
    private int nemoSteps;
    private int evalDicts;
    private int slimeLines;

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
      if (nemo(line, raw)) {
        return;
      }
      int dict = line.indexOf("{'");
      if (dict > 0) {
        Matcher perf = SLIME_PERF.matcher(line);
        if (perf.find() && perf.end() - 2 == dict) {
          slimePerf(line.substring(dict), perf.group(1), raw);
          return;
        }
      }
      // A TRL dict, possibly after a progress bar that the dict's print did not clear.
      if (dict == 0 && continues(line)) {
        // The first line of a multi-line dict print (NeMo-RL prints its config so): console
        // output, not a damaged metric record.
        mixedWithOtherOutput = true;
        untaken(raw);
        return;
      }
      if (dict == 0 || (dict > 0 && line.endsWith("}") && PROGRESS.matcher(line.substring(0, dict)).find())) {
        if (dict > 0) {
          progress(line.substring(0, dict));
        }
        trlConsole(line.substring(dict), raw);
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
      progress(line);
      Matcher interval = LOGGING_STEPS.matcher(line);
      if (interval.find() && loggingStepsLine < 0 && Integer.parseInt(interval.group(1)) >= 1) {
        loggingSteps = Integer.parseInt(interval.group(1));
        loggingStepsLine = raw.number();
        out.loggingSteps(loggingSteps);
      }
      Matcher n = ROLLOUT_N.matcher(line);
      if (n.find()) {
        groupSize(Integer.parseInt(n.group(1)), raw.number());
      }
      untaken(raw);
    }

    /** Counts a line no reader takes (listed as skipped at the end unless the log is console output). */
    private void untaken(LineSource.Line raw) {
      untakenCount++;
      if (untaken.size() < MAX_LISTED_UNTAKEN) {
        untaken.add(raw.number());
      }
    }

    /**
     * A Python dict printed to the console (TRL, slime), as a new mutable map; null, with the line
     * listed as skipped, when it is the unfinished last line or not a dict.
     */
    private @Nullable Map<String, Object> consoleDict(String dict, LineSource.Line raw) {
      mixedWithOtherOutput = true;
      if (!raw.terminated()) {
        out.skipLine(raw.number(), StepCollector.INCOMPLETE_LAST_LINE);
        return null;
      }
      try {
        return new HashMap<>(PythonDict.parse(dict));
      } catch (IllegalArgumentException e) {
        out.skipLine(raw.number(), e.getMessage());
        return null;
      }
    }

    /**
     * A TRL console line, one Python dict per {@code Trainer.log} call: a training entry becomes a
     * record, stepped by its step key or else by its position among the training entries times
     * the logging interval; evaluation entries are counted, the closing summary left out.
     */
    private void trlConsole(String line, LineSource.Line raw) {
      long bar = barStep; // the bar printed before this dict, if any
      barStep = -1;
      Map<String, Object> values = consoleDict(line, raw);
      if (values == null) {
        return;
      }
      if (values.containsKey("train_runtime")) {
        return;
      }
      if (!(values.containsKey("loss") || values.containsKey("reward") || values.containsKey("entropy"))) {
        if (values.keySet().stream().anyMatch(k -> k.startsWith("eval_"))) {
          evalDicts++;
        } else {
          untakenCount++; // some other dict printed to the console
        }
        return;
      }
      if (format != LogFormat.VERL) {
        format = LogFormat.TRL;
      }
      if (out.hasStep(values)) {
        keyedDicts++;
      } else {
        dictPosition++;
        if (interval < 0) {
          if (loggingStepsLine > 0) {
            interval = loggingSteps;
            intervalSource = "logging_steps = " + loggingSteps + " as line " + loggingStepsLine + " states";
          } else if (bar >= 1) {
            interval = bar;
            intervalSource = "logging interval " + bar + " from the progress bar before the first dict (line "
                + raw.number() + ")";
          } else {
            interval = 1;
            intervalSource = "logging_steps unknown and taken as 1 (so the steps are positions; TRL's default"
                + " logging_steps is 10)";
          }
        }
        long step = dictPosition * interval;
        if (bar >= 0 && bar != step) {
          barsDisagreeing++;
        }
        values.put("step", Long.toString(step));
        positionalDicts++;
      }
      out.addLine(raw.number(), values);
    }

    /** Whether a line ends where a multi-line print goes on: after ',' or an opening bracket. */
    private static boolean continues(String line) {
      char last = line.charAt(line.length() - 1);
      return last == ',' || last == '{' || last == '[' || last == '(';
    }

    /** A slime rollout metrics dict: its step is the rollout id the line names. */
    private void slimePerf(String dict, String rolloutId, LineSource.Line raw) {
      Map<String, Object> values = consoleDict(dict, raw);
      if (values == null) {
        return;
      }
      values.put("step", rolloutId);
      if (format != LogFormat.VERL) {
        format = LogFormat.SLIME;
      }
      slimeLines++;
      out.addLine(raw.number(), values);
    }

    /** Remembers the count of the last progress bar on a line (tqdm rewrites its bar in place, so many share a line). */
    private void progress(String line) {
      Matcher bar = PROGRESS.matcher(line);
      while (bar.find()) {
        barStep = Long.parseLong(bar.group(1));
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

    /**
     * A NeMo-RL console line: a step banner starts a block (ending the one before), a
     * {@code • Name: value} line inside a block adds a value; false for any other line.
     */
    private boolean nemo(String line, LineSource.Line raw) {
      if (line.charAt(0) == '=') {
        Matcher banner = NEMO_STEP.matcher(line);
        if (banner.matches()) {
          flushNemo();
          if (nemoSteps == 0) {
            out.plannedSteps(Long.parseLong(banner.group(2)));
          }
          mixedWithOtherOutput = true;
          nemoBlock = new HashMap<>();
          nemoBlock.put("step", banner.group(1));
          nemoLine = raw.number();
          nemoSteps++;
          if (format != LogFormat.VERL) {
            format = LogFormat.NEMO_RL;
          }
          return true;
        }
        return false;
      }
      Map<String, Object> block = nemoBlock;
      if (block != null && line.charAt(0) == '\u2022') {
        Matcher value = NEMO_VALUE.matcher(line);
        if (value.matches()) {
          StepCollector.put(block, value.group(1).strip(), value.group(2));
          return true;
        }
      }
      return false;
    }

    private void flushNemo() {
      Map<String, Object> block = nemoBlock;
      if (block != null && block.size() > 1) {
        out.addLine(nemoLine, block);
      }
      nemoBlock = null;
    }

    @Override
    public LogFormat finish() {
      flushNemo();
      if (nemoSteps > 0) {
        out.note(nemoSteps + " NeMo-RL step block(s) ('Step N/M' banner, then '\u2022 Name: value' lines): step = N");
      }
      if (keyedDicts > 0) {
        out.note(keyedDicts + " TRL console dict(s): step read from their step key");
      }
      if (positionalDicts > 0) {
        out.note(positionalDicts + " TRL console dict(s) without a step key, one numbering for the file: step = position x "
            + interval + ", " + intervalSource
            + (barsDisagreeing > 0 ? "; " + barsDisagreeing + " progress bar(s) printed before a dict show another count"
                + " (tqdm redraws its bar at most every 0.1 s, so a bar may lag its step)" : ""));
      }
      if (slimeLines > 0) {
        out.note(slimeLines + " slime rollout line(s) ('perf N: {...}'): step = rollout id N");
      }
      if (evalDicts > 0) {
        out.note(evalDicts + " evaluation dict(s) (eval_*) skipped: the monitor reads training entries only");
      }
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
