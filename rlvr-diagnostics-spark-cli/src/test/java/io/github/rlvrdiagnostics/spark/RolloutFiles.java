package io.github.rlvrdiagnostics.spark;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Seeded rollouts written as the JSON lines {@code reduce rollouts} reads. */
final class RolloutFiles {
  private RolloutFiles() {}

  private static final ObjectMapper JSON = new ObjectMapper();

  /** Writes one JSON object per record to {@code file}: step, prompt_id, reward and the optional columns. */
  static Path jsonLines(Path file, Rollouts data) {
    List<String> lines = new ArrayList<>();
    for (Rollouts.Rec r : data.records()) {
      ObjectNode o = JSON.createObjectNode();
      o.put("step", r.step());
      o.put("prompt_id", r.promptId());
      o.put("reward", r.reward());
      if (r.tokens() != null) {
        var tokens = o.putArray("tokens");
        for (int t : r.tokens()) {
          tokens.add(t);
        }
      }
      if (r.logProb() != null) {
        o.put("logprob", r.logProb());
      }
      if (r.passRate() != null) {
        o.put("pass_rate", r.passRate());
      }
      try {
        lines.add(JSON.writeValueAsString(o));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    try {
      return Files.write(file, lines);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
