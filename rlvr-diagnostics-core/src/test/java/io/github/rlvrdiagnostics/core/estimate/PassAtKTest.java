package io.github.rlvrdiagnostics.core.estimate;

import io.github.rlvrdiagnostics.core.RlvrDiagnostics;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.github.rlvrdiagnostics.api.CalibrationBand;
import io.github.rlvrdiagnostics.api.DatasetPassAtK;
import io.github.rlvrdiagnostics.api.PassAtK;
import io.github.rlvrdiagnostics.api.ProblemSamples;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Golden values and edge cases of the estimators of docs/MATH.md §2. */
class PassAtKTest {
  private final PassAtK passAtK = RlvrDiagnostics.passAtK();

  /** openai/human-eval README (n=6, c=3 → 0.5) and the HF code_eval doc (n=2, c=1). */
  @Test
  void publishedExamples() {
    assertEquals(0.5, passAtK.estimate(6, 3, 1), 1e-15);
    assertEquals(0.5, passAtK.estimate(2, 1, 1), 1e-15);
    assertEquals(1.0, passAtK.estimate(2, 1, 2));
  }

  @Test
  void handComputedCases() {
    // n=10, c=2, k=3: 1 − C(8,3)/C(10,3) = 1 − 56/120 = 8/15.
    assertEquals(8.0 / 15, passAtK.estimate(10, 2, 3), 1e-15);
    assertArrayEquals(new double[] {0.2, 17.0 / 45, 8.0 / 15}, java.util.Arrays.copyOf(passAtK.curve(10, 2), 3), 1e-15);
    // n=10, c=4, G=3: [C(4,3) + C(6,3)] / C(10,3) = (4 + 20)/120 = 0.2.
    assertEquals(0.2, passAtK.degenerateProbabilityEstimate(10, 4, 3), 1e-15);
    // n=10, c=4: 4·6/(10·9) = 4/15, times (G−1)/G = 7/8 at G = 8.
    assertEquals(4.0 / 15, passAtK.successVarianceEstimate(10, 4), 1e-15);
    assertEquals(4.0 / 15 * 7 / 8, passAtK.advantageVarianceEstimate(10, 4, 8), 1e-15);
  }

  @Test
  void edgeCountsAreExact() {
    assertEquals(0.0, passAtK.estimate(1_000_000, 0, 500_000));
    assertEquals(1.0, passAtK.estimate(1_000_000, 1_000_000, 1));
    assertEquals(1.0, passAtK.estimate(1_000_000, 500_001, 500_000));
    assertEquals(1e-6, passAtK.estimate(1_000_000, 1, 1), 1e-21);
    assertEquals(1.0, passAtK.degenerateProbabilityEstimate(100, 0, 8));
    assertEquals(0.0, passAtK.successVarianceEstimate(100, 100));
  }

  @Test
  void aggregateIsThePlainMean() {
    List<ProblemSamples> problems =
        List.of(ProblemSamples.of("a", 10, 2), ProblemSamples.of("b", 10, 0), ProblemSamples.of("c", 20, 20));
    DatasetPassAtK dataset = passAtK.aggregate(problems, new int[] {3, 1}, 4);
    assertEquals(3, dataset.problems());
    assertEquals(List.of(1, 3), List.copyOf(dataset.passAtK().keySet()));
    assertEquals((0.2 + 0 + 1) / 3, dataset.passAtK().get(1), 1e-15);
    assertEquals((8.0 / 15 + 0 + 1) / 3, dataset.passAtK().get(3), 1e-15);
    double degenerate = (passAtK.degenerateProbabilityEstimate(10, 2, 4) + 1 + 1) / 3;
    assertEquals(degenerate, dataset.degenerateFraction().getAsDouble(), 1e-15);
    assertEquals(passAtK.advantageVarianceEstimate(10, 2, 4) / 3, dataset.advantageVariance().getAsDouble(), 1e-15);
    assertEquals(false, passAtK.aggregate(problems, new int[] {1}, 0).degenerateFraction().isPresent());
  }

  @Test
  void calibrationBandKeepsSolvableUnsaturatedProblems() {
    List<ProblemSamples> problems = List.of(
        ProblemSamples.of("none", 16, 0), ProblemSamples.of("one", 16, 1),
        ProblemSamples.of("fifteen", 16, 15), ProblemSamples.of("all", 16, 16));
    assertEquals(List.of(problems.get(1), problems.get(2)), RlvrDiagnostics.inBand(problems, CalibrationBand.DEFAULT));
    assertEquals(CalibrationBand.DEFAULT, CalibrationBand.of(16, 1, 15));
    assertEquals(List.of(problems.get(2)), RlvrDiagnostics.inBand(problems, CalibrationBand.of(16, 8, 15)));
  }

  @Test
  void badInputNamesTheProblem() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> passAtK.estimate(10, 11, 1));
    assertEquals("c must be in [0, n] = [0, 10], was 11", e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> passAtK.estimate(10, 3, 11));
    assertEquals("k must be in [1, n] = [1, 10], was 11", e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> passAtK.estimate(0, 0, 1));
    assertThrows(IllegalArgumentException.class, () -> passAtK.estimate(10, -1, 1));
    assertThrows(IllegalArgumentException.class, () -> passAtK.degenerateProbabilityEstimate(4, 1, 8));
    assertThrows(IllegalArgumentException.class, () -> passAtK.successVarianceEstimate(1, 1));
    assertThrows(IllegalArgumentException.class, () -> passAtK.population(Double.NaN, 1));
    assertThrows(IllegalArgumentException.class, () -> ProblemSamples.of(5, 6));
    e = assertThrows(IllegalArgumentException.class,
        () -> passAtK.aggregate(List.of(ProblemSamples.of("x", 10, 1), ProblemSamples.of("HumanEval/3", 5, 1)), new int[] {10}, 0));
    assertEquals("k must be <= n of every problem, was k=10 for problems[1] (id 'HumanEval/3') with n=5, c=1", e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> passAtK.aggregate(List.of(), new int[] {1}, 0));
    assertThrows(IllegalArgumentException.class,
        () -> passAtK.aggregate(List.of(ProblemSamples.of(4, 1)), new int[] {1}, 8));
  }
}
