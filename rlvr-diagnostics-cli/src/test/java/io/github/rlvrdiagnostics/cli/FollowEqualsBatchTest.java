package io.github.rlvrdiagnostics.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.rlvrdiagnostics.api.Alert;
import io.github.rlvrdiagnostics.api.TriageConfig;
import io.github.rlvrdiagnostics.core.diagnostic.TrainingMonitor;
import io.github.rlvrdiagnostics.logs.LogWatcher;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code monitor --follow} against batch mode: for random logs (written by us in verl's console
 * format and in TRL's trainer_state.json format) and random schedules of appends (cut anywhere,
 * half lines included), truncations, rotations, deletions and re-creations, copy-truncations that
 * regrow to the same size, and restarts (steps going back), the follower's final alerts equal
 * batch mode's on the final file. A seeded loop, each trial checked against the oracle (batch mode
 * run through the command line); bounded by its trial count, never by time.
 */
class FollowEqualsBatchTest {
  @TempDir Path dir;

  private static final int TRIALS = 60;

  /** A random verl console log: a launch line, then steps (some restarting lower), with noise. */
  private static String verlLog(Random r) {
    StringBuilder b = new StringBuilder();
    if (r.nextBoolean()) {
      b.append("+ python3 -m verl.trainer.main_ppo actor_rollout_ref.rollout.n=").append(2 + r.nextInt(15)).append('\n');
    }
    int steps = 5 + r.nextInt(120);
    int step = 1 + r.nextInt(3);
    double entropy = 0.2 + r.nextDouble();
    for (int i = 0; i < steps; i++) {
      entropy = Math.max(0.001, entropy + (r.nextDouble() - 0.6) * 0.05);
      double reward = r.nextInt(10) == 0 ? 1.5 : r.nextDouble(); // now and then a non-binary reward
      b.append(String.format(Locale.ROOT, "(TaskRunner pid=7) step:%d - actor/entropy:%.4f - critic/score/mean:%.3f",
          step, entropy, reward));
      if (r.nextBoolean()) {
        b.append(String.format(Locale.ROOT, " - frac_reward_zero_std:%.2f", r.nextDouble()));
      }
      if (r.nextInt(4) == 0) {
        b.append(" - critic/score/min:0.0 - critic/score/max:").append(r.nextBoolean() ? "1.0" : "0.8");
      }
      b.append('\n');
      if (r.nextInt(25) == 0) {
        b.append("Traceback (most recent call last): noise\n");
      }
      step = r.nextInt(40) == 0 ? 1 + r.nextInt(step) : step + 1; // a restart now and then
    }
    return b.toString();
  }

  /** A random trainer_state.json with max_steps, as TRL rewrites it whole at each save. */
  private static String trainerState(Random r) {
    StringBuilder b = new StringBuilder("{\n  \"max_steps\": ").append(50 + r.nextInt(400)).append(",\n  \"log_history\": [\n");
    int entries = 3 + r.nextInt(60);
    double entropy = 0.3 + r.nextDouble();
    for (int i = 1; i <= entries; i++) {
      entropy = Math.max(0.001, entropy + (r.nextDouble() - 0.65) * 0.05);
      b.append(String.format(Locale.ROOT, "    {\"step\": %d, \"loss\": 0.01, \"entropy\": %.4f, \"reward\": %.3f,"
          + " \"frac_reward_zero_std\": %.2f}%s%n", i * 5, entropy, r.nextDouble(), r.nextDouble(), i < entries ? "," : ""));
    }
    return b.append("  ]\n}\n").toString();
  }

  @Test
  void followsFinalAlertsEqualBatchModesOnTheFinalFile() throws IOException {
    for (int trial = 0; trial < TRIALS; trial++) {
      Random r = new Random(0x5EED + trial);
      boolean state = trial % 4 == 3;
      Path file = dir.resolve(state ? "t" + trial + "/trainer_state.json" : "t" + trial + "/train.log");
      Files.createDirectories(file.getParent());
      MonitorCommand command = new MonitorCommand();
      new CommandLine(command).parseArgs(file.toString());
      TriageConfig config = command.triage.config();
      FollowLoop loop = new FollowLoop(LogWatcher.of(file, Map.of(), OptionalInt.empty()), log -> command.analyse(log, config, null),
          new PrintWriter(new StringWriter()), new PrintWriter(new StringWriter()), true,
          new Delivery(null, null, null, new PrintWriter(new StringWriter())));
      String what = "trial " + trial;
      String text = state ? trainerState(r) : verlLog(r);
      int written = 0;
      int operations = 3 + r.nextInt(12);
      for (int op = 0; op < operations; op++) {
        int kind = r.nextInt(state ? 3 : 7);
        if (state) {
          // TRL rewrites the whole state at each save, sometimes for a new, shorter run.
          text = trainerState(r);
          Path next = file.resolveSibling("next.json");
          Files.writeString(next, text);
          Files.move(next, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
          what += ", save";
        } else if (kind <= 2 || written == 0) {
          int to = Math.min(text.length(), written + 1 + r.nextInt(Math.max(1, text.length() / 3)));
          Files.writeString(file, text.substring(written, to), StandardCharsets.UTF_8, StandardOpenOption.CREATE,
              StandardOpenOption.APPEND);
          written = to;
          what += ", append to " + to;
        } else if (kind == 3) { // truncated, then a new run writes into it
          text = verlLog(r);
          written = Math.min(text.length(), 1 + r.nextInt(text.length()));
          Files.writeString(file, text.substring(0, written), StandardOpenOption.TRUNCATE_EXISTING);
          what += ", truncate+rewrite";
        } else if (kind == 4) { // rotated: renamed away, a new file in its place
          Files.move(file, file.resolveSibling("old." + op), StandardCopyOption.REPLACE_EXISTING);
          text = verlLog(r);
          written = Math.min(text.length(), 1 + r.nextInt(text.length()));
          Files.writeString(file, text.substring(0, written));
          what += ", rotate";
        } else if (kind == 5) { // deleted, polled while missing, recreated
          Files.delete(file);
          loop.pollOnce();
          text = verlLog(r);
          written = Math.min(text.length(), 1 + r.nextInt(text.length()));
          Files.writeString(file, text.substring(0, written));
          what += ", delete+recreate";
        } else { // copy-truncated and regrown to the very same size before the next poll
          long size = Files.size(file);
          String other = verlLog(r);
          while (other.length() < size) {
            other += verlLog(r);
          }
          text = other;
          written = (int) size;
          Files.writeString(file, text.substring(0, written), StandardOpenOption.TRUNCATE_EXISTING);
          what += ", copy-truncate to the same size";
        }
        if (r.nextInt(3) > 0) {
          loop.pollOnce(); // some changes land within one poll, some on later polls
        }
      }
      // The writer finishes its last line, then the follower looks once more.
      if (!state && written < text.length()) {
        int end = text.indexOf('\n', written);
        Files.writeString(file, text.substring(written, end + 1), StandardOpenOption.APPEND);
      }
      loop.pollOnce();
      CliRun batch = CliRun.of("monitor", file.toString(), "--json");
      if (batch.status() != 0) {
        assertTrue(batch.err().contains("holds no training step") || batch.err().contains("no known training field"),
            what + ": " + batch.err());
        continue;
      }
      JsonNode alerts = Output.JSON.readTree(batch.out()).get("alerts");
      List<String> expected = new ArrayList<>();
      alerts.forEach(a -> expected.add(a.get("step").asLong() + " " + a.get("kind").asText() + " " + a.get("endStep").asLong()
          + " " + a.get("message").asText()));
      TrainingMonitor monitor = loop.monitor();
      assertFalse(monitor == null, what);
      List<String> followed = new ArrayList<>();
      for (Alert a : monitor.alerts()) {
        followed.add(a.step() + " " + a.kind() + " " + a.endStep() + " " + a.message());
      }
      assertEquals(expected, followed, what);
    }
  }

  /** {@code monitor LOG --follow | head -1}: once standard output is closed, the follower ends. */
  @Test
  void aClosedStandardOutputEndsTheFollower() throws Exception {
    Path log = dir.resolve("train.log");
    StringBuilder text = new StringBuilder();
    for (int step = 1; step <= 60; step++) {
      text.append(MonitorCommandTest.syntheticVerlLine(step));
    }
    Files.writeString(log, text);
    OutputStream closed = new OutputStream() {
      @Override
      public void write(int b) throws IOException {
        throw new IOException("Broken pipe");
      }
    };
    int[] status = {-1};
    Thread follower = new Thread(() -> status[0] = Main.run(new String[] {"monitor", log.toString(), "--follow", "--poll-ms", "20"},
        new PrintWriter(closed, true), new PrintWriter(new StringWriter(), true)));
    follower.start();
    follower.join(20_000);
    assertFalse(follower.isAlive(), "still following after its standard output closed");
    follower.interrupt();
    // Main's one rule for output that could not be written: status 1 with one line on stderr.
    assertEquals(1, status[0]);
  }
}
