package io.github.rlvrdiagnostics.cli;

import java.util.Map;
import java.util.function.Supplier;

/**
 * Turns the library's validation messages into messages about the options a user typed. The
 * records and estimators validate (with {@code api.Checks}); the command line does not check a
 * rule a second time, it renames the parameter: {@code "topP must be in (0, 1], was 0"} becomes
 * {@code "--top-p must be in (0, 1], was 0"}. Options that are the command line's own are checked
 * with {@code Checks} under the option's name, whose {@link IllegalArgumentException} the command
 * line already reports as bad input.
 */
public final class Options {
  private Options() {}

  /**
   * Runs {@code action}; an {@link IllegalArgumentException} from it comes back as an
   * {@link InputException} whose message names options instead of parameters.
   *
   * @param names parameter name → option, for example {@code "groupSize" → "--group-size"}
   */
  public static <T> T named(Map<String, String> names, Supplier<T> action) {
    try {
      return action.get();
    } catch (IllegalArgumentException e) {
      throw new InputException(rename(e.getMessage(), names), e);
    }
  }

  /**
   * The message with its leading parameter name, and every other occurrence of a parameter name
   * of more than one letter, replaced by the option. One-letter names ({@code n}, {@code c}) are
   * replaced only at the start, where they name the parameter, not inside a formula.
   */
  static String rename(String message, Map<String, String> names) {
    String renamed = message == null ? "bad input" : message;
    for (Map.Entry<String, String> e : names.entrySet()) {
      String name = e.getKey();
      if (renamed.startsWith(name + " ")) {
        renamed = e.getValue() + renamed.substring(name.length());
      }
      if (name.length() > 1) {
        renamed = renamed.replaceAll("(?<![-\\w])" + java.util.regex.Pattern.quote(name) + "\\b", e.getValue());
      }
    }
    return renamed;
  }
}
