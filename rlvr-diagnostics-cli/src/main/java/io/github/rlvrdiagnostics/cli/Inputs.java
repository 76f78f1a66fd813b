package io.github.rlvrdiagnostics.cli;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.github.rlvrdiagnostics.logs.Numbers;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Reading input files the same strict way in every reader: a size limit checked before reading,
 * UTF-8 that must be valid (the error names the byte offset and line), and JSON without
 * duplicate keys or trailing data, whose errors never depend on a location Jackson may not have.
 */
final class Inputs {
  private Inputs() {}

  /**
   * The largest file any reader accepts, 1 GiB: a reader holds the whole file and what it parsed
   * from it (a JSON tree is several times the text), and 2 GiB is beyond any Java array.
   */
  static final long MAX_FILE_BYTES = 1L << 30;

  /** Characters of input echoed in a message at most; longer text is cut with its length. */
  static final int ECHO_LIMIT = 200;

  private static final ObjectMapper STRICT = JsonMapper.builder()
      .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
      .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
      .build();

  /** {@link #STRICT} that also reads {@code NaN} and {@code -Infinity} (masked logits). */
  private static final ObjectMapper STRICT_NON_NUMERIC = JsonMapper.builder()
      .enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
      .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
      .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
      .build();

  /**
   * The bytes of a regular file, refused before reading when it is larger than
   * {@link #MAX_FILE_BYTES} or than {@code 1/heapFactor} of the JVM's maximum heap (the reader
   * needs about {@code heapFactor} times the file's size in memory).
   */
  static byte[] readBytes(Path file, int heapFactor) {
    requireRegularFile(file);
    try {
      long size = Files.size(file);
      long heapLimit = Runtime.getRuntime().maxMemory() / heapFactor;
      long limit = Math.min(MAX_FILE_BYTES, heapLimit);
      if (size > limit) {
        throw new InputException(String.format(Locale.ROOT,
            "%s: file of %d bytes is larger than %d bytes, the limit %s; split it into several files",
            file, size, limit, limit == heapLimit
                ? "for this heap (reading needs about " + heapFactor + " times the file's size; raise -Xmx)"
                : "of 1 GiB"));
      }
      return Files.readAllBytes(file);
    } catch (IOException e) {
      throw new InputException(file + ": cannot read: " + e.getMessage(), e);
    }
  }

  /**
   * Refuses a path that is not a regular file, saying what it is: missing, a directory, or
   * something else (a device such as {@code /dev/null}, a named pipe, a socket), which would
   * read as empty or block rather than give a file's content.
   */
  static void requireRegularFile(Path file) {
    if (Files.isRegularFile(file)) {
      return;
    }
    String name = Numbers.escape(file.toString());
    if (Files.isDirectory(file)) {
      throw new InputException(name + ": is a directory, not a file");
    }
    if (Files.exists(file)) {
      throw new InputException(name + ": is not a regular file (a device, named pipe or socket); give a file");
    }
    throw new InputException(name + ": no such file");
  }

  /** The text of a UTF-8 file: {@link #readBytes} then {@link #utf8}. */
  static String readUtf8(Path file) {
    return utf8(file, readBytes(file, 6));
  }

  /** Decodes strict UTF-8; the error names the first bad byte's offset and its line. */
  static String utf8(Path file, byte[] bytes) {
    CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
        .onMalformedInput(CodingErrorAction.REPORT)
        .onUnmappableCharacter(CodingErrorAction.REPORT);
    ByteBuffer in = ByteBuffer.wrap(bytes);
    CharBuffer out = CharBuffer.allocate(bytes.length);
    CoderResult result = decoder.decode(in, out, true);
    if (result.isError()) {
      int offset = in.position();
      int line = 1;
      for (int i = 0; i < offset; i++) {
        if (bytes[i] == '\n') {
          line++;
        }
      }
      throw new InputException(file + ": not valid UTF-8 at byte " + offset + " (line " + line + ")");
    }
    decoder.flush(out);
    String text = out.flip().toString();
    // A byte-order mark is not part of the content.
    return text.startsWith("\uFEFF") ? text.substring(1) : text;
  }

  /**
   * One JSON document, strictly: duplicate keys and anything after the value are errors, and so
   * are {@code NaN} and infinities unless {@code nonNumeric}.
   *
   * @param where the message prefix, a file name with ": " (and line) already
   */
  static JsonNode json(String text, String where, boolean nonNumeric) {
    try {
      JsonNode node = (nonNumeric ? STRICT_NON_NUMERIC : STRICT).readTree(text);
      if (node == null || node.isMissingNode()) {
        throw new InputException(where + "no JSON value");
      }
      return node;
    } catch (JsonProcessingException e) {
      String message = String.valueOf(e.getOriginalMessage());
      if (message.startsWith("Trailing token")) {
        throw new InputException(where + "trailing data after the JSON value" + at(e));
      }
      throw new InputException(where + "malformed JSON" + at(e) + ": " + cut(message));
    }
  }

  /** " at line L, column C" when Jackson knows the location (it may not, e.g. for depth limits). */
  static String at(JsonProcessingException e) {
    JsonLocation location = e.getLocation();
    if (location == null || location.getLineNr() < 1) {
      return "";
    }
    return " at line " + location.getLineNr() + ", column " + location.getColumnNr();
  }

  /**
   * The text, or its first {@link #ECHO_LIMIT} characters and how many more there were, with
   * control and bidirectional characters escaped ({@link Numbers#escape}).
   */
  static String cut(@org.jspecify.annotations.Nullable Object value) {
    String text = String.valueOf(value);
    if (text.length() <= ECHO_LIMIT) {
      return Numbers.escape(text);
    }
    return Numbers.escape(text.substring(0, ECHO_LIMIT)) + "… (" + (text.length() - ECHO_LIMIT) + " more characters)";
  }
}
