package io.github.rlvrdiagnostics.spark;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;
import java.io.IOException;
import java.util.HashSet;
import java.util.Locale;
import java.util.Set;
import org.apache.spark.api.java.function.MapFunction;

/**
 * JSON lines before Spark parses them. Spark's JSON reader fails the whole job on one line with a
 * key written twice (its schema would have two columns of one name); here such a line becomes a
 * record that holds only its skip reason, so that it is counted, not fatal.
 */
final class JsonLines {
  private JsonLines() {}

  /** A line with a duplicate key, replaced: one column, {@link SkipReason#COLUMN}, holding the reason. */
  static final String DUPLICATE = "{\"" + SkipReason.COLUMN + "\":\"" + SkipReason.DUPLICATE_KEY.text() + "\"}";

  /** Replaces each line with a duplicate key by {@link #DUPLICATE}; every other line passes unchanged. */
  static final class MarkDuplicateKeys implements MapFunction<String, String> {
    private static final long serialVersionUID = 1L;
    private transient JsonFactory factory;

    @Override
    public String call(String line) {
      if (factory == null) {
        factory = JsonFactory.builder().enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).build();
      }
      return hasDuplicateKey(factory, line) ? DUPLICATE : line;
    }
  }

  /**
   * Whether a line holds a key twice: in any object, or at the top level in two cases (Spark's
   * column names ignore case by default). A line that is not JSON is not judged here: Spark marks
   * it as malformed.
   */
  static boolean hasDuplicateKey(JsonFactory factory, String line) {
    Set<String> top = new HashSet<>();
    try (JsonParser parser = factory.createParser(line)) {
      int depth = 0;
      for (JsonToken t = parser.nextToken(); t != null; t = parser.nextToken()) {
        switch (t) {
          case START_OBJECT, START_ARRAY -> depth++;
          case END_OBJECT, END_ARRAY -> depth--;
          case FIELD_NAME -> {
            if (depth == 1 && !top.add(parser.currentName().toLowerCase(Locale.ROOT))) {
              return true;
            }
          }
          default -> { }
        }
      }
      return false;
    } catch (IOException e) {
      // Jackson's duplicate detection reports "Duplicate field 'x'"; any other failure is Spark's to mark.
      return e.getMessage() != null && e.getMessage().startsWith("Duplicate field");
    }
  }
}
