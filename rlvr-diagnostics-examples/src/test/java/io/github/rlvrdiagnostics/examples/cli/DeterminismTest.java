package io.github.rlvrdiagnostics.examples.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.github.rlvrdiagnostics.cli.CliRun;
import org.junit.jupiter.api.Test;

/**
 * Seeded experiments print the same bytes every time ({@code toy} once flipped
 * collapse verdicts between identical runs under PyTorch's intra-op threading). {@code demo} is
 * checked the same way in {@link DemoCommandTest}. Runs under two PyTorch threads cannot be
 * compared in one JVM — DJL reads {@code ai.djl.pytorch.num_threads} once, when the engine
 * starts — so this test covers repeats under the one thread {@link TorchThreads} pins.
 */
class DeterminismTest {

  @Test
  void seededToyRunsAreByteIdentical() {
    String[] args = {"toy", "--steps", "40", "--seeds", "2", "--learning-rate", "0.3", "--json"};
    CliRun first = CliRun.of(args);
    assertEquals(0, first.status(), first.err());
    for (int i = 0; i < 2; i++) {
      assertEquals(first.out(), CliRun.of(args).out(), "repeat " + (i + 1));
    }
    String[] table = {"toy", "--steps", "40", "--seeds", "2", "--learning-rate", "0.3"};
    assertEquals(CliRun.of(table).out(), CliRun.of(table).out());
  }
}
