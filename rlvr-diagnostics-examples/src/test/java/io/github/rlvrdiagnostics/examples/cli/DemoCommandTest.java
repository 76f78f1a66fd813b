package io.github.rlvrdiagnostics.examples.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.rlvrdiagnostics.cli.CliRun;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** {@code demo --quick}: the table's invariants, the rules' regret, and determinism for one seed set. */
class DemoCommandTest {

  @Test
  void quickDemoIsCompleteInRangeAndDeterministic() {
    CliRun run = CliRun.of("demo", "--quick", "--json");
    assertEquals(0, run.status(), run.err());
    JsonNode first;
    try {
      first = io.github.rlvrdiagnostics.cli.Output.JSON.readTree(run.out());
    } catch (java.io.IOException e) {
      throw new AssertionError(run.out(), e);
    }
    JsonNode checkpoints = first.get("checkpoints");
    assertEquals(12, checkpoints.size()); // 4 depths × 3 seeds
    Set<Integer> depths = new HashSet<>();
    Map<String, Double> outcome = new HashMap<>();
    for (JsonNode c : checkpoints) {
      depths.add(c.get("depth").asInt());
      outcome.put(c.get("seed").asLong() + "/" + c.get("depth").asInt(), c.get("peakPassAtK").asDouble());
      for (String field : new String[] {"passAt1", "passAtK", "predictedDegenerateFraction", "predictedDegenerateFractionExact",
          "allPassFraction", "allFailFraction", "peakPassAtK", "earlyObservedDegenerateFraction",
          "earlyPredictedDegenerateFractionFromGrpoPrompts"}) {
        double v = c.get(field).asDouble();
        assertTrue(v >= 0 && v <= 1, field + " = " + v);
      }
      assertEquals(c.get("predictedDegenerateFraction").asDouble(),
          c.get("allPassFraction").asDouble() + c.get("allFailFraction").asDouble(), 1e-12);
      assertEquals(c.get("signalFlag").asBoolean(), c.get("predictedDegenerateFraction").asDouble() > 0.5);
      assertTrue(c.get("expectedSamplingCost").isNull() || c.get("expectedSamplingCost").asDouble() >= 1.0);
      assertTrue(c.get("entropy").asDouble() >= 0 && c.get("entropy").asDouble() <= Math.log(12) + 1e-9);
      assertTrue(c.get("passAtK").asDouble() >= c.get("passAt1").asDouble() - 1e-12);
      assertTrue(c.get("stage1Flag").isBoolean());
      assertTrue(c.has("stage2Drop"));
    }
    assertEquals(4, depths.size());
    assertTrue(first.get("spearman").has("entropy") && first.get("spearman").has("passAt1")
        && first.get("spearman").has("predictedDegenerateFraction"));
    for (String rule : new String[] {"standard", "entropy", "signal", "bestOutcome", "highestEntropy"}) {
      assertTrue(depths.contains(first.get("picks").get(rule).asInt()), rule);
    }
    // Regret per seed is the seed's best outcome minus the pick's, recomputed here from the checkpoints.
    double[] sums = new double[3];
    String[] rules = {"standard", "entropy", "signal"};
    JsonNode perSeed = first.get("picksPerSeed");
    assertEquals(3, perSeed.size());
    for (JsonNode seed : perSeed) {
      long s = seed.get("seed").asLong();
      double best = outcome.get(s + "/" + seed.get("bestOutcome").asInt());
      for (int depth : depths) {
        assertTrue(outcome.get(s + "/" + depth) <= best + 1e-15);
      }
      for (int i = 0; i < rules.length; i++) {
        double expected = best - outcome.get(s + "/" + seed.get(rules[i]).asInt());
        assertEquals(expected, seed.get("regret").get(rules[i]).asDouble(), 1e-12, rules[i]);
        sums[i] += expected;
      }
      // The SFT stop advisor's recommendation: a depth of the ladder, its regret from the same outcomes.
      JsonNode advice = seed.get("sftAdvice");
      assertEquals(outcome.get(s + "/" + seed.get("bestOutcome").asInt()) - outcome.get(s + "/" + advice.get("recommendedEpochs").asInt()),
          advice.get("regret").asDouble(), 1e-12);
    }
    for (int i = 0; i < rules.length; i++) {
      assertEquals(sums[i] / 3, first.get("regret").get(rules[i]).asDouble(), 1e-12, rules[i]);
    }
    assertEquals(10, first.get("earlyDegenerate").get("steps").asInt());
    // Stop rules: counts within the runs, rates within [0, 1] (null when undefined).
    for (String rule : new String[] {"entropyStage2", "signalStage2", "verdict", "verdictRelativeDrop"}) {
      JsonNode r = first.get("stopRules").get(rule);
      int flagged = r.get("flagged").asInt();
      assertTrue(flagged >= 0 && flagged <= 12, rule);
      for (String rate : new String[] {"precision", "recall", "computeSaved", "outcomeLost"}) {
        JsonNode v = r.get(rate);
        assertTrue(v.isNull() || (v.asDouble() >= 0 && v.asDouble() <= 1), rule + "." + rate + " = " + v);
      }
      assertEquals(flagged == 0, r.get("precision").isNull(), rule);
    }
    // The bootstrap interval contains its mean; the mean is the mean per-seed regret difference.
    JsonNode ci = first.get("regretDifferenceCi").get("signalMinusStandard");
    assertTrue(ci.get("low").asDouble() <= ci.get("mean").asDouble() + 1e-12
        && ci.get("mean").asDouble() <= ci.get("high").asDouble() + 1e-12, ci.toString());
    assertEquals((sums[2] - sums[0]) / 3, ci.get("mean").asDouble(), 1e-12);
    assertEquals(3, ci.get("seeds").asInt());
    // Determinism: the same seeded run in the same JVM prints byte-identical JSON.
    // Two PyTorch threads cannot be compared in one JVM (DJL reads the thread count once, at
    // engine start); TorchThreads pins one thread for every run.
    assertEquals(run.out(), CliRun.of("demo", "--quick", "--json").out());
  }
}
