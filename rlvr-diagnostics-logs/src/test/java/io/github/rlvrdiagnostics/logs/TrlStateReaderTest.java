package io.github.rlvrdiagnostics.logs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.rlvrdiagnostics.api.TrainingLog;
import io.github.rlvrdiagnostics.api.TrainingStep;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

/** {@link TrlStateReader} on small hand-written {@code trainer_state.json} files. */
class TrlStateReaderTest {
  private static TrainingLog read(String text) {
    StepCollector out = new StepCollector("trainer_state.json", FieldMapping.of(Map.of()), OptionalInt.empty());
    return out.finish(new TrlStateReader().read(text, out));
  }

  @Test
  void trainingEntriesBecomeStepsAndADamagedEntryIsNotedByIndex() {
    TrainingLog log = read("""
        {"global_step": 30, "log_history": [
          {"step": 10, "loss": 0.1, "reward": 0.5, "reward_std": 0.3, "frac_reward_zero_std": 0.25,
           "entropy": 0.9, "kl": 0.01, "clip_ratio/region_mean": 0.02, "grad_norm": 1.5, "epoch": 0.1},
          {"step": 20, "loss": 0.2, "entropy": -0.4},
          {"step": 20, "eval_loss": 0.3},
          {"step": 30, "loss": 0.3, "reward": 1.0, "reward_std": 0.0},
          {"step": 30, "train_runtime": 100.0, "train_loss": 0.2}
        ]}
        """);
    assertEquals("trl", log.format());
    assertEquals(List.of(
        TrainingStep.builder(10).entropy(0.9).degenerateFraction(0.25).reward(0.5).rewardStd(0.3).kl(0.01)
            .clipFraction(0.02).gradNorm(1.5).loss(0.1).build(),
        // reward_std 0 without frac_reward_zero_std: every group of the step was degenerate.
        // (and, the mean being 1, every rollout passed)
        TrainingStep.builder(30).degenerateFraction(1.0).reward(1.0).rewardStd(0.0).allPassFraction(1.0)
            .allFailFraction(0.0).loss(0.3).build()), log.steps());
    // A trainer_state.json has no useful line numbers: the bad entry is a note, not a skipped line.
    assertTrue(log.skipped().isEmpty());
    assertEquals(List.of(
        "log_history[1] skipped: entropy must be finite and >= 0, was -0.4",
        "1 evaluation entry (eval_*) of log_history skipped: the monitor reads training entries only",
        "reward_std == 0 at 1 step(s) without frac_reward_zero_std: every group of those steps was degenerate"
            + " (degenerate fraction 1)"), log.notes());
  }

  @Test
  void aCutFileKeepsItsCompleteEntriesAndListsTheCut() {
    TrainingLog log = read("{\"log_history\": [\n  {\"step\": 1, \"loss\": 0.1, \"entropy\": 0.5},\n  {\"step\": 2,");
    assertEquals(List.of(TrainingStep.builder(1).entropy(0.5).loss(0.1).build()), log.steps());
    assertEquals(1, log.skipped().size());
    assertEquals(3, log.skipped().get(0).line());
    assertTrue(log.skipped().get(0).reason().startsWith("trainer_state.json cut off or malformed in log_history entry 1 ("),
        log.skipped().get(0).reason());
    assertTrue(log.skipped().get(0).reason().endsWith("the 1 complete training entries before it are kept,"
        + " the rest of the file is not read"), log.skipped().get(0).reason());
    // Garbage after the history: the entries and the settings before it are kept.
    TrainingLog garbage = read("{\"logging_steps\": 5, \"log_history\": [{\"step\": 5, \"loss\": 0.1, \"entropy\": 0.5}],\n%%garbage%%\n"
        + " \"max_steps\": 100}");
    assertEquals(1, garbage.steps().size());
    assertEquals(5, garbage.loggingSteps().getAsLong());
    assertTrue(garbage.plannedSteps().isEmpty());
    assertEquals(2, garbage.skipped().get(0).line());
  }

  @Test
  void statedSettingsAreKept() {
    TrainingLog log = read("{\"log_history\": [{\"step\": 5, \"loss\": 0.1, \"entropy\": 0.5}], \"logging_steps\": 5,"
        + " \"max_steps\": 434}");
    assertEquals(434, log.plannedSteps().getAsLong());
    assertEquals(5, log.loggingSteps().getAsLong());
    assertTrue(log.groupSize().isEmpty());
  }

  @Test
  void aWholeFileThatIsNotAStateFailsWithItsName() {
    IllegalArgumentException cutBeforeAnEntry = assertThrows(IllegalArgumentException.class,
        () -> read("{\"log_history\": [\n  {\"step\": 1, \"lo"));
    assertTrue(cutBeforeAnEntry.getMessage().startsWith("trainer_state.json: holds no training step (first problem, line 2: "
        + "trainer_state.json cut off or malformed in log_history entry 0"), cutBeforeAnEntry.getMessage());
    IllegalArgumentException notArray = assertThrows(IllegalArgumentException.class,
        () -> read("{\"log_history\": {\"step\": 1}}"));
    assertEquals("trainer_state.json: \"log_history\" must be an array", notArray.getMessage());
    IllegalArgumentException onlyEval = assertThrows(IllegalArgumentException.class,
        () -> read("{\"log_history\": [{\"step\": 5, \"eval_loss\": 0.3}]}"));
    assertEquals("trainer_state.json: holds no training step", onlyEval.getMessage());
  }
}
