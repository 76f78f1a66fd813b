package io.github.rlvrdiagnostics.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.rlvrdiagnostics.api.DegenerateThreshold;
import io.github.rlvrdiagnostics.api.PassAtK;
import io.github.rlvrdiagnostics.api.ProblemSamples;
import io.github.rlvrdiagnostics.api.SignalProfile;
import io.github.rlvrdiagnostics.api.TriageConfig;
import io.github.rlvrdiagnostics.core.estimate.SignalProfiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The README's Java example, verbatim between the markers, so that it cannot rot. */
class ReadmeExampleTest {

  /** The README holds the lines between this file's markers, unindented, as its Java example. */
  @Test
  void readmeHoldsThisExample() throws IOException {
    // Surefire runs in the module's directory: the sources and the README are found from there.
    List<String> source = Files.readAllLines(
        Path.of("src/test/java/io/github/rlvrdiagnostics/core/ReadmeExampleTest.java"));
    int start = source.indexOf("    // README-EXAMPLE-START");
    int end = source.indexOf("    // README-EXAMPLE-END");
    assertTrue(start >= 0 && end > start, "markers not found");
    String example = source.subList(start + 1, end).stream()
        .map(line -> line.startsWith("    ") ? line.substring(4) : line)
        .collect(Collectors.joining("\n", "```java\n", "\n```"));
    String readme = Files.readString(Path.of("../README.md"));
    assertTrue(readme.contains(example), "README.md must hold the example verbatim:\n" + example);
  }

  @Test
  void readmeExample() {
    // README-EXAMPLE-START
    DegenerateThreshold deg = RlvrDiagnostics.degenerateThreshold();
    PassAtK est = RlvrDiagnostics.passAtK();

    double pStar = deg.pStar(8);                          // 0.0830: below this, most groups are dead
    double dead = deg.degenerateProbability(0.02, 8);     // 0.851 of groups carry no gradient
    int g = deg.smallestGroupSize(0.02, 0.5).orElseThrow(); // 35 rollouts to get below one half

    // From samples: 3 of 64 completions passed.
    double pass8 = est.estimate(64, 3, 8);                // 0.335, unbiased pass@8
    double deadHat = est.degenerateProbabilityEstimate(64, 3, 8); // 0.665 at G = 8

    // A checkpoint's learning signal at G = 8 from its pre-RL samples (n, c per prompt).
    SignalProfile signal = SignalProfiles.of(List.of(
        ProblemSamples.of(16, 0), ProblemSamples.of(16, 3), ProblemSamples.of(16, 16)), 8);
    double deadGroups = signal.predictedDegenerateFraction();  // 0.700 of GRPO groups carry no gradient
    double tooEasy = signal.allPassFraction();                  // 0.333 all pass
    double tooHard = signal.allFailFraction();                  // 0.367 all fail
    double cost = signal.expectedSamplingCost().orElseThrow(); // 3.33 groups per informative one
    boolean flagged = TriageConfig.DEFAULT.signalStage1Flag(deadGroups); // true: over 1/2
    // README-EXAMPLE-END
    assertEquals(0.0830, pStar, 5e-5);
    assertEquals(0.851, dead, 5e-4);
    assertEquals(35, g);
    // 1 − C(61,8)/C(64,8) = 1 − (56·55·54)/(64·63·62); C(3,8) = 0, so P_deg is the other term.
    assertEquals(1 - 166320.0 / 249984, pass8, 1e-15);
    assertEquals(166320.0 / 249984, deadHat, 1e-15);
    // (16, 0): all fail; (16, 3): C(13,8)/C(16,8) = 1287/12870 = 0.1 all fail; (16, 16): all pass.
    assertEquals(2.1 / 3, deadGroups, 1e-15);
    assertEquals(1.0 / 3, tooEasy, 1e-15);
    assertEquals(1.1 / 3, tooHard, 1e-15);
    assertEquals(1 / (1 - 2.1 / 3), cost, 1e-12);
    assertTrue(flagged);
  }
}
