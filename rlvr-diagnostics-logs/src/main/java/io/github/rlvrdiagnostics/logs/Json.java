package io.github.rlvrdiagnostics.logs;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.util.HashMap;
import java.util.Map;

/** The JSON parser that the TRL and JSON-lines readers share, and the one helper they both need. */
final class Json {
  private Json() {}

  /**
   * Lenient where Python writers are ({@code NaN}, {@code Infinity}, {@code .5}), strict about a
   * key written twice: which of two values a trainer meant cannot be told, so such a record is
   * malformed rather than silently half-read. Thread-safe once built.
   */
  static final ObjectMapper MAPPER = JsonMapper.builder()
      .enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
      .enable(JsonReadFeature.ALLOW_LEADING_DECIMAL_POINT_FOR_NUMBERS)
      .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
      // Correctly rounded like Double.parseDouble (the same double for every input), several times faster.
      .enable(StreamReadFeature.USE_FAST_DOUBLE_PARSER)
      .build();

  /** The members of a JSON object by key, in a new mutable map (empty for any other node). */
  static Map<String, JsonNode> members(JsonNode object) {
    Map<String, JsonNode> members = new HashMap<>();
    for (Map.Entry<String, JsonNode> e : object.properties()) {
      members.put(e.getKey(), e.getValue());
    }
    return members;
  }
}
