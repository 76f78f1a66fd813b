package io.github.rlvrdiagnostics.cli;

import static io.github.rlvrdiagnostics.cli.CliRun.assertBadInput;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code monitor} on real logs (logs/SOURCES.md), with --json, and --follow on a growing file. */
class MonitorCommandTest {
  @TempDir Path dir;

  private static String resource(String name) {
    try {
      return Path.of(MonitorCommandTest.class.getResource("/logs/" + name).toURI()).toString();
    } catch (URISyntaxException e) {
      throw new AssertionError(e);
    }
  }

  /** The alert lines of a {@code --follow --json} output (verdict changes are lines too). */
  static String[] alertLines(String out) {
    return java.util.Arrays.stream(out.strip().split("\n")).filter(l -> l.contains("\"event\":\"alert\"")).toArray(String[]::new);
  }

  /** Synthetic (written for this test): a run whose reward rises, then stays flat after its entropy collapses. */
  @Test
  void verdictsStopAdviceAndActionsInJsonAndText() throws IOException {
    Path log = dir.resolve("collapse.jsonl");
    StringBuilder text = new StringBuilder();
    java.util.Random r = new java.util.Random(11);
    for (int step = 1; step <= 200; step++) {
      double reward = Math.min(step, 60) * 0.01 + 0.03 * r.nextGaussian();
      double entropy = step < 60 ? 0.9 : 0.05;
      text.append(String.format(java.util.Locale.ROOT, "{\"step\": %d, \"reward\": %.4f, \"entropy\": %.3f, "
          + "\"frac_reward_zero_std\": %.2f}%n", step, reward, entropy, step < 60 ? 0.2 : 0.8));
    }
    Files.writeString(log, text);
    JsonNode node = CliRun.json("monitor", log.toString(), "--planned-steps", "400");
    JsonNode verdict = node.get("verdict");
    assertEquals("COLLAPSED", verdict.get("state").asText());
    assertEquals("CRITICAL", verdict.get("severity").asText());
    assertTrue(verdict.get("sinceStep").asInt() > 60, verdict.toString());
    assertTrue(verdict.get("action").asText().contains("earlier SFT checkpoint"), verdict.toString());
    JsonNode stretches = node.get("verdicts");
    boolean learned = false;
    for (JsonNode v : stretches) {
      learned |= v.get("state").asText().equals("LEARNING");
    }
    assertTrue(learned, stretches.toString());
    assertEquals(200, stretches.get(stretches.size() - 1).get("toStep").asInt());
    JsonNode advice = node.get("stopAdvice");
    assertEquals("COLLAPSED", advice.get("state").asText());
    assertEquals((400.0 - advice.get("step").asInt()) / 400, advice.get("computeSaved").asDouble(), 1e-12);
    for (JsonNode alert : node.get("alerts")) {
      assertTrue(alert.get("severity").asText().matches("INFO|WARNING|CRITICAL"), alert.toString());
      assertFalse(alert.get("action").asText().isEmpty(), alert.toString());
    }
    String out = CliRun.of("monitor", log.toString()).out();
    assertTrue(out.contains("verdict: COLLAPSED (CRITICAL) since step"), out);
    assertTrue(out.contains("stop advice: at step"), out);
    // A run that only learns gets no stop advice.
    Path rising = dir.resolve("rising.jsonl");
    StringBuilder up = new StringBuilder();
    for (int step = 1; step <= 200; step++) {
      up.append(String.format(java.util.Locale.ROOT, "{\"step\": %d, \"reward\": %.4f}%n", step,
          0.005 * step + 0.03 * r.nextGaussian()));
    }
    Files.writeString(rising, up);
    JsonNode learning = CliRun.json("monitor", rising.toString());
    assertEquals("LEARNING", learning.get("verdict").get("state").asText());
    assertTrue(learning.get("stopAdvice").isNull());
  }

  @Test
  void trlMinesweeperRun() {
    JsonNode node = CliRun.json("monitor", "--hysteresis", "1", resource("trl_grpo_minesweeper_gptoss20b_trainer_state.json"));
    assertEquals("trl", node.get("format").asText());
    assertEquals(50, node.get("steps").asInt());
    assertEquals(50, node.get("series").size());
    JsonNode first = node.get("series").get(0);
    assertEquals(10, first.get("step").asInt());
    assertEquals(1.4185649514198304, first.get("entropy").asDouble());
    assertEquals(0.0, first.get("degenerateFraction").asDouble());
    assertEquals(-9.6625, first.get("reward").asDouble());
    // The run truncates 90-99% of its completions from the start (TRUNCATION at step 10); its
    // groups go majority-degenerate at step 60.
    JsonNode truncation = node.get("alerts").get(0);
    assertEquals(10, truncation.get("step").asInt());
    assertEquals("TRUNCATION", truncation.get("kind").asText());
    JsonNode alert = node.get("alerts").get(1);
    assertEquals(60, alert.get("step").asInt());
    assertEquals("MAJORITY_DEGENERATE", alert.get("kind").asText());
    assertEquals(10, node.get("stage2").get("referenceStep").asInt());
    assertEquals(150, node.get("stage2").get("checkStep").asInt());
    assertEquals(0.268, node.get("stage2").get("drop").asDouble(), 1e-3);
    assertFalse(node.get("stage2").get("flagged").asBoolean());
    assertFalse(node.get("binaryRewards").asBoolean());
    // A lower delta flags the same drop.
    JsonNode strict = CliRun.json("monitor", "--hysteresis", "1", resource("trl_grpo_minesweeper_gptoss20b_trainer_state.json"), "--delta", "0.2");
    assertTrue(strict.get("stage2").get("flagged").asBoolean());
    assertTrue(CliRun.of("monitor", "--hysteresis", "1", resource("trl_grpo_minesweeper_gptoss20b_trainer_state.json")).out().contains("26.8% -> not flagged"));
  }

  @Test
  void reportWritesMarkdownAndCharts() throws IOException {
    Path out = dir.resolve("report");
    CliRun run = CliRun.of("monitor", "--hysteresis", "1", resource("trl_grpo_minesweeper_gptoss20b_trainer_state.json"), "--report", out.toString());
    assertEquals(0, run.status(), run.err());
    String md = Files.readString(out.resolve("report.md"));
    assertTrue(md.contains("Entropy drop from step 10 to step 150: 26.8%, not flagged"), md);
    assertTrue(md.contains("step 60, `MAJORITY_DEGENERATE`"), md);
    assertTrue(md.contains("![entropy](entropy.png)") && md.contains("![degenerate groups](degenerate.png)"), md);
    for (String png : new String[] {"entropy.png", "degenerate.png"}) {
      byte[] bytes = Files.readAllBytes(out.resolve(png));
      assertTrue(bytes.length > 10_000 && bytes[1] == 'P' && bytes[2] == 'N' && bytes[3] == 'G', png);
    }
  }

  @Test
  void verlConsoleLineHasNullsWhereTheLogIsSilent() {
    JsonNode node = CliRun.json("monitor", "--hysteresis", "1", resource("verl_issue7412_step34.log"));
    assertEquals("verl", node.get("format").asText());
    assertEquals(1, node.get("steps").asInt());
    assertTrue(node.get("series").get(0).get("degenerateFraction").isNull());
    assertTrue(node.get("stage2").get("drop").isNull());
  }

  @Test
  void fieldMappingForAGenericCsv() throws IOException {
    Path csv = dir.resolve("run.csv");
    Files.writeString(csv, "iter,H,zero_std_frac\n10,1.0,0.2\n100,0.7,0.6\n150,0.4,0.7\n");
    JsonNode node = CliRun.json("monitor", "--hysteresis", "1", csv.toString(), "--field", "step=iter", "--field", "entropy=H",
        "--field", "degenerateFraction=zero_std_frac");
    assertEquals("csv", node.get("format").asText());
    assertEquals(0.6, node.get("stage2").get("drop").asDouble(), 1e-12);
    assertTrue(node.get("stage2").get("flagged").asBoolean());
    assertEquals("MAJORITY_DEGENERATE", node.get("alerts").get(0).get("kind").asText());
    assertEquals("ENTROPY_DROP", node.get("alerts").get(1).get("kind").asText());
    assertBadInput("field mapping key must be one of", "monitor", csv.toString(), "--field", "nope=iter");
    assertBadInput("no such file", "monitor", dir.resolve("missing.json").toString());
    assertBadInput("--groups-per-step must be >= 1", "monitor", csv.toString(), "--groups-per-step", "0");
  }

  @Test
  void followPrintsAlertsAsTheLogGrows() throws Exception {
    Path log = dir.resolve("live.jsonl");
    Files.writeString(log, "{\"step\": 10, \"entropy\": 1.0, \"frac_reward_zero_std\": 0.1}\n");
    StringWriter out = new StringWriter();
    AtomicInteger status = new AtomicInteger(-1);
    Thread follower = new Thread(() -> status.set(Main.run(new String[] {"monitor", "--hysteresis", "1", log.toString(), "--follow",
        "--json", "--poll-ms", "50", "--idle-exit", "2"}, new PrintWriter(out, true), new PrintWriter(new StringWriter()))));
    follower.start();
    Thread.sleep(300);
    Files.writeString(log, "{\"step\": 100, \"entropy\": 0.8, \"frac_reward_zero_std\": 0.7}\n{\"step\": 150, \"entr",
        StandardOpenOption.APPEND); // the writer is mid-line
    Thread.sleep(300);
    Files.writeString(log, "opy\": 0.3, \"frac_reward_zero_std\": 0.8}\n", StandardOpenOption.APPEND);
    follower.join(10_000);
    assertEquals(0, status.get());
    String[] lines = alertLines(out.toString());
    assertEquals(3, lines.length, out.toString());
    JsonNode majority = Output.JSON.readTree(lines[0]);
    assertEquals(100, majority.get("step").asInt());
    assertEquals("MAJORITY_DEGENERATE", majority.get("kind").asText());
    // The signal rule's Stage 2: (0.1 + 0.7 + 0.8)/3 = 53.3% of groups dead on average over steps 10..150.
    JsonNode window = Output.JSON.readTree(lines[1]);
    assertEquals(150, window.get("step").asInt());
    assertEquals("DEGENERATE_OVER_WINDOW", window.get("kind").asText());
    assertTrue(window.get("message").asText().startsWith("53.3% of groups"), window.toString());
    JsonNode drop = Output.JSON.readTree(lines[2]);
    assertEquals(150, drop.get("step").asInt());
    assertEquals("ENTROPY_DROP", drop.get("kind").asText());
  }

  /** Synthetic (written for this test): a verl console log whose launch line states G = 5 and no degenerate fraction. */
  @Test
  void followTakesTheGroupSizeFromTheLaunchLineAsBatchModeDoes() throws Exception {
    Path log = dir.resolve("verl.log");
    StringBuilder text = new StringBuilder("python3 -m verl.trainer.main_ppo actor_rollout_ref.rollout.n=5 data.train_batch_size=64\n");
    for (int step = 1; step <= 6; step++) {
      text.append(String.format(java.util.Locale.ROOT, "(TaskRunner pid=7) step:%d - actor/entropy:0.5 - critic/score/mean:%.2f%n",
          step, step < 4 ? 0.5 : 0.96));
    }
    Files.writeString(log, text);
    Follower follow = new Follower("monitor", "--hysteresis", "1", log.toString(), "--follow", "--json", "--poll-ms", "50", "--idle-exit", "1");
    assertEquals(0, follow.join());
    assertTrue(follow.err.toString().contains("note: group size G = 5 taken from the log"), follow.err.toString());
    JsonNode batch = CliRun.json("monitor", "--hysteresis", "1", log.toString());
    java.util.List<String> followed = new java.util.ArrayList<>();
    for (String line : alertLines(follow.out.toString())) {
      JsonNode a = Output.JSON.readTree(line);
      followed.add(a.get("step").asInt() + " " + a.get("kind").asText() + " " + a.get("message").asText());
    }
    // At a mean score of 0.96 at least 0.96^5 + 0.04^5 = 81.5% of G = 5 groups are degenerate.
    assertEquals(alertKeys(batch.get("alerts")), followed);
    assertEquals("4 MAJORITY_DEGENERATE", followed.get(0).substring(0, "4 MAJORITY_DEGENERATE".length()), followed.toString());
  }

  /** A synthetic verl console log (written for these tests): entropy falling, degenerate fraction swinging. */
  static String syntheticVerlLine(int step) {
    double entropy = 1.0 - 0.006 * step;
    double degenerate = (step / 10) % 3 == 0 ? 0.7 : 0.3;
    return String.format(java.util.Locale.ROOT,
        "(TaskRunner pid=7) step:%d - actor/entropy_loss:%.4f - critic/score/mean:0.5 - frac_reward_zero_std:%.2f%n",
        step, entropy, degenerate);
  }

  /** Runs monitor --follow in a thread; returns it with its stdout and stderr writers. */
  private static final class Follower {
    final StringWriter out = new StringWriter();
    final StringWriter err = new StringWriter();
    final AtomicInteger status = new AtomicInteger(-1);
    final Thread thread;

    Follower(String... args) {
      thread = new Thread(() -> status.set(Main.run(args, new PrintWriter(out, true), new PrintWriter(err, true))));
      thread.start();
    }

    int join() throws InterruptedException {
      thread.join(20_000);
      return status.get();
    }

    void awaitOut(String text) throws InterruptedException {
      await(out, text);
    }

    void awaitErr(String text) throws InterruptedException {
      await(err, text);
    }

    private void await(StringWriter stream, String text) throws InterruptedException {
      long deadline = System.nanoTime() + 10_000_000_000L;
      while (!stream.toString().contains(text)) {
        assertTrue(System.nanoTime() < deadline && thread.isAlive(),
            "waited 10 s for '" + text + "'; out: " + out + "; err: " + err);
        Thread.sleep(10);
      }
    }
  }

  private static java.util.List<String> alertKeys(JsonNode alerts) {
    java.util.List<String> keys = new java.util.ArrayList<>();
    alerts.forEach(a -> keys.add(a.get("step").asInt() + " " + a.get("kind").asText() + " " + a.get("message").asText()));
    return keys;
  }

  @Test
  void followAppendedInPiecesGivesTheAlertsOfABatchRun() throws Exception {
    Path log = dir.resolve("train.log");
    StringBuilder all = new StringBuilder("+ python3 -m verl.trainer.main_ppo actor_rollout_ref.rollout.n=5\n");
    for (int step = 1; step <= 160; step++) {
      all.append(syntheticVerlLine(step));
      if (step == 50) {
        all.append("(TaskRunner pid=7) step:51 - actor/entropy_loss:abc\n"); // a bad line, kept going past
      }
    }
    all.append("(TaskRunner pid=7) step:161 - actor/entropy_loss:0"); // cut from 0.0340: never read
    String text = all.toString();
    Files.writeString(log, "");
    Follower f = new Follower("monitor", "--hysteresis", "1", log.toString(), "--follow", "--json", "--poll-ms", "20", "--idle-exit", "2");
    // Pieces cut at arbitrary bytes, half-written lines included.
    int[] cuts = {0, 37, 500, 1203, 4000, 4001, 7777, text.length() - 20, text.length()};
    for (int i = 1; i < cuts.length; i++) {
      Files.writeString(log, text.substring(cuts[i - 1], cuts[i]), StandardOpenOption.APPEND);
      Thread.sleep(120);
    }
    assertEquals(0, f.join(), f.err.toString());
    java.util.List<String> followed = new java.util.ArrayList<>();
    for (String line : alertLines(f.out.toString())) {
      JsonNode a = Output.JSON.readTree(line);
      followed.add(a.get("step").asInt() + " " + a.get("kind").asText() + " " + a.get("message").asText());
    }
    JsonNode batch = CliRun.json("monitor", "--hysteresis", "1", log.toString());
    assertEquals(alertKeys(batch.get("alerts")), followed);
    assertTrue(followed.size() >= 5, followed.toString());
    assertTrue(f.err.toString().contains("note: 'actor/entropy_loss' dropped from 1 record(s), each keeping its other fields"
        + " (first: line 52: entropy ('actor/entropy_loss') must be a number, was 'abc')"), f.err.toString());
    // The half-written last line is no reading in either mode: no alert at step 161.
    assertTrue(followed.stream().noneMatch(a -> a.startsWith("161 ")), followed.toString());
  }

  @Test
  void followStartsOverAfterTruncationAndRotationAndReportsDeletionOnce() throws Exception {
    Path log = dir.resolve("live.jsonl");
    Follower f = new Follower("monitor", "--hysteresis", "1", log.toString(), "--follow", "--poll-ms", "20", "--idle-exit", "3");
    // Each change waits until the follower has reported the one before: a loaded machine slows the
    // poll, and a change it never saw would test nothing.
    f.awaitErr("no such file yet"); // missing at first: reported once
    Files.writeString(log, "{\"step\": 10, \"entropy\": 0.1}\n{\"step\": 20, \"entropy\": 0.5}\n");
    f.awaitOut("step 10  WARNING  ENTROPY_BELOW_TAU");
    // Truncated and restarted as a new run.
    Files.writeString(log, "{\"step\": 1, \"entropy\": 0.05}\n", StandardOpenOption.TRUNCATE_EXISTING);
    f.awaitErr("truncated or rewritten");
    // Rotated: a new file renamed into its place in one step (so that it is never missing).
    Path next = dir.resolve("live.jsonl.new");
    Files.writeString(next, "{\"step\": 30, \"entropy\": 0.5}\n{\"step\": 40, \"entropy\": 0.01}\n");
    Files.move(next, log, java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    f.awaitErr("replaced by a new file (rotated)");
    Files.delete(log);
    assertEquals(0, f.join());
    String err = f.err.toString();
    assertEquals(1, err.split("no such file yet", -1).length - 1, err);
    assertTrue(err.contains("truncated or rewritten (now 29 bytes, 58 before); reading it from its start"), err);
    assertTrue(err.contains("replaced by a new file (rotated)"), err);
    assertEquals(1, err.split("deleted; waiting", -1).length - 1, err);
    String out = f.out.toString();
    // Below tau at 10, again at 1 after the restart, and at 40 after rotation (30 was above).
    assertTrue(out.contains("step 10  WARNING  ENTROPY_BELOW_TAU"), out);
    assertTrue(out.contains("step 1  WARNING  ENTROPY_BELOW_TAU"), out);
    assertTrue(out.contains("step 40  WARNING  ENTROPY_BELOW_TAU"), out);
  }

  @Test
  void followOptionsAreChecked() throws Exception {
    Path log = dir.resolve("x.jsonl");
    Files.writeString(log, "{\"step\": 1, \"entropy\": 0.5}\n");
    assertBadInput("--idle-exit must be >= 0", "monitor", log.toString(), "--follow", "--idle-exit", "-1");
    assertBadInput("--report cannot be combined with --follow", "monitor", log.toString(), "--follow", "--report",
        dir.resolve("r").toString());
    assertBadInput("--group-size", "monitor", log.toString(), "--follow", "-g", "0");
    assertBadInput("--poll-ms must be >= 10", "monitor", log.toString(), "--follow", "--poll-ms", "0");
    // A huge --idle-exit does not overflow into an immediate exit.
    Follower f = new Follower("monitor", "--hysteresis", "1", log.toString(), "--follow", "--poll-ms", "20", "--idle-exit",
        Long.toString(Long.MAX_VALUE));
    Thread.sleep(500);
    assertTrue(f.thread.isAlive());
    f.thread.interrupt();
    assertEquals(0, f.join());
  }

  /** Synthetic (written for this test): an old rllm console log, whose solve counts split the degenerate groups. */
  @Test
  void aLogThatSplitsItsDegenerateGroupsShowsBothParts() throws IOException {
    Path log = dir.resolve("rllm.log");
    Files.writeString(log, """
        step:1 - batch/solve_none:48 - batch/solve_all:0 - batch/solve_partial:16 - actor/entropy:0.5
        step:2 - batch/solve_none:8 - batch/solve_all:40 - batch/solve_partial:16 - actor/entropy:0.4
        """);
    JsonNode node = CliRun.json("monitor", "--hysteresis", "1", log.toString());
    JsonNode second = node.get("series").get(1);
    assertEquals(40 / 64.0, second.get("allPassFraction").asDouble(), 1e-15);
    assertEquals(8 / 64.0, second.get("allFailFraction").asDouble(), 1e-15);
    assertEquals(0.75, second.get("degenerateFraction").asDouble(), 1e-15);
    String text = CliRun.of("monitor", "--hysteresis", "1", log.toString()).out();
    assertTrue(text.contains("all-pass") && text.contains("all-fail"), text);
  }

  @Test
  void aDamagedLogKeepsItsGoodStepsInBatchMode() throws IOException {
    Path log = dir.resolve("damaged.jsonl");
    byte[] good = "{\"step\": 1, \"entropy\": 0.5}\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    byte[] bytes = java.util.Arrays.copyOf(good, good.length + 2);
    bytes[good.length] = (byte) 0xFF;
    bytes[good.length + 1] = '\n';
    Files.write(log, bytes);
    CliRun run = CliRun.of("monitor", log.toString());
    assertEquals(0, run.status(), run.err());
    assertTrue(run.out().contains("skipped line 2: invalid UTF-8"), run.out());
  }

  @Test
  void alertsAreEpisodesWithASummary() throws IOException {
    Path log = dir.resolve("train.log");
    StringBuilder text = new StringBuilder();
    for (int step = 1; step <= 160; step++) {
      text.append(syntheticVerlLine(step));
    }
    Files.writeString(log, text);
    JsonNode node = CliRun.json("monitor", "--hysteresis", "1", log.toString());
    // Majority degenerate (0.7) at steps 1-9, 30-39, 60-69, 90-99, 120-129, 150-159: 59 steps, 6 spells.
    JsonNode first = node.get("alerts").get(0);
    assertEquals("MAJORITY_DEGENERATE", first.get("kind").asText());
    assertEquals(1, first.get("step").asInt());
    assertEquals(9, first.get("endStep").asInt());
    assertEquals(9, first.get("steps").asInt());
    JsonNode majority = node.get("summary").get(0);
    assertEquals("ENTROPY_BELOW_TAU", majority.get("kind").asText()); // AlertKind order
    // Entropy 1 - 0.006 step is below 0.18 from step 137 on: 24 of 160 steps, one spell.
    assertEquals("ENTROPY_BELOW_TAU at 24 of 160 logged steps, in 1 episode", majority.get("text").asText());
    String out = CliRun.of("monitor", "--hysteresis", "1", log.toString()).out();
    assertTrue(out.contains("MAJORITY_DEGENERATE at 59 of 160 logged steps, in 6 episodes"), out);
    assertTrue(out.contains("step 1  WARNING  MAJORITY_DEGENERATE  70.0% of groups are degenerate: most of the batch carries no gradient"
        + " (until step 9, 9 logged steps)"), out);
  }

  @Test
  void majorityDegenerateFromTheLowerBoundWhenOnlyTheMeanRewardIsLogged() throws IOException {
    // Synthetic verl console log (written here): G = 8 from the launch line, binary mean reward 0.97, no
    // degenerate fraction logged. P_deg(0.97, 8) = 0.97^8 + 0.03^8 = 0.7837 > 1/2 at every step.
    Path log = dir.resolve("bound.log");
    StringBuilder text = new StringBuilder("+ python3 -m verl.trainer.main_ppo actor_rollout_ref.rollout.n=8\n");
    for (int step = 1; step <= 5; step++) {
      text.append("(TaskRunner pid=7) step:").append(step)
          .append(" - actor/entropy_loss:0.9 - critic/score/mean:0.97 - critic/score/min:0.0 - critic/score/max:1.0\n");
    }
    Files.writeString(log, text.toString());
    JsonNode node = CliRun.json("monitor", "--hysteresis", "1", log.toString());
    JsonNode alerts = node.get("alerts");
    assertEquals(1, alerts.size(), alerts.toString());
    JsonNode a = alerts.get(0);
    assertEquals("MAJORITY_DEGENERATE", a.get("kind").asText());
    assertEquals(1, a.get("step").asInt());
    assertEquals(5, a.get("endStep").asInt());
    String message = a.get("message").asText();
    assertTrue(message.startsWith("at least 78.4% of groups are degenerate (a lower bound"), message);
    assertTrue(message.contains("from the mean reward"), message);
    // Without G (a --field mapping cannot supply it) there is no bound, so no alert; -g gives it back.
    Path headless = dir.resolve("headless.log");
    Files.writeString(headless, text.substring(text.indexOf("\n") + 1));
    assertEquals(0, CliRun.json("monitor", "--hysteresis", "1", headless.toString()).get("alerts").size());
    assertEquals(1, CliRun.json("monitor", "--hysteresis", "1", headless.toString(), "-g", "8").get("alerts").size());
    // At G = 2 the bound is 0.97^2 + 0.03^2 = 0.9418: still flagged; at mean 0.5 and G = 8 it is 0.0078: clear.
    assertEquals(1, CliRun.json("monitor", "--hysteresis", "1", headless.toString(), "-g", "2").get("alerts").size());
  }

  @Test
  void dapoGenerationRoundsAgainstTheExpectedCostAndTheStallWarning() throws IOException {
    // Synthetic DAPO-style JSON lines (written here): degenerate fraction 0.75 (expected 4 rounds), observed 5 rounds.
    Path log = dir.resolve("dapo.jsonl");
    StringBuilder text = new StringBuilder();
    for (int step = 1; step <= 12; step++) {
      text.append("{\"step\": ").append(step).append(", \"actor/entropy\": 0.8, \"frac_reward_zero_std\": 0.75, ")
          .append("\"train/num_gen_batches\": 5}\n");
    }
    Files.writeString(log, text.toString());
    JsonNode rounds = CliRun.json("monitor", "--hysteresis", "1", log.toString()).get("generationRounds");
    assertEquals(10, rounds.get("steps").asInt());
    assertEquals(3, rounds.get("firstStep").asInt());
    assertEquals(5.0, rounds.get("meanObserved").asDouble());
    assertEquals(4.0, rounds.get("meanExpected").asDouble(), 1e-12);
    assertTrue(rounds.get("nearStall").isNull());
    assertTrue(CliRun.json("monitor", "--hysteresis", "1", log.toString(), "--max-gen-batches", "8").get("generationRounds").get("nearStall").asBoolean());
    assertFalse(CliRun.json("monitor", "--hysteresis", "1", log.toString(), "--max-gen-batches", "10").get("generationRounds").get("nearStall").asBoolean());
    String plain = CliRun.of("monitor", "--hysteresis", "1", log.toString()).out();
    assertTrue(plain.contains("generation rounds (num_gen_batches) over the last 10 steps that say (3 to 12): mean 5 observed, "
        + "expected 1/(1 - degenerate fraction) = 4"), plain);
    assertFalse(plain.contains("warning:"), plain);
    String warned = CliRun.of("monitor", "--hysteresis", "1", log.toString(), "--max-gen-batches", "8").out();
    assertTrue(warned.contains("warning: the mean generation rounds 5 exceed half of --max-gen-batches 8"), warned);
    assertBadInput("--max-gen-batches", "monitor", log.toString(), "--max-gen-batches", "0");
    // A log without rounds has none to report.
    assertTrue(CliRun.json("monitor", "--hysteresis", "1", resource("verl_issue7412_step34.log")).get("generationRounds").isNull());
  }

  @Test
  void whatTheLogSaysAboutItself() throws IOException {
    // Synthetic verl console log (written here) whose launch line states G = 5.
    Path log = dir.resolve("train.log");
    Files.writeString(log, "+ python3 -m verl.trainer.main_ppo data.train_batch_size=8 actor_rollout_ref.rollout.n=5 \\\n"
        + "(TaskRunner pid=7) step:1 - actor/entropy_loss:0.39 - critic/score/mean:0.96 - critic/score/min:0.0 - critic/score/max:1.0\n"
        + "(TaskRunner pid=7) step:2 - actor/entropy_loss:0.38 - critic/score/mean:0.5\n");
    JsonNode node = CliRun.json("monitor", "--hysteresis", "1", log.toString());
    assertEquals(5, node.get("settings").get("groupSize").asInt());
    // P_deg(p, G) = p^G + (1 - p)^G for binary rewards: at 0.96, 0.96^5 + 0.04^5 = 0.8154 (at least 81% of groups).
    assertEquals(Math.pow(0.96, 5) + Math.pow(0.04, 5),
        node.get("series").get(0).get("degenerateFractionLowerBound").asDouble(), 1e-12);
    assertEquals(2 * Math.pow(0.5, 5), node.get("series").get(1).get("degenerateFractionLowerBound").asDouble(), 1e-12);
    assertTrue(node.get("notes").toString().contains("group size G = 5 taken from the log (--group-size overrides)"),
        node.get("notes").toString());
    JsonNode overridden = CliRun.json("monitor", "--hysteresis", "1", log.toString(), "-g", "2");
    assertEquals(2, overridden.get("settings").get("groupSize").asInt());
    assertEquals(0.96 * 0.96 + 0.04 * 0.04, overridden.get("series").get(0).get("degenerateFractionLowerBound").asDouble(), 1e-12);
    String text = CliRun.of("monitor", "--hysteresis", "1", log.toString()).out();
    assertTrue(text.contains("unknown (the log ends at step 2, before the check step 150)"), text);
    // trainer_state.json states max_steps (500 in the Minesweeper run) and logging_steps (10).
    String trl = resource("trl_grpo_minesweeper_gptoss20b_trainer_state.json");
    JsonNode state = CliRun.json("monitor", "--hysteresis", "1", trl);
    assertEquals(500, state.get("settings").get("plannedSteps").asInt());
    assertEquals(10, state.get("settings").get("loggingSteps").asInt());
    assertTrue(state.get("settings").get("groupSize").isNull());
    assertTrue(state.get("series").get(0).get("degenerateFractionLowerBound").isNull()); // rewards not binary
    assertTrue(state.get("notes").toString().contains("planned steps 500 taken from the log's max_steps"), state.toString());
    assertEquals(400, CliRun.json("monitor", "--hysteresis", "1", trl, "--planned-steps", "400").get("settings").get("plannedSteps").asInt());
  }

  @Test
  void tensorBoardEventFileAndItsDirectory() {
    // The logs module's synthetic fixture (its SOURCES.md), read in place: surefire runs in the module directory.
    String file = Path.of("..", "rlvr-diagnostics-logs", "src", "test", "resources", "logs", "tensorboard_synthetic",
        "events.out.tfevents.1795454519.synthetic").toString();
    JsonNode node = CliRun.json("monitor", "--hysteresis", "1", file);
    assertEquals("tensorboard", node.get("format").asText());
    assertEquals(20, node.get("steps").asInt());
    assertEquals(2.0, node.get("series").get(0).get("genBatches").asDouble());
    // The directory (which also holds the generator script) reads as the same run.
    JsonNode dirNode = CliRun.json("monitor", "--hysteresis", "1", Path.of(file).getParent().toString());
    assertEquals(node.get("series"), dirNode.get("series"));
  }
}
