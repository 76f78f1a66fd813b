package io.github.rlvrdiagnostics.cli;

import static io.github.rlvrdiagnostics.cli.CliRun.assertBadInput;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code triage} on the golden ladder of docs/MATH.md §4 and on bad ladders. */
class TriageCommandTest {
  @TempDir Path dir;

  private static String golden() {
    try {
      return Path.of(TriageCommandTest.class.getResource("/ladders/rank_inversion_golden.json").toURI()).toString();
    } catch (URISyntaxException e) {
      throw new AssertionError(e);
    }
  }

  private static List<String> flagged(JsonNode node, String flag) {
    List<String> names = new ArrayList<>();
    node.get("checkpoints").forEach(c -> {
      if (c.get(flag).asBoolean()) {
        names.add(c.get("name").asText());
      }
    });
    return names;
  }

  @Test
  void goldenLadderThroughTheCommandLine() {
    JsonNode node = CliRun.json("triage", "--ladder", golden());
    assertEquals(List.of("1.9", "2.9", "5.8"), flagged(node, "stage1Flag"));
    assertEquals(List.of("2.9", "5.8"), flagged(node, "stage2Flag"));
    assertEquals(0.625, node.get("computeSavedFraction").asDouble(), 1e-15);
    assertEquals("5.8", node.get("standardPick").asText());
    assertEquals("3.8", node.get("triagePick").asText());
    assertTrue(node.get("rankInversion").asBoolean());
    assertEquals(42, node.get("checkpoints").get(0).get("seed").asLong());
    assertEquals(0.24, node.get("checkpoints").get(0).get("stage2Drop").asDouble(), 1e-12);
    JsonNode entropy = node.get("correlations").get(0);
    assertEquals("entropy", entropy.get("predictor").asText());
    assertEquals(1.0, entropy.get("spearman").asDouble(), 1e-12);
    assertTrue(node.get("calibration").has("tau"));
  }

  @Test
  void reportWritesMarkdownTracesAndScatters() throws IOException {
    Path out = dir.resolve("ladder-report");
    CliRun run = CliRun.of("triage", "--ladder", golden(), "--report", out.toString());
    assertEquals(0, run.status(), run.err());
    String md = Files.readString(out.resolve("report.md"));
    assertTrue(md.contains("Standard pick (highest pass@1): **5.8**. Triage pick: **3.8**."), md);
    assertTrue(md.contains("Rank inversion: **yes**"), md);
    for (String png : new String[] {"traces.png", "scatter-entropy.png", "scatter-passAt1.png", "scatter-stage2Drop.png"}) {
      byte[] bytes = Files.readAllBytes(out.resolve(png));
      assertTrue(bytes.length > 5_000 && bytes[1] == 'P' && bytes[2] == 'N' && bytes[3] == 'G', png);
      assertTrue(md.contains("(" + png + ")"), png);
    }
  }

  @Test
  void runLevelOptionsChangeTheFlags() {
    JsonNode node = CliRun.json("triage", "--ladder", golden(), "--tau", "0.15", "--delta", "0.6",
        "--planned-steps", "300");
    assertEquals(List.of("2.9", "5.8"), flagged(node, "stage1Flag"));
    assertEquals(List.of("5.8"), flagged(node, "stage2Flag"));
    assertEquals(0.5, node.get("computeSavedFraction").asDouble(), 1e-15);
    // A check step the traces never reach: no drop is known, nothing is flagged by Stage 2.
    JsonNode late = CliRun.json("triage", "--ladder", golden(), "--check-step", "200");
    assertTrue(late.get("checkpoints").get(0).get("stage2Drop").isNull());
    assertEquals(List.of(), flagged(late, "stage2Flag"));
  }

  @Test
  void ladderWithoutOutcomesHasNoVerdictFields() throws IOException {
    Path file = dir.resolve("l.json");
    Files.writeString(file, "{\"checkpoints\":[{\"name\":1.0,\"entropy\":0.3,\"passAtK\":{\"1\":0.2,\"10\":0.5}},"
        + "{\"name\":\"2.0\",\"seed\":1,\"entropy\":0.1,\"passAt1\":0.3}]}");
    JsonNode node = CliRun.json("triage", "--ladder", file.toString());
    assertFalse(node.has("rankInversion"));
    assertFalse(node.has("correlations"));
    assertEquals("2.0", node.get("standardPick").asText());
    assertEquals("1.0", node.get("triagePick").asText());
    assertTrue(node.get("checkpoints").get(0).has("diversityRatio"));
  }

  @Test
  void badLadders() throws IOException {
    Path file = dir.resolve("bad.json");
    Files.writeString(file, "{\"checkpoints\":[{\"name\":\"a\",\"entropy\":0.3}]}");
    assertBadInput("checkpoints[0]: needs \"passAt1\"", "triage", "--ladder", file.toString());
    Files.writeString(file, "{\"checkpoints\":[{\"name\":\"a\",\"entropy\":\"high\",\"passAt1\":0.1}]}");
    assertBadInput("\"entropy\" must be a number", "triage", "--ladder", file.toString());
    Files.writeString(file, "{\"checkpoints\":[{\"name\":\"a\",\"entropy\":0.3,\"passAt1\":1.1}]}");
    assertBadInput("passAtK[1] of checkpoint 'a' must be in [0, 1], was 1.1", "triage", "--ladder", file.toString());
    Files.writeString(file, "{\"checkpoints\":[]}");
    assertBadInput("at least one checkpoint", "triage", "--ladder", file.toString());
    Files.writeString(file, "{\"checkpoints\":[{\"name\":\"a\",");
    assertBadInput("malformed JSON", "triage", "--ladder", file.toString());
    assertBadInput("--delta must be in (0, 1), was 1.5", "triage", "--ladder", golden(), "--delta", "1.5");
    assertBadInput("0 <= --reference-step < --check-step", "triage", "--ladder", golden(), "--check-step", "5");
  }
}
