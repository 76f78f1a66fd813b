package io.github.rlvrdiagnostics.examples.cli;

import io.github.rlvrdiagnostics.cli.CliRun;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** {@code demo --quick}: the table's invariants and determinism for one seed set. */
class DemoCommandTest {

  @Test
  void quickDemoIsCompleteInRangeAndDeterministic() {
    JsonNode first = CliRun.json("demo", "--quick");
    JsonNode checkpoints = first.get("checkpoints");
    assertEquals(12, checkpoints.size()); // 4 depths × 3 seeds
    Set<Integer> depths = new java.util.HashSet<>();
    for (JsonNode c : checkpoints) {
      depths.add(c.get("depth").asInt());
      for (String field : new String[] {"passAt1", "passAtK", "predictedDegenerateFraction", "peakPassAtK"}) {
        double v = c.get(field).asDouble();
        assertTrue(v >= 0 && v <= 1, field + " = " + v);
      }
      assertTrue(c.get("entropy").asDouble() >= 0 && c.get("entropy").asDouble() <= Math.log(12) + 1e-9);
      assertTrue(c.get("passAtK").asDouble() >= c.get("passAt1").asDouble() - 1e-12);
      assertTrue(c.get("stage1Flag").isBoolean());
      assertTrue(c.has("stage2Drop"));
    }
    assertEquals(4, depths.size());
    assertTrue(first.get("spearman").has("entropy") && first.get("spearman").has("passAt1"));
    for (String rule : new String[] {"standard", "bestOutcome", "highestEntropy"}) {
      assertTrue(depths.contains(first.get("picks").get(rule).asInt()), rule);
    }
    assertEquals(first, CliRun.json("demo", "--quick"));
  }
}
