package io.github.rlvrdiagnostics.logs;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.github.rlvrdiagnostics.api.SkippedLine;
import io.github.rlvrdiagnostics.api.TrainingLog;
import io.github.rlvrdiagnostics.api.TrainingStep;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

/** {@link VerlConsoleReader}, one line at a time. */
class VerlConsoleReaderTest {
  private final VerlConsoleReader reader = new VerlConsoleReader();
  private final StepCollector out = new StepCollector("train.log", FieldMapping.of(Map.of()), OptionalInt.empty());

  @Test
  void metricLinesBecomeStepsAndADamagedLineIsSkipped() {
    assertEquals(Optional.of(LogFormat.VERL), reader.read("(TaskRunner pid=7) step:1 - actor/entropy:np.float64(0.5)"
        + " - critic/score/mean:0.25 - critic/score/min:0.0 - critic/score/max:1.0 - actor/kl_loss:0.01"
        + " - actor/pg_clipfrac:0.002 - actor/grad_norm:0.3 - perf/mfu/actor:0.0", 3, false, out));
    assertEquals(Optional.of(LogFormat.VERL), reader.read("step:2 - actor/entropy:abc - critic/score/mean:0.5", 4, false, out));
    assertEquals(Optional.of(LogFormat.VERL), reader.read("step:3 - critic/score/std:0.0 - actor/entropy:nan", 5, false, out));
    TrainingLog log = out.finish(LogFormat.VERL);
    assertEquals(List.of(
        TrainingStep.builder(1).entropy(0.5).reward(0.25).rewardMin(0.0).rewardMax(1.0).kl(0.01).clipFraction(0.002)
            .gradNorm(0.3).build(),
        TrainingStep.builder(2).reward(0.5).build(), // only the entropy that is not a number is dropped
        TrainingStep.builder(3).degenerateFraction(1.0).rewardStd(0.0).nonFiniteValues(1).build()), log.steps());
    assertEquals(List.of(), log.skipped());
    assertEquals(List.of(
        "'actor/entropy' dropped from 1 record(s), each keeping its other fields (first: line 4: entropy"
            + " ('actor/entropy') must be a number, was 'abc')",
        "reward_std == 0 at 1 step(s) without frac_reward_zero_std: every group of those steps was degenerate"
            + " (degenerate fraction 1)",
        "1 NaN or infinite value(s) read as missing"), log.notes());
  }

  @Test
  void anUnfinishedLastLineIsHeldBackNotRead() {
    reader.read("step:4 - actor/entropy:0.5", 8, false, out);
    // Cut from 0.511: read as 0 it would raise a false ENTROPY_BELOW_TAU.
    assertEquals(Optional.of(LogFormat.VERL), reader.read("step:5 - actor/entropy_loss:0", 9, true, out));
    TrainingLog log = out.finish(LogFormat.VERL);
    assertEquals(List.of(TrainingStep.builder(4).entropy(0.5).build()), log.steps());
    assertEquals(List.of(new SkippedLine(9, StepCollector.INCOMPLETE_LAST_LINE)), log.skipped());
  }

  @Test
  void otherOutputIsLeftToOtherReaders() {
    assertEquals(Optional.empty(), reader.read("Training Progress: 40%|####      | 4/10", 1, false, out));
    assertEquals(Optional.empty(), reader.read("substep:4 - actor/entropy:0.5", 2, false, out));
    assertEquals(Optional.empty(), reader.read("step:4 actor/entropy:0.5", 3, false, out));
  }
}
