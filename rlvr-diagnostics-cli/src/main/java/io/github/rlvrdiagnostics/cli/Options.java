package io.github.rlvrdiagnostics.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

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

  /**
   * Checks an output-directory option before any work is done: it must not be empty (which
   * would mean the current directory) and must not name an existing non-directory.
   *
   * @return {@code dir}, for chaining
   * @throws InputException naming the option when the path cannot be the directory
   */
  public static @Nullable Path outputDirectory(String option, @Nullable Path dir) {
    if (dir == null) {
      return null;
    }
    if (dir.toString().isEmpty()) {
      throw new InputException(option + " must not be empty; give a directory");
    }
    if (Files.exists(dir) && !Files.isDirectory(dir)) {
      throw new InputException(option + " must be a directory, but " + dir + " is a file");
    }
    return dir;
  }

  /**
   * Refuses {@code options} given on the command line without {@code needed} (they would be
   * silently ignored), in one line naming the first of them.
   *
   * @param present whether {@code needed} was given
   */
  public static void onlyWith(picocli.CommandLine.Model.CommandSpec spec, String needed, boolean present, String... options) {
    if (present) {
      return;
    }
    for (String option : options) {
      if (spec.commandLine().getParseResult().hasMatchedOption(option)) {
        throw new InputException(option + " needs " + needed + " (without it the option would be ignored)");
      }
    }
  }

  /**
   * Checks an output-file option before any work is done: not empty and not an existing
   * directory.
   *
   * @return {@code file}, for chaining
   * @throws InputException naming the option when the path cannot be written as a file
   */
  public static @Nullable Path outputFile(String option, @Nullable Path file) {
    if (file == null) {
      return null;
    }
    if (file.toString().isEmpty()) {
      throw new InputException(option + " must not be empty; give a file");
    }
    if (Files.isDirectory(file)) {
      throw new InputException(option + " must be a file, but " + file + " is a directory");
    }
    return file;
  }
}
