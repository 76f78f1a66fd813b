package io.github.rlvrdiagnostics.cli;

import static io.github.rlvrdiagnostics.cli.CliRun.assertBadInput;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** {@code threshold}, {@code group} and single-problem {@code passk} against the golden values of docs/MATH.md §1–§2. */
class CalculatorCommandsTest {

  @ParameterizedTest
  @CsvSource({"4, 0.1594, 0.1005, 0.1733", "8, 0.0830, 0.0666, 0.0866", "16, 0.0424, 0.0381, 0.0433", "32, 0.0214, 0.0203, 0.0217"})
  void thresholdJsonHasTheSpecFields(int g, double pStar, double variance, double lnTwo) {
    JsonNode node = CliRun.json("threshold", "--group-size", String.valueOf(g));
    assertEquals(g, node.get("groupSize").asInt());
    assertEquals(pStar, node.get("pStar").asDouble(), 5e-5);
    assertEquals(variance, node.get("advantageVarianceAtPStar").asDouble(), 5e-5);
    assertEquals(lnTwo, node.get("lnTwoOverG").asDouble(), 5e-5);
  }

  @Test
  void thresholdTableForPeople() {
    CliRun run = CliRun.of("threshold", "-g", "8");
    assertEquals(0, run.status());
    assertTrue(run.out().contains("p*(G)") && run.out().contains("0.082996"), run.out());
    assertTrue(CliRun.of("threshold", "-g", "2").out().contains("at least half"));
  }

  @ParameterizedTest
  @CsvSource({"0.351, 0.199, 0.032, false", "0.413, 0.212, 0.015, false", "0.020, 0.017, 0.851, true"})
  void groupReproducesTheRankInversionPapersTable6(String p, double variance, double degenerate, boolean majority) {
    JsonNode node = CliRun.json("group", "--p", p, "--group-size", "8");
    assertEquals(Double.parseDouble(p), node.get("p").asDouble());
    assertEquals(8, node.get("groupSize").asInt());
    assertEquals(variance, node.get("expectedAdvantageVariance").asDouble(), 5e-4);
    assertEquals(degenerate, node.get("degenerateProbability").asDouble(), 5e-4);
    assertEquals(majority, node.get("majorityDegenerate").asBoolean());
    assertTrue(node.get("majorityDegenerate").isBoolean());
  }

  @Test
  void passkForOneProblemMatchesPublishedExamples() {
    JsonNode humanEval = CliRun.json("passk", "--n", "6", "--c", "3", "--k", "1");
    assertEquals(6, humanEval.get("n").asInt());
    assertEquals(3, humanEval.get("c").asInt());
    assertEquals(0.5, humanEval.get("passAtK").get("1").asDouble(), 1e-15);
    JsonNode codeEval = CliRun.json("passk", "--n", "2", "--c", "1", "--k", "2,1");
    assertEquals(0.5, codeEval.get("passAtK").get("1").asDouble(), 1e-15);
    assertEquals(1.0, codeEval.get("passAtK").get("2").asDouble());
    JsonNode withGroup = CliRun.json("passk", "--n", "10", "--c", "4", "--k", "1", "--group-size", "3");
    assertEquals(0.2, withGroup.get("degenerateProbabilityEstimate").asDouble(), 1e-15); // (4 + 20) / 120
    assertEquals(4.0 / 15 * 2 / 3, withGroup.get("advantageVarianceEstimate").asDouble(), 1e-15);
    assertTrue(CliRun.of("passk", "--n", "10", "--c", "4", "--k", "1,5", "-g", "3").out().contains("P_deg estimate"));
  }

  @Test
  void badInputExitsTwoWithOneLine() {
    assertBadInput("--group-size must be >= 1, was 0", "threshold", "--group-size", "0");
    assertBadInput("--p must be in [0, 1], was 1.5", "group", "--p", "1.5", "--group-size", "8");
    assertBadInput("--p must be in [0, 1], was 1.5", "group", "--p", "1.5", "--group-size", "8");
    assertBadInput("Invalid value for option '--p'", "group", "--p", "NaN", "--group-size", "8");
    assertBadInput("--p", "group", "--p", "abc", "--group-size", "8");
    assertBadInput("Unknown option: '--bogus'", "threshold", "-g", "8", "--bogus");
    assertBadInput("--c must be in [0, n] = [0, 10], was 11", "passk", "--n", "10", "--c", "11", "--k", "1");
    assertBadInput("--k must be <= n = 10, was 11", "passk", "--n", "10", "--c", "3", "--k", "11");
    assertBadInput("--k must be >= 1, was 0", "passk", "--n", "10", "--c", "3", "--k", "0");
    assertBadInput("give --n, --c and --k", "passk", "--n", "10");
    assertBadInput("--group-size must be in [1, n]", "passk", "--n", "4", "--c", "1", "--k", "1", "-g", "8");
    assertBadInput("unknown command 'nosuchcommand': rlvr-diag --help lists the commands", "nosuchcommand");
    assertBadInput("'demo' is the reference experiment (rlvr-diagnostics-examples), not in this jar: run it as "
        + "./rlvr-diag demo from the repository", "demo", "--quick");
    assertBadInput("Unmatched argument", "threshold", "-g", "8", "extra");
  }

  @Test
  void theUsageNamesTheCommandsOfOtherModulesThatThisClassPathLacks() {
    String usage = CliRun.of().out();
    assertTrue(usage.contains("In other modules (./rlvr-diag runs each from its own jar):"), usage);
    for (String command : java.util.List.of("demo", "toy", "reduce")) {
      assertTrue(usage.lines().anyMatch(line -> line.startsWith("  " + command + " ")), command + ": " + usage);
    }
    // Where an extension brings one of them, it is a command like the others, not in the footer.
    java.io.StringWriter out = new java.io.StringWriter();
    java.io.PrintWriter writer = new java.io.PrintWriter(out);
    picocli.CommandLine withDemo = Main.commandLine(writer, writer, java.util.List.of(new Demo()));
    withDemo.usage(writer);
    writer.flush();
    String footer = out.toString().substring(out.toString().indexOf("In other modules"));
    assertTrue(footer.contains("  toy ") && !footer.contains("  demo "), footer);
  }

  @picocli.CommandLine.Command(name = "demo", description = "A stand-in for the examples' demo.")
  static final class Demo implements Runnable {
    @Override
    public void run() {}
  }

  @Test
  void helpAndVersionSucceed() {
    assertEquals(0, CliRun.of("--help").status());
    assertEquals(0, CliRun.of("passk", "--help").status());
    assertTrue(CliRun.of("--version").out().startsWith("rlvr-diag "));
  }
}
