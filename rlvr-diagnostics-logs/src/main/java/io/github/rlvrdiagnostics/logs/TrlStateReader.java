package io.github.rlvrdiagnostics.logs;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;

/**
 * The reader of a Hugging Face TRL {@code trainer_state.json}: one record per training entry of
 * its {@code log_history}. Summary entries ({@code train_runtime}) and evaluation entries (without
 * {@code reward}, {@code entropy} or {@code loss}) are left out; an entry that cannot be a step is
 * noted by its index, as the file has no meaningful line numbers.
 */
final class TrlStateReader implements LogReader {

  @Override
  public LogFormat read(String text, StepCollector out) {
    JsonNode root;
    try {
      root = Json.MAPPER.readTree(text);
    } catch (JsonProcessingException e) {
      // One JSON document cannot be read in part; "truncated" because a file caught while a
      // checkpoint is being saved is the usual cause.
      throw new IllegalArgumentException(out.name() + ": malformed or truncated trainer_state.json at line "
          + e.getLocation().getLineNr() + ": " + e.getOriginalMessage());
    }
    JsonNode history = root.get("log_history");
    if (history == null || !history.isArray()) {
      throw new IllegalArgumentException(out.name() + ": \"log_history\" must be an array");
    }
    for (int i = 0; i < history.size(); i++) {
      JsonNode entry = history.get(i);
      if (!entry.isObject() || entry.has("train_runtime") || !(entry.has("reward") || entry.has("entropy") || entry.has("loss"))) {
        continue;
      }
      out.addEntry("log_history[" + i + "]", Json.members(entry));
    }
    return LogFormat.TRL;
  }
}
