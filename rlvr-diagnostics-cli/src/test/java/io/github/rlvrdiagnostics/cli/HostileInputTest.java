package io.github.rlvrdiagnostics.cli;

import static io.github.rlvrdiagnostics.cli.CliRun.assertBadInput;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Hostile inputs a new user or a careless pipeline gives: no bent number, no lost line, one clear line. */
class HostileInputTest {
  @TempDir Path dir;

  private Path write(String name, String text) throws IOException {
    return Files.writeString(dir.resolve(name), text);
  }

  private static Path demoLadder() {
    // Tests run in the module directory; the demo ladder is the project's docs/demo-ladder.json.
    Path ladder = Path.of("..", "docs", "demo-ladder.json");
    assertTrue(Files.isRegularFile(ladder), ladder.toAbsolutePath().toString());
    return ladder;
  }

  @Test
  void hugeCountsAreRefusedWithTheirLineNotWrapped() throws IOException {
    for (String huge : new String[] {"18446744073709551621", "-18446744073709551606", "4294967301", "9223372036854775807"}) {
      Path only = write("only.jsonl", "{\"task_id\":\"a\",\"n\":" + huge + ",\"c\":1}\n");
      assertBadInput(only + ": holds no good problem; " + only + ":1: ", "passk", "--samples", only.toString(), "--k", "1");
      Path c = write("c.jsonl", "{\"task_id\":\"a\",\"n\":4,\"c\":" + huge + "}\n");
      assertBadInput(":1: ", "passk", "--samples", c.toString(), "--k", "1");
      // Beside a good line: that line is kept, the huge one skipped and named.
      Path mixed = write("mixed.jsonl", "{\"task_id\":\"a\",\"n\":4,\"c\":1}\n{\"task_id\":\"b\",\"n\":" + huge + ",\"c\":1}\n");
      CliRun run = CliRun.of("passk", "--samples", mixed.toString(), "--k", "1", "--json");
      assertEquals(0, run.status(), run.err());
      assertTrue(run.err().contains("skipped line 2"), run.err());
      JsonNode node = Output.JSON.readTree(run.out());
      assertEquals(1, node.get("problems").asInt(), run.out());
      assertEquals(0.25, node.get("passAtK").get("1").asDouble(), 1e-12, run.out());
    }
  }

  @Test
  void triageSamplesFileRefusesAHugeCountNamingItsLine() throws IOException {
    write("s.jsonl", "{\"task_id\":\"a\",\"n\":18446744073709551621,\"c\":1}\n");
    Path ladder = write("ladder.json", "{\"checkpoints\":[{\"name\":\"a\",\"seed\":0,\"entropy\":1.0,\"passAt1\":0.2,"
        + "\"entropyTrace\":[{\"step\":10,\"entropy\":1.0},{\"step\":150,\"entropy\":0.5}],\"samplesFile\":\"s.jsonl\"}]}");
    assertBadInput("s.jsonl:1: \"n\" is beyond the integers read exactly", "triage", "--ladder", ladder.toString());
  }

  @Test
  void aFileMixingPerSampleAndPerProblemLinesIsRefusedNamingTheFirstOtherLine() throws IOException {
    Path file = write("mix.jsonl", "{\"task_id\":\"a\",\"passed\":true}\n{\"task_id\":\"a\",\"passed\":false}\n"
        + "{\"task_id\":\"b\",\"n\":4,\"c\":1}\n{\"task_id\":\"c\",\"n\":4,\"c\":2}\n");
    assertBadInput(file + ":3: a per-problem line", "passk", "--samples", file.toString(), "--k", "1");
  }

  @Test
  void crOnlyLineEndsWithOneInvalidByteLoseOnlyThatLine() throws IOException {
    byte[] bytes = ("{\"task_id\":\"a\",\"n\":4,\"c\":1}\r{\"task_id\":\"b\",\"n\":4,\"c\":\u00ff}\r"
        + "{\"task_id\":\"c\",\"n\":4,\"c\":3}\r").getBytes(StandardCharsets.ISO_8859_1);
    Path file = Files.write(dir.resolve("cr.jsonl"), bytes);
    CliRun run = CliRun.of("passk", "--samples", file.toString(), "--k", "1", "--json");
    assertEquals(0, run.status(), run.err());
    assertTrue(run.err().contains("skipped line 2: not valid UTF-8"), run.err());
    JsonNode node = Output.JSON.readTree(run.out());
    assertEquals(2, node.get("problems").asInt(), run.out());
    assertEquals(0.5, node.get("passAtK").get("1").asDouble(), 1e-12);
  }

  @Test
  void csvSamplesRefuseNonAsciiDigitsAndABadQuoteIsOneLineWithoutAClassName() throws IOException {
    Path digits = write("d.csv", "task_id,n,c\na,\u0664,1\nb,\uff14,1\nc,4,2\n");
    CliRun run = CliRun.of("passk", "--samples", digits.toString(), "--k", "1", "--json");
    assertEquals(0, run.status(), run.err());
    assertTrue(run.err().contains("skipped line 2") && run.err().contains("skipped line 3"), run.err());
    assertEquals(1, Output.JSON.readTree(run.out()).get("problems").asInt());
    Path quote = write("q.csv", "task_id,n,c\na,4,1\n\"b\"x,4,1\n");
    CliRun bad = CliRun.of("passk", "--samples", quote.toString(), "--k", "1");
    bad.assertClean("bad quote");
    assertFalse(bad.err().contains("CSVException") || bad.err().contains("org.apache"), bad.err());
  }

  @Test
  void optionsUseTheOneNumberGrammar() {
    assertBadInput("-g", "threshold", "-g", "\u0668");
    assertBadInput("-g", "threshold", "-g", "\uff18");
    assertBadInput("--p", "group", "--p", "0x1p-2", "-g", "8");
    assertBadInput("--p", "group", "--p", "0.5d", "-g", "8");
    assertBadInput("too small for a double", "group", "--p", "1e-400", "-g", "8");
    assertBadInput("--k must be integers separated by single commas", "passk", "--n", "10", "--c", "3", "--k", "1,");
    assertBadInput("--k", "passk", "--n", "10", "--c", "3", "--k", "1,,2");
    assertBadInput("beyond", "passk", "--n", "18446744073709551621", "--c", "3", "--k", "1");
    assertEquals(0, CliRun.of("passk", "--n", "10", "--c", "3", "--k", "1,2", "--k", "5").status());
    assertEquals(0, CliRun.of("group", "--p", "0.25", "-g", "8").status());
  }

  /** B = 1 is geometric: the rounds equal 1/(1 − P) however near P is to 1; a huge B never goes below it. */
  @Test
  void dynamicSamplingRoundsMatchTheDocumentedCost() {
    JsonNode one = CliRun.json("passk", "--n", "1000000", "--c", "1", "--k", "1", "-g", "2", "--dynamic-sampling-batch", "1");
    double cost = one.get("expectedSamplingCost").asDouble();
    assertTrue(cost > 100_000, one.toString());
    assertEquals(cost, one.get("expectedGenerationRounds").asDouble(), 1e-9 * cost, one.toString());
    JsonNode huge = CliRun.json("passk", "--n", "100", "--c", "40", "--k", "1", "-g", "2",
        "--dynamic-sampling-batch", "2147483647");
    double minimum = huge.get("expectedSamplingCost").asDouble();
    double rounds = huge.get("expectedGenerationRounds").asDouble();
    assertTrue(rounds >= minimum && rounds < minimum + 1, huge.toString());
  }

  @Test
  void rSquaredIsANumberForOutcomesAtTheEndsOfTheDoubles() throws IOException {
    for (String[] outcomes : new String[][] {{"1e308", "-1e308", "5e307", "-3e307"}, {"4.9e-324", "1e-320", "3e-322", "0"}}) {
      StringBuilder text = new StringBuilder("{\"checkpoints\":[");
      for (int i = 0; i < 4; i++) {
        text.append(i == 0 ? "" : ",").append("{\"name\":\"c").append(i).append("\",\"seed\":0,\"entropy\":").append(0.1 * (i + 1))
            .append(",\"passAt1\":").append(0.05 * (i + 1) + 0.01 * (i % 2))
            .append(",\"entropyTrace\":[{\"step\":10,\"entropy\":1.0},{\"step\":150,\"entropy\":0.5}],\"outcome\":")
            .append(outcomes[i]).append('}');
      }
      Path ladder = write("r2.json", text.append("]}").toString());
      JsonNode node = CliRun.json("triage", "--ladder", ladder.toString());
      for (JsonNode c : node.get("correlations")) {
        assertTrue(c.get("rSquared").isNumber(), c.toString());
        assertTrue(c.get("rSquared").asDouble() >= 0 && c.get("rSquared").asDouble() <= 1, c.toString());
      }
      CliRun text2 = CliRun.of("triage", "--ladder", ladder.toString());
      assertFalse(text2.out().contains("NaN"), text2.out());
    }
  }

  @Test
  void triageReportWorksOnTheDemoLadder() throws IOException {
    Path out = dir.resolve("report");
    CliRun run = CliRun.of("triage", "--ladder", demoLadder().toString(), "--report", out.toString());
    assertEquals(0, run.status(), run.err());
    String md = Files.readString(out.resolve("report.md"));
    assertTrue(md.contains("scatter-predictedDegenerateFraction.png"), md);
    assertTrue(Files.size(out.resolve("scatter-predictedDegenerateFraction.png")) > 0);
    assertTrue(Files.size(out.resolve("scatter-passAt8.png")) > 0);
  }

  @Test
  void inputPathsThatAreNotFilesSayWhatTheyAre() throws IOException, InterruptedException {
    assertBadInput(": is a directory, not a file", "passk", "--samples", dir.toString(), "--k", "1");
    assertBadInput(": is a directory, not a file", "triage", "--ladder", dir.toString());
    if (Files.exists(Path.of("/dev/null"))) {
      assertBadInput("/dev/null: is not a regular file", "passk", "--samples", "/dev/null", "--k", "1");
      assertBadInput("/dev/null: is not a regular file", "entropy", "--logits", "/dev/null");
    }
    Path fifo = dir.resolve("fifo");
    boolean made;
    try {
      made = new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor() == 0;
    } catch (IOException e) {
      made = false;
    }
    assumeTrue(made, "mkfifo unavailable");
    assertBadInput(fifo + ": is not a regular file", "triage", "--ladder", fifo.toString());
    assertBadInput(dir.resolve("nope.json") + ": no such file", "triage", "--ladder", dir.resolve("nope.json").toString());
  }

  @Test
  void monitorRefusesAnEmptyReportAndFollowOptionsWithoutFollow() throws IOException {
    Path log = write("log.jsonl", "{\"step\": 1, \"entropy\": 0.5}\n{\"step\": 2, \"entropy\": 0.4}\n");
    assertBadInput("--report must not be empty", "monitor", log.toString(), "--report", "");
    assertBadInput("--idle-exit needs --follow", "monitor", log.toString(), "--idle-exit", "5");
    assertBadInput("--poll-ms needs --follow", "monitor", log.toString(), "--poll-ms", "100");
  }

  @Test
  void namesWithTerminalControlsAreEchoedEscaped() throws IOException {
    Path file = dir.resolve("evil\u001b[2J\u202ename.jsonl");
    CliRun run = CliRun.of("passk", "--samples", file.toString(), "--k", "1");
    assertEquals(2, run.status());
    assertFalse(run.err().contains("\u001b") || run.err().contains("\u202e"), run.err());
    assertTrue(run.err().contains("evil\\u001b[2J\\u202ename.jsonl"), run.err());
    Path samples = write("s.jsonl", "{\"task_id\":\"\u001b[31mred\u202e\",\"n\":4,\"c\":1}\n{\"task_id\":\"b\",\"n\":8,\"c\":1}\n");
    CliRun warned = CliRun.of("passk", "--samples", samples.toString(), "--k", "1");
    assertEquals(0, warned.status(), warned.err());
    assertFalse(warned.err().contains("\u001b") || warned.err().contains("\u202e"), warned.err());
    assertFalse(warned.out().contains("\u001b"), warned.out());
  }
}
