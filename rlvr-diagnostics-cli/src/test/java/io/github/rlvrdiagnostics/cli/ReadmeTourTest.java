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
 * Every {@code $ ./rlvr-diag …} line in the code blocks of the README, docs/CLI.md and
 * docs/MONITOR.md is run in-process and must print what the page shows under it. A line "…" or
 * "[... what was left out ...]" stands for any number of lines (an excerpt). Commands of other
 * modules ({@code demo}, {@code toy}, {@code reduce}) and {@code --follow} (which runs until
 * stopped) are not run here.
 */
class ReadmeTourTest {
  /** Surefire runs in the module's directory: the repository root is its parent. */
  private static final Path ROOT = Path.of("..");
  private static final List<String> PAGES = List.of("README.md", "docs/CLI.md", "docs/MONITOR.md");
  private static final String PROMPT = "$ ./rlvr-diag ";
  private static final String EXIT_STATUS = "; echo \"exit $?\"";
  private static final String TO_NULL = "> /dev/null";
  private static final java.util.regex.Pattern ELISION = java.util.regex.Pattern.compile("\\s*(…|\\[(\\.\\.\\.|…).*\\])");

  /** The files the pages name by a short name, and where the repository keeps them. */
  private static final Map<String, Path> FILES = Map.of(
      "run_terminal.md", logs("trl_console_qwen25vl3b_aokvqa_run_terminal.md"),
      "trl_console_qwen25vl3b_aokvqa_run_terminal.md", logs("trl_console_qwen25vl3b_aokvqa_run_terminal.md"),
      "trl_grpo_minesweeper_gptoss20b_trainer_state.json", logs("trl_grpo_minesweeper_gptoss20b_trainer_state.json"),
      "math500_samples_ladder.json", Path.of("src/test/resources/ladders/math500_samples_ladder.json"),
      "math500_qwen25_7b_base_vs_simplerl_n128_correct_counts.csv",
      Path.of("src/test/resources/validation/math500_qwen25_7b_base_vs_simplerl_n128_correct_counts.csv"));

  private static Path logs(String name) {
    return ROOT.resolve("rlvr-diagnostics-logs/src/test/resources/logs").resolve(name);
  }

  /** One command, the page it is on, and the lines the page shows under it. */
  record Shown(String page, String command, List<String> lines) {}

  static List<Shown> tour() throws IOException {
    List<Shown> shown = new ArrayList<>();
    for (String page : PAGES) {
      boolean inBlock = false;
      Shown current = null;
      boolean continued = false;
      for (String line : Files.readAllLines(ROOT.resolve(page))) {
        if (line.startsWith("```")) {
          inBlock = !inBlock;
          current = null;
        } else if (inBlock && line.startsWith(PROMPT)) {
          current = new Shown(page, line.substring(PROMPT.length()), new ArrayList<>());
          shown.add(current);
          continued = line.endsWith("\\");
        } else if (current != null && continued) {
          // A command continued on the next line with a backslash.
          current = new Shown(page, current.command().replaceFirst("\\\\$", "") + " " + line.strip(), current.lines());
          shown.set(shown.size() - 1, current);
          continued = line.endsWith("\\");
        } else if (current != null) {
          current.lines().add(line);
        }
      }
    }
    return shown;
  }

  @Test
  void theReadmeShowsEveryCalculatorAndTheMonitorAndTriage() throws IOException {
    String commands = tour().stream().filter(s -> s.page().equals("README.md")).map(s -> s.command().split(" ")[0])
        .distinct().sorted().collect(Collectors.joining(" "));
    for (String command : List.of("entropy", "group", "monitor", "passk", "threshold", "triage")) {
      assertTrue((" " + commands + " ").contains(" " + command + " "), "the README's tour lacks " + command + ": " + commands);
    }
  }

  @TestFactory
  List<DynamicTest> everyCommandPrintsWhatThePageShows() throws IOException {
    List<DynamicTest> tests = new ArrayList<>();
    for (Shown s : tour()) {
      String command = s.command().replaceFirst("\\s+#.*$", "").strip(); // the pages' comments
      if (command.contains("--follow") || command.matches("(demo|toy|reduce)\\b.*")) {
        continue;
      }
      tests.add(DynamicTest.dynamicTest(s.page() + ": " + command, () -> check(s.page() + ": " + command, command, s.lines())));
    }
    assertTrue(tests.size() >= 15, "commands found in the pages: " + tests.size());
    return tests;
  }

  private static void check(String where, String command, List<String> shown) {
    boolean status = command.endsWith(EXIT_STATUS);
    String line = status ? command.substring(0, command.length() - EXIT_STATUS.length()).strip() : command;
    boolean quiet = line.endsWith(TO_NULL);
    line = quiet ? line.substring(0, line.length() - TO_NULL.length()).strip() : line;
    Map<String, String> named = new java.util.LinkedHashMap<>();
    String[] args = Arrays.stream(line.split("\\s+")).map(a -> {
      Path file = FILES.containsKey(a) ? FILES.get(a) : a.contains("/") && Files.exists(ROOT.resolve(a)) ? ROOT.resolve(a) : null;
      if (file == null) {
        return a;
      }
      named.put(file.toString(), a);
      return file.toString();
    }).toArray(String[]::new);
    CliRun run = CliRun.of(args);
    String out = (quiet ? "" : run.out()) + (status ? run.err() + "exit " + run.status() + "\n" : "");
    if (!status) {
      assertEquals(0, run.status(), where + ": " + run.err());
    }
    for (Map.Entry<String, String> file : named.entrySet()) {
      out = out.replace(file.getKey(), file.getValue());
    }
    List<String> expected = trimmed(shown);
    List<String> actual = trimmed(out.lines().toList());
    assertEquals(String.join("\n", expected), String.join("\n", matched(expected, actual)), where);
  }

  /**
   * The actual lines as the page would show them: each elision line of {@code expected} takes the
   * place of the actual lines up to the next line the page shows (or to the end). Where the
   * output differs, the difference shows in the comparison.
   */
  private static List<String> matched(List<String> expected, List<String> actual) {
    List<String> out = new ArrayList<>();
    int a = 0;
    for (int e = 0; e < expected.size(); e++) {
      String line = expected.get(e);
      if (ELISION.matcher(line).matches()) {
        out.add(line);
        String next = e + 1 < expected.size() ? expected.get(e + 1) : null;
        int skip = a;
        while (skip < actual.size() && (next == null || !actual.get(skip).equals(next))) {
          skip++;
        }
        if (skip == actual.size() && next != null) {
          skip = Math.min(a + 1, actual.size()); // the next line never comes: let the comparison show it
        }
        assertTrue(next != null || skip > a, "an excerpt marker where nothing was left out");
        a = skip;
      } else if (a < actual.size()) {
        out.add(actual.get(a++));
      }
    }
    out.addAll(actual.subList(a, actual.size()));
    return out;
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
