package io.github.rlvrdiagnostics.djl;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.rlvrdiagnostics.api.Checkpoint;
import io.github.rlvrdiagnostics.api.EntropyPoint;
import io.github.rlvrdiagnostics.api.ProblemSamples;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Map;

/**
 * The writer of the checkpoint-ladder file that {@code rlvr-diag triage --ladder} reads:
 * <pre>{"_source": "…", "checkpoints": [{"name": "epoch-2", "seed": 0, "entropy": 0.93,
 *   "passAt1": 0.41, "entropyTrace": [], "samples": [{"n": 16, "c": 7}, …]}, …]}</pre>
 * pretty-printed, with each checkpoint's fields in this order: {@code name}, {@code seed},
 * {@code entropy}, {@code passAt1}, {@code passAt<k>} for every other k (ascending),
 * {@code entropyTrace}, {@code outcome} and {@code generalisationLoss} when known, and the
 * per-prompt pre-RL counts {@code samples} when given, from which {@code triage} re-estimates the
 * signal profile at its own group size. The file is written next to its destination and moved
 * into place, so a reader never sees half a file. Thread-safe (stateless).
 */
public final class LadderFile {
  private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private LadderFile() {}

  /**
   * One checkpoint of a ladder file and the pre-RL counts behind its signal profile.
   *
   * @param checkpoint the checkpoint's readings
   * @param samples the {@code n} completions per probe prompt and how many passed; empty when the
   *     checkpoint has none (then {@code triage} gives it no signal profile)
   */
  public record Rung(Checkpoint checkpoint, List<ProblemSamples> samples) {
    /** Copies the list. */
    public Rung {
      samples = List.copyOf(samples);
    }
  }

  /**
   * The ladder as {@code triage} reads it.
   *
   * @param source a note on where the checkpoints came from, written as {@code "_source"}
   * @param rungs the checkpoints in ladder order
   */
  public static String json(String source, List<Rung> rungs) {
    ObjectNode root = JSON.createObjectNode();
    root.put("_source", source);
    ArrayNode checkpoints = root.putArray("checkpoints");
    for (Rung rung : rungs) {
      Checkpoint c = rung.checkpoint();
      ObjectNode o = checkpoints.addObject();
      o.put("name", c.name());
      o.put("seed", c.seed());
      o.put("entropy", c.entropy());
      o.put("passAt1", c.passAt1());
      c.passAtK().entrySet().stream().filter(e -> e.getKey() != 1).sorted(Map.Entry.comparingByKey())
          .forEach(e -> o.put("passAt" + e.getKey(), e.getValue()));
      ArrayNode trace = o.putArray("entropyTrace");
      for (EntropyPoint p : c.entropyTrace()) {
        trace.addObject().put("step", p.step()).put("entropy", p.entropy());
      }
      c.outcome().ifPresent(v -> o.put("outcome", v));
      c.generalisationLoss().ifPresent(v -> o.put("generalisationLoss", v));
      if (!rung.samples().isEmpty()) {
        ArrayNode samples = o.putArray("samples");
        rung.samples().forEach(p -> samples.addObject().put("n", p.n()).put("c", p.c()));
      }
    }
    try {
      return JSON.writeValueAsString(root) + System.lineSeparator();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the ladder as JSON", e);
    }
  }

  /**
   * Writes (creates or replaces) a ladder file.
   *
   * @throws UncheckedIOException if the file cannot be written
   */
  public static void write(Path file, String source, List<Rung> rungs) {
    String text = json(source, rungs);
    Path absolute = file.toAbsolutePath();
    try {
      Path temporary = Files.createTempFile(absolute.getParent(), absolute.getFileName().toString(), ".tmp");
      try {
        Files.writeString(temporary, text, StandardCharsets.UTF_8);
        try {
          Files.move(temporary, absolute, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
          Files.move(temporary, absolute, StandardCopyOption.REPLACE_EXISTING);
        }
      } finally {
        Files.deleteIfExists(temporary);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the ladder file " + file, e);
    }
  }
}
