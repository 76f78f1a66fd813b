package io.github.rlvrdiagnostics.examples.cli;

import static io.github.rlvrdiagnostics.cli.CliRun.assertBadInput;
import static org.junit.jupiter.api.Assertions.assertTimeout;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Options of {@code toy} and {@code demo} that once failed late or not at all: sizes
 * beyond the documented limits and report paths that cannot be directories fail at once, before
 * any training.
 */
class ExperimentOptionsTest {
  @TempDir Path dir;

  @Test
  void sizesAboveTheLimitsAreBadInput() {
    assertBadInput("--steps must be <= " + ToyCommand.MAX_STEPS + ", was 2147483647", "toy", "--steps", "2147483647");
    assertBadInput("--steps must be <= " + ToyCommand.MAX_STEPS + ", was 2147483646", "toy", "--steps", "2147483646");
    assertBadInput("--seeds must be <= " + ToyCommand.MAX_SEEDS + ", was 2147483647", "toy", "--seeds", "2147483647");
    assertBadInput("training diverged with --learning-rate 1.0E308", "toy", "--steps", "3", "--seeds", "1", "--learning-rate", "1e308");
  }

  @Test
  void firstSeedIsCheckedBeforeTraining() {
    assertTimeout(Duration.ofSeconds(5), () -> {
      assertBadInput("--first-seed must be >= 1, was 0", "demo", "--quick", "--first-seed", "0");
      assertBadInput("--first-seed must be <= 9223372036854775805 (3 seeds), was 9223372036854775807", "demo", "--quick",
          "--first-seed", "9223372036854775807");
    });
  }

  @Test
  void reportPathsFailBeforeComputing() throws IOException {
    Path file = Files.writeString(dir.resolve("hostname"), "not a directory\n");
    assertTimeout(Duration.ofSeconds(5), () -> {
      assertBadInput("--report must be a directory, but " + file + " is a file", "toy", "--report", file.toString());
      assertBadInput("--report must be a directory, but " + file + " is a file", "demo", "--report", file.toString());
      assertBadInput("--report must not be empty", "toy", "--report", "");
      assertBadInput("--report must not be empty", "demo", "--quick", "--report", "");
      assertBadInput("--write-ladder must not be empty", "demo", "--quick", "--write-ladder", "");
      assertBadInput("--write-ladder must be a file, but " + dir + " is a directory", "demo", "--quick", "--write-ladder", dir.toString());
    });
  }
}
