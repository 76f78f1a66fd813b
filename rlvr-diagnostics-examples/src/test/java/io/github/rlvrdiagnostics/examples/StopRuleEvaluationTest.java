package io.github.rlvrdiagnostics.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.rlvrdiagnostics.api.Checkpoint;
import io.github.rlvrdiagnostics.api.TriageConfig;
import io.github.rlvrdiagnostics.examples.RuleComparison.Rule;
import io.github.rlvrdiagnostics.examples.RuleComparison.SeedPicks;
import io.github.rlvrdiagnostics.examples.StopRuleEvaluation.RunStop;
import io.github.rlvrdiagnostics.examples.StopRuleEvaluation.Score;
import java.util.List;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

/** The stop-rule scores and the bootstrap interval on hand-made runs whose answers are known. */
class StopRuleEvaluationTest {
  private static final TriageConfig CONFIG = TriageConfig.DEFAULT.withSteps(2, 45, 120);

  /** A run with the given held-out outcome curve, evaluated at steps 0, 40, 80, 120. */
  private static LadderExperiment.CheckpointResult run(double... curve) {
    return new LadderExperiment.CheckpointResult(1, 1, 1.0, 0.1, 0.2, List.of(),
        io.github.rlvrdiagnostics.core.estimate.SignalProfiles.of(
            List.of(io.github.rlvrdiagnostics.api.ProblemSamples.of(8, 4)), 8), 0.0, List.of(),
        new int[] {0, 40, 80, 120}, curve, new double[0], new double[0], new double[0], new double[0], new double[0]);
  }

  @Test
  void precisionRecallComputeAndLossFollowTheDefinitions() {
    // Run 0 peaks early (no-progress run): a stop at 45 loses nothing.
    // Run 1 keeps improving: a stop at 45 loses 0.3. Run 2 peaks early and is not stopped.
    List<LadderExperiment.CheckpointResult> runs = List.of(run(0.1, 0.5, 0.49, 0.5), run(0.1, 0.2, 0.4, 0.5),
        run(0.2, 0.6, 0.6, 0.6));
    assertEquals(0.0, StopRuleEvaluation.loss(runs.get(0), 45), 1e-15);
    assertEquals(0.3, StopRuleEvaluation.loss(runs.get(1), 45), 1e-15);
    List<RunStop> stops = List.of(new RunStop(OptionalLong.of(45), 0.0), new RunStop(OptionalLong.of(45), 0.3),
        new RunStop(OptionalLong.empty(), 0));
    Score score = StopRuleEvaluation.score(runs, stops, CONFIG);
    assertEquals(2, score.flagged());
    assertEquals(1, score.right());
    assertEquals(0.5, score.precision(), 1e-15);
    assertEquals(0.5, score.recall(), 1e-15, "runs 0 and 2 are no-progress runs; only run 0 was stopped");
    assertEquals(2 * (120 - 45) / 120.0 / 3, score.computeSaved(), 1e-15);
    assertEquals(0.15, score.outcomeLost(), 1e-15);
    Score none = StopRuleEvaluation.score(runs, List.of(new RunStop(OptionalLong.empty(), 0),
        new RunStop(OptionalLong.empty(), 0), new RunStop(OptionalLong.empty(), 0)), CONFIG);
    assertTrue(Double.isNaN(none.precision()) && Double.isNaN(none.outcomeLost()));
    assertEquals(0.0, none.recall());
  }

  @Test
  void bootstrapIntervalOfAConstantDifferenceIsThatConstant() {
    io.github.rlvrdiagnostics.api.SignalProfile profile = io.github.rlvrdiagnostics.core.estimate.SignalProfiles.of(
        List.of(io.github.rlvrdiagnostics.api.ProblemSamples.of(16, 8)), 8);
    List<Checkpoint> ladder = new java.util.ArrayList<>();
    for (long seed = 1; seed <= 4; seed++) {
      // Every seed: the highest pass@1 ("a") has the worse outcome, by 0.3.
      ladder.add(Checkpoint.of("a", seed, 1.0, 0.9).withSignal(profile).withOutcome(0.2));
      ladder.add(Checkpoint.of("b", seed, 0.5, 0.1).withSignal(profile).withOutcome(0.5));
    }
    List<SeedPicks> perSeed = RuleComparison.of(ladder, TriageConfig.DEFAULT).perSeed();
    StopRuleEvaluation.Interval ci = StopRuleEvaluation.regretDifference(perSeed, Rule.ORACLE, Rule.STANDARD);
    double d = -perSeed.get(0).pick(Rule.STANDARD).regret();
    assertEquals(-0.3, d, 1e-15);
    assertEquals(4, ci.pairs());
    assertEquals(d, ci.mean(), 1e-15);
    assertEquals(d, ci.low(), 1e-15);
    assertEquals(d, ci.high(), 1e-15);
    assertEquals(d != 0, ci.excludesZero());
  }
}
