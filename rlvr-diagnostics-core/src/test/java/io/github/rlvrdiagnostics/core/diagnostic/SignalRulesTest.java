package io.github.rlvrdiagnostics.core.diagnostic;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.rlvrdiagnostics.api.AlertKind;
import io.github.rlvrdiagnostics.api.Checkpoint;
import io.github.rlvrdiagnostics.api.CheckpointVerdict;
import io.github.rlvrdiagnostics.api.Correlation;
import io.github.rlvrdiagnostics.api.DegenerateSide;
import io.github.rlvrdiagnostics.api.LadderReport;
import io.github.rlvrdiagnostics.api.OutcomeAnalysis;
import io.github.rlvrdiagnostics.api.ProblemSamples;
import io.github.rlvrdiagnostics.api.TrainingStep;
import io.github.rlvrdiagnostics.api.TriageConfig;
import io.github.rlvrdiagnostics.core.estimate.SignalProfiles;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalDouble;
import org.junit.jupiter.api.Test;

/** The signal rules: their one home in {@link TriageConfig}, the ladder's signal pick, the monitor's Stage 2. */
class SignalRulesTest {

  @Test
  void triageConfigOwnsEveryRule() {
    TriageConfig c = TriageConfig.DEFAULT;
    assertTrue(c.stage1Flag(0.17));
    assertFalse(c.stage1Flag(0.18));
    assertFalse(c.stage1Flag(Double.NaN));
    assertTrue(c.stage2Flag(OptionalDouble.of(0.51)));
    assertFalse(c.stage2Flag(OptionalDouble.of(0.5)));
    assertFalse(c.stage2Flag(OptionalDouble.empty()));
    assertTrue(c.signalStage1Flag(0.5000001));
    assertFalse(c.signalStage1Flag(0.5));
    assertFalse(c.signalStage1Flag(Double.NaN));
    assertTrue(c.signalStage2Flag(OptionalDouble.of(0.9)));
    assertFalse(c.signalStage2Flag(OptionalDouble.empty()));
    assertEquals(8, c.groupSize());
    // A check reading below (1 − δ)·H_ref is exactly a drop above δ.
    assertEquals(0.6, c.stage2FlagLevel(1.2), 1e-15);
    assertTrue(c.stage2Flag(OptionalDouble.of((1.2 - 0.59) / 1.2)));
    assertFalse(c.stage2Flag(OptionalDouble.of((1.2 - 0.61) / 1.2)));
    assertTrue(c.inStage2Window(10) && c.inStage2Window(150) && !c.inStage2Window(151) && !c.inStage2Window(9));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> c.withMaxDegenerateFraction(1.0));
    assertTrue(e.getMessage().startsWith("maxDegenerateFraction"), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> c.withGroupSize(0));
    assertThrows(IllegalArgumentException.class, () -> c.withTau(Double.NaN));
  }

  @Test
  void predictionBandIsThreeSigmaWithAFloor() {
    // Unknown group count: the floor alone.
    assertEquals(0.1, TriageConfig.predictionBand(0.5, 0), 0.0);
    // B = 4, p = 0.5: 3·sqrt(0.25/4) = 0.75, above the floor.
    assertEquals(0.75, TriageConfig.predictionBand(0.5, 4), 1e-15);
    // B = 10,000: 3·sqrt(0.25/10,000) = 0.015, so the floor rules.
    assertEquals(0.1, TriageConfig.predictionBand(0.5, 10_000), 0.0);
    // A certain prediction has no spread.
    assertEquals(0.1, TriageConfig.predictionBand(1.0, 4), 0.0);
    assertTrue(TriageConfig.aboveCalibration(0.61, 0.5, 10_000));
    assertFalse(TriageConfig.aboveCalibration(0.59, 0.5, 10_000));
    assertFalse(TriageConfig.aboveCalibration(Double.NaN, 0.5, 10_000));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> TriageConfig.predictionBand(Double.NaN, 4));
    assertTrue(e.getMessage().startsWith("predicted must be in [0, 1]"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> TriageConfig.predictionBand(0.5, -1));
    assertTrue(e.getMessage().startsWith("groups must be >= 0"), e.getMessage());
  }

  /** A checkpoint whose prompts all have {@code c} of 16 samples passing. */
  private static Checkpoint checkpoint(String name, double passAt1, int[] passes, double outcome) {
    List<ProblemSamples> samples = new ArrayList<>();
    for (int c : passes) {
      samples.add(ProblemSamples.of(16, c));
    }
    return Checkpoint.of(name, 1, 0.5, passAt1).withSignal(SignalProfiles.of(samples, 8)).withOutcome(outcome);
  }

  @Test
  void signalPickIsTheBestPassAt1AmongLiveCheckpoints() {
    // "deep" has the best pass@1 but its prompts are all solved or all failed: every group dead.
    List<Checkpoint> ladder = List.of(
        checkpoint("shallow", 0.30, new int[] {5, 6, 4, 7}, 0.70),
        checkpoint("mid", 0.45, new int[] {8, 6, 9, 7}, 0.80),
        checkpoint("deep", 0.50, new int[] {16, 0, 16, 0}, 0.40));
    LadderReport report = Ladders.analyze(ladder, TriageConfig.DEFAULT);
    assertEquals("deep", report.standardPick());
    assertEquals("mid", report.signalPick().orElseThrow());
    CheckpointVerdict deep = report.checkpoints().get(2);
    assertTrue(deep.signalFlag());
    assertEquals(1.0, deep.predictedDegenerateFraction().getAsDouble(), 1e-15);
    assertFalse(report.checkpoints().get(1).signalFlag());
    OutcomeAnalysis outcomes = report.outcomes().orElseThrow();
    assertEquals(0.80, outcomes.signalPickOutcome().orElseThrow(), 1e-15);
    assertTrue(outcomes.rankInversion());
    assertEquals(0.40, outcomes.worstOutcome(), 1e-15);
    assertTrue(outcomes.correlations().stream().map(Correlation::predictor).anyMatch("predictedDegenerateFraction"::equals));
  }

  @Test
  void allFlaggedFallsBackToTheLowestPredictedFraction() {
    List<Checkpoint> ladder = List.of(
        checkpoint("a", 0.9, new int[] {16, 16, 15, 16}, 0.1),
        checkpoint("b", 0.1, new int[] {0, 2, 0, 0}, 0.2));
    LadderReport report = Ladders.analyze(ladder, TriageConfig.DEFAULT);
    assertTrue(report.checkpoints().stream().allMatch(CheckpointVerdict::signalFlag));
    // a: (1 + 1 + C(15,8)/C(16,8) + 1)/4 = 3.5/4; b: (1 + C(14,8)/C(16,8) + 1 + 1)/4 = (3 + 56/240)/4.
    assertEquals(3.5 / 4, report.checkpoints().get(0).predictedDegenerateFraction().getAsDouble(), 1e-12);
    assertEquals((3 + 56.0 / 240) / 4, report.checkpoints().get(1).predictedDegenerateFraction().getAsDouble(), 1e-12);
    assertEquals("b", report.signalPick().orElseThrow());
  }

  @Test
  void noSignalPickWithoutSamplesAndAGroupSizeMismatchIsAnError() {
    LadderReport report = Ladders.analyze(LaddersTest.goldenLadder(), TriageConfig.DEFAULT);
    assertTrue(report.signalPick().isEmpty());
    assertTrue(report.checkpoints().stream().noneMatch(CheckpointVerdict::signalFlag));
    List<Checkpoint> ladder = List.of(checkpoint("a", 0.5, new int[] {8}, 0.5));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> Ladders.analyze(ladder, TriageConfig.DEFAULT.withGroupSize(4)));
    assertTrue(e.getMessage().contains("groupSize = 4"), e.getMessage());
  }

  @Test
  void standardPickTyingTheWorstIsReportedAsATie() {
    List<Checkpoint> ladder = List.of(
        checkpoint("a", 0.2, new int[] {8}, 0.9),
        checkpoint("b", 0.3, new int[] {8}, 0.5),
        checkpoint("c", 0.4, new int[] {8}, 0.5004));
    OutcomeAnalysis outcomes = Ladders.analyze(ladder, TriageConfig.DEFAULT).outcomes().orElseThrow();
    assertFalse(outcomes.rankInversion());
    assertTrue(outcomes.standardTiesWorst());
  }

  @Test
  void monitorFlagsARunWhoseGroupsStayDeadOverTheWindow() {
    TriageConfig config = TriageConfig.DEFAULT.withSteps(2, 6, 10);
    TrainingMonitor dead = TrainingMonitor.create(config);
    TrainingMonitor live = TrainingMonitor.create(config);
    for (long s = 0; s <= 8; s++) {
      // Steps outside the window [2, 6] must not count: step 0 and 1 are all dead for the live run.
      dead.accept(TrainingStep.builder(s).degenerateFraction(s < 2 ? 0.0 : 0.75).build());
      live.accept(TrainingStep.builder(s).degenerateFraction(s < 2 ? 1.0 : 0.25).build());
    }
    assertEquals(0.75, dead.stage2DegenerateMean().getAsDouble(), 1e-15);
    assertTrue(dead.signalStage2Flag());
    assertEquals(1, dead.alerts().stream().filter(a -> a.kind() == AlertKind.DEGENERATE_OVER_WINDOW && a.step() == 6).count());
    assertEquals(0.25, live.stage2DegenerateMean().getAsDouble(), 1e-15);
    assertFalse(live.signalStage2Flag());
    assertTrue(live.alerts().stream().noneMatch(a -> a.kind() == AlertKind.DEGENERATE_OVER_WINDOW));
  }

  @Test
  void monitorRejectsNullsAtOnce() {
    assertThrows(IllegalArgumentException.class, () -> TrainingMonitor.create(null));
    assertThrows(IllegalArgumentException.class, () -> TrainingMonitor.create(TriageConfig.DEFAULT, null));
  }
  /** A checkpoint as released evaluation data gives it: samples, no pre-RL entropy. */
  private static Checkpoint released(String name, double passAt1, int[] passes, double outcome) {
    List<ProblemSamples> samples = new ArrayList<>();
    for (int c : passes) {
      samples.add(ProblemSamples.of(16, c));
    }
    return Checkpoint.withoutEntropy(name, 1, passAt1).withSignal(SignalProfiles.of(samples, 8)).withOutcome(outcome);
  }

  @Test
  void aLadderWithoutEntropyIsJudgedBySignalRulesOnlyAndFlagsSayTheirSide() {
    List<Checkpoint> ladder = List.of(
        released("mid", 0.45, new int[] {8, 6, 9, 7}, 0.80),
        released("easy", 0.90, new int[] {16, 16, 15, 16}, 0.50),
        released("hard", 0.05, new int[] {0, 0, 1, 0}, 0.40),
        released("other", 0.40, new int[] {7, 6, 5, 8}, 0.70));
    LadderReport report = Ladders.analyze(ladder, TriageConfig.DEFAULT);
    for (CheckpointVerdict v : report.checkpoints()) {
      assertFalse(v.stage1Known(), v.name());
      assertFalse(v.stage1Flag(), v.name());
    }
    assertTrue(report.triagePick().isEmpty(), "the entropy rules cannot pick without entropy");
    assertEquals("easy", report.standardPick());
    assertEquals("mid", report.signalPick().orElseThrow());
    assertTrue(report.checkpoints().get(0).signalAdvice().isEmpty());
    CheckpointVerdict easy = report.checkpoints().get(1);
    assertTrue(easy.signalFlag());
    assertEquals(DegenerateSide.ALL_PASS, easy.signalAdvice().orElseThrow().side());
    assertTrue(easy.signalAdvice().orElseThrow().action().contains("too easy for RL at this G; use harder prompts"));
    CheckpointVerdict hard = report.checkpoints().get(2);
    assertEquals(DegenerateSide.ALL_FAIL, hard.signalAdvice().orElseThrow().side());
    // No entropy correlation can be computed; the signal's can.
    List<String> predictors = report.outcomes().orElseThrow().correlations().stream().map(Correlation::predictor).toList();
    assertFalse(predictors.contains("entropy"), predictors.toString());
    assertTrue(predictors.contains("predictedDegenerateFraction"), predictors.toString());
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> LadderCalibration.calibrate(ladder, TriageConfig.DEFAULT));
    assertTrue(e.getMessage().startsWith("calibration needs the pre-RL entropy"), e.getMessage());
    // A mixed ladder: one measured entropy does not let the entropy rules pick over the others.
    List<Checkpoint> mixed = List.of(Checkpoint.of("measured", 1, 0.5, 0.3), ladder.get(0));
    assertTrue(Ladders.analyze(mixed, TriageConfig.DEFAULT).triagePick().isEmpty());
    assertTrue(Ladders.analyze(mixed, TriageConfig.DEFAULT).checkpoints().get(0).stage1Known());
  }

  @Test
  void unknownEntropyIsNaNOnlyAndNeverFlagged() {
    assertFalse(Checkpoint.withoutEntropy("x", 1, 0.5).hasEntropy());
    assertTrue(Checkpoint.of("x", 1, 0.0, 0.5).hasEntropy());
    assertThrows(IllegalArgumentException.class, () -> Checkpoint.of("x", 1, Double.POSITIVE_INFINITY, 0.5));
    assertThrows(IllegalArgumentException.class, () -> new CheckpointVerdict("x", 1, true, false, OptionalDouble.empty(),
        false, OptionalDouble.empty(), OptionalDouble.empty(), false, java.util.Optional.empty()));
  }
}
