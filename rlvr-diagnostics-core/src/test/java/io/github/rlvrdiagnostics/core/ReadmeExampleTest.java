package io.github.rlvrdiagnostics.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.rlvrdiagnostics.api.DegenerateThreshold;
import io.github.rlvrdiagnostics.api.PassAtK;
import org.junit.jupiter.api.Test;

/** The README's Java example, verbatim between the markers, so that it cannot rot. */
class ReadmeExampleTest {

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
    // README-EXAMPLE-END
    assertEquals(0.0830, pStar, 5e-5);
    assertEquals(0.851, dead, 5e-4);
    assertEquals(35, g);
    // 1 − C(61,8)/C(64,8) = 1 − (56·55·54)/(64·63·62); C(3,8) = 0, so P_deg is the other term.
    assertEquals(1 - 166320.0 / 249984, pass8, 1e-15);
    assertEquals(166320.0 / 249984, deadHat, 1e-15);
  }
}
