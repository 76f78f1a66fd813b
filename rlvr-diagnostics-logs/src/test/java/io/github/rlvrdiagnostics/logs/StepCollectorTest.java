package io.github.rlvrdiagnostics.logs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.github.rlvrdiagnostics.api.SkippedLine;
import io.github.rlvrdiagnostics.api.TrainingLog;
import io.github.rlvrdiagnostics.api.TrainingStep;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

/** {@link StepCollector}: how every reader's records become steps, skipped lines and notes. */
class StepCollectorTest {
  private static StepCollector collector(Map<String, String> fields, OptionalInt groupsPerStep) {
    return new StepCollector("x.log", FieldMapping.of(fields), groupsPerStep);
  }

  @Test
  void theFirstAliasPresentWinsAndTextValuesMayBeWrapped() {
    StepCollector out = collector(Map.of(), OptionalInt.empty());
    out.addLine(1, Map.of("global_step", "7", "entropy", "0.5", "actor/entropy", "0.9", "reward_max", "np.float64(1.0)",
        "groups", "4.0", "predicted_degenerate_fraction", "None"));
    assertEquals(List.of(TrainingStep.builder(7).entropy(0.5).rewardMax(1.0).groups(4).build()),
        out.finish(LogFormat.JSONL).steps());
  }

  @Test
  void recordsWithoutAUsableStepAreSkippedAsLinesOrNotedAsEntries() {
    StepCollector out = collector(Map.of(), OptionalInt.empty());
    out.addLine(4, Map.of("entropy", "0.5"));
    out.addLine(2, Map.of("step", "1.5"));
    out.addEntry("log_history[0]", Map.of("step", "-1"));
    out.addLine(5, Map.of("step", "3", "kl", "0.1"));
    TrainingLog log = out.finish(LogFormat.JSONL);
    assertEquals(List.of(TrainingStep.builder(3).kl(0.1).build()), log.steps());
    // Listed in line order whatever order they came in.
    assertEquals(List.of(new SkippedLine(2, "no non-negative integer step"), new SkippedLine(4, "no non-negative integer step")),
        log.skipped());
    assertEquals(List.of("log_history[0] skipped: no non-negative integer step"), log.notes());
  }

  @Test
  void aStepThatIsNotANumberSkipsOnlyItsLine() {
    StepCollector out = collector(Map.of(), OptionalInt.empty());
    out.addLine(1, Map.of("step", "ten"));
    out.addLine(2, Map.of("step", "20", "entropy", "0.5"));
    TrainingLog log = out.finish(LogFormat.JSONL);
    assertEquals(List.of(new SkippedLine(1, "step ('step') must be a number, was 'ten'")), log.skipped());
    assertEquals(List.of(TrainingStep.builder(20).entropy(0.5).build()), log.steps());
  }

  /** Steps 1e300 and 1e301 used to merge into Long.MAX_VALUE, and groups 2.7 to become 2. */
  @Test
  void stepsBeyondExactIntegersAndFractionalGroupsAreSkippedNotBent() {
    StepCollector out = collector(Map.of(), OptionalInt.empty());
    out.addLine(1, Map.of("step", "1e300", "entropy", "0.5"));
    out.addLine(2, Map.of("step", "1e301", "entropy", "0.4"));
    out.addLine(3, Map.of("step", "3", "groups", "2.7", "entropy", "0.2"));
    out.addLine(4, Map.of("step", "9007199254740992", "entropy", "0.3"));
    TrainingLog log = out.finish(LogFormat.JSONL);
    assertEquals(List.of(1, 2), log.skipped().stream().map(SkippedLine::line).toList());
    assertEquals("'groups' dropped from 1 record(s), each keeping its other fields (first: line 3: groups must be a whole"
        + " number in [1, 2^31 - 1], was 2.7)", log.notes().get(0));
    assertEquals(List.of(TrainingStep.builder(3).entropy(0.2).build(),
        TrainingStep.builder(9007199254740992L).entropy(0.3).build()), log.steps());
  }

  @Test
  void oneGroupPerStepMakesANonZeroStdAFractionOfZero() {
    StepCollector out = collector(Map.of(), OptionalInt.of(1));
    out.addLine(1, Map.of("step", "1", "reward_std", "0.5"));
    out.addLine(2, Map.of("step", "2", "reward_std", "0"));
    out.addLine(3, Map.of("step", "3", "reward_std", "0.5", "frac_reward_zero_std", "0.25", "groups", "2"));
    TrainingLog log = out.finish(LogFormat.JSONL);
    assertEquals(List.of(
        TrainingStep.builder(1).degenerateFraction(0.0).groups(1).rewardStd(0.5).build(),
        TrainingStep.builder(2).degenerateFraction(1.0).groups(1).rewardStd(0.0).build(),
        TrainingStep.builder(3).degenerateFraction(0.25).groups(2).rewardStd(0.5).build()), log.steps());
    assertEquals(List.of(
        "reward_std == 0 at 1 step(s) without frac_reward_zero_std: every group of those steps was degenerate"
            + " (degenerate fraction 1)",
        "one group per step: a non-zero reward_std means that group carried a gradient at 1 step(s)"), log.notes());
  }

  @Test
  void aStepGoingBackStartsANewAttemptAndRewardsOutsideTheUnitIntervalAreNoted() {
    StepCollector out = collector(Map.of(), OptionalInt.empty());
    out.addLine(1, Map.of("step", "1", "reward", "0.5"));
    out.addLine(2, Map.of("step", "2", "reward", "0.5"));
    out.addLine(3, Map.of("step", "3", "reward", "0.5"));
    out.addLine(4, Map.of("step", "1", "reward", "0.25", "reward_min", "-inf"));
    out.addLine(5, Map.of("step", "2", "reward", "1.5", "reward_min", "-2"));
    out.addLine(6, Map.of("step", "2", "reward", "1.5", "reward_min", "-2"));
    TrainingLog log = out.finish(LogFormat.CSV);
    assertEquals("csv", log.format());
    assertEquals(List.of(TrainingStep.builder(1).reward(0.25).nonFiniteValues(1).build(),
        TrainingStep.builder(2).reward(1.5).rewardMin(-2).build()),
        log.steps());
    assertEquals(List.of(
        "the step number went back 1 time(s) (a restarted run writing into the same log): this report covers the last"
            + " attempt, steps 1-2; earlier attempt(s): steps 1-3 (3 step(s))",
        "1 step(s) appear more than once (a resumed run?): the later record was kept",
        "1 NaN or infinite value(s) read as missing",
        "rewards outside [0, 1] (first at step 2: 1.5): rewards are not binary, so the binary closed forms"
            + " (p*(G), predicted degenerate fractions) do not apply to this run"), log.notes());
    assertFalse(TrainingLogs.rewardsWithinUnitInterval(log));
  }

  @Test
  void aLogWithoutStepsNamesItsFirstProblem() {
    StepCollector out = collector(Map.of(), OptionalInt.empty());
    out.addLine(3, Map.of("step", "1", "clip_fraction", "2"));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> out.finish(LogFormat.JSONL));
    assertEquals("x.log: holds no training step (first problem, line 3: clipFraction must be in [0, 1], was 2.0)",
        e.getMessage());
  }
}
