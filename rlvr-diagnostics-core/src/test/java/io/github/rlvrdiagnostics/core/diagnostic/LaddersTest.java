package io.github.rlvrdiagnostics.core.diagnostic;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.rlvrdiagnostics.api.Checkpoint;
import io.github.rlvrdiagnostics.api.CheckpointVerdict;
import io.github.rlvrdiagnostics.api.Correlation;
import io.github.rlvrdiagnostics.api.EntropyPoint;
import io.github.rlvrdiagnostics.api.LadderReport;
import io.github.rlvrdiagnostics.api.TriageCalibration;
import io.github.rlvrdiagnostics.api.TriageConfig;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** docs/MATH.md §4: the golden ladder of the rank-inversion paper and the rules of {@link Ladders}. */
class LaddersTest {

  /** The paper's per-seed row: epochs, Stage-1 entropy, Stage-2 drop (as traces 10 → 150). */
  static List<Checkpoint> goldenLadder() {
    String[] names = {"1.0", "1.9", "2.9", "3.8", "5.8"};
    double[] entropy = {0.249, 0.163, 0.137, 0.192, 0.120};
    double[] drop = {0.24, 0.44, 0.56, 0.28, 0.64};
    double[] passAt1 = {0.10, 0.15, 0.17, 0.16, 0.18};
    List<Checkpoint> ladder = new ArrayList<>();
    for (int i = 0; i < names.length; i++) {
      ladder.add(Checkpoint.of(names[i], 42, entropy[i], passAt1[i]).withEntropyTrace(List.of(
          EntropyPoint.of(10, 1.0), EntropyPoint.of(80, 0.9), EntropyPoint.of(150, 1.0 - drop[i]))));
    }
    return ladder;
  }

  @Test
  void goldenLadderOfTheRankInversionPaper() {
    LadderReport report = Ladders.analyze(goldenLadder(), TriageConfig.DEFAULT);
    assertEquals(List.of("1.9", "2.9", "5.8"), names(report, CheckpointVerdict::stage1Flag));
    assertEquals(List.of("2.9", "5.8"), names(report, CheckpointVerdict::stage2Flag));
    assertEquals(0.625, report.computeSavedFraction(), 1e-15);
    assertEquals(0.625 * 2 / 5, report.ladderComputeSavedFraction(), 1e-15);
    assertEquals(0.44, report.checkpoints().get(1).stage2Drop().getAsDouble(), 1e-12);
    // Highest pass@1 is the most over-trained depth; triage keeps 1.0 and 3.8 and picks 3.8.
    assertEquals("5.8", report.standardPick());
    assertEquals("3.8", report.triagePick().orElseThrow());
    assertTrue(report.outcomes().isEmpty());
  }

  private static List<String> names(LadderReport report, java.util.function.Predicate<CheckpointVerdict> flag) {
    return report.checkpoints().stream().filter(flag).map(CheckpointVerdict::name).collect(Collectors.toList());
  }

  @Test
  void stage2ReadsTheLatestReadingAtOrBeforeEachStep() {
    TriageConfig config = TriageConfig.DEFAULT;
    List<EntropyPoint> trace = List.of(EntropyPoint.of(0, 2.0), EntropyPoint.of(100, 1.5), EntropyPoint.of(160, 0.5));
    // Reference at 10 is the step-0 reading; the check at 150 is the step-100 reading.
    assertEquals(0.25, Ladders.stage2Drop(trace, config).getAsDouble(), 1e-15);
    assertTrue(Ladders.stage2Drop(List.of(EntropyPoint.of(20, 1.0), EntropyPoint.of(150, 0.2)), config).isEmpty());
    assertTrue(Ladders.stage2Drop(List.of(EntropyPoint.of(10, 1.0), EntropyPoint.of(100, 0.2)), config).isEmpty());
    assertTrue(Ladders.stage2Drop(List.of(EntropyPoint.of(10, 0.0), EntropyPoint.of(150, 0.0)), config).isEmpty());
    assertEquals(-1.0, Ladders.stage2Drop(List.of(EntropyPoint.of(10, 0.5), EntropyPoint.of(150, 1.0)), config).getAsDouble(), 1e-15);
  }

  @Test
  void rankInversionAndCorrelationsWithOutcomes() {
    // The paper's shape: pass@1 rises with depth, peak GRPO pass@10 falls.
    double[] outcome = {0.806, 0.70, 0.52, 0.75, 0.481};
    List<Checkpoint> ladder = new ArrayList<>();
    List<Checkpoint> golden = goldenLadder();
    for (int i = 0; i < golden.size(); i++) {
      ladder.add(golden.get(i).withOutcome(outcome[i]).withPassAtK(10, Math.min(1, golden.get(i).passAt1() * 3)));
    }
    LadderReport report = Ladders.analyze(ladder, TriageConfig.DEFAULT);
    var analysis = report.outcomes().orElseThrow();
    assertTrue(analysis.rankInversion());
    assertEquals(0.481, analysis.standardPickOutcome(), 1e-15);
    assertEquals(0.75, analysis.triagePickOutcome().orElseThrow(), 1e-15);
    assertEquals("1.0", analysis.bestName());
    Map<String, Correlation> byName = analysis.correlations().stream().collect(Collectors.toMap(Correlation::predictor, c -> c));
    assertEquals(List.of("entropy", "passAt1", "passAt10", "stage2Drop"), List.copyOf(byName.keySet()).stream().sorted().toList());
    // Entropy ranks 1.0 > 3.8 > 1.9 > 2.9 > 5.8, exactly the outcome order: ρ = 1 = τ.
    assertEquals(1.0, byName.get("entropy").spearman(), 1e-12);
    assertEquals(1.0, byName.get("entropy").kendallTau(), 1e-12);
    // Exact permutation test with n = 5: only the identity ordering reaches |ρ| = 1 on each side.
    assertEquals(2.0 / 120, byName.get("entropy").spearmanPValue(), 1e-12);
    assertEquals(-1.0, byName.get("stage2Drop").spearman(), 1e-12);
    assertTrue(byName.get("passAt1").spearman() < 0);
    assertTrue(byName.get("entropy").spearmanSeedDemeaned().isEmpty()); // one seed only
    assertTrue(analysis.correlations().stream().allMatch(c -> c.n() == 5));
    assertTrue(report.checkpoints().get(0).diversityRatio().isPresent());
  }

  @Test
  void noInversionWhenTheStandardPickIsNotTheWorst() {
    List<Checkpoint> ladder = List.of(
        Checkpoint.of("a", 1, 0.3, 0.2).withOutcome(0.5),
        Checkpoint.of("b", 1, 0.3, 0.1).withOutcome(0.4),
        Checkpoint.of("c", 1, 0.3, 0.05).withOutcome(0.6));
    assertFalse(Ladders.analyze(ladder, TriageConfig.DEFAULT).outcomes().orElseThrow().rankInversion());
  }

  @Test
  void calibrationFitsTheSeparatingThresholds() {
    List<Checkpoint> ladder = new ArrayList<>();
    double[] outcome = {0.806, 0.70, 0.52, 0.75, 0.481};
    List<Checkpoint> golden = goldenLadder();
    for (int i = 0; i < golden.size(); i++) {
      ladder.add(golden.get(i).withOutcome(outcome[i]));
    }
    TriageCalibration fit = LadderCalibration.calibrate(ladder, TriageConfig.DEFAULT);
    // Median outcome 0.70: poor = {2.9, 5.8} with entropies 0.137, 0.120 and drops 0.56, 0.64.
    assertEquals(0.70, fit.poorOutcomeBelow(), 1e-15);
    assertEquals((0.137 + 0.163) / 2, fit.tau(), 1e-12);
    assertEquals(1.0, fit.tauBalancedAccuracy(), 1e-12);
    assertEquals((0.44 + 0.56) / 2, fit.delta().getAsDouble(), 1e-12);
    assertEquals(1.0, fit.deltaBalancedAccuracy().getAsDouble(), 1e-12);
    assertThrows(IllegalArgumentException.class, () -> LadderCalibration.calibrate(ladder.subList(0, 3), TriageConfig.DEFAULT));
  }

  @Test
  void badInput() {
    assertThrows(IllegalArgumentException.class, () -> Ladders.analyze(List.of(), TriageConfig.DEFAULT));
    assertThrows(IllegalArgumentException.class, () -> new TriageConfig(0.18, 0.5, 150, 150, 400));
    assertThrows(IllegalArgumentException.class, () -> new TriageConfig(Double.NaN, 0.5, 10, 150, 400));
    assertThrows(IllegalArgumentException.class, () -> new TriageConfig(0.18, 1.0, 10, 150, 400));
    assertThrows(IllegalArgumentException.class, () -> Checkpoint.of("x", 1, -0.1, 0.5));
    assertThrows(IllegalArgumentException.class, () -> Checkpoint.of("x", 1, 0.1, 1.5));
    assertThrows(IllegalArgumentException.class, () -> Checkpoint.of("", 1, 0.1, 0.5));
    assertThrows(IllegalArgumentException.class, () -> Checkpoint.of("x", 1, 0.1, 0.5)
        .withEntropyTrace(List.of(EntropyPoint.of(10, 1), EntropyPoint.of(10, 2))));
    assertThrows(IllegalArgumentException.class, () -> Checkpoint.of("x", 1, 0.1, 0.5).withOutcome(Double.NaN));
    assertEquals(OptionalDouble.empty(), Checkpoint.of("x", 1, 0.1, 0.5).outcome());
  }
}
