package io.github.rlvrdiagnostics.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.rlvrdiagnostics.api.Alert;
import io.github.rlvrdiagnostics.api.AlertListener;
import io.github.rlvrdiagnostics.api.Severity;
import io.github.rlvrdiagnostics.api.StopAdvice;
import io.github.rlvrdiagnostics.api.TrainingStep;
import io.github.rlvrdiagnostics.api.Verdict;
import io.github.rlvrdiagnostics.core.diagnostic.TrainingMonitor;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;

/**
 * Where the monitor's events go besides the terminal: an {@link AlertListener} that fans each
 * alert and verdict out to the webhooks ({@link Notifier}), the Prometheus gauges
 * ({@link MetricsServer}) and, on the first stop advice, the {@code --on-critical} command
 * ({@link CriticalHook}); it also watches for a log that stops growing ({@code --stall-after}) and
 * decides the {@code --exit-code} status. Each part is optional; none of them blocks the caller.
 */
final class Delivery implements AlertListener, AutoCloseable {
  private final @Nullable Notifier notifier;
  private final @Nullable CriticalHook hook;
  private final @Nullable MetricsServer metrics;
  private final PrintWriter err;
  private volatile @Nullable TrainingMonitor monitor;
  private volatile long lastStep = -1;
  private volatile boolean stalled;
  private boolean stopAdvised;
  private @Nullable ScheduledExecutorService stallWatch;

  Delivery(@Nullable Notifier notifier, @Nullable CriticalHook hook, @Nullable MetricsServer metrics, PrintWriter err) {
    this.notifier = notifier;
    this.hook = hook;
    this.metrics = metrics;
    this.err = err;
  }

  /** The monitor whose stop advice is asked when a verdict turns critical (a new one after a restart). */
  void attach(TrainingMonitor newMonitor) {
    this.monitor = newMonitor;
  }

  @Override
  public void onAlert(Alert alert) {
    if (notifier != null) {
      notifier.post(Events.alert(alert));
    }
    if (metrics != null) {
      metrics.alert(alert);
    }
  }

  @Override
  public void onVerdict(Verdict verdict) {
    if (notifier != null) {
      notifier.post(Events.verdict(verdict));
    }
    if (metrics != null) {
      metrics.verdict(verdict);
    }
    TrainingMonitor m = monitor;
    if (verdict.severity() == Severity.CRITICAL && m != null) {
      Optional<StopAdvice> advice = m.stopAdvice();
      boolean first;
      synchronized (this) {
        first = advice.isPresent() && !stopAdvised;
        stopAdvised |= advice.isPresent();
      }
      if (first) {
        ObjectNode event = Events.stopAdvice(advice.get(), verdict, m.alerts());
        if (notifier != null) {
          notifier.post(event);
        }
        if (metrics != null) {
          metrics.stopAdvice();
        }
        if (hook != null) {
          hook.fire(event.toString());
        }
      }
    }
  }

  /** Records a step the monitor accepted (the gauges, and the last step a stall report names). */
  void onStep(TrainingStep step) {
    lastStep = step.step();
    if (metrics != null) {
      metrics.step(step);
    }
  }

  /**
   * Starts watching {@code file} (a log, or a directory of event files) every {@code checkMillis}:
   * when its size and modification time have not changed for {@code after}, it is reported once
   * (a warning on stderr, a notification, the stalled gauge), and again only after it grew.
   */
  void watchStall(Path file, Duration after, long checkMillis) {
    ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "rlvr-diag-stall-watch");
      t.setDaemon(true);
      return t;
    });
    stallWatch = executor;
    long[] since = {System.nanoTime()};
    String[] seen = {signature(file)};
    executor.scheduleWithFixedDelay(() -> {
      String now = signature(file);
      if (!now.equals(seen[0])) {
        seen[0] = now;
        since[0] = System.nanoTime();
        if (stalled) {
          stalled = false;
          err.println("note: " + file + " grows again");
          err.flush();
          if (metrics != null) {
            metrics.stalled(false);
          }
        }
        return;
      }
      if (!stalled && System.nanoTime() - since[0] >= after.toNanos()) {
        stalled = true;
        double minutes = after.toMillis() / 60_000.0;
        String message = String.format(Locale.ROOT, "the log %s has not grown for %s minute%s (last step read: %s)",
            file.getFileName(), Output.number(minutes), minutes == 1 ? "" : "s", lastStep < 0 ? "none" : Long.toString(lastStep));
        err.println("warning: " + message);
        err.flush();
        if (notifier != null) {
          notifier.post(Events.stall(minutes, lastStep, message));
        }
        if (metrics != null) {
          metrics.stalled(true);
        }
      }
    }, checkMillis, checkMillis, TimeUnit.MILLISECONDS);
  }

  /**
   * Size and modification time of a file, or of every regular file under a directory (two levels,
   * as TensorBoard writes them); "absent" while it does not exist, as during a rotation.
   */
  static String signature(Path file) {
    try {
      if (!Files.isDirectory(file)) {
        BasicFileAttributes a = Files.readAttributes(file, BasicFileAttributes.class);
        return a.size() + "@" + a.lastModifiedTime().toMillis();
      }
      long size = 0;
      long newest = 0;
      try (Stream<Path> files = Files.walk(file, 2)) {
        for (Path p : (Iterable<Path>) files::iterator) {
          if (Files.isRegularFile(p)) {
            BasicFileAttributes a = Files.readAttributes(p, BasicFileAttributes.class);
            size += a.size();
            newest = Math.max(newest, a.lastModifiedTime().toMillis());
          }
        }
      }
      return size + "@" + newest;
    } catch (IOException | RuntimeException e) {
      return "absent";
    }
  }

  /** Whether the log was stalled when last looked at. */
  boolean stalled() {
    return stalled;
  }

  /**
   * The {@code --exit-code} status for the monitor's final state: {@link Main#CRITICAL} (4) for a
   * critical verdict or any stop advice, {@link Main#WARNING} (3) for a warning verdict or a log
   * that was stalled at the end, else 0 (an info verdict, or none).
   */
  static int exitCode(Optional<Verdict> verdict, Optional<StopAdvice> advice, boolean stalled) {
    if (advice.isPresent() || verdict.map(v -> v.severity() == Severity.CRITICAL).orElse(false)) {
      return Main.CRITICAL;
    }
    if (stalled || verdict.map(v -> v.severity() == Severity.WARNING).orElse(false)) {
      return Main.WARNING;
    }
    return 0;
  }

  /**
   * Stops watching, gives the {@code --on-critical} command up to 30 s to finish and the webhooks
   * up to one event's tries to empty their queue, then stops serving metrics.
   */
  @Override
  public void close() {
    if (stallWatch != null) {
      stallWatch.shutdownNow();
    }
    if (hook != null) {
      hook.await(Duration.ofSeconds(30));
    }
    if (notifier != null) {
      notifier.close();
    }
    if (metrics != null) {
      metrics.close();
    }
  }
}
