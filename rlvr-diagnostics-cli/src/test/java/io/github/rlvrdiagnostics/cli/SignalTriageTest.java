package io.github.rlvrdiagnostics.cli;

import static io.github.rlvrdiagnostics.cli.CliRun.assertBadInput;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The signal profile through {@code passk} and {@code triage}, checked against counts done by hand. */
class SignalTriageTest {
  @TempDir Path dir;

  /**
   * Four prompts at G = 2: (4, 1), (4, 4), (6, 0), (5, 2). By hand, from C(c, 2)/C(n, 2) and
   * C(n−c, 2)/C(n, 2): all-pass parts 0, 1, 0, 1/10 and all-fail parts 1/2, 0, 1, 3/10.
   */
  private static final String COUNTS = "{\"task_id\":\"a\",\"n\":4,\"c\":1}\n{\"task_id\":\"b\",\"n\":4,\"c\":4}\n"
      + "{\"task_id\":\"c\",\"n\":6,\"c\":0}\n{\"task_id\":\"d\",\"n\":5,\"c\":2}\n";

  @Test
  void passkSamplesGivesTheSignalProfileExactly() throws IOException {
    Path file = Files.writeString(dir.resolve("counts.jsonl"), COUNTS);
    JsonNode node = CliRun.json("passk", "--samples", file.toString(), "--group-size", "2", "--k", "1,2",
        "--dynamic-sampling-batch", "1");
    assertEquals(2.9 / 4, node.get("degenerateFraction").asDouble(), 1e-12);
    assertEquals(1.1 / 4, node.get("allPassFraction").asDouble(), 1e-12);
    assertEquals(1.8 / 4, node.get("allFailFraction").asDouble(), 1e-12);
    assertEquals(4 / 1.1, node.get("expectedSamplingCost").asDouble(), 1e-12);
    // One group per round: the rounds are geometric with the same mean.
    assertEquals(4 / 1.1, node.get("expectedGenerationRounds").asDouble(), 1e-9);
    // pass^2 is the all-pass part at k = G.
    assertEquals(1.1 / 4, node.get("passAllK").get("2").asDouble(), 1e-12);
    assertEquals(1.65 / 4, node.get("passAllK").get("1").asDouble(), 1e-12);
  }

  @Test
  void passkSingleProblemReportsPassAllAndTheParts() {
    JsonNode node = CliRun.json("passk", "--n", "16", "--c", "16", "--k", "1,8", "--group-size", "8");
    assertEquals(1.0, node.get("passAllK").get("8").asDouble(), 0);
    assertEquals(1.0, node.get("allPassFraction").asDouble(), 0);
    assertEquals(0.0, node.get("allFailFraction").asDouble(), 0);
    assertTrue(node.get("expectedSamplingCost").isNull());
    assertBadInput("--dynamic-sampling-batch needs --group-size", "passk", "--n", "16", "--c", "3", "--k", "1",
        "--dynamic-sampling-batch", "4");
  }

  @Test
  void triageWithSamplesGivesSignalFlagsPickAndCorrelation() throws IOException {
    Files.writeString(dir.resolve("deep.jsonl"), "{\"task_id\":\"x\",\"n\":4,\"c\":4}\n{\"task_id\":\"y\",\"n\":4,\"c\":0}\n");
    String ladder = "{\"checkpoints\":["
        + "{\"name\":\"1\",\"seed\":1,\"entropy\":0.9,\"passAt1\":0.30,\"outcome\":0.7,\"samples\":[{\"n\":4,\"c\":1},{\"n\":4,\"c\":2}]},"
        + "{\"name\":\"2\",\"seed\":1,\"entropy\":0.5,\"passAt1\":0.40,\"outcome\":0.8,\"samples\":[{\"n\":4,\"c\":2},{\"n\":5,\"c\":2}]},"
        + "{\"name\":\"3\",\"seed\":1,\"entropy\":0.1,\"passAt1\":0.50,\"outcome\":0.3,\"samplesFile\":\"deep.jsonl\"}]}";
    Path file = Files.writeString(dir.resolve("ladder.json"), ladder);
    JsonNode node = CliRun.json("triage", "--ladder", file.toString(), "--group-size", "2");
    JsonNode deep = node.get("checkpoints").get(2);
    assertTrue(deep.get("signalFlag").asBoolean());
    assertEquals(1.0, deep.get("signal").get("predictedDegenerateFraction").asDouble(), 0);
    assertEquals(0.5, deep.get("signal").get("allPassFraction").asDouble(), 0);
    // Checkpoint 1 at G = 2: (4, 1) → 0 + 3/6; (4, 2) → 1/6 + 1/6; mean (0.5 + 1/3)/2.
    JsonNode shallow = node.get("checkpoints").get(0).get("signal");
    assertEquals((0.5 + 1.0 / 3) / 2, shallow.get("predictedDegenerateFraction").asDouble(), 1e-12);
    assertFalse(node.get("checkpoints").get(0).get("signalFlag").asBoolean());
    assertEquals("3", node.get("standardPick").asText());
    assertEquals("2", node.get("signalPick").asText());
    assertEquals(0.8, node.get("signalPickOutcome").asDouble(), 1e-15);
    boolean hasRow = false;
    for (JsonNode c : node.get("correlations")) {
      hasRow |= c.get("predictor").asText().equals("predictedDegenerateFraction");
    }
    assertTrue(hasRow, node.get("correlations").toString());
    assertEquals(2, node.get("config").get("groupSize").asInt());
  }

  @Test
  void aPromptWithFewerSamplesThanTheGroupIsNamed() throws IOException {
    String ladder = "{\"checkpoints\":[{\"name\":\"1\",\"entropy\":0.9,\"passAt1\":0.3,"
        + "\"samples\":[{\"n\":16,\"c\":1},{\"id\":\"hard-7\",\"n\":4,\"c\":0}]}]}";
    Path file = Files.writeString(dir.resolve("short.json"), ladder);
    assertBadInput("'hard-7'", "triage", "--ladder", file.toString());
  }

  @Test
  void passkNamesThePromptWithTooFewSamplesForTheGroup() throws IOException {
    Path file = Files.writeString(dir.resolve("short.jsonl"), COUNTS);
    assertBadInput("(4, task 'a'; an unbiased estimate at G needs n >= max(2, G)), was 5", "passk", "--samples",
        file.toString(), "--group-size", "5", "--k", "1");
  }

  @Test
  void recordRulesComeBackAsOptionNamedErrors() {
    assertBadInput("--delta must be in (0, 1), was 1.5", "triage", "--ladder", "x.json", "--delta", "1.5");
    assertBadInput("--tau must be finite and > 0, was 0", "monitor", "x.log", "--tau", "0");
    // NaN is no number of the grammar: refused while the option is read, naming it.
    assertBadInput("Invalid value for option '--tau': the value must be a number, was 'NaN'", "monitor", "x.log", "--tau", "NaN");
    assertBadInput("--group-size must be >= 1, was 0", "triage", "--ladder", "x.json", "--group-size", "0");
    assertBadInput("0 <= --reference-step < --check-step <= --planned-steps", "triage", "--ladder", "x.json",
        "--check-step", "5");
  }
  private static Path resource(String name) {
    try {
      return Path.of(SignalTriageTest.class.getResource(name).toURI());
    } catch (java.net.URISyntaxException e) {
      throw new AssertionError(e);
    }
  }

  /**
   * Released evaluation data, no entropy: MATH500 counts of Qwen2.5-7B and SimpleRL-Zoo (n = 128).
   * By exact counting at G = 8 (C(c, 8)/C(128, 8) and C(128 − c, 8)/C(128, 8), meaned over the 500
   * problems): the base model 0.2678 all-pass + 0.1318 all-fail = 0.3997, not flagged; SimpleRL-Zoo
   * 0.6565 + 0.1170 = 0.7735, flagged from the all-pass side, and 0.7184 at G = 16 (a 7% fall, too
   * small to recommend raising G).
   */
  @Test
  void aLadderOfSampleFilesWithoutEntropyGivesTheSignalPickWithEachFlagsSideAndAction() {
    String ladder = resource("/ladders/math500_samples_ladder.json").toString();
    JsonNode node = CliRun.json("triage", "--ladder", ladder);
    JsonNode base = node.get("checkpoints").get(0);
    JsonNode rl = node.get("checkpoints").get(1);
    assertTrue(base.get("stage1Flag").isNull(), "Stage 1 is unknown without entropy");
    assertTrue(rl.get("stage1Flag").isNull());
    assertEquals(0.3997, base.get("signal").get("predictedDegenerateFraction").asDouble(), 5e-5);
    assertEquals(0.7735, rl.get("signal").get("predictedDegenerateFraction").asDouble(), 5e-5);
    assertEquals(0.7184, rl.get("signal").get("degenerateFractionAtTwiceG").asDouble(), 5e-5);
    assertFalse(base.get("signalFlag").asBoolean());
    assertTrue(base.get("side").isNull() && base.get("action").isNull());
    assertTrue(rl.get("signalFlag").asBoolean());
    assertEquals("ALL_PASS", rl.get("side").asText());
    assertEquals("66% of groups would be all-pass at G = 8: too easy for RL at this G; use harder prompts; raising G "
        + "to 16 barely helps (the predicted degenerate fraction goes from 0.77 to 0.72)", rl.get("action").asText());
    // pass@1 comes from the samples: the RL'd model has the higher one, the standard rule picks it.
    assertEquals("SimpleRL-Zoo", node.get("standardPick").asText());
    assertEquals("Qwen2.5-7B", node.get("signalPick").asText());
    assertTrue(node.get("triagePick").isNull());

    CliRun text = CliRun.of("triage", "--ladder", ladder);
    assertEquals(0, text.status(), text.err());
    assertTrue(text.out().contains("  SimpleRL-Zoo (seed 0), ALL_PASS: 66% of groups would be all-pass at G = 8"), text.out());
    assertTrue(text.out().contains("triage pick (highest pass@1 among unflagged): unknown: some checkpoint has no "
        + "pre-RL entropy"), text.out());
    String row = text.out().lines().filter(l -> l.startsWith("SimpleRL-Zoo ")).findFirst().orElseThrow();
    assertTrue(row.matches("SimpleRL-Zoo +0 +unknown .*FLAG"), row);
  }

  @Test
  void mixedAndAllFailFlagsSayTheirSide() throws IOException {
    // HumanEval, CodeLlama-34B, 10 samples per task: 37% all-pass and 47% all-fail at G = 8.
    Path csv = resource("/validation/humaneval_n10_jamesmurdza_correct_counts.csv");
    String ladder = "{\"checkpoints\":[{\"name\":\"codellama\",\"samplesFile\":\"" + csv.toString().replace("\\", "/")
        + "\",\"cColumn\":\"correct_codellama_34b_instruct\"},"
        + "{\"name\":\"hard\",\"passAt1\":0.1,\"samples\":[{\"n\":16,\"c\":0},{\"n\":16,\"c\":1},{\"n\":16,\"c\":0}]}]}";
    Path file = Files.writeString(dir.resolve("sides.json"), ladder);
    JsonNode node = CliRun.json("triage", "--ladder", file.toString());
    JsonNode codellama = node.get("checkpoints").get(0);
    assertEquals("MIXED", codellama.get("side").asText());
    assertTrue(codellama.get("action").asText().startsWith("84% of groups would be degenerate at G = 8 (37% all-pass, "
        + "47% all-fail; neither side dominates): filter groups with pass rate 0 or 1 (dynamic sampling): expect 6.2 "
        + "generation rounds per batch"), codellama.get("action").asText());
    // hard: all-fail parts 1, C(15, 8)/C(16, 8) = 1/2 and 1, mean 5/6; 1/(1 − 5/6) = 6 rounds. At 2G = 16
    // (n = 16 allows it) the parts are 1, 0, 1: 2/3, not a quarter below 5/6, so raising G "barely helps".
    JsonNode hard = node.get("checkpoints").get(1);
    assertEquals("ALL_FAIL", hard.get("side").asText());
    assertEquals(5.0 / 6, hard.get("signal").get("allFailFraction").asDouble(), 1e-12);
    assertTrue(hard.get("action").asText().startsWith("83% of groups would be all-fail at G = 8: too hard; use easier "
        + "prompts or filter groups with pass rate 0 or 1 (dynamic sampling): expect 6.0 generation rounds per batch; "
        + "raising G to 16 barely helps (the predicted degenerate fraction goes from 0.83 to 0.67)"),
        hard.get("action").asText());
  }

  @Test
  void samplesLadderErrorsNameOnlyWhatTriageHas() throws IOException {
    Path csv = resource("/validation/humaneval_n10_jamesmurdza_correct_counts.csv");
    String path = csv.toString().replace("\\", "/");
    Path file = dir.resolve("bad.json");
    Files.writeString(file, "{\"checkpoints\":[{\"name\":\"a\",\"samplesFile\":\"" + path + "\"}]}");
    assertBadInput("needs columns 'n' and 'c' (choose the pass-count column with \"cColumn\" in the "
        + "ladder's checkpoint)", "triage", "--ladder", file.toString());
    CliRun run = CliRun.of("triage", "--ladder", file.toString());
    assertFalse(run.err().contains("--c-column"), "triage has no --c-column: " + run.err());
    Files.writeString(file, "{\"checkpoints\":[{\"name\":\"a\",\"samplesFile\":\"" + path
        + "\",\"cColumn\":\"correct_gpt_4\"}]}");
    assertBadInput("n must be >= --group-size = 16 for prompt 'HumanEval/0'", "triage", "--ladder", file.toString(),
        "-g", "16");
    Files.writeString(file, "{\"checkpoints\":[{\"name\":\"a\",\"passAt1\":0.3}]}");
    assertBadInput("checkpoints[0]: needs \"entropy\" (pre-RL, for the paper's Stage 1) or \"samples\"/\"samplesFile\"",
        "triage", "--ladder", file.toString());
    Files.writeString(file, "{\"checkpoints\":[{\"name\":\"a\",\"entropy\":0.3,\"passAt1\":0.3,\"cColumn\":\"c\"}]}");
    assertBadInput("\"cColumn\" needs \"samplesFile\"", "triage", "--ladder", file.toString());
  }
}
