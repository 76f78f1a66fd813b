package io.github.rlvrdiagnostics.examples.cli;

import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import io.github.rlvrdiagnostics.cli.CliRun;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * The seeded fuzz of {@code CliFuzzTest} for the experiments' options: hostile
 * {@code --steps}, {@code --seeds} and {@code --learning-rate} for {@code toy}, and hostile paths
 * for both commands, ending in exit 0 with output or exit 2 with one stderr line. Valid sizes are
 * kept tiny (at most 3 steps, 1 seed) so the cases that do train finish in about a second;
 * {@code demo} is fuzzed only on paths that fail before it trains.
 */
class ExperimentFuzzTest {
  private static final long SEED = Long.getLong("rlvr.fuzz.seed", 20261123L);
  private static final String[] SIZES = {"NaN", "-1", "0", "-0", "1", "2", "3", "2147483647", "2147483646", "1e3", "",
      "abc", "9223372036854775807", "1000001", "10001", "0x2", "+2"};
  private static final String[] RATES = {"NaN", "Infinity", "-Infinity", "-0", "0", "4.9e-324", "1e-300", "0.5", "3",
      "1e30", "1e308", "-1", "abc", ""};
  private static final String[] PATHS = {"", "/etc/hostname", "/proc/self/status", "/nonexistent/dir/x", "/dev/null", "\u0000"};

  @TestFactory
  Stream<DynamicTest> hostileExperimentOptions() {
    Random random = new Random(SEED);
    List<DynamicTest> tests = new ArrayList<>();
    for (int i = 0; i < 24; i++) {
      List<String> args = new ArrayList<>(List.of("toy"));
      String steps = SIZES[random.nextInt(SIZES.length)];
      args.addAll(List.of("--steps", steps, "--seeds", steps.matches("[+]?[123]") ? "1" : SIZES[random.nextInt(SIZES.length)]));
      args.addAll(List.of("--learning-rate", RATES[random.nextInt(RATES.length)]));
      if (random.nextInt(4) == 0) {
        args.addAll(List.of("--report", PATHS[random.nextInt(PATHS.length)]));
      }
      if (random.nextBoolean()) {
        args.add("--json");
      }
      tests.add(test(args));
    }
    for (String path : PATHS) {
      if (!path.equals("/nonexistent/dir/x")) { // a new directory that can be made: demo would train
        tests.add(test(List.of("demo", "--quick", "--report", path)));
        tests.add(test(List.of("demo", "--quick", "--write-ladder", path.isEmpty() ? "" : "/")));
      }
    }
    return tests.stream();
  }

  private static DynamicTest test(List<String> args) {
    String[] array = args.toArray(String[]::new);
    return DynamicTest.dynamicTest(String.join(" ", args),
        () -> assertTimeoutPreemptively(Duration.ofSeconds(60), () -> CliRun.assertCleanExit(array)));
  }
}
