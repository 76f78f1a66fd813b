package io.github.rlvrdiagnostics.djl;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.OptionalDouble;

/**
 * The metrics file of {@code GrpoTrainer.Builder#metricsFile}: one JSON object per step (JSON
 * lines), with the component names of {@link GrpoStepMetrics}, flushed after every line so that
 * {@code rlvr-diag monitor} can follow a running job. Empty optional metrics are written as
 * {@code null}. {@link #close()} is idempotent; a step after it is an {@link IllegalStateException}.
 */
final class JsonlMetricsListener implements GrpoListener {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Path file;
  private final BufferedWriter writer;
  private boolean closed;

  private JsonlMetricsListener(Path file, BufferedWriter writer) {
    this.file = file;
    this.writer = writer;
  }

  /**
   * Opens (creates or truncates) the file.
   *
   * @throws IllegalArgumentException if the file cannot be opened for writing (a directory, a
   *     missing parent, no permission)
   */
  static JsonlMetricsListener open(Path file) {
    try {
      return new JsonlMetricsListener(file, Files.newBufferedWriter(file, StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new IllegalArgumentException("metricsFile must be a writable file, cannot open " + file + ": " + e, e);
    }
  }

  @Override
  public void onStep(GrpoStepMetrics m) {
    if (closed) {
      throw new IllegalStateException("the metrics file " + file + " is closed");
    }
    ObjectNode o = JSON.createObjectNode();
    o.put("step", m.step());
    o.put("reward", m.reward());
    o.put("degenerateFraction", m.degenerateFraction());
    put(o, "predictedDegenerateFraction", m.predictedDegenerateFraction());
    put(o, "preRlPredictedDegenerateFraction", m.preRlPredictedDegenerateFraction());
    o.put("groups", m.groups());
    o.put("entropy", m.entropy());
    o.put("worstTokenEntropy", m.worstTokenEntropy());
    o.put("clipFractionLow", m.clipFractionLow());
    o.put("clipFractionHigh", m.clipFractionHigh());
    o.put("kl", m.kl());
    o.put("covLogProbAdvantage", m.covLogProbAdvantage());
    put(o, "calibrationGap", m.calibrationGap());
    put(o, "distinct2", m.distinct2());
    o.put("entropyCoefficient", m.entropyCoefficient());
    o.put("parLambda", m.parLambda());
    try {
      writer.write(o.toString());
      writer.newLine();
      writer.flush();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the metrics file " + file, e);
    }
  }

  private static void put(ObjectNode o, String field, OptionalDouble value) {
    if (value.isPresent()) {
      o.put(field, value.getAsDouble());
    } else {
      o.putNull(field);
    }
  }

  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    try {
      writer.close();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot close the metrics file " + file, e);
    }
  }
}
