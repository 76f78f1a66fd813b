package io.github.rlvrdiagnostics.logs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.rlvrdiagnostics.api.AlertKind;
import io.github.rlvrdiagnostics.api.SkippedLine;
import io.github.rlvrdiagnostics.api.TrainingLog;
import io.github.rlvrdiagnostics.api.TrainingStep;
import io.github.rlvrdiagnostics.api.TriageConfig;
import io.github.rlvrdiagnostics.core.diagnostic.TrainingMonitor;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Damaged logs of every line format, read from files (the streaming path): every good record is
 * kept, every bad one listed with its line and reason. The logs are synthetic, written here.
 */
class FaultInjectionTest {
  @TempDir Path dir;

  /** A byte that is never valid in UTF-8. */
  private static final byte[] BAD_UTF8 = {(byte) 0xFF};

  private Path write(String name, Object... parts) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    for (Object part : parts) {
      bytes.writeBytes(part instanceof byte[] b ? b : part.toString().getBytes(StandardCharsets.UTF_8));
    }
    Path file = dir.resolve(name);
    Files.write(file, bytes.toByteArray());
    return file;
  }

  private static List<Long> steps(TrainingLog log) {
    return log.steps().stream().map(TrainingStep::step).toList();
  }

  private static List<Integer> lines(TrainingLog log) {
    return log.skipped().stream().map(SkippedLine::line).toList();
  }

  @Test
  void jsonLines() throws IOException {
    Path file = write("run.jsonl",
        "{\"step\": 1, \"entropy\": 0.5}\n",
        "{\"step\": \"one\", \"entropy\": 0.5}\n", // non-numeric step
        "{\"step\": 2, \"entropy\": 0.4, \"note\": \"caf", BAD_UTF8, "\"}\n", // bad UTF-8
        "}{ garbage between entries\n",
        "{\"step\": 3, \"entropy\": 0.3}\n",
        "{\"step\": 3, \"entropy\": 0.25}\n", // duplicated step: the later record wins
        "{\"step\": 4, \"entropy\": 0.2}\n",
        "{\"step\": 5, \"entropy\": 0"); // cut mid-record
    TrainingLog log = TrainingLogs.read(file);
    assertEquals(List.of(1L, 3L, 4L), steps(log));
    assertEquals(0.25, log.steps().get(1).entropy().getAsDouble());
    assertEquals(List.of(2, 3, 4, 8), lines(log));
    assertEquals("step must be a number, was 'one'", log.skipped().get(0).reason());
    assertEquals("invalid UTF-8", log.skipped().get(1).reason());
    assertTrue(log.skipped().get(2).reason().startsWith("neither a JSON object"), log.skipped().get(2).reason());
    assertEquals(StepCollector.INCOMPLETE_LAST_LINE, log.skipped().get(3).reason());
    assertTrue(log.notes().get(0).startsWith("1 step(s) appear more than once"), log.notes().toString());
  }

  @Test
  void verlConsole() throws IOException {
    Path file = write("train.log",
        "+ python3 -m verl.trainer.main_ppo actor_rollout_ref.rollout.n=5\n",
        "(TaskRunner pid=1) step:10 - actor/entropy_loss:0.511 - critic/score/mean:0.5\n",
        "(TaskRunner pid=1) step:x1 - actor/entropy_loss:0.5\n", // not a step number: noise
        "(TaskRunner pid=1) step:11 - actor/entropy_loss:0.5", BAD_UTF8, "\n",
        "(TaskRunner pid=1) step:12 - actor/entropy_loss:abc\n",
        "(TaskRunner pid=1) step:19 - actor/entropy_loss:0.511\n",
        "(TaskRunner pid=1) step:20 - actor/entropy_loss:0"); // cut from 0.511
    TrainingLog log = TrainingLogs.read(file);
    assertEquals("verl", log.format());
    assertEquals(List.of(10L, 19L), steps(log)); // step 12's only field was not a number: no step
    assertEquals(5, log.groupSize().getAsInt()); // from the launch line
    assertEquals(List.of(4, 7), lines(log));
    assertEquals("invalid UTF-8", log.skipped().get(0).reason());
    assertEquals(StepCollector.INCOMPLETE_LAST_LINE, log.skipped().get(1).reason());
    assertTrue(log.notes().stream().anyMatch(n -> n.startsWith("'actor/entropy_loss' dropped from 1 record(s)")
        && n.contains("line 5: entropy ('actor/entropy_loss') must be a number, was 'abc'")), log.notes().toString());
    // The cut "0" is not read as an entropy reading: no false alarm.
    TrainingMonitor monitor = TrainingMonitor.create(TriageConfig.DEFAULT);
    log.steps().forEach(monitor::accept);
    assertTrue(monitor.alerts().stream().noneMatch(a -> a.kind() == AlertKind.ENTROPY_BELOW_TAU), monitor.alerts().toString());
  }

  @Test
  void csv() throws IOException {
    Path file = write("run.csv",
        "step,entropy,note\n",
        "1,0.5,ok\n",
        "2,0.4,\"unclosed\n", // malformed quoted row
        "3,0.3,\"quoted\"tail\n", // text after a closing quote
        "4,0.2,\"caf", BAD_UTF8, "\"\n",
        "5,0.1\n", // a field short
        "six,0.1,x\n", // non-numeric step
        "7,0.1,\"a, b\"\n",
        "8,0.05,y"); // no newline
    TrainingLog log = TrainingLogs.read(file);
    assertEquals("csv", log.format());
    assertEquals(List.of(1L, 7L), steps(log));
    assertEquals(List.of(3, 4, 5, 6, 7, 9), lines(log));
    assertTrue(log.skipped().get(0).reason().startsWith("malformed CSV row"), log.skipped().get(0).reason());
    assertTrue(log.skipped().get(1).reason().startsWith("malformed CSV row"), log.skipped().get(1).reason());
    assertEquals("invalid UTF-8", log.skipped().get(2).reason());
    assertEquals("expected 3 fields, found 2", log.skipped().get(3).reason());
    assertEquals("step ('step') must be a number, was 'six'", log.skipped().get(4).reason());
    assertEquals(StepCollector.INCOMPLETE_LAST_LINE, log.skipped().get(5).reason());
  }

  @Test
  void trainerStateWithAnInvalidByte() throws IOException {
    Path file = write("trainer_state.json",
        "{\"log_history\": [\n",
        "  {\"step\": 1, \"loss\": 0.1, \"entropy\": 0.5},\n",
        "  {\"step\": 2, \"loss\": 0.1, \"note\": \"", BAD_UTF8, "\"},\n",
        "  {\"step\": 3, \"loss\": 0.1, \"entropy\": 0.4}\n", "]}\n");
    TrainingLog log = TrainingLogs.read(file, Map.of(), OptionalInt.empty());
    // The damaged entry is lost; reading resumes at the next entry's line.
    assertEquals(List.of(1L, 3L), steps(log));
    assertEquals(List.of(3), lines(log));
    assertTrue(log.skipped().get(0).reason().endsWith("skipped to the next entry, at line 4"), log.skipped().get(0).reason());
  }

  @Test
  void aVeryLongLineCostsOnlyItself() throws IOException {
    Path file = write("long.jsonl", "{\"step\": 1, \"entropy\": 0.5}\n", "x".repeat(LineSource.MAX_LINE_BYTES + 10), "\n",
        "{\"step\": 2, \"entropy\": 0.5}\n");
    TrainingLog log = TrainingLogs.read(file);
    assertEquals(List.of(1L, 2L), steps(log));
    assertEquals(List.of(new SkippedLine(2, "line longer than 16 MiB")), log.skipped());
  }
}
