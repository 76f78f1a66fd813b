package io.github.rlvrdiagnostics.examples.cli;

import io.github.rlvrdiagnostics.cli.CliRun;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

/** {@code toy --quick} runs every variant and reports sane numbers. */
class ToyCommandTest {

  @Test
  void quickRunReportsEveryVariant() {
    JsonNode node = CliRun.json("toy", "--quick");
    assertEquals(60, node.get("steps").asInt());
    assertEquals(12, node.get("variants").size());
    for (JsonNode v : node.get("variants")) {
      double minority = v.get("meanFinalMinority").asDouble();
      assertTrue(minority >= 0 && minority <= 0.5, v.toString());
      assertEquals(3, v.get("meanFinalHeldOutAccuracy").size());
      assertTrue(v.get("collapsedRuns").asInt() <= 2);
    }
    CliRun.assertBadInput("--steps must be >= 1", "toy", "--steps", "0");
  }
}
