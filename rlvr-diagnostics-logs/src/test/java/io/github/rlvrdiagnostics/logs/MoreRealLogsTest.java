package io.github.rlvrdiagnostics.logs;

import static io.github.rlvrdiagnostics.logs.TrainingLogsTest.resource;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.rlvrdiagnostics.api.Alert;
import io.github.rlvrdiagnostics.api.AlertKind;
import io.github.rlvrdiagnostics.api.TrainingLog;
import io.github.rlvrdiagnostics.api.TrainingStep;
import io.github.rlvrdiagnostics.api.TriageConfig;
import io.github.rlvrdiagnostics.core.diagnostic.TrainingMonitor;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

/**
 * Real public logs of three more kinds (provenance in {@code src/test/resources/logs/SOURCES.md}):
 * verl console logs with the old entropy key, a TRL {@code trainer_state.json}, and a TensorBoard
 * event file written by a real run. The expected figures were read from the files by independent
 * means (a regular expression over the verl lines, Python's json module, a stand-alone Python
 * TFRecord/protobuf decoder), not by this library.
 */
class MoreRealLogsTest {

  private static double entropyAt(TrainingLog log, long step) {
    return log.steps().stream().filter(s -> s.step() == step).findFirst().orElseThrow().entropy().getAsDouble();
  }

  private static double rewardAt(TrainingLog log, long step) {
    return log.steps().stream().filter(s -> s.step() == step).findFirst().orElseThrow().reward().getAsDouble();
  }

  @Test
  void oldKeyVerlPpoLogWithColourCodesReadsEveryStep() {
    TrainingLog log = TrainingLogs.read(resource("verl_old_keys_ppo_gsm8k_qwen25_7b_steps101-200.log"));
    assertEquals("verl", log.format());
    assertEquals(100, log.steps().size());
    assertEquals(101, log.steps().get(0).step());
    assertEquals(200, log.steps().get(99).step());
    assertEquals(List.of(), log.skipped());
    assertEquals(0.035, entropyAt(log, 101));
    assertEquals(0.028, entropyAt(log, 150));
    assertEquals(0.025, entropyAt(log, 200));
    assertEquals(0.941, rewardAt(log, 101));
    assertEquals(0.949, rewardAt(log, 150));
    assertEquals(0.02934, log.steps().stream().mapToDouble(s -> s.entropy().getAsDouble()).average().getAsDouble(), 1e-12);
    // Entropy 0.02-0.04 nats throughout (a PPO run resumed at step 100): one episode below tau, 100 steps long.
    TrainingMonitor monitor = TrainingMonitor.create(TriageConfig.DEFAULT);
    log.steps().forEach(monitor::accept);
    List<Alert> alerts = monitor.alerts();
    assertEquals(1, alerts.size(), alerts.toString());
    assertEquals(AlertKind.ENTROPY_BELOW_TAU, alerts.get(0).kind());
    assertEquals(101, alerts.get(0).step());
    assertEquals(200, alerts.get(0).endStep());
    assertEquals(100, alerts.get(0).steps());
  }

  @Test
  void oldKeyVerlGrpoLinesReadEntropyAndNoteTheNonBinaryScores() {
    TrainingLog log = TrainingLogs.read(resource("verl_old_keys_grpo_logic_rl_steplines.log"));
    // Step 0 holds only a validation score: an evaluation record, not a training step.
    assertEquals(9, log.steps().size());
    assertEquals(1, log.steps().get(0).step());
    assertTrue(log.notes().contains("1 evaluation record(s) (eval/, eval_, val/, val-, test/ keys only) kept apart:"
        + " never read as training steps"), log.notes().toString());
    double[] entropy = {0.410, 0.367, 0.423, 0.357, 0.401, 0.367, 0.453, 0.309, 0.350};
    double[] score = {0.094, 0.047, 0.062, -0.406, -0.133, -0.117, 0.391, 0.117, 0.977};
    for (int step = 1; step <= 9; step++) {
      assertEquals(entropy[step - 1], entropyAt(log, step), "entropy at step " + step);
      assertEquals(score[step - 1], rewardAt(log, step), "score at step " + step);
      assertEquals(OptionalDouble.of(-3.0), log.steps().get(step - 1).rewardMin());
      assertEquals(OptionalDouble.of(3.0), log.steps().get(step - 1).rewardMax());
    }
    assertTrue(log.notes().stream().anyMatch(n -> n.startsWith("rewards outside [0, 1] (first at step 1: -3.0)")),
        log.notes().toString());
    assertTrue(!TrainingLogs.rewardsWithinUnitInterval(log));
  }

  @Test
  void trlTrainerStateWithZeroStdFractionsAndItsOwnSettings() {
    TrainingLog log = TrainingLogs.read(resource("trl_grpo_chaos_economy_trainer_state.json"));
    assertEquals("trl", log.format());
    assertEquals(40, log.steps().size());
    assertEquals(5, log.steps().get(0).step());
    assertEquals(200, log.steps().get(39).step());
    assertEquals(OptionalInt.empty(), log.groupSize());
    assertEquals(200, log.plannedSteps().getAsLong());
    assertEquals(5, log.loggingSteps().getAsLong());
    assertEquals(0.08000000000000003, log.steps().stream()
        .mapToDouble(s -> s.degenerateFraction().getAsDouble()).average().getAsDouble(), 1e-15);
    assertEquals(0.2, log.steps().get(38).degenerateFraction().getAsDouble());
    TrainingStep last = log.steps().get(39);
    assertEquals(-0.48682005107402804, last.reward().getAsDouble());
    assertEquals(0.047279800102114675, last.kl().getAsDouble());
    assertTrue(last.entropy().isEmpty()); // this TRL version logged no entropy
  }

  @Test
  void realTensorBoardEventFileFromAPpoRun() {
    // CleanRL-style PPO on CartPole: not an LLM run, but a real writer's TFRecord framing, CRC32C and
    // protobuf messages. Its entropy tag is losses/entropy, mapped by the caller.
    TrainingLog log = TrainingLogs.read(resource("tensorboard_cleanrl_ppo_cartpole"),
        Map.of("entropy", "losses/entropy", "reward", "charts/episodic_return"), OptionalInt.empty());
    assertEquals("tensorboard", log.format());
    assertEquals(522, log.steps().size()); // the union of the scalar tags' steps
    assertEquals(32, log.steps().get(0).step());
    assertEquals(35411, log.steps().get(521).step());
    List<TrainingStep> withEntropy = log.steps().stream().filter(s -> s.entropy().isPresent()).toList();
    assertEquals(276, withEntropy.size());
    // The decoder printed each float32 exactly as a double; we read the shortest decimal of the same float.
    assertEquals(128, withEntropy.get(0).step());
    assertEquals(0.6929783821105957, (double) (float) withEntropy.get(0).entropy().getAsDouble());
    assertEquals(0.6929784, withEntropy.get(0).entropy().getAsDouble());
    assertEquals(35328, withEntropy.get(275).step());
    assertEquals(0.5739531517028809, (double) (float) withEntropy.get(275).entropy().getAsDouble());
    assertEquals(0.5757182443487472, withEntropy.stream().mapToDouble(s -> s.entropy().getAsDouble()).average().getAsDouble(),
        1e-7); // float precision
    assertEquals(247, log.steps().stream().filter(s -> s.reward().isPresent()).count());
    assertEquals(151.0, log.steps().get(521).reward().getAsDouble());
    assertEquals(List.of(), log.skipped());
  }
}
