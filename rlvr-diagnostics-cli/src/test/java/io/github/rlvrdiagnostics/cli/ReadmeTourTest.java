package io.github.rlvrdiagnostics.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Every {@code $ ./rlvr-diag …} line in the README's code blocks is run in-process and must print
 * what the README shows under it: the whole output, or its first lines where the README ends the
 * excerpt with a line "…". Commands of other modules ({@code demo}, {@code toy}, {@code reduce})
 * and {@code --follow} (which runs until stopped) are not run here.
 */
class ReadmeTourTest {
  /** Surefire runs in the module's directory: the repository root is its parent. */
  private static final Path ROOT = Path.of("..");
  private static final String PROMPT = "$ ./rlvr-diag ";
  private static final String EXIT_STATUS = "> /dev/null; echo \"exit $?\"";
  private static final String EXCERPT = "…";

  /** The files the README names by a short name, and where the repository keeps them. */
  private static final Map<String, Path> FILES = Map.of(
      "run_terminal.md", ROOT.resolve("rlvr-diagnostics-logs/src/test/resources/logs/trl_console_qwen25vl3b_aokvqa_run_terminal.md"),
      "math500_samples_ladder.json", Path.of("src/test/resources/ladders/math500_samples_ladder.json"),
      "samples/logits.json", ROOT.resolve("samples/logits.json"));

  /** One command and the lines the README shows under it. */
  record Shown(String command, List<String> lines) {}

  static List<Shown> tour() throws IOException {
    List<Shown> shown = new ArrayList<>();
    boolean inBlock = false;
    Shown current = null;
    for (String line : Files.readAllLines(ROOT.resolve("README.md"))) {
      if (line.startsWith("```")) {
        inBlock = !inBlock;
        current = null;
      } else if (inBlock && line.startsWith(PROMPT)) {
        current = new Shown(line.substring(PROMPT.length()), new ArrayList<>());
        shown.add(current);
      } else if (current != null) {
        current.lines().add(line);
      }
    }
    return shown;
  }

  @Test
  void theReadmeShowsEveryCalculatorAndTheMonitorAndTriage() throws IOException {
    String commands = tour().stream().map(s -> s.command().split(" ")[0]).distinct().sorted()
        .collect(Collectors.joining(" "));
    for (String command : List.of("entropy", "group", "monitor", "passk", "threshold", "triage")) {
      assertTrue((" " + commands + " ").contains(" " + command + " "), "the README's tour lacks " + command + ": " + commands);
    }
  }

  @TestFactory
  List<DynamicTest> everyCommandPrintsWhatTheReadmeShows() throws IOException {
    List<DynamicTest> tests = new ArrayList<>();
    for (Shown s : tour()) {
      String command = s.command().replaceFirst("\\s+#.*$", "").strip(); // the README's comments
      if (command.contains("--follow") || command.matches("(demo|toy|reduce)\\b.*")) {
        continue;
      }
      tests.add(DynamicTest.dynamicTest(command, () -> check(command, s.lines())));
    }
    assertTrue(tests.size() >= 7, "commands found in the README: " + tests.size());
    return tests;
  }

  private static void check(String command, List<String> shown) {
    boolean statusOnly = command.endsWith(EXIT_STATUS);
    String[] args = Arrays.stream(command.replace(EXIT_STATUS, "").strip().split("\\s+"))
        .map(a -> FILES.containsKey(a) ? FILES.get(a).toString() : a).toArray(String[]::new);
    CliRun run = CliRun.of(args);
    List<String> expected = trimmed(shown);
    if (statusOnly) {
      assertEquals(expected, List.of("exit " + run.status()), command);
      return;
    }
    assertEquals(0, run.status(), command + ": " + run.err());
    String out = run.out();
    for (Map.Entry<String, Path> file : FILES.entrySet()) {
      out = out.replace(file.getValue().toString(), file.getKey());
    }
    List<String> actual = trimmed(out.lines().toList());
    if (!expected.isEmpty() && expected.get(expected.size() - 1).equals(EXCERPT)) {
      expected = expected.subList(0, expected.size() - 1);
      assertTrue(actual.size() > expected.size(), command + " prints less than the README's excerpt");
      actual = actual.subList(0, expected.size());
    }
    assertEquals(String.join("\n", expected), String.join("\n", actual), command);
  }

  /** Lines without trailing spaces, and without the blank lines that end a block or separate commands. */
  private static List<String> trimmed(List<String> lines) {
    List<String> out = new ArrayList<>(lines.stream().map(String::stripTrailing).toList());
    while (!out.isEmpty() && out.get(out.size() - 1).isEmpty()) {
      out.remove(out.size() - 1);
    }
    return out;
  }
}
