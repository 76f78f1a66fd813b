package io.github.rlvrdiagnostics.logs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.rlvrdiagnostics.api.TrainingLog;
import io.github.rlvrdiagnostics.api.TrainingStep;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link TensorBoardReader} on a synthetic event file written by tensorboardX 2.6.5 (a real
 * writer from PyPI; logs/tensorboard_synthetic/make_events.py), whose values follow formulas the
 * test checks independently, and on damaged copies of it.
 */
class TensorBoardReaderTest {
  @TempDir Path dir;

  private static final Path EVENTS = TrainingLogsTest.resource("tensorboard_synthetic/events.out.tfevents.1795454519.synthetic");

  private static void assertFormulaSteps(List<TrainingStep> steps) {
    for (TrainingStep s : steps) {
      long k = s.step();
      // Written as 32-bit floats: compared at float precision.
      assertEquals((float) (0.5 - 0.02 * k), s.entropy().getAsDouble(), 1e-6, "entropy at " + k);
      assertEquals((float) (0.05 * k), s.reward().getAsDouble(), 1e-6, "score at " + k);
      assertEquals(1 + k % 3, s.genBatches().getAsDouble(), "num_gen_batches (tensor form) at " + k);
    }
  }

  @Test
  void scalarAndTensorSummariesOfARealWriter() {
    TrainingLog log = TrainingLogs.read(EVENTS);
    assertEquals("tensorboard", log.format());
    assertEquals(20, log.steps().size());
    assertEquals(1, log.steps().get(0).step());
    assertFormulaSteps(log.steps());
    assertTrue(log.skipped().isEmpty(), log.skipped().toString());
  }

  /** The offsets at which each record starts. */
  private static List<Integer> recordStarts(byte[] bytes) {
    List<Integer> starts = new java.util.ArrayList<>();
    int at = 0;
    while (at < bytes.length) {
      starts.add(at);
      long length = ByteBuffer.wrap(bytes, at, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
      at += 12 + (int) length + 4;
    }
    return starts;
  }

  @Test
  void aDamagedRecordIsSkippedAndACutFileKeepsItsCompleteRecords() throws IOException {
    byte[] bytes = Files.readAllBytes(EVENTS);
    List<Integer> starts = recordStarts(bytes);
    // Record 3 (1-based) is the first step's critic/score/mean: flip a byte of its data.
    byte[] damaged = bytes.clone();
    damaged[starts.get(2) + 14] ^= 0x40;
    Path file = dir.resolve("events.out.tfevents.1.damaged");
    Files.write(file, damaged);
    TrainingLog log = TrainingLogs.read(file);
    assertEquals(20, log.steps().size());
    assertTrue(log.steps().get(0).reward().isEmpty()); // the damaged record's value is lost, nothing else
    assertFormulaSteps(log.steps().subList(1, 20));
    assertEquals(3, log.skipped().get(0).line());
    assertEquals("record 3: data checksum mismatch; skipped", log.skipped().get(0).reason());
    // Cut in the middle of record 10.
    Path cut = dir.resolve("events.out.tfevents.2.cut");
    Files.write(cut, Arrays.copyOf(bytes, starts.get(9) + 20));
    TrainingLog partial = TrainingLogs.read(cut);
    assertEquals(List.of(1L, 2L, 3L), partial.steps().stream().map(TrainingStep::step).toList());
    assertEquals("record 10 cut off (file still being written?): not read", partial.skipped().get(0).reason());
  }

  @Test
  void aDirectoryOfEventFilesIsOneRun() throws IOException {
    byte[] bytes = Files.readAllBytes(EVENTS);
    List<Integer> starts = recordStarts(bytes);
    // Split at record 31 (in step 11): the file_version record, then the rest, as a restarted writer would.
    Files.write(dir.resolve("events.out.tfevents.1.a"), Arrays.copyOf(bytes, starts.get(30)));
    byte[] second = new byte[starts.get(1) + bytes.length - starts.get(30)];
    System.arraycopy(bytes, 0, second, 0, starts.get(1));
    System.arraycopy(bytes, starts.get(30), second, starts.get(1), bytes.length - starts.get(30));
    Files.write(dir.resolve("events.out.tfevents.2.b"), second);
    Files.writeString(dir.resolve("notes.txt"), "not an event file");
    TrainingLog log = TrainingLogs.read(dir);
    assertEquals(20, log.steps().size());
    assertFormulaSteps(log.steps());
    assertTrue(log.notes().get(0).startsWith("2 event files read as one run"), log.notes().toString());
  }

  /** One TFRecord-framed Event of simple values at a step, written with the protobuf runtime. */
  private static byte[] event(long step, Map<String, Float> values) throws IOException {
    java.io.ByteArrayOutputStream summary = new java.io.ByteArrayOutputStream();
    com.google.protobuf.CodedOutputStream s = com.google.protobuf.CodedOutputStream.newInstance(summary);
    for (Map.Entry<String, Float> v : values.entrySet()) {
      java.io.ByteArrayOutputStream value = new java.io.ByteArrayOutputStream();
      com.google.protobuf.CodedOutputStream o = com.google.protobuf.CodedOutputStream.newInstance(value);
      o.writeString(1, v.getKey());
      o.writeFloat(2, v.getValue());
      o.flush();
      s.writeByteArray(1, value.toByteArray());
    }
    s.flush();
    java.io.ByteArrayOutputStream event = new java.io.ByteArrayOutputStream();
    com.google.protobuf.CodedOutputStream e = com.google.protobuf.CodedOutputStream.newInstance(event);
    e.writeDouble(1, 1.7e9 + step);
    e.writeInt64(2, step);
    e.writeByteArray(5, summary.toByteArray());
    e.flush();
    byte[] data = event.toByteArray();
    ByteBuffer b = ByteBuffer.allocate(12 + data.length + 4).order(ByteOrder.LITTLE_ENDIAN);
    b.putLong(data.length);
    byte[] length = Arrays.copyOf(b.array(), 8);
    b.putInt(TensorBoardReader.masked(length, 0, 8));
    b.put(data);
    b.putInt(TensorBoardReader.masked(data, 0, data.length));
    return b.array();
  }

  /**
   * Written by us in the format of TRL's TensorBoard output (the Hugging Face Trainer's
   * TensorBoard callback writes train/ and eval/ tags): a 300-step collapsing run whose entropy
   * falls from 1.0 to 0.001, evaluated every 50 steps, the evaluations at steps of their own.
   */
  @Test
  void trlTrainAndEvalTagsAreReadAndKeptApart() throws IOException {
    java.io.ByteArrayOutputStream file = new java.io.ByteArrayOutputStream();
    for (int step = 1; step <= 300; step++) {
      float entropy = (float) Math.max(0.001, 1.0 - (step - 1) / 299.0 * 0.999);
      file.write(event(step, Map.of("train/entropy", entropy, "train/frac_reward_zero_std", Math.min(1f, step / 300f),
          "train/reward", 0.5f, "train/reward_std", 0.25f, "train/loss", 0.01f)));
      if (step % 50 == 0) {
        file.write(event(step + 1000, Map.of("eval/loss", 0.3f, "eval/reward", 0.9f)));
      }
    }
    Path events = dir.resolve("events.out.tfevents.1.trl");
    Files.write(events, file.toByteArray());
    TrainingLog log = TrainingLogs.read(events);
    assertEquals(300, log.steps().size());
    assertEquals(1.0, log.steps().get(0).entropy().getAsDouble());
    assertEquals(0.001, log.steps().get(299).entropy().getAsDouble(), 1e-6);
    assertEquals(1.0, log.steps().get(299).degenerateFraction().getAsDouble());
    assertEquals(0.5, log.steps().get(10).reward().getAsDouble());
    assertTrue(log.notes().contains("6 evaluation record(s) (eval/, eval_, val/, val-, test/ keys only) kept apart:"
        + " never read as training steps"), log.notes().toString());
  }

  @Test
  void aLengthThatFailsItsChecksumCostsOnlyItsRecord() throws IOException {
    java.io.ByteArrayOutputStream file = new java.io.ByteArrayOutputStream();
    for (int step = 1; step <= 5; step++) {
      file.write(event(step, Map.of("train/entropy", 0.5f)));
    }
    byte[] bytes = file.toByteArray();
    List<Integer> starts = recordStarts(bytes);
    bytes[starts.get(2) + 1] ^= 0x01; // record 3's length
    Path events = dir.resolve("events.out.tfevents.1.flipped");
    Files.write(events, bytes);
    TrainingLog log = TrainingLogs.read(events);
    assertEquals(List.of(1L, 2L, 4L, 5L), log.steps().stream().map(TrainingStep::step).toList());
    assertEquals(3, log.skipped().get(0).line());
    assertTrue(log.skipped().get(0).reason().startsWith("record 3: length checksum mismatch; "), log.skipped().toString());
  }
}
