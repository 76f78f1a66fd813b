package io.github.rlvrdiagnostics.logs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.rlvrdiagnostics.api.TrainingLog;
import io.github.rlvrdiagnostics.api.TrainingStep;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

/**
 * The metric names the other stacks write today, each in a log written by us in that stack's
 * format, at the commit docs/MONITOR.md names ("Formats and metric names"). No public log of these
 * stacks with a clear source was found, so none of these is a real run.
 */
class CurrentMetricNamesTest {
  private static TrainingLog parse(String name, String text) {
    return TrainingLogs.parse(name, text, Map.of(), OptionalInt.empty());
  }

  /** Written by us in the format of OpenRLHF's W&B/JSON logging (train/ prefix, train/global_step). */
  @Test
  void openRlhf() {
    TrainingLog log = parse("openrlhf.jsonl", """
        {"train/global_step": 1, "train/entropy_loss": 0.9, "train/reward": 0.25, "train/kl": 0.001, "train/ppo_clip_ratio": 0.02, "train/group_reward_std": 0.3, "train/response_length": 512, "train/dynamic_filtering_pass_rate": 0.6}
        {"train/global_step": 2, "train/entropy_loss": 0.8, "train/reward": 0.0, "train/group_reward_std": 0.0}
        """);
    assertEquals(TrainingStep.builder(1).entropy(0.9).reward(0.25).kl(0.001).clipFraction(0.02).rewardStd(0.3)
        .responseLength(512).build(),
        log.steps().get(0));
    // A mean of per-group stds of 0: every group degenerate; the mean 0 then says every rollout failed.
    assertEquals(TrainingStep.builder(2).entropy(0.8).reward(0.0).rewardStd(0.0).degenerateFraction(1.0)
        .allFailFraction(1.0).allPassFraction(0.0).build(), log.steps().get(1));
  }

  /** Written by us in the format of NeMo-RL's JSON metrics (prefix "train", percentages of groups). */
  @Test
  void nemoRlPercentagesBecomeFractions() {
    TrainingLog log = parse("nemo.jsonl", """
        {"step": 3, "train/approx_entropy": 0.7, "train/reward": 0.5, "train/baseline_reward/pct_0": 25.0, "train/baseline_reward/pct_1": 12.5, "train/baseline_reward/pct_mixed": 62.5, "train/dynamic_sampling_num_gen_batches": 2, "train/grad_norm": 0.4}
        """);
    assertEquals(TrainingStep.builder(3).entropy(0.7).reward(0.5).allFailFraction(0.25).allPassFraction(0.125)
        .degenerateFraction(0.375).genBatches(2).gradNorm(0.4).build(), log.steps().get(0));
  }

  /** Written by us in the format of NeMo-RL's console (nemo_rl/algorithms/grpo.py), config printed first. */
  @Test
  void nemoRlConsoleBlocks() {
    TrainingLog log = parse("nemo.log", """
        {'checkpointing': {'checkpoint_dir': 'results/grpo',
                           'enabled': True},
         'grpo': {'max_num_steps': 100, 'num_generations_per_prompt': 8}}
        Loading dataset...

        ========================= Step 1/100 =========================
        \u25b6 Generating responses for batch of size 256...

        \ud83d\udcca Training Results:
          \u2022 Loss: 0.0123
          \u2022 Generation KL Error: 0.0010
          \u2022 Avg Reward: 0.4500
          \u2022 Mean Generation Length: 512.0000

        \u23f1\ufe0f  Timing:
          \u2022 Total step time: 12.34s

        ========================= Step 2/100 =========================
          \u2022 Loss: 0.0100
          \u2022 Avg Reward: 0.5000
        """);
    assertEquals("nemo_rl", log.format());
    assertEquals(List.of(TrainingStep.builder(1).reward(0.45).build(), TrainingStep.builder(2).reward(0.5).build()),
        log.steps());
    assertEquals(100, log.plannedSteps().getAsLong());
    assertTrue(log.skipped().isEmpty(), log.skipped().toString());
  }

  /** Written by us in the format of the Tinker cookbook's metrics.jsonl (tinker_cookbook/stores/training_store.py). */
  @Test
  void tinkerCookbook() {
    TrainingLog log = parse("metrics.jsonl", """
        {"step": 0, "optim/entropy": 0.62, "env/all/reward/total": 0.375, "env/all/correct": 0.375, "env/all/by_group/frac_all_good": 0.125, "env/all/by_group/frac_all_bad": 0.5, "env/all/by_group/frac_mixed": 0.375, "progress/batch": 0}
        {"step": 1, "test/env/all/correct": 0.4}
        """);
    assertEquals(List.of(TrainingStep.builder(0).entropy(0.62).reward(0.375).allPassFraction(0.125).allFailFraction(0.5)
        .degenerateFraction(0.625).build()), log.steps());
    assertTrue(log.notes().stream().anyMatch(n -> n.startsWith("1 evaluation record(s)")), log.notes().toString());
  }

  /** Written by us in the format of prime-rl, slime, SkyRL and rllm (names as docs/MONITOR.md cites them). */
  @Test
  void primeRlSlimeSkyRlAndRllm() {
    TrainingLog slime = parse("slime.jsonl", """
        {"rollout/step": 4, "rollout/raw_reward": 0.3}
        {"train/step": 5, "train/entropy_loss": 0.55}
        """);
    assertEquals(List.of(TrainingStep.builder(4).reward(0.3).build(), TrainingStep.builder(5).entropy(0.55).build()),
        slime.steps());
    TrainingLog skyrl = parse("skyrl.jsonl", "{\"step\": 1, \"policy/policy_entropy\": 0.4, \"reward/avg_raw_reward\": 0.6}\n");
    assertEquals(TrainingStep.builder(1).entropy(0.4).reward(0.6).build(), skyrl.steps().get(0));
    TrainingLog prime = parse("prime.jsonl", "{\"step\": 1, \"entropy/all/mean\": 0.35}\n");
    assertEquals(TrainingStep.builder(1).entropy(0.35).build(), prime.steps().get(0));
    // rllm: groups stuck at a partial reward are in none of the three, so degenerate = 1 - effective.
    TrainingLog rllm = parse("rllm.jsonl", """
        {"step": 1, "batch/default/fractions/too_easy": 0.25, "batch/default/fractions/too_hard": 0.25, "batch/default/fractions/effective": 0.375}
        {"step": 2, "batch/solver/fractions/too_easy": 0.25, "batch/judge/fractions/too_easy": 0.5, "actor/entropy": 0.3}
        """);
    assertEquals(TrainingStep.builder(1).allPassFraction(0.25).allFailFraction(0.25).degenerateFraction(0.625).build(),
        rllm.steps().get(0));
    assertEquals(TrainingStep.builder(2).entropy(0.3).build(), rllm.steps().get(1)); // two roles: not combined
  }

  /** Written by us in the format of verl's file logger (verl/utils/tracking.py FileLogger). */
  @Test
  void verlFileLoggerWithNullsAndStrings() {
    TrainingLog log = parse("exp.jsonl", """
        {"step": 1, "data": {"actor/entropy": 0.5, "critic/score/mean": 0.25, "critic/score/max": null, "critic/score/min": "n/a", "val-core/acc": "0.5"}}
        {"step": 2, "data": {"val-core/openai/gsm8k/reward/mean@1": 0.6}}
        """);
    assertEquals(List.of(TrainingStep.builder(1).entropy(0.5).reward(0.25).build()), log.steps());
    assertTrue(log.notes().stream().anyMatch(n -> n.startsWith("'critic/score/min' dropped from 1 record(s)")
        && n.contains("line 1")), log.notes().toString());
    assertTrue(log.notes().stream().anyMatch(n -> n.startsWith("1 evaluation record(s)")), log.notes().toString());
  }

  @Test
  void float32PrintedFractionsPassTheOneTolerance() {
    TrainingLog log = parse("prime.jsonl",
        "{\"step\": 1, \"solve_all/all\": 0.33333334, \"solve_none/all\": 0.6666667, \"entropy\": 0.5}\n");
    assertEquals(1.0, log.steps().get(0).degenerateFraction().getAsDouble());
    assertEquals(0.33333334, log.steps().get(0).allPassFraction().getAsDouble());
  }

  @Test
  void whatTheLogProvesIsUsedAndTheBinaryRuleNeedsZeroOneExtremes() {
    TrainingLog allFail = parse("verl.log",
        "step:1 - critic/score/mean:0.0 - critic/score/max:0.0 - critic/score/min:0.0 - actor/entropy:0.4\n"
            + "step:2 - critic/score/mean:1.0 - critic/score/max:1.0 - critic/score/min:1.0\n"
            + "step:3 - critic/score/mean:0.5 - critic/score/max:1.0 - critic/score/min:0.0\n");
    assertEquals(TrainingStep.builder(1).reward(0.0).rewardMax(0.0).rewardMin(0.0).entropy(0.4).degenerateFraction(1.0)
        .allFailFraction(1.0).allPassFraction(0.0).build(), allFail.steps().get(0));
    assertEquals(1.0, allFail.steps().get(1).allPassFraction().getAsDouble());
    assertTrue(allFail.steps().get(2).degenerateFraction().isEmpty());
    assertTrue(TrainingLogs.rewardsBinary(allFail));
    // A shaped reward inside [0, 1] (a 0.05/0.10/0.80 mix) is not binary; its max of 0.8 shows it.
    TrainingLog shaped = parse("verl.log",
        "step:1 - critic/score/mean:0.3 - critic/score/max:0.8 - critic/score/min:0.05\n");
    assertTrue(TrainingLogs.rewardsWithinUnitInterval(shaped));
    assertFalse(TrainingLogs.rewardsBinary(shaped));
    assertTrue(shaped.notes().stream().anyMatch(n -> n.startsWith("a reward minimum or maximum strictly between 0 and 1")),
        shaped.notes().toString());
  }

  @Test
  void trlConsoleTensorValues() {
    TrainingLog log = parse("trl.log",
        "{'loss': tensor(0.0123, device='cuda:0'), 'reward': tensor(0.75, device='cuda:0'), 'entropy': 0.5, 'step': 3}\n");
    assertEquals(List.of(TrainingStep.builder(3).reward(0.75).entropy(0.5).loss(0.0123).build()), log.steps());
  }

  @Test
  void aDuplicateKeyInAConsoleDictOrVerlLineIsDroppedNotLastWins() {
    TrainingLog dict = parse("trl.log", "{'entropy': 0.5, 'reward': 0.2, 'entropy': 0.6, 'step': 1}\n");
    assertEquals(List.of(TrainingStep.builder(1).reward(0.2).build()), dict.steps());
    TrainingLog verl = parse("verl.log", "step:1 - actor/entropy:0.5 - actor/entropy:0.6 - critic/score/mean:0.2\n");
    assertEquals(List.of(TrainingStep.builder(1).reward(0.2).build()), verl.steps());
    assertTrue(verl.notes().get(0).startsWith("'actor/entropy' dropped from 1 record(s)"), verl.notes().toString());
  }

  @Test
  void trainerStatesThatUsedToLoseEveryEntry() {
    // max_steps beyond a long, before log_history
    TrainingLog huge = parse("trainer_state.json",
        "{\"max_steps\": 9223372036854775808, \"log_history\": [{\"step\": 1, \"entropy\": 0.5}]}");
    assertEquals(1, huge.steps().size());
    assertTrue(huge.plannedSteps().isEmpty());
    // one line, one bad entry
    TrainingLog oneLine = parse("trainer_state.json", "{\"log_history\": [{\"step\": 1, \"entropy\": 0.5},"
        + " {\"step\": 2, \"entropy\": 0.4x}, {\"step\": 3, \"entropy\": 0.3}], \"max_steps\": 3}\n");
    assertEquals(List.of(1L, 3L), oneLine.steps().stream().map(TrainingStep::step).toList());
    // log_history after 64 KiB of other members
    String big = "{\n  \"best_model_checkpoint\": \"" + "x".repeat(70_000) + "\",\n  \"log_history\": [\n"
        + "    {\"step\": 1, \"entropy\": 0.5}\n  ]\n}\n";
    assertEquals(1, parse("state.json", big).steps().size());
  }

  @Test
  void aLogOfUnknownKeysFailsNamingThem() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> parse("metrics.jsonl",
        "{\"step\": 1, \"my/entropy\": 0.5, \"my/score\": 0.2}\n"));
    assertTrue(e.getMessage().startsWith("metrics.jsonl: no known training field in 1 record(s); keys seen: my/entropy,"
        + " my/score, step; map them with --field"), e.getMessage());
  }

  @Test
  void aFifoIsRefusedNotWaitedOn(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
    java.nio.file.Path fifo = dir.resolve("log.fifo");
    org.junit.jupiter.api.Assumptions.assumeTrue(
        new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor() == 0, "mkfifo not available");
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> TrainingLogs.read(fifo));
    assertTrue(e.getMessage().endsWith(": not a regular file (a pipe or a device): save the log to a file first"),
        e.getMessage());
  }

  @Test
  void anEvaluationRowNeverReplacesTheTrainingStepItShares() {
    TrainingLog log = parse("metrics.jsonl", """
        {"step": 10, "entropy": 0.5, "reward": 0.25}
        {"step": 10, "eval/reward": 0.9, "eval/loss": 0.3}
        {"step": 11, "entropy": 0.4, "reward": 0.3}
        """);
    assertEquals(List.of(TrainingStep.builder(10).entropy(0.5).reward(0.25).build(),
        TrainingStep.builder(11).entropy(0.4).reward(0.3).build()), log.steps());
    assertTrue(log.notes().stream().noneMatch(n -> n.contains("more than once")), log.notes().toString());
  }

  @Test
  void aCsvHeaderNamingAColumnTwiceDropsThatColumn() {
    TrainingLog log = parse("run.csv", "step,entropy,reward,entropy\n1,0.5,0.2,0.6\n");
    assertEquals(List.of(TrainingStep.builder(1).reward(0.2).build()), log.steps());
    assertTrue(log.notes().get(0).startsWith("'entropy' dropped from 1 record(s)"), log.notes().toString());
  }
}
