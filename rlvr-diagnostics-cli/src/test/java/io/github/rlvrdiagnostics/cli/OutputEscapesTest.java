package io.github.rlvrdiagnostics.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@code --json} output carries input-file names and notes: it must be safe to show on a terminal. */
class OutputEscapesTest {

  private static String print(ObjectNode node) {
    StringWriter text = new StringWriter();
    try (PrintWriter out = new PrintWriter(text)) {
      Output.json(out, node);
    }
    return text.toString();
  }

  @Test
  void bidirectionalAndC1ControlsAreEscapedAndReadBackUnchanged() throws Exception {
    // A right-to-left override, an isolate, a mark, a C1 CSI, DEL and an ANSI escape, in a value and a key.
    String hostile = "reward\u202Eknil\u2066x\u2069\u200F\u009B31m\u007F\u001B[2J";
    ObjectNode node = Output.object();
    node.put("name", hostile);
    node.put(hostile, 1);
    String text = print(node);
    for (char ch : hostile.toCharArray()) {
      if (ch < 0x20 || ch >= 0x7F) {
        assertFalse(text.indexOf(ch) >= 0, String.format("U+%04X written raw: %s", (int) ch, text));
      }
    }
    assertTrue(text.contains("reward\\u202eknil\\u2066x\\u2069\\u200f\\u009b31m\\u007f\\u001B[2J"), text);
    JsonNode back = Output.JSON.readTree(text);
    assertEquals(hostile, back.get("name").asText());
    assertEquals(List.of("name", hostile), List.copyOf(iterable(back)));
  }

  @Test
  void otherTextIsWrittenAsIs() {
    ObjectNode node = Output.object();
    node.put("note", "σ ≥ 3·p̄(1 − p̄), 日本語, ✓");
    assertTrue(print(node).contains("\"σ ≥ 3·p̄(1 − p̄), 日本語, ✓\""));
  }

  @Test
  void theStreamedSeriesIsEscapedToo() {
    ObjectNode node = Output.object();
    node.putArray("series");
    ObjectNode entry = Output.object();
    entry.put("name", "a\u202Eb");
    StringWriter text = new StringWriter();
    try (PrintWriter out = new PrintWriter(text)) {
      Output.json(out, node, "series", List.<JsonNode>of(entry));
    }
    assertTrue(text.toString().contains("a\\u202eb") && text.toString().indexOf('\u202E') < 0, text.toString());
  }

  @Test
  void oneLineEventsAreEscapedToo() {
    ObjectNode node = Output.object();
    node.put("name", "a\u202Eb");
    String line = Output.line(node);
    assertEquals("{\"name\":\"a\\u202eb\"}", line);
  }

  private static java.util.List<String> iterable(JsonNode node) {
    java.util.List<String> names = new java.util.ArrayList<>();
    node.fieldNames().forEachRemaining(names::add);
    return names;
  }
}
