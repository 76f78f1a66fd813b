package io.github.rlvrdiagnostics.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import java.io.StringWriter;

/**
 * One in-process run of the command line: exit status, stdout and stderr. Public and in the test
 * jar so that modules adding {@link ExtensionCommand}s test them the same way.
 */
public record CliRun(int status, String out, String err) {

  public static CliRun of(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int status = Main.run(args, new PrintWriter(out), new PrintWriter(err));
    return new CliRun(status, out.toString(), err.toString());
  }

  /** Runs with {@code --json}, asserts success and parses stdout. */
  public static JsonNode json(String... args) {
    String[] withJson = java.util.Arrays.copyOf(args, args.length + 1);
    withJson[args.length] = "--json";
    CliRun run = of(withJson);
    assertEquals(0, run.status(), run.err());
    try {
      return Output.JSON.readTree(run.out());
    } catch (java.io.IOException e) {
      throw new AssertionError("stdout is not JSON: " + run.out(), e);
    }
  }

  /** Asserts bad input: status 2, nothing on stdout, one line on stderr containing the text. */
  public static void assertBadInput(String expectedFragment, String... args) {
    CliRun run = of(args);
    assertEquals(2, run.status(), "stdout: " + run.out() + " stderr: " + run.err());
    assertEquals("", run.out());
    String err = run.err().strip();
    assertFalse(err.contains("\n"), "more than one line on stderr: " + err);
    assertFalse(err.contains("Exception") || err.contains("\tat "), "stack trace on stderr: " + err);
    assertTrue(err.contains(expectedFragment), "stderr '" + err + "' lacks '" + expectedFragment + "'");
  }
}
