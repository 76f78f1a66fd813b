package io.github.rlvrdiagnostics.cli;

import static io.github.rlvrdiagnostics.cli.CliRun.assertBadInput;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** Option defects found by a hostile-input round, and every number printed the same under a German default locale. */
class HostileOptionsTest {

  private static String resource(String name) {
    try {
      return Path.of(HostileOptionsTest.class.getResource(name).toURI()).toString();
    } catch (URISyntaxException e) {
      throw new AssertionError(e);
    }
  }

  @Test
  void cColumnWithoutSamplesIsRejected() {
    assertBadInput("--c-column needs --samples", "passk", "--n", "10", "--c", "3", "--k", "1", "--c-column", "x");
  }

  @Test
  void unconvertibleValuesNameNoExceptionClass() {
    // The NUL is echoed escaped, as every control character is.
    assertBadInput("Invalid value for option '--ladder': cannot convert '\\u0000' to interface java.nio.file.Path (Nul character not allowed",
        "triage", "--ladder", "\u0000");
  }

  @Test
  void triageReportMustBeADirectory() {
    String ladder = resource("/ladders/rank_inversion_golden.json");
    assertBadInput("--report must be a directory, but " + ladder + " is a file", "triage", "--ladder", ladder, "--report", ladder);
    assertBadInput("--report must not be empty", "triage", "--ladder", ladder, "--report", "");
  }

  @Test
  void thresholdAtHugeGroupSizeSaysSomethingTrue() {
    CliRun run = CliRun.of("threshold", "-g", "2147483647");
    assertEquals(0, run.status(), run.err());
    assertFalse(run.out().contains("p > 1."), run.out());
    assertTrue(run.out().contains("p > 1 - 3.2277e-10"), run.out());
  }

  @Test
  void negativeZeroPrintsAsZero() {
    CliRun run = CliRun.of("group", "--p", "-0", "-g", "8");
    assertEquals(0, run.status(), run.err());
    assertFalse(run.out().contains("-0"), run.out());
    assertEquals("0.0", CliRun.json("group", "--p", "-0", "-g", "8").get("p").asText());
  }

  @Test
  void versionIsTheProjectVersion() {
    String version = CliRun.of("--version").out().strip();
    assertTrue(version.matches("rlvr-diag \\d+\\.\\d+\\.\\d+(-SNAPSHOT)?"), version);
  }

  /** A decimal comma between digits: what %f or %.3f prints under de_DE. */
  private static final Pattern DECIMAL_COMMA = Pattern.compile("\\d,\\d");

  @Test
  void numbersIgnoreTheDefaultLocale() {
    Locale saved = Locale.getDefault();
    Locale.setDefault(Locale.GERMANY);
    try {
      String ladder = resource("/ladders/rank_inversion_golden.json");
      String log = resource("/logs/trl_grpo_minesweeper_gptoss20b_trainer_state.json");
      String[][] commands = {
          {"threshold", "-g", "8"}, {"threshold", "-g", "2147483647"}, {"group", "--p", "0.35", "-g", "8"},
          {"passk", "--n", "10", "--c", "3", "--k", "1,5", "-g", "4"}, {"triage", "--ladder", ladder},
          {"triage", "--ladder", ladder, "--json"}, {"monitor", log}, {"monitor", log, "--json"}};
      for (String[] args : commands) {
        CliRun run = CliRun.of(args);
        assertEquals(0, run.status(), String.join(" ", args) + ": " + run.err());
        assertFalse(DECIMAL_COMMA.matcher(run.out()).find(), String.join(" ", args) + " prints a decimal comma:\n" + run.out());
      }
      assertEquals(Locale.ROOT, Charts.chart("t", "x", "y").getStyler().getLocale(), "chart axes in the report PNGs");
    } finally {
      Locale.setDefault(saved);
    }
  }
}
