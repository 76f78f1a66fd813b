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
   * Lenient where Python writers are ({@code NaN}, {@code Infinity}, {@code .5}). A key written
   * twice is not the parser's business: the readers read members one by one and apply the one
   * duplicate-key rule, {@link StepCollector#put}. Thread-safe once built.
   */
  static final ObjectMapper MAPPER = JsonMapper.builder()
      .enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
      .enable(JsonReadFeature.ALLOW_LEADING_DECIMAL_POINT_FOR_NUMBERS)
      // Correctly rounded like Double.parseDouble (the same double for every input), several times faster.
      .enable(StreamReadFeature.USE_FAST_DOUBLE_PARSER)
      .build();

  /**
   * The members of the object the parser stands on (its START_OBJECT) by key, each value a tree,
   * a key written twice kept as {@link StepCollector.Duplicate#KEY}; the parser ends on the
   * object's END_OBJECT.
   */
  static Map<String, Object> members(JsonParser p) throws java.io.IOException {
    Map<String, Object> members = new HashMap<>();
    for (String key = p.nextFieldName(); key != null; key = p.nextFieldName()) {
      p.nextToken();
      StepCollector.put(members, key, MAPPER.readTree(p));
    }
    return members;
  }
}
