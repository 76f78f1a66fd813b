package io.github.rlvrdiagnostics.logs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.rlvrdiagnostics.api.TrainingLog;
import io.github.rlvrdiagnostics.api.TrainingStep;
import io.github.rlvrdiagnostics.api.TriageConfig;
import io.github.rlvrdiagnostics.core.diagnostic.TrainingMonitor;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

/** {@link FieldMapping}: our names, the trainers' aliases and the caller's overrides. */
class FieldMappingTest {
  @Test
  void fieldsAreOursInOutputOrder() {
    assertEquals(List.of("step", "entropy", "degenerateFraction", "predictedDegenerateFraction", "groups", "reward",
        "rewardStd", "rewardMin", "rewardMax", "kl", "clipFraction", "gradNorm", "clipFractionLow", "clipFractionHigh",
        "genBatches", "loss", "responseLength", "truncatedFraction", "allPassFraction", "allFailFraction", "partialFraction",
        "degenerateGroups"), FieldMapping.FIELDS);
    assertEquals(FieldMapping.FIELDS, TrainingLogs.FIELDS);
  }

  @Test
  void anOverrideReplacesTheAliasesOfItsFieldOnly() {
    FieldMapping mapping = FieldMapping.of(Map.of("entropy", "H"));
    assertEquals(List.of("H"), mapping.aliases("entropy"));
    assertEquals(FieldMapping.of(Map.of()).aliases("reward"), mapping.aliases("reward"));
    assertEquals(List.of("entropy", "actor/entropy", "actor/entropy_loss", "train/entropy", "train/entropy_loss",
        "train/approx_entropy", "entropy/all/mean", "policy/policy_entropy", "optim/entropy"),
        FieldMapping.of(Map.of()).aliases("entropy"));
  }

  /** Synthetic log (written for this test): an old verl console log names entropy actor/entropy_loss. */
  @Test
  void oldVerlEntropyKeyGivesEntropyReadingsAndStageTwo() {
    String text = """
        (TaskRunner pid=1) step:10 - actor/entropy_loss:0.39 - critic/rewards/mean:0.2 - actor/pg_clipfrac:0.01 - actor/pg_clipfrac_lower:0.001 - train/num_gen_batches:2
        (TaskRunner pid=1) step:100 - actor/entropy_loss:0.2 - critic/rewards/mean:0.5
        (TaskRunner pid=1) step:150 - actor/entropy_loss:0.04 - critic/rewards/mean:0.9
        """;
    TrainingLog log = TrainingLogs.parse("old_verl.log", text, Map.of(), OptionalInt.empty());
    assertEquals(List.of(0.39, 0.2, 0.04), log.steps().stream().map(s -> s.entropy().getAsDouble()).toList());
    TrainingStep first = log.steps().get(0);
    assertEquals(0.2, first.reward().getAsDouble());
    assertEquals(0.01, first.clipFraction().getAsDouble());
    assertEquals(0.001, first.clipFractionLow().getAsDouble());
    assertEquals(2.0, first.genBatches().getAsDouble());
    TrainingMonitor monitor = TrainingMonitor.create(TriageConfig.DEFAULT);
    log.steps().forEach(monitor::accept);
    assertEquals((0.39 - 0.04) / 0.39, monitor.stage2Drop().getAsDouble(), 1e-12);
    assertTrue(monitor.stage2Flag());
    // TRL's split clip ratios.
    TrainingStep trl = TrainingLogs.parse("t.jsonl", "{\"step\": 1, \"clip_ratio/low_mean\": 0.25, \"clip_ratio/high_mean\": 0.5}\n",
        Map.of(), OptionalInt.empty()).steps().get(0);
    assertEquals(0.25, trl.clipFractionLow().getAsDouble());
    assertEquals(0.5, trl.clipFractionHigh().getAsDouble());
  }

  @Test
  void anUnknownKeyIsRejectedNamingTheChoices() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> FieldMapping.of(Map.of("lossy", "l")));
    assertEquals("field mapping key must be one of [step, entropy, degenerateFraction, predictedDegenerateFraction,"
        + " groups, reward, rewardStd, rewardMin, rewardMax, kl, clipFraction, gradNorm, clipFractionLow,"
        + " clipFractionHigh, genBatches, loss, responseLength, truncatedFraction, allPassFraction, allFailFraction,"
        + " partialFraction, degenerateGroups], was 'lossy'", e.getMessage());
  }
}
