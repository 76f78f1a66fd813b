package io.github.rlvrdiagnostics.logs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.github.rlvrdiagnostics.api.SkippedLine;
import io.github.rlvrdiagnostics.api.TrainingLog;
import io.github.rlvrdiagnostics.api.TrainingStep;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

/** {@link CsvReader} on small hand-written tables. */
class CsvReaderTest {
  private static TrainingLog read(String text, Map<String, String> fields) {
    StepCollector out = new StepCollector("run.csv", FieldMapping.of(fields), OptionalInt.empty());
    return out.finish(new CsvReader().read(text, out));
  }

  @Test
  void rowsBecomeStepsAndDamagedRowsAreSkippedByLine() {
    TrainingLog log = read("""
        step,entropy,reward,reward_std
        1,0.9,0.5,0.2
        2,0.8
        3, 0.7 ,0.25,0
        4,abc,0.5,0.1
        5,,0.75,0.1
        6,nan,0.5,
        """, Map.of());
    assertEquals("csv", log.format());
    assertEquals(List.of(
        TrainingStep.builder(1).entropy(0.9).reward(0.5).rewardStd(0.2).build(),
        TrainingStep.builder(3).entropy(0.7).degenerateFraction(1.0).reward(0.25).rewardStd(0.0).build(),
        TrainingStep.builder(4).reward(0.5).rewardStd(0.1).build(), // only the bad entropy is dropped
        TrainingStep.builder(5).reward(0.75).rewardStd(0.1).build(), // an empty cell: missing, not NaN
        TrainingStep.builder(6).reward(0.5).nonFiniteValues(1).build()), log.steps());
    assertEquals(List.of(new SkippedLine(3, "expected 4 fields, found 2")), log.skipped());
    assertEquals(List.of(
        "'entropy' dropped from 1 record(s), each keeping its other fields (first: line 5: entropy ('entropy') must be"
            + " a number, was 'abc')",
        "reward_std == 0 at 1 step(s) without frac_reward_zero_std: every group of those steps was degenerate"
            + " (degenerate fraction 1)",
        "1 NaN or infinite value(s) read as missing"), log.notes());
  }

  @Test
  void theCallersMappingNamesTheColumns() {
    TrainingLog log = read("iter,H,acc,entropy\n0,2.0,0.1,9\n1,1.5,0.2,9\n",
        Map.of("step", "iter", "entropy", "H", "reward", "acc"));
    // The mapping replaces the aliases: the column literally called "entropy" is not read.
    assertEquals(List.of(
        TrainingStep.builder(0).entropy(2.0).reward(0.1).build(),
        TrainingStep.builder(1).entropy(1.5).reward(0.2).build()), log.steps());
  }

  @Test
  void aHeaderWithoutAStepColumnIsNamedWithTheFieldToMapIt() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> read("iteration,entropy\n1,0.5\n", Map.of()));
    assertEquals("run.csv: the CSV header (line 1) has no step column: iteration, entropy; name it with --field step=COLUMN",
        e.getMessage());
  }
}
