package io.github.rlvrdiagnostics.logs;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.InputStream;
import java.util.Iterator;

/**
 * The reader of a Hugging Face TRL {@code trainer_state.json}: one record per training entry of
 * its {@code log_history}, read with Jackson's streaming parser one entry at a time (memory is
 * bounded by the largest entry, not the file). Summary entries ({@code train_runtime}) and
 * evaluation entries (without {@code reward}, {@code entropy} or {@code loss}) are left out, the
 * {@code eval_*} ones counted in a note; an entry that cannot be a step is noted by its index, as
 * the file has no meaningful line numbers. {@code max_steps} and {@code logging_steps} are kept as
 * the run's stated settings.
 *
 * <p>A file cut off (caught while a checkpoint was being saved) or damaged mid-way keeps every
 * complete entry before the damage; the damage is listed as a skipped line with the parser's
 * line number and reason, and the rest of the file is not read (a JSON document cannot be
 * resynchronised safely).
 */
final class TrlStateReader implements LogReader {

  @Override
  public LogFormat read(InputStream in, StepCollector out) throws IOException {
    int index = 0;
    int kept = 0;
    int eval = 0;
    boolean inHistory = false;
    try (JsonParser p = Json.MAPPER.createParser(in)) {
      if (p.nextToken() != JsonToken.START_OBJECT) {
        throw new IllegalArgumentException(out.name() + ": a trainer_state.json must be a JSON object");
      }
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String field = p.currentName();
        JsonToken value = p.nextToken();
        switch (field) {
          case "log_history" -> {
            if (value != JsonToken.START_ARRAY) {
              throw new IllegalArgumentException(out.name() + ": \"log_history\" must be an array");
            }
            inHistory = true;
            while (p.nextToken() != JsonToken.END_ARRAY) {
              JsonNode entry = Json.MAPPER.readTree(p);
              int i = index++;
              if (entry == null || !entry.isObject() || entry.has("train_runtime")) {
                continue;
              }
              if (!(entry.has("reward") || entry.has("entropy") || entry.has("loss"))) {
                if (hasEvalKey(entry)) {
                  eval++;
                }
                continue;
              }
              out.addEntry("log_history[" + i + "]", Json.members(entry));
              kept++;
            }
            inHistory = false;
          }
          case "max_steps" -> {
            if (value.isNumeric() && p.getLongValue() >= 1) {
              out.plannedSteps(p.getLongValue());
            }
          }
          case "logging_steps" -> {
            if (value.isNumeric() && p.getDoubleValue() >= 1 && p.getDoubleValue() == Math.rint(p.getDoubleValue())) {
              out.loggingSteps((long) p.getDoubleValue());
            }
          }
          default -> p.skipChildren();
        }
      }
    } catch (JsonProcessingException e) {
      long line = e.getLocation() == null ? 0 : e.getLocation().getLineNr();
      out.skipLine((int) Math.max(1, Math.min(Integer.MAX_VALUE, line)), "trainer_state.json cut off or malformed"
          + (inHistory ? " in log_history entry " + index : "") + " (" + e.getOriginalMessage() + "): the "
          + kept + " complete training entries before it are kept, the rest of the file is not read");
    }
    if (eval > 0) {
      out.note(eval + " evaluation entr" + (eval == 1 ? "y" : "ies") + " (eval_*) of log_history skipped:"
          + " the monitor reads training entries only");
    }
    return LogFormat.TRL;
  }

  private static boolean hasEvalKey(JsonNode entry) {
    for (Iterator<String> names = entry.fieldNames(); names.hasNext();) {
      if (names.next().startsWith("eval_")) {
        return true;
      }
    }
    return false;
  }
}
