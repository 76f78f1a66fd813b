package io.github.rlvrdiagnostics.core.diagnostic;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.rlvrdiagnostics.api.TrainingStep;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** DAPO's generation rounds against the expected sampling cost 1/(1 − d). */
class GenerationRoundsTest {
  @Test
  void expectedRoundsAreOneOverTheKeptFraction() {
    assertEquals(1.0, GenerationRounds.expectedRounds(0.0));
    assertEquals(4.0, GenerationRounds.expectedRounds(0.75));
    assertEquals(Double.POSITIVE_INFINITY, GenerationRounds.expectedRounds(1.0));
    assertThrows(IllegalArgumentException.class, () -> GenerationRounds.expectedRounds(Double.NaN));
    assertThrows(IllegalArgumentException.class, () -> GenerationRounds.expectedRounds(-0.1));
    assertThrows(IllegalArgumentException.class, () -> GenerationRounds.expectedRounds(1.1));
  }

  @Test
  void theWindowIsTheLastTenStepsThatReportRounds() {
    List<TrainingStep> steps = new ArrayList<>();
    for (int i = 1; i <= 15; i++) {
      TrainingStep.Builder b = TrainingStep.builder(i).degenerateFraction(i <= 5 ? 0.0 : 0.75);
      if (i != 14) { // step 14 reports no rounds: the window reaches back to step 5
        b.genBatches(i <= 5 ? 1 : 5);
      }
      steps.add(b.build());
    }
    GenerationRounds.Window w = GenerationRounds.lastWindow(steps).orElseThrow();
    assertEquals(10, w.steps());
    assertEquals(5, w.firstStep());
    assertEquals(15, w.lastStep());
    assertEquals((1 + 9 * 5) / 10.0, w.meanObserved(), 1e-15);
    assertEquals((1 + 9 * 4) / 10.0, w.meanExpected().getAsDouble(), 1e-15);
    assertTrue(GenerationRounds.nearStall(w, 8)); // 4.6 > 8 / 2
    assertFalse(GenerationRounds.nearStall(w, 10)); // 4.6 <= 5
    assertThrows(IllegalArgumentException.class, () -> GenerationRounds.nearStall(w, 0));
    assertTrue(GenerationRounds.lastWindow(List.of(TrainingStep.builder(1).reward(0.5).build())).isEmpty());
    GenerationRounds.Window noFraction = GenerationRounds.lastWindow(List.of(TrainingStep.builder(1).genBatches(2).build()))
        .orElseThrow();
    assertTrue(noFraction.meanExpected().isEmpty());
  }

  @Test
  void hugeCountsAndAllDegenerateStepsStayInRange() {
    List<TrainingStep> steps = new ArrayList<>();
    for (int i = 1; i <= 10; i++) {
      steps.add(TrainingStep.builder(i).genBatches(Double.MAX_VALUE).degenerateFraction(i == 3 ? 1.0 : 0.5).build());
    }
    GenerationRounds.Window w = GenerationRounds.lastWindow(steps).orElseThrow();
    assertEquals(Double.MAX_VALUE, w.meanObserved());
    assertEquals(Double.POSITIVE_INFINITY, w.meanExpected().getAsDouble()); // step 3: every group degenerate
    assertTrue(GenerationRounds.nearStall(w, Integer.MAX_VALUE));
  }
}
