package io.github.rlvrdiagnostics.examples.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.rlvrdiagnostics.cli.CliRun;
import io.github.rlvrdiagnostics.examples.OverSharpeningToy;
import io.github.rlvrdiagnostics.examples.OverSharpeningToy.Run;
import io.github.rlvrdiagnostics.examples.OverSharpeningToy.Variant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@code toy}: the command reports what the library computes, and --quick never overrides explicit sizes. */
class ToyCommandTest {

  @Test
  void quickRunReportsEveryVariantAsTheLibraryComputesIt() {
    JsonNode node = CliRun.json("toy", "--quick");
    assertEquals(60, node.get("steps").asInt());
    assertEquals(2, node.get("seeds").asInt());
    List<Variant> variants = OverSharpeningToy.standardVariants();
    assertEquals(variants.size(), node.get("variants").size());
    // The first variant recomputed through the library: the same seeds (1000, 1001), steps and rate.
    Variant first = variants.get(0);
    List<Run> runs = List.of(OverSharpeningToy.run(first, 1000, 60, 0.5), OverSharpeningToy.run(first, 1001, 60, 0.5));
    JsonNode reported = node.get("variants").get(0);
    assertEquals(first.name(), reported.get("name").asText());
    assertEquals(runs.stream().filter(r -> r.collapseStep() >= 0).count(), reported.get("collapsedRuns").asLong());
    assertEquals(runs.stream().mapToDouble(Run::finalMinority).average().orElseThrow(),
        reported.get("meanFinalMinority").asDouble(), 1e-12);
    for (int i = 0; i < 3; i++) {
      final int input = i;
      assertEquals(runs.stream().mapToDouble(r -> r.heldOutAccuracy()[60][input]).average().orElseThrow(),
          reported.get("meanFinalHeldOutAccuracy").get(i).asDouble(), 1e-12);
    }
    CliRun.assertBadInput("--steps must be >= 1", "toy", "--steps", "0");
  }

  @Test
  void explicitSizesWinOverQuick() {
    JsonNode node = CliRun.json("toy", "--quick", "--steps", "5", "--seeds", "1");
    assertEquals(5, node.get("steps").asInt());
    assertEquals(1, node.get("seeds").asInt());
  }
}
