package io.github.rlvrdiagnostics.logs;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * A parser of one Python dict literal as {@code print(dict)} writes it, the way Hugging Face's
 * {@code Trainer.log} prints metrics to the console: {@code {'loss': 0.01, 'entropy': 0.52,
 * 'epoch': 0.3}}. Keys are quoted strings ({@code '…'} or {@code "…"}, with backslash escapes);
 * scalar values are kept as their text ({@code 0.5}, {@code -1e-05}, {@code nan}, {@code inf},
 * {@code True}, {@code None}, {@code np.float64(0.5)}, {@code tensor(0.5, device='cuda:0')}) for
 * the step collector to read; strings are kept unquoted; nested dicts, lists and tuples are
 * skipped. Stateless.
 */
final class PythonDict {
  private final String s;
  private int i;

  private PythonDict(String s) {
    this.s = s;
  }

  /**
   * The dict's scalar members by key, in order.
   *
   * @throws IllegalArgumentException if {@code text} is not one complete dict literal, naming the
   *     position and what was expected
   */
  static Map<String, Object> parse(String text) {
    PythonDict p = new PythonDict(text);
    p.space();
    Map<String, Object> out = p.dict();
    p.space();
    if (p.i != text.length()) {
      throw p.error("end of line");
    }
    return out;
  }

  private Map<String, Object> dict() {
    expect('{');
    Map<String, Object> out = new LinkedHashMap<>();
    space();
    if (peek() == '}') {
      i++;
      return out;
    }
    while (true) {
      space();
      char q = peek();
      if (q != '\'' && q != '"') {
        throw error("a quoted key");
      }
      String key = string();
      space();
      expect(':');
      space();
      String value = value();
      if (value != null) {
        StepCollector.put(out, key, value); // a key written twice: dropped, with a note
      }
      space();
      char c = peek();
      i++;
      if (c == '}') {
        return out;
      }
      if (c != ',') {
        i--;
        throw error("',' or '}'");
      }
      space();
      if (peek() == '}') { // a trailing comma
        i++;
        return out;
      }
    }
  }

  /** A value: a scalar's text, a string's content, or null for a nested container (skipped). */
  private @Nullable String value() {
    char c = peek();
    if (c == '\'' || c == '"') {
      return string();
    }
    if (c == '{' || c == '[' || c == '(') {
      skipContainer();
      return null;
    }
    int start = i;
    int depth = 0;
    while (i < s.length()) {
      char d = s.charAt(i);
      if (d == '(' || d == '[') {
        depth++;
      } else if ((d == ')' || d == ']') && depth > 0) {
        depth--;
      } else if (d == '\'' || d == '"') {
        string(); // inside a call such as tensor(0.5, device='cuda:0')
        continue;
      } else if (depth == 0 && (d == ',' || d == '}')) {
        break;
      }
      i++;
    }
    if (depth != 0 || i == start) {
      throw error("a value");
    }
    String token = s.substring(start, i).strip();
    return switch (token.toLowerCase(Locale.ROOT)) {
      case "true" -> "1";
      case "false" -> "0";
      default -> token;
    };
  }

  private void skipContainer() {
    int depth = 0;
    while (i < s.length()) {
      char d = s.charAt(i);
      if (d == '\'' || d == '"') {
        string();
        continue;
      }
      if (d == '{' || d == '[' || d == '(') {
        depth++;
      } else if (d == '}' || d == ']' || d == ')') {
        depth--;
        if (depth == 0) {
          i++;
          return;
        }
      }
      i++;
    }
    throw error("the end of a nested value");
  }

  private String string() {
    char quote = s.charAt(i++);
    StringBuilder out = new StringBuilder();
    while (i < s.length()) {
      char c = s.charAt(i++);
      if (c == quote) {
        return out.toString();
      }
      if (c == '\\' && i < s.length()) {
        char e = s.charAt(i++);
        out.append(switch (e) {
          case 'n' -> '\n';
          case 't' -> '\t';
          default -> e;
        });
      } else {
        out.append(c);
      }
    }
    throw error("a closing " + quote);
  }

  private void space() {
    while (i < s.length() && Character.isWhitespace(s.charAt(i))) {
      i++;
    }
  }

  private char peek() {
    if (i >= s.length()) {
      throw error("more text");
    }
    return s.charAt(i);
  }

  private void expect(char c) {
    if (peek() != c) {
      throw error("'" + c + "'");
    }
    i++;
  }

  private IllegalArgumentException error(String expected) {
    return new IllegalArgumentException("malformed Python dict: expected " + expected + " at column " + (i + 1));
  }
}
