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

  /**
   * Runs and asserts one of the two clean endings: exit 0 with something on stdout, or
   * exit 2 with nothing on stdout and exactly one line on stderr without a stack trace. Never
   * exit 1, never exit 0 with nothing written.
   */
  public static CliRun assertCleanExit(String... args) {
    return of(args).assertClean(String.join(" ", args));
  }

  /** {@link #assertCleanExit} for this run; {@code description} says what was run. */
  public CliRun assertClean(String description) {
    String what = description + "\nstatus " + status + "\nstdout: " + cut(out) + "\nstderr: " + cut(err);
    if (status == 0) {
      assertFalse(out.isBlank(), "exit 0 with nothing written: " + what);
      assertFalse(NON_FINITE.matcher(computed(out)).find(), "a non-finite number in the output: " + what);
      return this;
    }
    assertEquals(2, status, what);
    assertEquals("", out, what);
    String line = err.strip();
    assertFalse(line.isEmpty(), what);
    assertFalse(line.contains("\n"), "more than one line on stderr: " + what);
    assertFalse(line.contains("\tat ") || line.contains("Exception:") || line.contains("internal error"), "stack trace: " + what);
    assertTrue(line.length() <= 1200, "stderr line of " + line.length() + " characters: " + what);
    return this;
  }

  /** NaN or an infinity as a number: never a result (and not JSON). */
  private static final java.util.regex.Pattern NON_FINITE = java.util.regex.Pattern.compile("(?<![\\w'\"])(NaN|-?Infinity)(?![\\w'\"])");

  /**
   * The output without the text that quotes the input back: notes and skipped-line reasons (which
   * may say "NaN" because the log did) and JSON strings. What is left are the numbers the
   * command computed.
   */
  private static String computed(String out) {
    String withoutNotes = out.replaceAll("(?m)^\\s*(note:|skipped line).*$", "");
    // JSON string literals, skipped with a scanner (a regex over long strings overflows the stack).
    StringBuilder kept = new StringBuilder(withoutNotes.length());
    boolean inString = false;
    for (int i = 0; i < withoutNotes.length(); i++) {
      char ch = withoutNotes.charAt(i);
      if (inString) {
        if (ch == '\\') {
          i++;
        } else if (ch == '"') {
          inString = false;
          kept.append('"');
        }
      } else {
        kept.append(ch);
        inString = ch == '"';
      }
    }
    return kept.toString();
  }

  private static String cut(String text) {
    return text.length() <= 400 ? text : text.substring(0, 400) + "…";
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
