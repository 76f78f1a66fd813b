package io.github.rlvrdiagnostics.core.diagnostic;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.rlvrdiagnostics.api.MonitorConfig;
import io.github.rlvrdiagnostics.api.RunState;
import io.github.rlvrdiagnostics.api.Severity;
import io.github.rlvrdiagnostics.api.StopAdvice;
import io.github.rlvrdiagnostics.api.TrainingStep;
import io.github.rlvrdiagnostics.api.TriageConfig;
import io.github.rlvrdiagnostics.api.Verdict;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.IntFunction;
import org.junit.jupiter.api.Test;

/** The run states on synthetic runs whose story is known (written by us for these tests). */
class RunVerdictsTest {
  private static final TriageConfig CONFIG = TriageConfig.DEFAULT.withSteps(10, 150, 400);

  private static TrainingMonitor run(int steps, IntFunction<TrainingStep.Builder> step) {
    TrainingMonitor monitor = TrainingMonitor.create(CONFIG);
    for (int i = 1; i <= steps; i++) {
      monitor.accept(step.apply(i).build());
    }
    return monitor;
  }

  private static void assertContiguous(List<Verdict> verdicts, long first, long last) {
    assertEquals(first, verdicts.get(0).fromStep());
    assertEquals(last, verdicts.get(verdicts.size() - 1).toStep());
    for (int i = 1; i < verdicts.size(); i++) {
      assertTrue(verdicts.get(i).fromStep() > verdicts.get(i - 1).toStep(), verdicts.toString());
    }
  }

  @Test
  void aRisingRewardIsLearningAndGetsNoStopAdvice() {
    Random r = new Random(1);
    TrainingMonitor m = run(300, i -> TrainingStep.builder(i).reward(0.2 + 0.002 * i + 0.05 * r.nextGaussian())
        .entropy(0.8 - 0.001 * i));
    assertEquals(RunState.LEARNING, m.verdict().orElseThrow().state());
    assertEquals(Severity.INFO, m.verdict().orElseThrow().severity());
    assertTrue(m.stopAdvice().isEmpty(), m.verdicts().toString());
    assertEquals(RunState.UNKNOWN, m.verdicts().get(0).state(), "the first steps are too few to say");
    assertContiguous(m.verdicts(), 1, 300);
  }

  @Test
  void aLongFlatRunBecomesACriticalPlateau() {
    Random r = new Random(2);
    TrainingMonitor m = run(400, i -> TrainingStep.builder(i).reward(0.5 + 0.05 * r.nextGaussian()).entropy(0.9));
    Verdict last = m.verdict().orElseThrow();
    assertEquals(RunState.PLATEAU, last.state());
    assertEquals(Severity.CRITICAL, last.severity());
    StopAdvice advice = m.stopAdvice().orElseThrow();
    assertEquals(RunState.PLATEAU, advice.state());
    assertTrue(advice.step() < 300, advice.toString());
    assertEquals((400.0 - advice.step()) / 400, advice.computeSaved(), 1e-12);
    assertTrue(last.action().startsWith("no reward progress"), last.action());
    assertContiguous(m.verdicts(), 1, 400);
  }

  @Test
  void collapsedEntropyWithAFlatRewardIsCollapsed() {
    Random r = new Random(3);
    // The reward rises while the entropy lasts, then stays flat once it has collapsed at step 50.
    TrainingMonitor m = run(200, i -> TrainingStep.builder(i).reward(Math.min(i, 50) * 0.01 + 0.03 * r.nextGaussian())
        .entropy(i < 50 ? 0.9 : 0.05).degenerateFraction(i < 50 ? 0.3 : 0.8));
    assertEquals(RunState.COLLAPSED, m.verdict().orElseThrow().state(), m.verdicts().toString());
    assertEquals(RunState.COLLAPSED, m.stopAdvice().orElseThrow().state());
    assertTrue(m.verdict().orElseThrow().evidence().contains("below τ"), m.verdict().orElseThrow().evidence());
  }

  /** Entropy halving from 2.0 to 0.8 nats (above τ) while the reward stays flat and most groups are degenerate. */
  private static void halvingEntropy(TrainingMonitor monitor) {
    Random r = new Random(5);
    for (int i = 1; i <= 200; i++) {
      monitor.accept(TrainingStep.builder(i).reward(0.4 + 0.03 * r.nextGaussian()).entropy(i < 30 ? 2.0 : 0.8)
          .degenerateFraction(0.7).build());
    }
  }

  @Test
  void aFallByMoreThanDeltaCollapsesOnlyWhenTheRulesSaySo() {
    TrainingMonitor byDrop = TrainingMonitor.create(CONFIG, MonitorConfig.DEFAULT.withRelativeDropCollapses(true), a -> { });
    halvingEntropy(byDrop);
    assertEquals(RunState.COLLAPSED, byDrop.verdict().orElseThrow().state(), byDrop.verdicts().toString());
    // The default: only τ makes a run collapsed.
    TrainingMonitor byTau = TrainingMonitor.create(CONFIG);
    halvingEntropy(byTau);
    Verdict last = byTau.verdict().orElseThrow();
    assertEquals(RunState.PLATEAU, last.state(), byTau.verdicts().toString());
    assertTrue(byTau.verdicts().stream().noneMatch(v -> v.state() == RunState.COLLAPSED), byTau.verdicts().toString());
    assertTrue(last.evidence().contains("down more than δ = 50%"), "the fall is still evidence: " + last.evidence());
  }

  @Test
  void aFallingRewardIsRegressing() {
    Random r = new Random(4);
    TrainingMonitor m = run(200, i -> TrainingStep.builder(i)
        .reward((i < 100 ? 0.002 * i : 0.2 - 0.003 * (i - 100)) + 0.03 * r.nextGaussian()));
    assertEquals(RunState.REGRESSING, m.verdict().orElseThrow().state(), m.verdicts().toString());
    StopAdvice advice = m.stopAdvice().orElseThrow();
    assertEquals(RunState.REGRESSING, advice.state());
    assertTrue(advice.step() > 100, "not before the peak: " + advice);
    assertTrue(m.verdicts().stream().anyMatch(v -> v.state() == RunState.LEARNING));
  }

  @Test
  void allPassGroupsMeanSaturatedAndAllFailGroupsMeanStarved() {
    Random r = new Random(5);
    TrainingMonitor easy = run(100, i -> TrainingStep.builder(i).reward(0.95 + 0.01 * r.nextGaussian())
        .degenerateFraction(0.75).allPassFraction(0.71).allFailFraction(0.04));
    Verdict v = easy.verdict().orElseThrow();
    assertEquals(RunState.SATURATED, v.state());
    assertEquals(Severity.WARNING, v.severity());
    assertTrue(v.action().contains("71% of groups all pass"), v.action());
    assertTrue(easy.stopAdvice().isEmpty(), "success is no reason for alarm");
    TrainingMonitor hard = run(400, i -> TrainingStep.builder(i).reward(0.05 + 0.01 * r.nextGaussian())
        .degenerateFraction(0.8).allPassFraction(0.0).allFailFraction(0.8));
    assertEquals(RunState.STARVED, hard.verdict().orElseThrow().state());
    assertTrue(hard.verdict().orElseThrow().action().contains("80% of groups all fail"), hard.verdict().toString());
    assertTrue(hard.verdict().orElseThrow().action().contains("5.0 generation rounds"), hard.verdict().toString());
    assertEquals(RunState.STARVED, hard.stopAdvice().orElseThrow().state(), "a long starvation is critical");
  }

  @Test
  void binaryRewardsWithKnownGroupSizeBoundTheSplitFromTheMeanReward() {
    Random r = new Random(6);
    TrainingMonitor m = TrainingMonitor.createForBinaryRewards(CONFIG.withGroupSize(8), (a -> { }));
    for (int i = 1; i <= 60; i++) {
      m.accept(TrainingStep.builder(i).reward(0.97 + 0.005 * r.nextGaussian()).build());
    }
    assertEquals(RunState.SATURATED, m.verdict().orElseThrow().state());
    assertTrue(m.verdict().orElseThrow().evidence().contains("lower bounds"), m.verdict().toString());
  }

  @Test
  void aFractionReportedOnlyAtSelectedStepsDecidesNothing() {
    // The degenerate fraction appears only where it is 1 (as TRL's reward_std == 0 steps): a
    // quarter of the steps. The reward rises; the verdict must not rest on that subset.
    Random r = new Random(7);
    TrainingMonitor m = run(250, i -> {
      TrainingStep.Builder b = TrainingStep.builder(i).reward(0.2 + 0.006 * i + 0.2 * r.nextGaussian());
      return i % 4 == 0 ? b.degenerateFraction(1.0) : b;
    });
    assertEquals(RunState.LEARNING, m.verdict().orElseThrow().state());
    assertTrue(m.stopAdvice().isEmpty(), m.verdicts().toString());
    assertFalse(m.signalStage2Flag(), "a quarter of the window's steps is not enough coverage");
    assertEquals(1.0, m.stage2DegenerateMean().getAsDouble());
    assertTrue(m.alerts().stream().noneMatch(a -> a.kind() == io.github.rlvrdiagnostics.api.AlertKind.DEGENERATE_OVER_WINDOW));
  }

  @Test
  void aBlipDoesNotChangeTheVerdict() {
    Random r = new Random(8);
    List<RunState> heard = new ArrayList<>();
    TrainingMonitor m = TrainingMonitor.create(CONFIG, new io.github.rlvrdiagnostics.api.AlertListener() {
      @Override
      public void onAlert(io.github.rlvrdiagnostics.api.Alert alert) {}

      @Override
      public void onVerdict(Verdict verdict) {
        heard.add(verdict.state());
      }
    });
    for (int i = 1; i <= 200; i++) {
      // A steady rise with a two-step crash at steps 150 and 151 (a bad batch).
      double reward = i == 150 || i == 151 ? -1.0 : 0.02 * i + 0.05 * r.nextGaussian();
      m.accept(TrainingStep.builder(i).reward(reward).build());
    }
    // Early windows of 10 steps may flicker; from step 50 on, one stretch of learning, crash or not.
    Verdict last = m.verdict().orElseThrow();
    assertEquals(RunState.LEARNING, last.state());
    assertTrue(last.fromStep() <= 50, m.verdicts().toString());
    assertEquals(RunState.LEARNING, heard.get(heard.size() - 1));
    assertTrue(m.stopAdvice().isEmpty());
  }
}
