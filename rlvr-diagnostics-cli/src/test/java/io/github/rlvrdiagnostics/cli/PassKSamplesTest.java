package io.github.rlvrdiagnostics.cli;

import static io.github.rlvrdiagnostics.cli.CliRun.assertBadInput;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Dataset-level {@code passk --samples} against real published numbers (see validation/SOURCES.md). */
class PassKSamplesTest {
  @TempDir Path dir;

  private static Path resource(String name) {
    try {
      return Path.of(PassKSamplesTest.class.getResource("/validation/" + name).toURI());
    } catch (URISyntaxException e) {
      throw new AssertionError(e);
    }
  }

  /** MATH500, n = 128: our pooled pass@k equals the reproduction's reported values to 1e-12. */
  @Test
  void math500PooledPassAtKMatchesTheReportedValues() throws IOException {
    JsonNode reported = Output.JSON.readTree(resource("math500_qwen25_7b_base_vs_simplerl_n128_reported_passk.json").toFile());
    Path csv = resource("math500_qwen25_7b_base_vs_simplerl_n128_correct_counts.csv");
    for (String model : new String[] {"base", "simplerl"}) {
      JsonNode expected = reported.get("models").get(model).get("pooled_pass_at_k");
      JsonNode ours = CliRun.json("passk", "--samples", csv.toString(), "--c-column", "correct_" + model,
          "--k", "1,2,4,8,16,32,64,128", "--group-size", "8");
      assertEquals(500, ours.get("problems").asInt());
      assertEquals(reported.get("models").get(model).get("correct_generations").asLong(), ours.get("passed").asLong());
      int checked = 0;
      for (Iterator<Map.Entry<String, JsonNode>> it = expected.fields(); it.hasNext(); checked++) {
        Map.Entry<String, JsonNode> e = it.next();
        assertEquals(e.getValue().asDouble(), ours.get("passAtK").get(e.getKey()).asDouble(), 1e-12, model + " pass@" + e.getKey());
      }
      assertEquals(8, checked);
      double degenerate = ours.get("degenerateFraction").asDouble();
      assertTrue(degenerate > 0.0 && degenerate < 1.0);
    }
    // Rank inversion of the Limit-of-RLVR paper: RL wins at k = 1, loses at k = 128.
    JsonNode base = CliRun.json("passk", "--samples", csv.toString(), "--c-column", "correct_base");
    JsonNode rl = CliRun.json("passk", "--samples", csv.toString(), "--c-column", "correct_simplerl");
    assertTrue(rl.get("passAtK").get("1").asDouble() > base.get("passAtK").get("1").asDouble());
    assertTrue(rl.get("passAtK").get("128").asDouble() < base.get("passAtK").get("128").asDouble());
    java.util.List<String> defaultKs = new java.util.ArrayList<>();
    base.get("passAtK").fieldNames().forEachRemaining(defaultKs::add);
    assertEquals(java.util.List.of("1", "10", "100", "128"), defaultKs);
  }

  /** HumanEval, n = 10 per task: pass@1 is mean(c/10), the README's 45.1 / 77.0 / 84.8 %. */
  @Test
  void humanEvalPassAtOneMatchesTheReportedSuccessRates() {
    Path csv = resource("humaneval_n10_jamesmurdza_correct_counts.csv");
    String[] columns = {"correct_codellama_34b_instruct", "correct_gpt_3_5_turbo", "correct_gpt_4"};
    double[] reported = {0.451, 0.770, 0.848};
    for (int i = 0; i < columns.length; i++) {
      JsonNode ours = CliRun.json("passk", "--samples", csv.toString(), "--c-column", columns[i], "--k", "1");
      assertEquals(164, ours.get("problems").asInt());
      assertEquals(reported[i], ours.get("passAtK").get("1").asDouble(), 5e-4, columns[i]);
    }
  }

  /** Per-sample lines as human-eval's evaluate_functional_correctness writes them, pooled by task. */
  @Test
  void humanEvalPerSampleResultsArePooledByTask() throws IOException {
    Path results = dir.resolve("samples.jsonl_results.jsonl");
    StringBuilder lines = new StringBuilder();
    boolean[] outcomes = {true, true, false, true, false, false};
    for (boolean passed : outcomes) {
      lines.append("{\"task_id\": \"test/0\", \"completion\": \"    return 1\\n\", \"result\": \"")
          .append(passed ? "passed" : "failed: AssertionError()").append("\", \"passed\": ").append(passed).append("}\n");
    }
    lines.append("\n{\"task_id\": \"test/1\", \"completion\": \"x\", \"result\": \"timed out\", \"passed\": false}\n");
    lines.append("{\"task_id\": \"test/1\", \"completion\": \"y\", \"result\": \"passed\", \"passed\": true}\n");
    Files.writeString(results, lines);
    JsonNode ours = CliRun.json("passk", "--samples", results.toString(), "--k", "1,2");
    assertEquals(2, ours.get("problems").asInt());
    assertEquals(8, ours.get("samples").asInt());
    assertEquals((0.5 + 0.5) / 2, ours.get("passAtK").get("1").asDouble(), 1e-15);
    assertEquals((0.8 + 1.0) / 2, ours.get("passAtK").get("2").asDouble(), 1e-15); // 1 − C(3,2)/C(6,2) = 0.8
  }

  @Test
  void perProblemLinesWithDegenerateFraction() throws IOException {
    Path file = dir.resolve("problems.jsonl");
    Files.writeString(file, "{\"task_id\": \"a\", \"n\": 16, \"c\": 0}\n{\"task_id\": \"b\", \"n\": 16, \"c\": 16}\n");
    JsonNode ours = CliRun.json("passk", "--samples", file.toString(), "--k", "1", "--group-size", "8");
    assertEquals(1.0, ours.get("degenerateFraction").asDouble());
    assertEquals(0.0, ours.get("advantageVariance").asDouble());
  }

  @Test
  void malformedInputIsReportedWithFileAndLine() throws IOException {
    Path file = dir.resolve("bad.jsonl");
    // a bad line next to a good one is skipped and listed (see badLinesAreSkippedAndListed); with no
    // good line left the read fails, quoting the first bad line.
    Files.writeString(file, "{\"task_id\": \"b\", \"n\": 16, \n");
    assertBadInput(file + ":1: malformed JSON", "passk", "--samples", file.toString(), "--k", "1");
    Files.writeString(file, "{\"task_id\": \"a\", \"c\": 3}\n{\"task_id\": \"b\", \"n\": 2, \"c\": 3}\n");
    assertBadInput(file + ": holds no good problem; " + file + ":1: \"n\" must be a non-negative integer, was null "
        + "(and 1 more bad lines)", "passk", "--samples", file.toString());
    Files.writeString(file, "{\"task_id\": \"a\", \"n\": 4, \"c\": 5}\n");
    assertBadInput(file + ":1: needs 1 <= n and c <= n, was n=4, c=5", "passk", "--samples", file.toString());
    Files.writeString(file, "{\"task_id\": \"a\", \"passed\": \"yes\"}\n");
    assertBadInput("\"passed\" must be true or false", "passk", "--samples", file.toString());
    Files.writeString(file, "{\"task_id\": \"a\", \"n\": 4, \"c\": 1}\n");
    assertBadInput("--k must be <= the smallest n", "passk", "--samples", file.toString(), "--k", "5");
    assertBadInput("no such file", "passk", "--samples", dir.resolve("missing.jsonl").toString());
    Path csv = dir.resolve("counts.csv");
    Files.writeString(csv, "task_id,n,correct\nx,10,3\n");
    assertBadInput("choose the pass-count column with --c-column", "passk", "--samples", csv.toString());
    Files.writeString(csv, "task_id,n,c\nx,10,three\n");
    assertBadInput(csv + ":2: 'c' must be a non-negative integer", "passk", "--samples", csv.toString());
  }

  /** passk --samples loses nothing: bad lines are skipped and listed, good ones kept; differing n is warned about. */
  @Test
  void badLinesAreSkippedAndListed() throws IOException {
    Path file = dir.resolve("mixed.jsonl");
    Files.write(file, java.util.List.of(
        "{\"task_id\": \"a\", \"n\": 16, \"c\": 4}",
        "{\"task_id\": \"b\", \"n\": 16, ",
        "{\"task_id\": \"d\", \"n\": 4, \"c\": 5}",
        "{\"task_id\": \"e\", \"n\": 8, \"c\": 8}"));
    CliRun run = CliRun.of("passk", "--samples", file.toString(), "--k", "1", "--json");
    assertEquals(0, run.status(), run.err());
    JsonNode node = Output.JSON.readTree(run.out());
    assertEquals(2, node.get("problems").asInt());
    assertEquals(24, node.get("samples").asInt());
    assertEquals((4.0 / 16 + 1.0) / 2, node.get("passAtK").get("1").asDouble(), 1e-15);
    String err = run.err();
    assertTrue(err.contains(file + ": skipped line 2: malformed JSON"), err);
    // A per-sample line among per-problem ones is an error of the whole file (HostileInputTest).
    assertTrue(err.contains(file + ": skipped line 3: needs 1 <= n and c <= n, was n=4, c=5"), err);
    assertTrue(err.contains("warning: " + file + ": tasks have different sample counts n, from 8 (task 'e') to 16 (task 'a')"), err);
    assertEquals(3, err.strip().split("\n").length, err);
    // Invalid UTF-8 on one line of a JSON-lines file costs that line only.
    byte[] good = "{\"task_id\": \"a\", \"n\": 4, \"c\": 2}\n".getBytes(java.nio.charset.StandardCharsets.UTF_8);
    java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
    bytes.writeBytes(good);
    bytes.writeBytes(new byte[] {'{', '"', 't', (byte) 0xC3, (byte) 0x28, '"', '}', '\n'});
    bytes.writeBytes("{\"task_id\": \"b\", \"n\": 4, \"c\": 0}\n".getBytes(java.nio.charset.StandardCharsets.UTF_8));
    Path utf = dir.resolve("utf.jsonl");
    Files.write(utf, bytes.toByteArray());
    CliRun u = CliRun.of("passk", "--samples", utf.toString(), "--json");
    assertEquals(0, u.status(), u.err());
    assertEquals(2, Output.JSON.readTree(u.out()).get("problems").asInt());
    assertEquals(utf + ": skipped line 2: not valid UTF-8 at byte 36", u.err().strip());
    // A bad CSV row is skipped too.
    Path csv = dir.resolve("rows.csv");
    Files.writeString(csv, "task_id,n,c\nx,10,three\ny,10,5\n");
    CliRun c = CliRun.of("passk", "--samples", csv.toString(), "--json");
    assertEquals(0, c.status(), c.err());
    assertEquals(1, Output.JSON.readTree(c.out()).get("problems").asInt());
    assertEquals(csv + ": skipped line 2: 'c' must be a non-negative integer, was 'three'", c.err().strip());
  }
}
