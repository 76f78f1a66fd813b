package io.github.rlvrdiagnostics.logs;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * The one number grammar of every reader and every command-line option: what text counts as a
 * number, and which integers are read exactly.
 *
 * <ul>
 *   <li>An integer is an optional sign and ASCII digits {@code 0-9}, nothing else: no suffix
 *       ({@code 7d}, {@code 5L}), no hexadecimal, no Arabic-Indic, full-width or other Unicode
 *       digits (which {@link Long#parseLong} would accept), no thousands separators.
 *   <li>A decimal number is an optional sign, ASCII digits with an optional point (at least one
 *       digit on either side) and an optional exponent {@code e}/{@code E} with ASCII digits:
 *       {@link Double#parseDouble}'s hexadecimal ({@code 0x1p-2}) and suffixed ({@code 0.5d})
 *       forms are refused.
 *   <li>Integers are never bent: one written in digits must fit a {@code long} (−2^63 to
 *       2^63 − 1) and is read exactly, else it is refused naming its line or option — never
 *       wrapped ({@code 18446744073709551621} is not 5) nor clamped. An integer written with a
 *       point or an exponent ({@code 5.0}, {@code 1e3}) is read through a double, so only below
 *       2^53 ({@link #MAX_EXACT_DOUBLE_INTEGER}), where every integer is a double.
 *   <li>An option's number must be finite and a non-zero literal must not underflow to zero
 *       ({@code 1e-400}): {@link #parseOption}.
 * </ul>
 *
 * All methods are static and thread-safe; refusals are {@link IllegalArgumentException}s whose
 * message starts with the caller's label and quotes the text {@linkplain #quote escaped}.
 */
public final class Numbers {
  private Numbers() {}

  /** 2^53: every integer of smaller magnitude is a double, and 2^53 + 1 is the first that is not. */
  public static final long MAX_EXACT_DOUBLE_INTEGER = 1L << 53;

  /** Characters of input a message quotes at most. */
  private static final int QUOTE_LIMIT = 200;

  private static final Pattern INTEGER = Pattern.compile("[+-]?[0-9]+");
  private static final Pattern DECIMAL =
      Pattern.compile("[+-]?(?:[0-9]+(?:\\.[0-9]*)?|\\.[0-9]+)(?:[eE][+-]?[0-9]+)?");
  /** A literal whose digits are all zero: the only ones that may read as 0. */
  private static final Pattern ZERO = Pattern.compile("[+-]?0*\\.?0*(?:[eE].*)?");

  /** Whether {@code text} is an integer of this grammar (sign and ASCII digits), whatever its size. */
  public static boolean isInteger(String text) {
    return INTEGER.matcher(text).matches();
  }

  /** Whether {@code text} is a decimal number of this grammar (integers included). */
  public static boolean isDecimal(String text) {
    return DECIMAL.matcher(text).matches();
  }

  /**
   * An integer written in ASCII digits, read exactly.
   *
   * @param label what the text is, for the message ("line 3: step", "--k")
   * @throws IllegalArgumentException if the text is not an integer of this grammar or lies
   *     outside −2^63 to 2^63 − 1
   */
  public static long parseLong(String text, String label) {
    if (!isInteger(text)) {
      throw new IllegalArgumentException(label + " must be an integer written in ASCII digits 0-9 (no suffix), was "
          + quote(text));
    }
    try {
      return Long.parseLong(text);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(label + " is beyond the integers read exactly (-2^63 to 2^63-1), was "
          + quote(text));
    }
  }

  /**
   * An integer written in ASCII digits, read exactly as an {@code int}.
   *
   * @throws IllegalArgumentException if the text is not an integer of this grammar or lies
   *     outside −2^31 to 2^31 − 1
   */
  public static int parseInt(String text, String label) {
    long value = parseLong(text, label);
    if (value != (int) value) {
      throw new IllegalArgumentException(label + " is beyond the integers read here (-2^31 to 2^31-1), was "
          + quote(text));
    }
    return (int) value;
  }

  /**
   * A decimal number of this grammar, correctly rounded to a double; a literal too large for a
   * double reads as an infinity, which the caller treats like the log's own {@code inf}.
   *
   * @throws IllegalArgumentException if the text is not a decimal number of this grammar
   */
  public static double parseDouble(String text, String label) {
    if (!isDecimal(text)) {
      throw new IllegalArgumentException(label + " must be a number, was " + quote(text));
    }
    return Double.parseDouble(text);
  }

  /**
   * A command-line option's number: {@link #parseDouble}, and also finite and, unless every
   * digit is 0, not underflowing to zero ({@code 1e-400} would silently become 0).
   *
   * @throws IllegalArgumentException if the text is not a decimal number of this grammar, or
   *     overflows or underflows a double
   */
  public static double parseOption(String text, String label) {
    double value = parseDouble(text, label);
    if (Double.isInfinite(value)) {
      throw new IllegalArgumentException(label + " is too large for a double, was " + quote(text));
    }
    if (value == 0.0 && !ZERO.matcher(text).matches()) {
      throw new IllegalArgumentException(label + " is too small for a double (it would read as 0), was " + quote(text));
    }
    return value;
  }

  /**
   * Comma-separated integers, each {@link #parseInt}; an empty item ({@code "1,"}, {@code "1,,2"})
   * is refused rather than dropped.
   *
   * @throws IllegalArgumentException on an empty item or an item that is not an integer
   */
  public static List<Integer> parseIntList(String text, String label) {
    List<Integer> values = new ArrayList<>();
    for (String item : text.split(",", -1)) {
      if (item.isEmpty()) {
        throw new IllegalArgumentException(label + " must be integers separated by single commas, was " + quote(text));
      }
      values.add(parseInt(item, label));
    }
    return values;
  }

  /**
   * A JSON number that must be an integer, read exactly: an integer token must fit a
   * {@code long}; a token with a point or an exponent must be integral and below 2^53 in
   * magnitude (its text is already rounded to a double, so a larger one may have been bent).
   *
   * @throws IllegalArgumentException if the node is missing, not a number, not integral, or
   *     outside those ranges
   */
  public static long exactLong(@Nullable JsonNode node, String label) {
    if (node == null || !node.isNumber()) {
      throw new IllegalArgumentException(label + " must be an integer, was " + quote(String.valueOf(node)));
    }
    if (node.isIntegralNumber()) {
      if (!node.canConvertToLong()) {
        throw new IllegalArgumentException(label + " is beyond the integers read exactly (-2^63 to 2^63-1), was "
            + quote(node.toString()));
      }
      return node.longValue();
    }
    return exactLong(node.doubleValue(), label, node.toString());
  }

  /**
   * An integer that arrived as a double (a JSON or Python float, {@code 5.0}): integral and below
   * 2^53 in magnitude, where no two integers share a double.
   *
   * @param text the value as written, for the message
   * @throws IllegalArgumentException if the value is not integral or is 2^53 or more in magnitude
   */
  public static long exactLong(double value, String label, String text) {
    if (!(value == Math.rint(value))) {
      throw new IllegalArgumentException(label + " must be an integer, was " + quote(text));
    }
    if (!(Math.abs(value) < MAX_EXACT_DOUBLE_INTEGER)) {
      throw new IllegalArgumentException(label + " must be an integer below 2^53 when written with a point or an"
          + " exponent (beyond, doubles skip integers; write it in digits), was " + quote(text));
    }
    return (long) value;
  }

  /**
   * The text as a message may echo it: between single quotes, {@linkplain #escape escaped}, and
   * cut after 200 characters with the count of the rest.
   */
  public static String quote(@Nullable String text) {
    String s = String.valueOf(text);
    if (s.length() <= QUOTE_LIMIT) {
      return "'" + escape(s) + "'";
    }
    return "'" + escape(s.substring(0, QUOTE_LIMIT)) + "… (" + (s.length() - QUOTE_LIMIT) + " more characters)'";
  }

  /**
   * The text with control characters (ANSI escape sequences included) and the bidirectional-text
   * controls that can reorder a terminal line (right-to-left overrides, isolates, marks) written
   * as {@code \}{@code uXXXX}, so that echoing it cannot repaint or reorder a terminal.
   */
  public static String escape(String text) {
    StringBuilder b = null;
    for (int i = 0; i < text.length(); i++) {
      char ch = text.charAt(i);
      if (unsafe(ch)) {
        if (b == null) {
          b = new StringBuilder(text.length() + 8).append(text, 0, i);
        }
        b.append(String.format(Locale.ROOT, "\\u%04x", (int) ch));
      } else if (b != null) {
        b.append(ch);
      }
    }
    return b == null ? text : b.toString();
  }

  /**
   * Whether a character is escaped when echoed, in text ({@link #escape}) and in the command
   * line's JSON output alike: C0/C1 controls, DEL and the bidirectional-text controls.
   */
  public static boolean unsafe(char ch) {
    return Character.isISOControl(ch)
        || (ch >= '\u202A' && ch <= '\u202E') // embeddings and overrides
        || (ch >= '\u2066' && ch <= '\u2069') // isolates
        || ch == '\u200E' || ch == '\u200F' || ch == '\u061C'; // marks
  }
}
