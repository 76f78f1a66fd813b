package io.github.rlvrdiagnostics.cli;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * {@code --on-critical CMD}: runs {@code sh -c CMD} once, when the monitor first advises stopping,
 * with the stop advice as JSON on its standard input. The command runs on its own thread so that
 * the monitor goes on; its output goes to stderr (prefixed), never into the monitor's stdout,
 * which may be JSON; a failure to start or a non-zero exit is a warning, never fatal.
 */
final class CriticalHook {
  private final String command;
  private final PrintWriter err;
  private Thread runner;

  CriticalHook(String command, PrintWriter err) {
    this.command = command;
    this.err = err;
  }

  /** Whether the command has been started (it runs at most once). */
  synchronized boolean fired() {
    return runner != null;
  }

  /** Starts the command with {@code stdin} on its standard input, the first time only. */
  synchronized void fire(String stdin) {
    if (runner != null) {
      return;
    }
    runner = new Thread(() -> run(stdin), "rlvr-diag-on-critical");
    runner.setDaemon(true);
    runner.start();
  }

  private void run(String stdin) {
    Process process;
    try {
      process = new ProcessBuilder(List.of("sh", "-c", command)).redirectErrorStream(true).start();
    } catch (IOException | RuntimeException e) {
      warn("could not be started: " + e.getMessage());
      return;
    }
    try (OutputStream in = process.getOutputStream()) {
      in.write(stdin.getBytes(StandardCharsets.UTF_8));
      in.write('\n');
    } catch (IOException e) {
      // A command that does not read its input closes the pipe early: not a failure of the command.
    }
    try (BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
      for (String line = out.readLine(); line != null; line = out.readLine()) {
        synchronized (err) {
          err.println("on-critical: " + line);
          err.flush();
        }
      }
    } catch (IOException e) {
      warn("output could not be read: " + e.getMessage());
    }
    try {
      int status = process.waitFor();
      if (status != 0) {
        warn(String.format(Locale.ROOT, "exited with status %d", status));
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void warn(String what) {
    synchronized (err) {
      err.println("warning: the --on-critical command " + what + " (the monitor goes on)");
      err.flush();
    }
  }

  /**
   * Waits at most {@code maxWait} for a started command to finish, so that its failure is
   * reported before the monitor exits; a command still running then is left running (it may be
   * stopping the trainer) and said so.
   */
  void await(Duration maxWait) {
    Thread t;
    synchronized (this) {
      t = runner;
    }
    if (t == null) {
      return;
    }
    try {
      t.join(maxWait.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return;
    }
    if (t.isAlive()) {
      warn(String.format(Locale.ROOT, "is still running after %d s: left running", TimeUnit.MILLISECONDS.toSeconds(maxWait.toMillis())));
    }
  }
}
