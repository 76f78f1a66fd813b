package io.github.rlvrdiagnostics.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.rlvrdiagnostics.api.Checkpoint;
import io.github.rlvrdiagnostics.api.ProblemSamples;
import io.github.rlvrdiagnostics.api.TriageConfig;
import io.github.rlvrdiagnostics.core.estimate.SignalProfiles;
import io.github.rlvrdiagnostics.examples.RuleComparison.Rule;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Picks and regret of each rule on a hand-made two-seed ladder whose answers are known. */
class RuleComparisonTest {

  /** One checkpoint: entropy, pass@1, every prompt with {@code c} of 16 passing, an outcome. */
  private static Checkpoint checkpoint(String name, long seed, double entropy, double passAt1, int c, double outcome) {
    List<ProblemSamples> samples = new ArrayList<>();
    for (int j = 0; j < 4; j++) {
      samples.add(ProblemSamples.of(16, c));
    }
    return Checkpoint.of(name, seed, entropy, passAt1).withSignal(SignalProfiles.of(samples, 8)).withOutcome(outcome);
  }

  @Test
  void regretIsTheSeedsBestOutcomeMinusThePick() {
    List<Checkpoint> ladder = List.of(
        // Seed 1: shallow is best; deep has the highest pass@1, low entropy, and every group dead (c = 16).
        checkpoint("shallow", 1, 1.0, 0.3, 8, 0.9),
        checkpoint("mid", 1, 0.5, 0.5, 8, 0.7),
        checkpoint("deep", 1, 0.1, 0.9, 16, 0.2),
        // Seed 2: every checkpoint is entropy-flagged (entropy < 0.18): entropy triage has no answer.
        checkpoint("shallow", 2, 0.1, 0.3, 8, 0.8),
        checkpoint("mid", 2, 0.1, 0.5, 8, 0.85),
        checkpoint("deep", 2, 0.1, 0.9, 16, 0.4));
    RuleComparison rules = RuleComparison.of(ladder, TriageConfig.DEFAULT);
    var seed1 = rules.perSeed().get(0);
    assertEquals("deep", seed1.pick(Rule.STANDARD).name());
    assertEquals(0.9 - 0.2, seed1.pick(Rule.STANDARD).regret(), 1e-15);
    assertEquals("mid", seed1.pick(Rule.ENTROPY).name()); // highest pass@1 with entropy >= 0.18
    assertFalse(seed1.pick(Rule.ENTROPY).fallback());
    assertEquals("mid", seed1.pick(Rule.SIGNAL).name()); // deep's groups are all dead
    assertEquals(0.9 - 0.7, seed1.pick(Rule.SIGNAL).regret(), 1e-15);
    assertEquals("shallow", seed1.pick(Rule.ORACLE).name());
    var seed2 = rules.perSeed().get(1);
    assertTrue(seed2.pick(Rule.ENTROPY).fallback());
    assertEquals("deep", seed2.pick(Rule.ENTROPY).name());
    assertEquals(0.85 - 0.4, seed2.pick(Rule.ENTROPY).regret(), 1e-15);
    assertEquals(0.0, seed2.pick(Rule.SIGNAL).regret(), 1e-15);
    assertEquals(((0.9 - 0.2) + (0.85 - 0.4)) / 2, rules.meanRegret(Rule.STANDARD), 1e-15);
    assertEquals(((0.9 - 0.7) + 0.0) / 2, rules.meanRegret(Rule.SIGNAL), 1e-15);
    assertEquals(1, rules.fallbacks(Rule.ENTROPY));
    assertEquals(1, rules.zeroRegretSeeds(Rule.SIGNAL));
    assertEquals(2, rules.zeroRegretSeeds(Rule.ORACLE));
    // Pooled: mean outcomes shallow 0.85, mid 0.775, deep 0.3.
    assertEquals("shallow", rules.pooled().pick(Rule.ORACLE).name());
    assertEquals(0.85 - 0.3, rules.pooled().pick(Rule.STANDARD).regret(), 1e-12);
  }

  @Test
  void everyCheckpointNeedsAnOutcomeAndASignal() {
    List<Checkpoint> noSignal = List.of(Checkpoint.of("a", 1, 0.5, 0.5).withOutcome(0.5));
    assertThrows(IllegalArgumentException.class, () -> RuleComparison.of(noSignal, TriageConfig.DEFAULT));
  }
}
