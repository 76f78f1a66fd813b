package io.github.rlvrdiagnostics.logs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.rlvrdiagnostics.api.SkippedLine;
import io.github.rlvrdiagnostics.api.TrainingLog;
import io.github.rlvrdiagnostics.api.TrainingStep;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

/** {@link LineLogReader}: splitting a log into lines and handing each to the right line reader. */
class LineLogReaderTest {
  private static TrainingLog read(String text) {
    StepCollector out = new StepCollector("x.log", FieldMapping.of(Map.of()), OptionalInt.empty());
    return out.finish(new LineLogReader().read(text, out));
  }

  @Test
  void inJsonLinesAStrayLineIsDamageListedInLineOrder() {
    TrainingLog log = read("{\"step\": 1, \"entropy\": 0.5}\nTraceback (most recent call last):\n{\"step\": 2, \"entropy\": -1}\n"
        + "{\"step\": 3, \"entropy\": 0.25}\n");
    assertEquals("jsonl", log.format());
    assertEquals(List.of(TrainingStep.builder(1).entropy(0.5).build(), TrainingStep.builder(3).entropy(0.25).build()),
        log.steps());
    assertEquals(List.of(
        new SkippedLine(2, "neither a JSON object nor a 'step:N - key:value' metric line"),
        new SkippedLine(3, "entropy must be finite and >= 0, was -1.0")), log.skipped());
  }

  @Test
  void inAConsoleLogOtherOutputIsNoiseAndOnlyCounted() {
    TrainingLog log = read("""
        Loading checkpoint shards: 100%
        step:1 - actor/entropy:0.5
        WARNING: something
        step:2 - actor/entropy:0.25
        {'not': 'json'}
        """);
    assertEquals("verl", log.format());
    assertEquals(List.of(TrainingStep.builder(1).entropy(0.5).build(), TrainingStep.builder(2).entropy(0.25).build()),
        log.steps());
    // A Python dict without training metrics is console noise too (TRL prints its metrics as dicts).
    assertEquals(List.of(), log.skipped());
    assertEquals(List.of("3 non-metric console line(s) ignored"), log.notes());
    // A line starting with '{"' belongs to the JSON reader, even in a console log.
    TrainingLog json = read("step:1 - actor/entropy:0.5\n{\"not\": json}\n");
    assertEquals(2, json.skipped().get(0).line());
    assertTrue(json.skipped().get(0).reason().startsWith("malformed JSON"), json.skipped().get(0).reason());
  }

  @Test
  void aVerlMetricJsonLineMakesTheLogVerls() {
    assertEquals("verl", read("{\"step\": 1, \"entropy\": 0.5}\n{\"step\": 2, \"critic/score/mean\": 0.5}\n").format());
  }

  @Test
  void windowsLineEndsAndTrailingBlankLinesDoNotCount() {
    TrainingLog log = read("{\"step\": 1, \"entropy\": 0.5}\r\n\r\n{\"step\": 2, \"entropy\": 0.25\r\n\r\n   \r\n");
    assertEquals(List.of(TrainingStep.builder(1).entropy(0.5).build()), log.steps());
    // The damaged line is the last with content, but a newline follows it: malformed, not truncated.
    assertEquals(3, log.skipped().get(0).line());
    assertTrue(log.skipped().get(0).reason().startsWith("malformed JSON"), log.skipped().get(0).reason());
    TrainingLog unfinished = read("{\"step\": 1, \"entropy\": 0.5}\n{\"step\": 2, \"entropy\": 0.2");
    assertEquals(List.of(new SkippedLine(2, StepCollector.INCOMPLETE_LAST_LINE)), unfinished.skipped());
  }
}
