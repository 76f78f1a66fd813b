package io.github.rlvrdiagnostics.logs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@link FieldMapping}: our names, the trainers' aliases and the caller's overrides. */
class FieldMappingTest {
  @Test
  void fieldsAreOursInOutputOrder() {
    assertEquals(List.of("step", "entropy", "degenerateFraction", "predictedDegenerateFraction", "groups", "reward",
        "rewardStd", "rewardMin", "rewardMax", "kl", "clipFraction", "gradNorm"), FieldMapping.FIELDS);
    assertEquals(FieldMapping.FIELDS, TrainingLogs.FIELDS);
  }

  @Test
  void anOverrideReplacesTheAliasesOfItsFieldOnly() {
    FieldMapping mapping = FieldMapping.of(Map.of("entropy", "H"));
    assertEquals(List.of("H"), mapping.aliases("entropy"));
    assertEquals(List.of("reward", "critic/score/mean", "rewards/mean"), mapping.aliases("reward"));
    assertEquals(List.of("entropy", "actor/entropy"), FieldMapping.of(Map.of()).aliases("entropy"));
  }

  @Test
  void anUnknownKeyIsRejectedNamingTheChoices() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> FieldMapping.of(Map.of("loss", "l")));
    assertEquals("field mapping key must be one of [step, entropy, degenerateFraction, predictedDegenerateFraction,"
        + " groups, reward, rewardStd, rewardMin, rewardMax, kl, clipFraction, gradNorm], was 'loss'", e.getMessage());
  }
}
