package io.github.rlvrdiagnostics.logs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.rlvrdiagnostics.api.TrainingLog;
import io.github.rlvrdiagnostics.api.TrainingStep;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

/**
 * The degenerate-group counters of trainers other than TRL and verl. Every log here is
 * <b>synthetic</b>, written for this test in each trainer's format: we found no public log of these
 * trainers with a clear source. The key spellings were read from each project's own source: prime-rl
 * {@code src/prime_rl/orchestrator/metrics.py} @ 559b447 ({@code train/agg/all/<agent>/solved_*},
 * fractions) and {@code orchestrator.py} @ dceaade ({@code batch/solve_*}); rllm
 * {@code rllm/trainer/verl/agent_workflow_trainer.py} @ 9beb6e0 (fractions) and the old
 * {@code agent_ppo_trainer.py} @ 709dec4 (counts); slime {@code slime/observability/rollout_metrics.py}
 * @ 624b824 ({@code rollout/zero_std/count_<reward rounded to 0.1>}, counts, logged by
 * {@code perf <rollout id>: {…}}); SkyRL {@code skyrl/train/trainer.py} @ a956457
 * ({@code reward/num_zero_variance_filtered}, a count).
 */
class OtherTrainersTest {

  private static TrainingLog parse(String name, String text, OptionalInt groupsPerStep) {
    return TrainingLogs.parse(name, text, Map.of(), groupsPerStep);
  }

  @Test
  void primeRlSolveRatesGiveTheSplitAndTheDegenerateFraction() {
    TrainingLog log = parse("prime.jsonl", """
        {"step": 1, "train/agg/all/solved_all": 0.25, "train/agg/all/solved_none": 0.5, "train/agg/all/solved_some": 0.25, "entropy/all/mean": 0.7}
        {"step": 2, "train/agg/all/math-agent/solved_all": 0.125, "train/agg/all/math-agent/solved_none": 0.375, "train/agg/all/math-agent/solved_some": 0.5}
        {"step": 3, "batch/solve_all": 0.0, "batch/solve_none": 0.75}
        """, OptionalInt.empty());
    assertEquals(List.of(
        // entropy/all/mean: prime-rl's entropy since its 2026 renames
        TrainingStep.builder(1).entropy(0.7).allPassFraction(0.25).allFailFraction(0.5).degenerateFraction(0.75).build(),
        TrainingStep.builder(2).allPassFraction(0.125).allFailFraction(0.375).degenerateFraction(0.5).build(),
        TrainingStep.builder(3).allPassFraction(0.0).allFailFraction(0.75).degenerateFraction(0.75).build()), log.steps());
    assertTrue(log.notes().get(0).startsWith("degenerate fraction from the trainer's own degenerate-group counters"),
        log.notes().toString());
  }

  @Test
  void severalAgentsAreNotCombined() {
    TrainingLog log = parse("prime.jsonl", """
        {"step": 1, "train/agg/all/a/solved_all": 0.25, "train/agg/all/b/solved_all": 0.5, "entropy": 0.5}
        """, OptionalInt.empty());
    assertEquals(List.of(TrainingStep.builder(1).entropy(0.5).build()), log.steps());
    assertTrue(log.notes().get(0).startsWith("solve rates of several agents"), log.notes().toString());
  }

  @Test
  void rllmCountsFromTheOldTrainerBecomeFractionsOfTheirTotal() {
    // Old rllm console line (verl's "key:value" format): 48 + 0 + 16 = 64 groups.
    TrainingLog log = parse("rllm.log", """
        step:1 - batch/solve_none:48 - batch/solve_all:0 - batch/solve_partial:16 - actor/entropy:0.5
        step:2 - batch/solve_none:0.5 - batch/solve_all:0.25 - batch/solve_partial:0.25 - actor/entropy:0.4
        """, OptionalInt.empty());
    assertEquals(List.of(
        TrainingStep.builder(1).entropy(0.5).allPassFraction(0.0).allFailFraction(0.75).degenerateFraction(0.75).build(),
        TrainingStep.builder(2).entropy(0.4).allPassFraction(0.25).allFailFraction(0.5).degenerateFraction(0.75).build()),
        log.steps());
    assertTrue(log.notes().contains("degenerate-group counts turned into fractions of the step's groups at 1 step(s)"),
        log.notes().toString());
  }

  @Test
  void slimeRolloutLinesNeedTheGroupCount() {
    String text = """
        (RolloutManager pid=7) [2026-06-29 12:28:30] rollout.py:1244 - perf 0: {'rollout/num_trajectories': 512.0, 'rollout/zero_std/count_0.0': 2, 'rollout/zero_std/count_1.0': 4}
        some other console output
        (RolloutManager pid=7) [2026-06-29 12:43:03] rollout.py:1244 - perf 1: {'rollout/zero_std/count_1.0': 4, 'rollout/zero_std/count_0.5': 1, 'rollout/zero_std/count_0.0': 1}
        """;
    TrainingLog withGroups = parse("slime.log", text, OptionalInt.of(64));
    assertEquals("slime", withGroups.format());
    assertEquals(List.of(
        TrainingStep.builder(0).groups(64).allPassFraction(4 / 64.0).allFailFraction(2 / 64.0).degenerateFraction(6 / 64.0).build(),
        TrainingStep.builder(1).groups(64).allPassFraction(4 / 64.0).allFailFraction(1 / 64.0).degenerateFraction(6 / 64.0).build()),
        withGroups.steps());
    assertTrue(withGroups.notes().contains("2 slime rollout line(s) ('perf N: {...}'): step = rollout id N"),
        withGroups.notes().toString());

    TrainingLog without = parse("slime.log", text, OptionalInt.empty());
    assertEquals(List.of(TrainingStep.builder(0).build(), TrainingStep.builder(1).build()), without.steps());
    assertTrue(without.notes().stream().anyMatch(n -> n.startsWith("degenerate-group counts without a group total at 2 step(s)")),
        without.notes().toString());
  }

  @Test
  void skyRlZeroVarianceCountOverTheLoggedGroups() {
    TrainingLog log = parse("skyrl.jsonl", """
        {"step": 1, "reward/num_zero_variance_filtered": 12, "num_groups": 48, "policy/policy_entropy": 0.6}
        {"step": 2, "reward/num_zero_variance_filtered": 60, "num_groups": 48}
        """, OptionalInt.empty());
    assertEquals(TrainingStep.builder(1).entropy(0.6).groups(48).degenerateFraction(0.25).build(), log.steps().get(0));
    assertEquals(1, log.steps().size()); // 60 of 48 groups is impossible: skipped and listed
    assertEquals(2, log.skipped().get(0).line());
    assertTrue(log.skipped().get(0).reason().startsWith("degenerateFraction"), log.skipped().get(0).reason());
    // Only the step that was kept counts in the notes.
    assertTrue(log.notes().contains("degenerate-group counts turned into fractions of the step's groups at 1 step(s)"),
        log.notes().toString());
  }
}
