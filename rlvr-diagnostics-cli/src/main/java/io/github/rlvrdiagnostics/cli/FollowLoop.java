package io.github.rlvrdiagnostics.cli;

import io.github.rlvrdiagnostics.api.Alert;
import io.github.rlvrdiagnostics.api.SkippedLine;
import io.github.rlvrdiagnostics.api.TrainingLog;
import io.github.rlvrdiagnostics.api.Verdict;
import io.github.rlvrdiagnostics.core.diagnostic.TrainingMonitor;
import io.github.rlvrdiagnostics.logs.LogWatcher;
import java.io.PrintWriter;
import java.util.HashSet;
import java.util.Locale;
import java.util.Set;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * One poll at a time of {@code monitor --follow}: whenever the log changed, its whole-file read
 * (from {@link LogWatcher}) is analysed the one way batch mode analyses it, so that the alerts of
 * the last poll are batch mode's alerts on the final file, whatever rotations, truncations or
 * restarts came before. Prints each note, skipped line, alert and verdict change once (an alert by
 * its onset step and kind, a verdict by its first step, state and severity). Not thread-safe.
 */
final class FollowLoop {
  private final LogWatcher watcher;
  private final Function<TrainingLog, MonitorCommand.Analysis> analyse;
  private final PrintWriter out;
  private final PrintWriter err;
  private final boolean json;
  private final Delivery delivery;
  private final Set<String> printed = new HashSet<>();
  private @Nullable TrainingMonitor monitor;
  private int steps = -1;
  private long lastStep = -1;

  FollowLoop(LogWatcher watcher, Function<TrainingLog, MonitorCommand.Analysis> analyse, PrintWriter out, PrintWriter err,
      boolean json, Delivery delivery) {
    this.watcher = watcher;
    this.delivery = delivery;
    this.analyse = analyse;
    this.out = out;
    this.err = err;
    this.json = json;
  }

  /** The monitor of the last log read, or null before the first. */
  @Nullable TrainingMonitor monitor() {
    return monitor;
  }

  /** Polls once; true when the log read now has other steps than the last one read. */
  boolean pollOnce() {
    LogWatcher.Poll poll = watcher.poll();
    for (String note : poll.notes()) {
      err.println("note: " + note);
    }
    boolean changed = false;
    if (poll.log().isPresent()) {
      TrainingLog log = poll.log().get();
      MonitorCommand.Analysis analysis = analyse.apply(log);
      for (String note : analysis.settingNotes()) {
        once("setting " + note, () -> err.println("note: " + note));
      }
      for (String note : log.notes()) {
        once("note " + note, () -> err.println("note: " + note));
      }
      for (SkippedLine line : log.skipped()) {
        once("skipped " + line.line() + " " + line.reason(),
            () -> err.printf(Locale.ROOT, "skipped line %d: %s%n", line.line(), line.reason()));
      }
      monitor = analysis.monitor();
      delivery.attach(monitor);
      for (Alert alert : analysis.monitor().alerts()) {
        once("alert " + alert.step() + " " + alert.kind(), () -> {
          print(alert);
          delivery.onAlert(alert);
        });
      }
      for (Verdict verdict : analysis.monitor().verdicts()) {
        once("verdict " + verdict.fromStep() + " " + verdict.state() + " " + verdict.severity(), () -> {
          print(verdict);
          delivery.onVerdict(verdict);
        });
      }
      long last = log.steps().get(log.steps().size() - 1).step();
      changed = log.steps().size() != steps || last != lastStep;
      if (changed) {
        delivery.onStep(log.steps().get(log.steps().size() - 1));
      }
      steps = log.steps().size();
      lastStep = last;
    }
    err.flush();
    out.flush();
    return changed;
  }

  private void once(String key, Runnable print) {
    if (printed.add(key)) {
      print.run();
    }
  }

  /** One alert: a JSON line with {@code "event": "alert"}, or two lines of text (what, then what to do). */
  private void print(Alert alert) {
    if (json) {
      out.println(Output.line(Events.alert(alert)));
    } else {
      out.printf(Locale.ROOT, "step %d  %s  %s  %s%n  -> %s%n", alert.step(), alert.severity(), alert.kind(),
          alert.message(), alert.action());
    }
  }

  /** One verdict change: a JSON line with {@code "event": "verdict"}, or text (state, why, what to do). */
  private void print(Verdict verdict) {
    if (json) {
      out.println(Output.line(Events.verdict(verdict)));
    } else {
      out.printf(Locale.ROOT, "step %d  verdict %s (%s): %s%n", verdict.fromStep(), verdict.state(), verdict.severity(),
          verdict.evidence());
      if (!verdict.action().isEmpty()) {
        out.printf(Locale.ROOT, "  -> %s%n", verdict.action());
      }
    }
  }
}
