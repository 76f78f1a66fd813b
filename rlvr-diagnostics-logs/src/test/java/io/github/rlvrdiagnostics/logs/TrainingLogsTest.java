package io.github.rlvrdiagnostics.logs;

import io.github.rlvrdiagnostics.api.AlertKind;

import io.github.rlvrdiagnostics.api.Alert;

import io.github.rlvrdiagnostics.api.TriageConfig;

import io.github.rlvrdiagnostics.core.diagnostic.TrainingMonitor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.rlvrdiagnostics.api.SkippedLine;
import io.github.rlvrdiagnostics.api.TrainingLog;
import io.github.rlvrdiagnostics.api.TrainingStep;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

/** The log readers on real TRL and verl logs (see logs/SOURCES.md) and on damaged variants. */
class TrainingLogsTest {
  static Path resource(String name) {
    try {
      return Path.of(TrainingLogsTest.class.getResource("/logs/" + name).toURI());
    } catch (URISyntaxException e) {
      throw new AssertionError(e);
    }
  }

  static final String MINESWEEPER = "trl_grpo_minesweeper_gptoss20b_trainer_state.json";
  static final String GSM8K = "trl_grpo_unsloth_llama31_8b_gsm8k_trainer_state.json";

  private static TrainingStep at(TrainingLog log, long step) {
    return log.steps().stream().filter(s -> s.step() == step).findFirst().orElseThrow();
  }

  @Test
  void trlMinesweeperLogWithEntropyAndZeroStdFraction() {
    TrainingLog log = TrainingLogs.read(resource(MINESWEEPER));
    assertEquals("trl", log.format());
    assertEquals(50, log.steps().size());
    assertEquals(10, log.steps().get(0).step());
    assertEquals(500, log.steps().get(49).step());
    assertEquals(1.4185649514198304, at(log, 10).entropy().getAsDouble());
    assertEquals(0.0, at(log, 10).degenerateFraction().getAsDouble());
    assertEquals(0.0, at(log, 20).degenerateFraction().getAsDouble());
    assertEquals(0.55, at(log, 60).degenerateFraction().getAsDouble());
    assertEquals(0.0, at(log, 60).gradNorm().getAsDouble()); // grad_norm is exactly 0 there
    assertEquals(-9.6625, at(log, 10).reward().getAsDouble());
    assertEquals(0.0, at(log, 10).clipFraction().getAsDouble());
    assertTrue(log.skipped().isEmpty());
    assertFalse(TrainingLogs.rewardsWithinUnitInterval(log));
    assertTrue(log.notes().stream().anyMatch(n -> n.contains("rewards outside [0, 1]")), log.notes().toString());
  }

  @Test
  void earlyTrlGsm8kLogDerivesDegenerateStepsFromZeroRewardStd() {
    TrainingLog log = TrainingLogs.read(resource(GSM8K));
    assertEquals("trl", log.format());
    assertEquals(250, log.steps().size());
    assertTrue(log.steps().stream().allMatch(s -> s.entropy().isEmpty()));
    long allDegenerate = log.steps().stream()
        .filter(s -> s.degenerateFraction().isPresent() && s.degenerateFraction().getAsDouble() == 1.0).count();
    assertEquals(64, allDegenerate);
    assertTrue(log.steps().stream().filter(s -> s.degenerateFraction().isEmpty()).count() == 186);
    assertTrue(log.notes().stream().anyMatch(n -> n.startsWith("reward_std == 0 at 64 step(s)")), log.notes().toString());
    // One prompt per step (SOURCES.md): then every step's fraction is known exactly.
    TrainingLog oneGroup = TrainingLogs.read(resource(GSM8K), Map.of(), OptionalInt.of(1));
    assertEquals(186, oneGroup.steps().stream()
        .filter(s -> s.degenerateFraction().getAsDouble() == 0.0).count());
    assertEquals(1, oneGroup.steps().get(0).groups().getAsInt());
    assertFalse(TrainingLogs.rewardsWithinUnitInterval(log));
  }

  @Test
  void verlConsoleLineFromAnIssueThread() {
    TrainingLog log = TrainingLogs.read(resource("verl_issue7412_step34.log"));
    assertEquals("verl", log.format());
    assertEquals(1, log.steps().size());
    TrainingStep s = log.steps().get(0);
    assertEquals(34, s.step());
    assertEquals(0.22266578674316406, s.entropy().getAsDouble());
    assertEquals(-0.0182796623557806, s.reward().getAsDouble());
    assertEquals(-1.0, s.rewardMin().getAsDouble());
    assertEquals(1.0, s.rewardMax().getAsDouble());
    assertEquals(0.0013280365410537343, s.kl().getAsDouble());
    assertEquals(0.0007935191160472839, s.clipFraction().getAsDouble());
    assertTrue(s.degenerateFraction().isEmpty());
    assertTrue(log.skipped().isEmpty());
    assertTrue(log.notes().contains("1 non-metric console line(s) ignored"), log.notes().toString());
    assertFalse(TrainingLogs.rewardsWithinUnitInterval(log));
  }

  /** The Minesweeper history as JSON lines, one per step, which the damaged variants start from. */
  private static List<String> minesweeperLines() throws IOException {
    ObjectMapper json = new ObjectMapper();
    JsonNode history = json.readTree(resource(MINESWEEPER).toFile()).get("log_history");
    List<String> lines = new ArrayList<>();
    history.forEach(entry -> lines.add(entry.toString()));
    return lines;
  }

  @Test
  void faultInjectionKeepsEveryGoodLine() throws IOException {
    List<String> lines = minesweeperLines();
    List<String> damaged = new ArrayList<>(lines);
    // In step order (a step going back would start a new attempt): step 15 goes after step 10.
    damaged.add(1, "{\"step\": 15, \"entropy\": \"NaN\", \"reward\": \"nan\", \"frac_reward_zero_std\": 0.25}");
    damaged.add(7, "Traceback (most recent call last): garbage");
    damaged.add(12, "{\"step\": 999, \"entropy\": ");
    damaged.add(25, "{\"step\": 16, \"entropy\": -3.0}");
    damaged.add(30, "[1, 2, 3]");
    String truncatedLast = "{\"step\": 510, \"entropy\": 0.9";
    String text = String.join("\n", damaged) + "\n" + truncatedLast;
    TrainingLog log = TrainingLogs.parse("damaged.jsonl", text, Map.of(), OptionalInt.empty());
    assertEquals("jsonl", log.format());
    assertEquals(51, log.steps().size()); // 50 good steps + step 15
    for (int i = 1; i < log.steps().size(); i++) {
      assertTrue(log.steps().get(i).step() > log.steps().get(i - 1).step());
    }
    TrainingStep nan = at(log, 15);
    assertTrue(nan.entropy().isEmpty() && nan.reward().isEmpty());
    assertEquals(0.25, nan.degenerateFraction().getAsDouble());
    List<Integer> skippedLines = log.skipped().stream().map(SkippedLine::line).toList();
    assertEquals(List.of(8, 13, 26, 31, damaged.size() + 1), skippedLines);
    SkippedLine last = log.skipped().get(log.skipped().size() - 1);
    assertEquals(StepCollector.INCOMPLETE_LAST_LINE, last.reason());
    assertTrue(log.skipped().get(1).reason().startsWith("malformed JSON"), log.skipped().get(1).reason());
    assertTrue(log.skipped().get(2).reason().contains("entropy must be finite and >= 0"), log.skipped().get(2).reason());
    assertEquals(1.4185649514198304, at(log, 10).entropy().getAsDouble());
  }

  @Test
  void verlJsonLinesAndDuplicatesAndMappings() {
    String text = String.join("\n",
        "{\"step\": 1, \"data\": {\"actor/entropy\": 1.2, \"critic/score/mean\": 0.25, \"critic/score/min\": 0.0, \"critic/score/max\": 1.0}}",
        "{\"step\": 2, \"actor/entropy\": 1.1, \"critic/score/mean\": 0.5}",
        "{\"step\": 2, \"actor/entropy\": 1.0, \"critic/score/mean\": 0.5}") + "\n";
    TrainingLog log = TrainingLogs.parse("metrics.jsonl", text, Map.of(), OptionalInt.empty());
    assertEquals("verl", log.format());
    assertEquals(2, log.steps().size());
    assertEquals(1.0, log.steps().get(1).entropy().getAsDouble());
    assertTrue(log.notes().get(0).startsWith("1 step(s) appear more than once"));
    assertTrue(TrainingLogs.rewardsWithinUnitInterval(log));
    TrainingLog csv = TrainingLogs.parse("run.csv", "iter,H,acc\n0,2.0,0.1\n1,1.5,0.2\n2,x,0.3\n",
        Map.of("step", "iter", "entropy", "H", "reward", "acc"), OptionalInt.empty());
    assertEquals("csv", csv.format());
    assertEquals(3, csv.steps().size()); // the 'x' costs only step 2's entropy
    assertEquals(List.of(), csv.skipped());
    assertTrue(csv.steps().get(2).entropy().isEmpty() && csv.steps().get(2).reward().isPresent());
    assertThrows(IllegalArgumentException.class,
        () -> TrainingLogs.parse("x.jsonl", "{\"a\":1}\n", Map.of("bogus", "a"), OptionalInt.empty()));
    assertThrows(IllegalArgumentException.class, () -> TrainingLogs.parse("x.jsonl", "   \n", Map.of(), OptionalInt.empty()));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> TrainingLogs.parse("x.jsonl", "{\"loss\": 1}\n", Map.of(), OptionalInt.empty()));
    assertTrue(e.getMessage().contains("holds no training step"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class,
        () -> TrainingLogs.parse("x.jsonl", "{\"step\": 1, \"objective\": 1, \"H\": 0.5}\n", Map.of(), OptionalInt.empty()));
    assertEquals("x.jsonl: no known training field in 1 record(s); keys seen: objective, H, step; map them with --field,"
        + " e.g. --field entropy=KEY --field reward=KEY (fields: " + TrainingLogs.FIELDS + ")", e.getMessage());
    assertThrows(IllegalArgumentException.class,
        () -> TrainingLogs.parse("t.json", "{\"log_history\": [ {\"step\": 1", Map.of(), OptionalInt.empty()));
  }

  @Test
  void trlStateCutWhileBeingWrittenKeepsEveryCompleteEntry() throws IOException {
    String whole = Files.readString(resource(MINESWEEPER));
    TrainingLog full = TrainingLogs.read(resource(MINESWEEPER));
    assertEquals(500, full.plannedSteps().getAsLong());
    assertEquals(10, full.loggingSteps().getAsLong());
    for (double at : new double[] {0.6, 0.35, 0.9}) {
      String cut = whole.substring(0, (int) (whole.length() * at));
      // Independently: in this pretty-printed file each entry ends with a line "    }" (4 spaces);
      // every entry is a training entry (the file has no eval or summary entries before step 500).
      int complete = cut.split("\n    }", -1).length - 1;
      TrainingLog log = TrainingLogs.parse("trainer_state.json", cut, Map.of(), OptionalInt.empty());
      assertEquals(full.steps().subList(0, complete), log.steps(), "cut at " + at);
      assertEquals(1, log.skipped().size());
      SkippedLine damage = log.skipped().get(0);
      assertEquals(cut.split("\n", -1).length, damage.line(), damage.reason());
      assertTrue(damage.reason().contains("the " + complete + " complete training entries before it are kept"), damage.reason());
      assertTrue(log.plannedSteps().isEmpty()); // max_steps comes after the history
    }
  }

  @Test
  void trlStateWithGarbageLinesKeepsEveryUndamagedEntry() throws IOException {
    List<String> lines = new ArrayList<>(Files.readAllLines(resource(MINESWEEPER)));
    TrainingLog full = TrainingLogs.read(resource(MINESWEEPER));
    // Independently: the line numbers (1-based) where each entry starts, "    {" in this pretty-printed file.
    List<Integer> starts = new ArrayList<>();
    for (int i = 0; i < lines.size(); i++) {
      if (lines.get(i).equals("    {")) {
        starts.add(i + 1);
      }
    }
    assertEquals(50, starts.size());
    // A garbage line inside entry 20 (after its first member) and one between entries 40 and 41;
    // inserted from the end so the earlier line numbers hold.
    lines.add(starts.get(40) - 1, "%% garbage between entries %%");
    lines.add(starts.get(20) + 1, "Traceback (most recent call last):");
    String text = String.join("\n", lines) + "\n";
    TrainingLog log = TrainingLogs.parse("trainer_state.json", text, Map.of(), OptionalInt.empty());
    List<TrainingStep> expected = new ArrayList<>(full.steps());
    expected.remove(20); // the damaged entry; the one after the between-entries garbage survives
    assertEquals(expected, log.steps());
    assertEquals(List.of(starts.get(20) + 2, starts.get(40) + 1), log.skipped().stream().map(SkippedLine::line).toList());
    assertTrue(log.skipped().get(0).reason().endsWith("skipped to the next entry, at line " + (starts.get(21) + 1)),
        log.skipped().get(0).reason());
    assertEquals(500, log.plannedSteps().getAsLong()); // read after the resumed history
    assertEquals(10, log.loggingSteps().getAsLong());
  }

  @Test
  void realMinesweeperRunGoesMajorityDegenerateAtStep60() {
    TrainingLog log = TrainingLogs.read(resource(MINESWEEPER));
    TrainingMonitor monitor = TrainingMonitor.create(TriageConfig.DEFAULT,
        io.github.rlvrdiagnostics.api.MonitorConfig.DEFAULT.withHysteresis(1, 1), a -> { });
    log.steps().forEach(monitor::accept);
    List<Alert> alerts = monitor.alerts().stream().filter(a -> a.kind() == AlertKind.MAJORITY_DEGENERATE).toList();
    assertEquals(60, alerts.get(0).step());
    // With the default hysteresis (3 logged steps to open) the one-entry majority at step 60 is a
    // blip, and the first episode opens at step 80.
    TrainingMonitor steady = TrainingMonitor.create(TriageConfig.DEFAULT);
    log.steps().forEach(steady::accept);
    assertEquals(80, steady.alerts().stream().filter(a -> a.kind() == AlertKind.MAJORITY_DEGENERATE)
        .findFirst().orElseThrow().step());
    // 90% to 99% of its completions hit the length limit (completions/clipped_ratio): a real
    // truncation problem, which the detector reports from the first steps.
    assertEquals(10, steady.alerts().stream().filter(a -> a.kind() == AlertKind.TRUNCATION)
        .findFirst().orElseThrow().step());
    assertTrue(steady.summary().stream().filter(e -> e.kind() == AlertKind.MAJORITY_DEGENERATE).findFirst()
        .orElseThrow().blips() >= 1, steady.summary().toString());
    assertEquals(AlertKind.MAJORITY_DEGENERATE, alerts.get(0).kind());
    assertTrue(alerts.stream().noneMatch(a -> a.kind() == AlertKind.ENTROPY_DROP));
    // Entropy 1.4186 at step 10, 1.0382 at step 150: a 26.8% drop, under delta = 50%.
    assertEquals((1.4185649514198304 - 1.0382076278328896) / 1.4185649514198304, monitor.stage2Drop().getAsDouble(), 1e-12);
  }

}
