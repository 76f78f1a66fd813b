package io.github.rlvrdiagnostics.cli;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.SerializableString;
import com.fasterxml.jackson.core.io.CharacterEscapes;
import com.fasterxml.jackson.core.io.SerializedString;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalDouble;

/** Printing of results: pretty JSON with {@code --json}, aligned tables otherwise. */
public final class Output {
  public static final ObjectMapper JSON = new ObjectMapper(jsonFactory()).enable(SerializationFeature.INDENT_OUTPUT);

  /** {@link #JSON} without indentation: one object per line. */
  private static final ObjectWriter COMPACT = JSON.writer().without(SerializationFeature.INDENT_OUTPUT);

  /**
   * JSON text that is safe on a terminal: beyond JSON's own escapes (C0 controls, quote,
   * backslash), every character {@link io.github.rlvrdiagnostics.logs.Numbers#unsafe} names (DEL,
   * C1 controls, bidirectional-text controls) is written as {@code \}{@code uXXXX}. Names and
   * notes come from input files; escaped, they read back as the same strings and cannot reorder
   * or repaint the terminal that shows {@code --json}.
   */
  private static JsonFactory jsonFactory() {
    JsonFactory factory = new JsonFactory();
    factory.setCharacterEscapes(new TerminalSafeEscapes());
    return factory;
  }

  private static final class TerminalSafeEscapes extends CharacterEscapes {
    private static final long serialVersionUID = 1L;
    private final int[] ascii;

    TerminalSafeEscapes() {
      ascii = CharacterEscapes.standardAsciiEscapesForJSON();
      ascii[0x7F] = CharacterEscapes.ESCAPE_CUSTOM;
    }

    @Override
    public int[] getEscapeCodesForAscii() {
      return ascii;
    }

    @Override
    public SerializableString getEscapeSequence(int ch) {
      return ch <= 0xFFFF && io.github.rlvrdiagnostics.logs.Numbers.unsafe((char) ch)
          ? new SerializedString(String.format(Locale.ROOT, "\\u%04x", ch)) : null;
    }
  }

  private Output() {}

  public static ObjectNode object() {
    return JSON.createObjectNode();
  }

  /**
   * One JSON object on one line (the events of {@code --follow --json}, JSON-lines files),
   * escaped as {@link #JSON} escapes.
   */
  public static String line(JsonNode node) {
    try {
      return COMPACT.writeValueAsString(node);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write JSON", e);
    }
  }

  public static void json(PrintWriter out, Object node) {
    try {
      out.println(JSON.writeValueAsString(node));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write JSON", e);
    }
  }

  /**
   * Prints {@code node} as {@link #json(PrintWriter, Object)} does, except that the array under
   * {@code field} (empty in {@code node}) is written element by element from {@code elements}, so a
   * long series is never held as one tree. The text is the same as printing the filled node.
   */
  public static void json(PrintWriter out, ObjectNode node, String field, Iterable<? extends JsonNode> elements) {
    try (JsonGenerator g = JSON.writer().createGenerator(out)) {
      g.disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
      g.writeStartObject();
      for (Map.Entry<String, JsonNode> e : node.properties()) {
        g.writeFieldName(e.getKey());
        if (e.getKey().equals(field)) {
          g.writeStartArray();
          for (JsonNode element : elements) {
            JSON.writeTree(g, element);
          }
          g.writeEndArray();
        } else {
          JSON.writeTree(g, e.getValue());
        }
      }
      g.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write JSON", e);
    }
    out.println();
  }

  /** Puts {@code value} under {@code field}, or JSON {@code null} when it is empty. */
  public static void put(ObjectNode node, String field, OptionalDouble value) {
    if (value.isPresent()) {
      node.put(field, value.getAsDouble());
    } else {
      node.putNull(field);
    }
  }

  /** Puts {@code value} under {@code field} when present; leaves the field out when empty. */
  public static void putIfPresent(ObjectNode node, String field, OptionalDouble value) {
    if (value.isPresent()) {
      node.put(field, value.getAsDouble());
    }
  }

  /** A number for people: 6 significant digits, scientific below 1e-4; −0 prints as 0. */
  public static String number(double value) {
    if (value == 0.0) {
      return "0";
    }
    if ( (Math.abs(value) >= 1e-4 && Math.abs(value) < 1e7)) {
      return String.format(Locale.ROOT, "%.6g", value).replaceAll("(\\.\\d*?)0+$", "$1").replaceAll("\\.$", "");
    }
    return String.format(Locale.ROOT, "%.4e", value);
  }

  /** A table whose first row is the header, columns padded to their widest cell. */
  public static final class Table {
    private final List<String[]> rows = new ArrayList<>();

    public Table(String... header) {
      rows.add(header);
    }

    public Table row(Object... cells) {
      String[] row = new String[cells.length];
      for (int i = 0; i < cells.length; i++) {
        // Names come from input files: escaped, so that they cannot repaint or reorder the terminal.
        row[i] = cells[i] instanceof Double d ? number(d) : io.github.rlvrdiagnostics.logs.Numbers.escape(String.valueOf(cells[i]));
      }
      rows.add(row);
      return this;
    }

    public void print(PrintWriter out) {
      int columns = rows.get(0).length;
      int[] width = new int[columns];
      for (String[] row : rows) {
        for (int c = 0; c < columns; c++) {
          width[c] = Math.max(width[c], row[c].length());
        }
      }
      for (int r = 0; r < rows.size(); r++) {
        StringBuilder line = new StringBuilder();
        for (int c = 0; c < columns; c++) {
          String cell = rows.get(r)[c];
          line.append(c == 0 ? pad(cell, width[c]) : "  " + padLeft(cell, width[c]));
        }
        out.println(line.toString().stripTrailing());
        if (r == 0) {
          StringBuilder rule = new StringBuilder();
          for (int c = 0; c < columns; c++) {
            rule.append(c == 0 ? "" : "  ").append("-".repeat(width[c]));
          }
          out.println(rule);
        }
      }
    }

    private static String pad(String s, int width) {
      return s + " ".repeat(width - s.length());
    }

    private static String padLeft(String s, int width) {
      return " ".repeat(width - s.length()) + s;
    }
  }

  /** Two columns, quantity and value, for single results. */
  public static Table keyValues() {
    return new Table("quantity", "value");
  }
}
