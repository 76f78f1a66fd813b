package io.github.rlvrdiagnostics.logs;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The reader of JSON lines: each line starting with <code>{</code> is one object, one record. A
 * nested {@code "data"} object (verl's {@code file} logger writes {@code {"step": n, "data": {…}}},
 * nulls and strings among the values) is merged into it; keys
 * starting with {@code actor/} or {@code critic/} mark the log as verl's. A last line without its
 * newline is held back as incomplete, even when it parses.
 *
 * <p>Streamed: the whole line is tokenised (so a malformed line anywhere is still caught), but only the values under keys some field looks for are turned into values.
 * A verl metric line holds a hundred numbers of which the monitor wants about ten, and parsing the
 * other ninety was most of the time spent reading a large log.
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
    Record record = new Record();
    try (JsonParser p = Json.MAPPER.createParser(line)) {
      if (p.nextToken() != JsonToken.START_OBJECT) {
        out.skipLine(number, "expected a JSON object");
        return Optional.of(LogFormat.JSONL);
      }
      record.readMembers(p, out, true);
    } catch (JsonProcessingException e) {
      out.skipLine(number, "malformed JSON: " + e.getOriginalMessage());
      return Optional.of(LogFormat.JSONL);
    } catch (IOException e) {
      throw new UncheckedIOException(e); // reading a String cannot fail otherwise
    }
    out.addLine(number, record.values);
    return Optional.of(record.verl ? LogFormat.VERL : LogFormat.JSONL);
  }

  /**
   * The wanted values of one line; verl's nested data wins over a top-level key of the same name,
   * and a key written twice at one level follows the one duplicate-key rule ({@link StepCollector#put}).
   */
  private static final class Record {
    final Map<String, Object> values = new HashMap<>(32);
    private final Map<String, Object> data = new HashMap<>(32);
    boolean verl;
    private boolean evaluation;

    /** Reads an object's members up to its end; the parser stands on its START_OBJECT. */
    void readMembers(JsonParser p, StepCollector out, boolean topLevel) throws IOException {
      Map<String, Object> into = topLevel ? values : data;
      for (String key = p.nextFieldName(); key != null; key = p.nextFieldName()) {
        JsonToken value = p.nextToken();
        verl |= key.startsWith("actor/") || key.startsWith("critic/");
        if (topLevel && key.equals("data") && value == JsonToken.START_OBJECT) {
          readMembers(p, out, false);
        } else if (out.wants(key)) {
          StepCollector.put(into, key, Json.MAPPER.readTree(p));
        } else {
          evaluation |= StepCollector.isEvaluationKey(key);
          out.unwanted(key);
          p.skipChildren(); // tokenised, so still checked, but never turned into a value
        }
      }
      if (p.currentToken() != JsonToken.END_OBJECT) {
        throw new IllegalStateException("JSON parser ended an object on " + p.currentToken());
      }
      if (topLevel) {
        values.putAll(data);
        if (evaluation) {
          values.put(StepCollector.EVALUATION_MARK, Boolean.TRUE);
        }
      }
    }
  }

  @Override
  public boolean mixedWithOtherOutput() {
    return false;
  }
}
