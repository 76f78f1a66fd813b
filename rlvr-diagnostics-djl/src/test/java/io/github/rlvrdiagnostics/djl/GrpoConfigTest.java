package io.github.rlvrdiagnostics.djl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.rlvrdiagnostics.api.AdvantageEstimator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/** The builder's defaults, its per-setter rules (NaN included) and the conflicting settings it refuses. */
class GrpoConfigTest {

  @Test
  void defaultsFollowVerl() {
    GrpoConfig c = GrpoConfig.builder().build();
    assertEquals(new GrpoConfig.Sampling(8, 8, 4, 1.0, 1.0), c.sampling());
    assertEquals(GrpoConfig.ClipPreset.DEFAULT.clip(), c.clip());
    assertEquals(new GrpoConfig.Clip(0.2, 0.2, true), c.clip());
    assertFalse(c.entropyControl().adaptive());
    assertEquals(0.0, c.entropyControl().coefficient());
    assertFalse(c.positiveAdvantageReweighting().enabled());
    assertFalse(c.covarianceControls().randPosClip() || c.covarianceControls().clipCov() || c.covarianceControls().klCov());
    assertEquals(new GrpoConfig.Optimization(GrpoConfig.OptimizerKind.ADAMW, 1e-2, 1), c.optimization());
    assertEquals(new GrpoConfig.Advantage(AdvantageEstimator.GRPO_SAMPLE_STD, 1e-6, 0.0), c.advantage());
    assertEquals(GrpoConfig.LossAggregation.TOKEN_MEAN, c.aggregation());
    assertEquals(0.0, c.klBeta());
    assertEquals(100, c.plannedSteps());
    assertEquals(1, c.seed());
    assertEquals(1.0, c.sampling().samplingConfig().topP());
    assertEquals(0, c.sampling().samplingConfig().topK());
  }

  @Test
  void settersLandInTheirRecords() {
    GrpoConfig c = GrpoConfig.builder().groupSize(4).promptsPerStep(3).maxNewTokens(2).temperature(0.7).topP(0.9)
        .learningRate(0.05).optimizer(GrpoConfig.OptimizerKind.SGD).updatesPerBatch(2)
        .advantage(AdvantageEstimator.RLOO, 0).inverseSuccessCalibration(1.0).clip(0.1, 0.3)
        .adaptiveEntropy(0.01, 0.5, 0.002, 0.0, 0.04)
        .positiveAdvantageReweighting(GrpoConfig.ParSchedule.ENTROPY_GUIDED, 4, 0.3, 0.1)
        .randPosClip(0.1).clipCov(0.2, -1, 2).klCov(0.3, 2.0).klBeta(0.05).plannedSteps(10).seed(9).build();
    assertEquals(new GrpoConfig.Sampling(4, 3, 2, 0.7, 0.9), c.sampling());
    assertEquals(new GrpoConfig.Optimization(GrpoConfig.OptimizerKind.SGD, 0.05, 2), c.optimization());
    assertEquals(new GrpoConfig.Advantage(AdvantageEstimator.RLOO, 0, 1.0), c.advantage());
    assertEquals(new GrpoConfig.Clip(0.1, 0.3, true), c.clip());
    assertEquals(new GrpoConfig.EntropyControl(0.01, true, 0.5, 0.002, 0.0, 0.04), c.entropyControl());
    assertEquals(new GrpoConfig.PositiveAdvantageReweighting(GrpoConfig.ParSchedule.ENTROPY_GUIDED, 4, 0.3, 0.1),
        c.positiveAdvantageReweighting());
    assertEquals(new GrpoConfig.CovarianceControls(0.1, 0.2, -1, 2, 0.3, 2.0), c.covarianceControls());
    assertEquals(0.05, c.klBeta());
    assertEquals(10, c.plannedSteps());
    assertEquals(9, c.seed());
  }

  @Test
  void aGroupOfOneIsAllowedAsEverywhereInTheLibrary() {
    assertEquals(1, GrpoConfig.builder().groupSize(1).build().sampling().groupSize());
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> GrpoConfig.builder().groupSize(0));
    assertEquals("groupSize must be >= 1, was 0", e.getMessage());
  }

  /** Every numeric setter refuses NaN and a value outside its rule, naming the parameter, the rule and the value. */
  @Test
  void everySetterNamesParameterRuleAndValue() {
    Map<String, Consumer<Double>> setters = new LinkedHashMap<>();
    setters.put("temperature", v -> GrpoConfig.builder().temperature(v));
    setters.put("topP", v -> GrpoConfig.builder().topP(v));
    setters.put("learningRate", v -> GrpoConfig.builder().learningRate(v));
    setters.put("stdEpsilon", v -> GrpoConfig.builder().advantage(AdvantageEstimator.GRPO_SAMPLE_STD, v));
    setters.put("clipLow", v -> GrpoConfig.builder().clip(v, 0.2));
    setters.put("clipHigh", v -> GrpoConfig.builder().clip(0.2, v));
    setters.put("klBeta", v -> GrpoConfig.builder().klBeta(v));
    setters.put("entropyCoefficient", v -> GrpoConfig.builder().entropyBonus(v));
    setters.put("entropyTarget", v -> GrpoConfig.builder().adaptiveEntropy(0.01, v, 0.001, 0, 0.05));
    setters.put("entropyCoefficientDelta", v -> GrpoConfig.builder().adaptiveEntropy(0.01, 0.2, v, 0, 0.05));
    setters.put("entropyCoefficientMin", v -> GrpoConfig.builder().adaptiveEntropy(0.01, 0.2, 0.001, v, 0.05));
    setters.put("entropyCoefficientMax", v -> GrpoConfig.builder().adaptiveEntropy(0.01, 0.2, 0.001, 0, v));
    setters.put("parEntropyTarget", v -> GrpoConfig.builder()
        .positiveAdvantageReweighting(GrpoConfig.ParSchedule.ENTROPY_GUIDED, 4, v, 0.05));
    setters.put("parDelta", v -> GrpoConfig.builder()
        .positiveAdvantageReweighting(GrpoConfig.ParSchedule.ENTROPY_GUIDED, 4, 0.2, v));
    setters.put("randPosClipFraction", v -> GrpoConfig.builder().randPosClip(v));
    setters.put("clipCovRatio", v -> GrpoConfig.builder().clipCov(v, 1, 5));
    setters.put("clipCovLow", v -> GrpoConfig.builder().clipCov(0.1, v, 5));
    setters.put("clipCovHigh", v -> GrpoConfig.builder().clipCov(0.1, 1, v));
    setters.put("klCovRatio", v -> GrpoConfig.builder().klCov(v, 1));
    setters.put("klCovCoefficient", v -> GrpoConfig.builder().klCov(0.1, v));
    setters.put("iacAlpha", v -> GrpoConfig.builder().inverseSuccessCalibration(v));
    for (Map.Entry<String, Consumer<Double>> s : setters.entrySet()) {
      for (double bad : new double[] {Double.NaN, Double.POSITIVE_INFINITY}) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> s.getValue().accept(bad),
            s.getKey() + " accepted " + bad);
        assertTrue(e.getMessage().startsWith(s.getKey() + " must "), e.getMessage());
        assertTrue(e.getMessage().endsWith("was " + bad), e.getMessage());
      }
    }
    // Out-of-range values of the bounded ones.
    assertMessage("temperature must be finite and > 0, was 0.0", () -> GrpoConfig.builder().temperature(0));
    assertMessage("topP must be in (0, 1], was 0.0", () -> GrpoConfig.builder().topP(0));
    assertMessage("clipLow must be in [0, 1], was 1.2", () -> GrpoConfig.builder().clip(1.2, 0.2));
    assertMessage("randPosClipFraction must be in [0, 1], was 1.5", () -> GrpoConfig.builder().randPosClip(1.5));
    assertMessage("klBeta must be finite and >= 0, was -0.1", () -> GrpoConfig.builder().klBeta(-0.1));
    assertMessage("promptsPerStep must be >= 1, was 0", () -> GrpoConfig.builder().promptsPerStep(0));
    assertMessage("maxNewTokens must be >= 1, was 0", () -> GrpoConfig.builder().maxNewTokens(0));
    assertMessage("updatesPerBatch must be >= 1, was 0", () -> GrpoConfig.builder().updatesPerBatch(0));
    assertMessage("plannedSteps must be >= 1, was 0", () -> GrpoConfig.builder().plannedSteps(0));
    assertMessage("epochs of the epoch-wise schedule must be >= 2, was 1",
        () -> GrpoConfig.builder().positiveAdvantageReweighting(GrpoConfig.ParSchedule.EPOCH, 1, 0.2, 0.05));
    assertMessage("clipCov bounds must satisfy clipCovLow < clipCovHigh, was clipCovLow=5.0, clipCovHigh=1.0",
        () -> GrpoConfig.builder().clipCov(0.1, 5, 1));
    assertMessage("adaptive entropy needs entropyCoefficientMin <= entropyCoefficient <= entropyCoefficientMax,"
        + " was min=0.2, initial=0.1, max=0.3", () -> GrpoConfig.builder().adaptiveEntropy(0.1, 0.2, 0.01, 0.2, 0.3));
  }

  @Test
  void aRejectedSetterLeavesTheBuilderAsItWas() {
    GrpoConfig.Builder b = GrpoConfig.builder().clipCov(0.1, 1, 5).klCov(0.2, 1.0);
    assertThrows(IllegalArgumentException.class, () -> b.clipCov(0.3, 5, 1));
    assertThrows(IllegalArgumentException.class, () -> b.klCov(0.5, -1));
    GrpoConfig.CovarianceControls c = b.build().covarianceControls();
    assertEquals(0.1, c.clipCovRatio());
    assertEquals(0.2, c.klCovRatio());
  }

  @Test
  void recordsValidateThemselves() {
    assertThrows(IllegalArgumentException.class, () -> new GrpoConfig.Sampling(0, 1, 1, 1.0, 1.0));
    assertThrows(IllegalArgumentException.class, () -> new GrpoConfig.Sampling(2, 1, 1, Double.NaN, 1.0));
    assertThrows(IllegalArgumentException.class, () -> new GrpoConfig.Clip(Double.NaN, 0.2, true));
    assertThrows(IllegalArgumentException.class, () -> new GrpoConfig.EntropyControl(0.1, true, 0.2, 0.01, 0.2, 0.3));
    assertThrows(IllegalArgumentException.class,
        () -> new GrpoConfig.PositiveAdvantageReweighting(GrpoConfig.ParSchedule.EPOCH, 1, 0.2, 0.05));
    assertThrows(IllegalArgumentException.class, () -> new GrpoConfig.CovarianceControls(0, 0.1, 2, 2, 0, 0));
    assertThrows(IllegalArgumentException.class,
        () -> new GrpoConfig.Optimization(GrpoConfig.OptimizerKind.SGD, Double.NaN, 1));
    assertThrows(IllegalArgumentException.class,
        () -> new GrpoConfig.Advantage(AdvantageEstimator.RAW, 0, Double.NaN));
    // A static bonus ignores the adaptive clamps.
    assertEquals(0.5, new GrpoConfig.EntropyControl(0.5, false, 0.2, 0.01, 0.0, 0.05).coefficient());
  }

  @Test
  void clipPresetsMatchThePaper() {
    assertEquals(new GrpoConfig.Clip(0.2, 0.28, true), GrpoConfig.ClipPreset.HIGHER.clip());
    assertEquals(new GrpoConfig.Clip(0.28, 0.2, true), GrpoConfig.ClipPreset.LOWER.clip());
    assertEquals(new GrpoConfig.Clip(0.12, 0.2, true), GrpoConfig.ClipPreset.TIGHTER.clip());
    assertFalse(GrpoConfig.ClipPreset.FREE.clip().enabled());
    assertEquals(GrpoConfig.ClipPreset.FREE.clip(), GrpoConfig.builder().clip(GrpoConfig.ClipPreset.FREE).build().clip());
  }

  @Test
  void conflictingSettingsAreRefusedNamingBoth() {
    assertConflict(() -> GrpoConfig.builder().entropyBonus(0.01).adaptiveEntropy(0.01, 0.2, 0.001, 0, 0.05).build(),
        "entropyBonus", "adaptiveEntropy");
    assertConflict(() -> GrpoConfig.builder().adaptiveEntropy(0.01, 0.2, 0.001, 0, 0.05).entropyBonus(0).build(),
        "entropyBonus", "adaptiveEntropy");
    assertConflict(() -> GrpoConfig.builder().clip(GrpoConfig.ClipPreset.FREE).clip(0.1, 0.1).build(),
        "clip(ClipPreset)", "clip(low, high)");
    assertConflict(() -> GrpoConfig.builder().plannedSteps(3)
        .positiveAdvantageReweighting(GrpoConfig.ParSchedule.EPOCH, 4, 0.2, 0.05).build(), "epochs", "plannedSteps");
  }

  @Test
  void settingsTheLossAppliesTogetherAreAccepted() {
    // Clip-Cov, KL-Cov and Rand-Pos-Clip at once, with PAR, an entropy control and Clip-Free.
    GrpoConfig c = GrpoConfig.builder().randPosClip(0.1).clipCov(0.2, -10, 10).klCov(0.2, 1.0)
        .positiveAdvantageReweighting(GrpoConfig.ParSchedule.STAGE, 4, 0.2, 0.05).entropyBonus(0.01)
        .clip(GrpoConfig.ClipPreset.FREE).build();
    assertTrue(c.covarianceControls().randPosClip() && c.covarianceControls().clipCov() && c.covarianceControls().klCov());
    // The same setter twice is a change of mind, not a conflict; epochs == plannedSteps fits.
    GrpoConfig twice = GrpoConfig.builder().clip(GrpoConfig.ClipPreset.HIGHER).clip(GrpoConfig.ClipPreset.LOWER)
        .entropyBonus(0.1).entropyBonus(0.2).plannedSteps(4)
        .positiveAdvantageReweighting(GrpoConfig.ParSchedule.EPOCH, 4, 0.2, 0.05).build();
    assertEquals(GrpoConfig.ClipPreset.LOWER.clip(), twice.clip());
    assertEquals(0.2, twice.entropyControl().coefficient());
    // Epochs only matter to the epoch-wise schedule.
    GrpoConfig.builder().plannedSteps(1).positiveAdvantageReweighting(GrpoConfig.ParSchedule.STAGE, 4, 0.2, 0.05).build();
  }

  private static void assertMessage(String expected, Executable call) {
    assertEquals(expected, assertThrows(IllegalArgumentException.class, call).getMessage());
  }

  private static void assertConflict(Executable call, String first, String second) {
    String message = assertThrows(IllegalArgumentException.class, call).getMessage();
    assertTrue(message.contains(first) && message.contains(second), message);
  }
}
