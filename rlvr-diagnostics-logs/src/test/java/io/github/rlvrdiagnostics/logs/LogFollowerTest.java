package io.github.rlvrdiagnostics.logs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.rlvrdiagnostics.api.TrainingStep;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link LogFollower} polled by hand on synthetic logs (written here) that grow, shrink and move. */
class LogFollowerTest {
  @TempDir Path dir;

  private static String line(int step) {
    return "{\"step\": " + step + ", \"entropy\": " + (1.0 / step) + "}\n";
  }

  @Test
  void piecesCutAnywhereGiveTheStepsOfAWholeRead() throws IOException {
    Path file = dir.resolve("m.jsonl");
    StringBuilder all = new StringBuilder();
    for (int step = 1; step <= 40; step++) {
      all.append(line(step));
      if (step == 7) {
        all.append("garbage\n");
      }
    }
    all.append("{\"step\": 41, \"entropy\": 0");
    String text = all.toString();
    LogFollower follower = LogFollower.of(file, Map.of(), OptionalInt.empty());
    assertTrue(follower.poll().notes().get(0).endsWith("no such file yet; waiting for it"));
    assertTrue(follower.poll().notes().isEmpty()); // reported once
    Files.writeString(file, "");
    List<TrainingStep> followed = new ArrayList<>();
    for (int from = 0; from < text.length(); from += 53) {
      Files.writeString(file, text.substring(from, Math.min(text.length(), from + 53)), StandardOpenOption.APPEND);
      followed.addAll(follower.poll().steps());
    }
    assertEquals(TrainingLogs.read(file).steps(), followed);
    long offset = follower.offset();
    assertEquals(text.length() - "{\"step\": 41, \"entropy\": 0".length(), offset);
    // The half-written line completed later is read then.
    Files.writeString(file, ".5}\n", StandardOpenOption.APPEND);
    assertEquals(List.of(TrainingStep.builder(41).entropy(0.5).build()), follower.poll().steps());
  }

  @Test
  void truncationRotationAndDeletionStartOver() throws IOException {
    Path file = dir.resolve("m.jsonl");
    Files.writeString(file, line(1) + line(2));
    LogFollower follower = LogFollower.of(file, Map.of(), OptionalInt.empty());
    assertEquals(2, follower.poll().steps().size());
    Files.writeString(file, line(5), StandardOpenOption.TRUNCATE_EXISTING);
    LogFollower.Update truncated = follower.poll();
    assertTrue(truncated.restarted());
    assertTrue(truncated.notes().get(0).contains("truncated"), truncated.notes().toString());
    assertEquals(5, truncated.steps().get(0).step());
    Path next = dir.resolve("next.jsonl");
    Files.writeString(next, line(9) + line(10) + line(11));
    Files.move(next, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    LogFollower.Update rotated = follower.poll();
    assertTrue(rotated.notes().get(0).contains("rotated"), rotated.notes().toString());
    assertEquals(3, rotated.steps().size());
    Files.delete(file);
    assertTrue(follower.poll().notes().get(0).contains("deleted"));
    assertTrue(follower.poll().notes().isEmpty());
    Files.writeString(file, line(3));
    LogFollower.Update back = follower.poll();
    assertTrue(back.restarted());
    assertEquals(3, back.steps().get(0).step());
    assertFalse(follower.poll().restarted());
  }

  @Test
  void aTrainerStateIsReadWholeAndOnlyNewStepsReturned() throws IOException {
    Path file = dir.resolve("trainer_state.json");
    Files.writeString(file, "{\"log_history\": [{\"step\": 1, \"loss\": 0.1, \"entropy\": 0.5}], \"max_steps\": 9}");
    LogFollower follower = LogFollower.of(file, Map.of(), OptionalInt.empty());
    assertEquals(1, follower.poll().steps().size());
    assertTrue(follower.poll().steps().isEmpty());
    Files.writeString(file, "{\"log_history\": [{\"step\": 1, \"loss\": 0.1, \"entropy\": 0.5}, {\"step\": 2, \"loss\": 0.1, \"entropy\": 0.5}], \"max_steps\": 9}");
    assertEquals(List.of(2L), follower.poll().steps().stream().map(TrainingStep::step).toList());
  }

  @Test
  void aRestartIsReportedWithTheFirstStepsAfterItEvenOnALaterPoll() throws IOException {
    Path file = dir.resolve("late.jsonl");
    Files.writeString(file, "{\"step\": 240, \"entropy\": 0.5}\n{\"step\": 241, \"entropy\": 0.5}\n");
    LogFollower follower = LogFollower.of(file, Map.of(), OptionalInt.empty());
    assertEquals(2, follower.poll().steps().size());
    Files.writeString(file, "", java.nio.file.StandardOpenOption.TRUNCATE_EXISTING);
    LogFollower.Update truncated = follower.poll();
    assertTrue(truncated.steps().isEmpty() && !truncated.restarted());
    Files.writeString(file, "{\"step\": 0, \"entropy\": 0.4}\n");
    LogFollower.Update next = follower.poll();
    assertEquals(List.of(0L), next.steps().stream().map(TrainingStep::step).toList());
    assertTrue(next.restarted());
    Files.writeString(file, "{\"step\": 1, \"entropy\": 0.4}\n", java.nio.file.StandardOpenOption.APPEND);
    assertTrue(!follower.poll().restarted());
  }
}
