package io.github.rlvrdiagnostics.logs;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;
import java.util.Optional;

/**
 * The reader of JSON lines: each line starting with <code>{</code> is one object, one record. A
 * nested {@code "data"} object (verl's {@code {"step": n, "data": {…}}}) is merged into it; keys
 * starting with {@code actor/} or {@code critic/} mark the log as verl's. A last line without its
 * newline is held back as incomplete, even when it parses.
 */
final class JsonLinesReader implements LineReader {

  @Override
  public Optional<LogFormat> read(String line, int number, boolean unterminatedLast, StepCollector out) {
    if (!line.startsWith("{")) {
      return Optional.empty();
    }
    if (unterminatedLast) {
      // Even if it parses: "0.5" may be the first digits of "0.511".
      out.skipLine(number, StepCollector.INCOMPLETE_LAST_LINE);
      return Optional.of(LogFormat.JSONL);
    }
    JsonNode node;
    try {
      node = Json.MAPPER.readTree(line);
    } catch (JsonProcessingException e) {
      out.skipLine(number, "malformed JSON: " + e.getOriginalMessage());
      return Optional.of(LogFormat.JSONL);
    }
    if (!node.isObject()) {
      out.skipLine(number, "expected a JSON object");
      return Optional.of(LogFormat.JSONL);
    }
    Map<String, JsonNode> values = Json.members(node);
    JsonNode data = node.get("data");
    if (data != null && data.isObject()) {
      values.putAll(Json.members(data));
    }
    boolean verl = values.keySet().stream().anyMatch(k -> k.startsWith("actor/") || k.startsWith("critic/"));
    out.addLine(number, values);
    return Optional.of(verl ? LogFormat.VERL : LogFormat.JSONL);
  }

  @Override
  public boolean mixedWithOtherOutput() {
    return false;
  }
}
