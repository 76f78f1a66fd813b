package io.github.rlvrdiagnostics.logs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.rlvrdiagnostics.api.SkippedLine;
import io.github.rlvrdiagnostics.api.TrainingLog;
import io.github.rlvrdiagnostics.api.TrainingStep;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

/** {@link JsonLinesReader}, one line at a time. */
class JsonLinesReaderTest {
  private final JsonLinesReader reader = new JsonLinesReader();
  private final StepCollector out = new StepCollector("metrics.jsonl", FieldMapping.of(Map.of()), OptionalInt.empty());

  @Test
  void objectsBecomeStepsAndADamagedLineIsSkipped() {
    assertEquals(Optional.of(LogFormat.JSONL),
        reader.read("{\"step\": 1, \"entropy\": 0.5, \"reward\": 0.25, \"extra\": \"ignored\"}", 1, false, out));
    assertEquals(Optional.of(LogFormat.JSONL), reader.read("{\"step\": 2, \"entropy\": ", 2, false, out));
    assertEquals(Optional.of(LogFormat.JSONL),
        reader.read("{\"step\": 3, \"entropy\": NaN, \"degenerate_fraction\": 0.5, \"rewardMin\": .5}", 3, false, out));
    TrainingLog log = out.finish(LogFormat.JSONL);
    assertEquals(List.of(
        TrainingStep.builder(1).entropy(0.5).reward(0.25).build(),
        TrainingStep.builder(3).degenerateFraction(0.5).rewardMin(0.5).nonFiniteValues(1).build()), log.steps());
    assertEquals(1, log.skipped().size());
    assertEquals(2, log.skipped().get(0).line());
    assertTrue(log.skipped().get(0).reason().startsWith("malformed JSON: "), log.skipped().get(0).reason());
    assertEquals(List.of("1 NaN or infinite value(s) read as missing",
        "a reward minimum or maximum strictly between 0 and 1 (first at step 3): rewards are not 0/1-valued, so the"
            + " binary closed forms do not apply to this run"), log.notes());
  }

  @Test
  void verlKeysMarkTheLogAndNestedDataIsMerged() {
    assertEquals(Optional.of(LogFormat.VERL), reader.read(
        "{\"step\": 4, \"data\": {\"actor/entropy\": 1.25, \"critic/score/mean\": 0.5, \"critic/score/max\": 1.0}}",
        7, false, out));
    assertEquals(List.of(TrainingStep.builder(4).entropy(1.25).reward(0.5).rewardMax(1.0).build()),
        out.finish(LogFormat.VERL).steps());
  }

  @Test
  void anUnfinishedLastLineIsHeldBackAndARepeatedKeyIsDroppedFromItsRecord() {
    reader.read("{\"step\": 5, \"entropy\": 0.5}", 1, false, out);
    reader.read("{\"step\": 6, \"entropy\": 0.5, \"reward\": 0.25, \"entropy\": 0.6}", 2, false, out);
    reader.read("{\"step\": 7, \"entr", 3, true, out);
    TrainingLog log = out.finish(LogFormat.JSONL);
    assertEquals(List.of(new SkippedLine(3, StepCollector.INCOMPLETE_LAST_LINE)), log.skipped());
    // The one duplicate-key rule: the repeated key is dropped, the record's other fields kept.
    assertEquals(List.of(TrainingStep.builder(5).entropy(0.5).build(), TrainingStep.builder(6).reward(0.25).build()),
        log.steps());
    assertEquals("'entropy' dropped from 1 record(s), each keeping its other fields (first: line 2: written more than"
        + " once in the record)", log.notes().get(0));
  }

  @Test
  void linesThatDoNotStartAnObjectAreLeftToOtherReaders() {
    assertEquals(Optional.empty(), reader.read("[1, 2, 3]", 1, false, out));
    assertEquals(Optional.empty(), reader.read("step:1 - actor/entropy:0.5", 2, false, out));
  }

  @Test
  void valuesNoFieldWantsAreSkippedUnparsedButStillChecked() {
    // Only the wanted values are turned into numbers; damage under any other key still makes the
    // line malformed, as a whole-tree parse did. A repeated key no field reads costs nothing.
    reader.read("{\"step\": 1, \"entropy\": 0.5, \"timing_s/gen\": [1, {\"a\": 2}], \"note\": \"x\"}", 1, false, out);
    reader.read("{\"step\": 2, \"entropy\": 0.5, \"timing_s/gen\": [1, }", 2, false, out);
    reader.read("{\"step\": 3, \"entropy\": 0.5, \"x\": 1, \"x\": 2}", 3, false, out);
    reader.read("{\"step\": 4, \"entropy\": 0.5, \"x\": {\"y\": 1, \"y\": 2}}", 4, false, out);
    TrainingLog log = out.finish(LogFormat.JSONL);
    assertEquals(List.of(TrainingStep.builder(1).entropy(0.5).build(), TrainingStep.builder(3).entropy(0.5).build(),
        TrainingStep.builder(4).entropy(0.5).build()), log.steps());
    assertEquals(List.of(2), log.skipped().stream().map(SkippedLine::line).toList());
    assertTrue(log.skipped().stream().allMatch(s -> s.reason().startsWith("malformed JSON: ")), log.skipped().toString());
  }

  @Test
  void nestedDataWinsWhicheverComesFirstAndAWantedKeyMayHoldANonNumber() {
    reader.read("{\"data\": {\"actor/entropy\": 1.0}, \"actor/entropy\": 2.0, \"step\": 1}", 1, false, out);
    reader.read("{\"actor/entropy\": 2.0, \"step\": 2, \"data\": {\"actor/entropy\": 1.0}}", 2, false, out);
    reader.read("{\"step\": 3, \"entropy\": [0.5]}", 3, false, out);
    reader.read("{\"step\": 4, \"entropy\": 0.25, \"note\": \"caf\u00e9 \u2013 ok\"}", 4, false, out);
    TrainingLog log = out.finish(LogFormat.VERL);
    assertEquals(List.of(TrainingStep.builder(1).entropy(1.0).build(), TrainingStep.builder(2).entropy(1.0).build(),
        TrainingStep.builder(4).entropy(0.25).build()), log.steps());
    assertEquals(List.of(), log.skipped());
    assertEquals("'entropy' dropped from 1 record(s), each keeping its other fields (first: line 3: entropy ('entropy')"
        + " must be a number, was [0.5])", log.notes().get(0));
  }
}
