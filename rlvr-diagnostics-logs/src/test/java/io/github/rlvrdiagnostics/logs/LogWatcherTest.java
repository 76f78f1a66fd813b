package io.github.rlvrdiagnostics.logs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.rlvrdiagnostics.api.TrainingLog;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link LogWatcher}: each change read whole, as a batch read of the same bytes. */
class LogWatcherTest {
  @TempDir Path dir;

  private static String state(int entries, int maxSteps) {
    StringBuilder b = new StringBuilder("{\n  \"max_steps\": " + maxSteps + ",\n  \"log_history\": [\n");
    for (int i = 1; i <= entries; i++) {
      b.append("    {\"step\": ").append(i).append(", \"entropy\": 0.5}").append(i < entries ? "," : "").append('\n');
    }
    return b.append("  ]\n}\n").toString();
  }

  @Test
  void aTrainerStateRewrittenByAShorterRunIsReadAnewWithANote() throws IOException {
    Path file = dir.resolve("trainer_state.json");
    Files.writeString(file, state(30, 100));
    LogWatcher watcher = LogWatcher.of(file, Map.of(), OptionalInt.empty());
    assertEquals(30, watcher.poll().log().orElseThrow().steps().size());
    assertTrue(watcher.poll().log().isEmpty()); // unchanged: nothing to read
    Files.writeString(file, state(4, 40));
    LogWatcher.Poll poll = watcher.poll();
    TrainingLog log = poll.log().orElseThrow();
    assertEquals(4, log.steps().size());
    assertEquals(40, log.plannedSteps().getAsLong());
    assertTrue(poll.notes().stream().anyMatch(n -> n.contains("now ends at step 4, before step 30 read earlier")),
        poll.notes().toString());
  }

  @Test
  void aSameSizeRewriteWithinOneTickIsSeen() throws IOException {
    Path file = dir.resolve("train.jsonl");
    Files.writeString(file, "{\"step\": 1, \"entropy\": 0.5}\n");
    LogWatcher watcher = LogWatcher.of(file, Map.of(), OptionalInt.empty());
    watcher.poll();
    java.nio.file.attribute.FileTime time = Files.getLastModifiedTime(file);
    Files.writeString(file, "{\"step\": 1, \"entropy\": 0.1}\n");
    Files.setLastModifiedTime(file, time); // same size, same time: only the content tells
    assertEquals(0.1, watcher.poll().log().orElseThrow().steps().get(0).entropy().getAsDouble());
  }

  @Test
  void missingThenNotReadableThenReadable() throws IOException {
    Path file = dir.resolve("x.jsonl");
    LogWatcher watcher = LogWatcher.of(file, Map.of(), OptionalInt.empty());
    assertEquals(List.of(file + ": no such file yet; waiting for it"), watcher.poll().notes());
    assertTrue(watcher.poll().notes().isEmpty()); // said once
    Files.writeString(file, "{\"step\": 1, \"entr");
    assertTrue(watcher.poll().notes().get(0).startsWith("not readable yet: "));
    Files.writeString(file, "{\"step\": 1, \"entropy\": 0.5}\n");
    assertEquals(1, watcher.poll().log().orElseThrow().steps().size());
    assertThrows(IllegalArgumentException.class, () -> LogWatcher.of(null, Map.of(), OptionalInt.empty()));
    assertThrows(IllegalArgumentException.class, () -> LogFollower.of(null, Map.of(), OptionalInt.empty()));
  }
}
