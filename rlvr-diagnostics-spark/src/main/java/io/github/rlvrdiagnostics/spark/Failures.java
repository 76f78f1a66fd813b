package io.github.rlvrdiagnostics.spark;

import java.io.IOException;
import java.util.function.Supplier;
import org.apache.spark.SparkThrowable;
import org.jspecify.annotations.Nullable;

/**
 * Spark's failures to read the input (a missing path, a corrupt, truncated or foreign file, a
 * page that does not decode) turned into one {@link IllegalArgumentException} line: bad input, not
 * a failed job. Every other failure passes unchanged.
 */
final class Failures {
  private Failures() {}

  /** Spark's error conditions that mean "this input cannot be read". */
  private static final String[] READ_CONDITIONS = {"FAILED_READ_FILE", "CANNOT_READ_FILE_FOOTER", "PATH_NOT_FOUND",
      "UNABLE_TO_INFER_SCHEMA", "CANNOT_READ_FILE", "FILE_NOT_EXIST", "CORRUPTED_", "INVALID_PARQUET"};

  /** Runs {@code action}; a failure to read the input becomes an IllegalArgumentException of one line. */
  static <T> T reading(Supplier<T> action) {
    try {
      return action.get();
    } catch (IllegalArgumentException e) {
      throw e;
    } catch (Exception e) { // Spark's SparkException is checked in Java's eyes, yet thrown by every action
      IllegalArgumentException input = asInput(e);
      if (input != null) {
        throw input;
      }
      throw e instanceof RuntimeException r ? r : new IllegalStateException(firstLine(e.getMessage()), e);
    }
  }

  /** The same for Spark's checked exceptions (its {@code AnalysisException}, {@code SparkException}). */
  static @Nullable IllegalArgumentException asInput(Throwable e) {
    String condition = null;
    Throwable reading = null;
    Throwable root = e;
    for (Throwable t = e; t != null; t = t.getCause()) {
      root = t;
      if (reading == null && t instanceof SparkThrowable s && s.getCondition() != null && isRead(s.getCondition())) {
        condition = s.getCondition();
        reading = t;
      }
      if (reading == null && (t instanceof IOException || t.getClass().getName().startsWith("org.apache.parquet."))) {
        reading = t;
      }
      if (t.getCause() == t) {
        break;
      }
    }
    if (reading == null) {
      return null;
    }
    String message = firstLine(reading.getMessage());
    if (condition != null && !condition.startsWith("PATH_NOT_FOUND") && root != reading) {
      message += ": " + firstLine(root.getMessage());
    }
    IllegalArgumentException input = new IllegalArgumentException("input cannot be read: " + message);
    input.initCause(e);
    return input;
  }

  private static boolean isRead(String condition) {
    for (String c : READ_CONDITIONS) {
      if (condition.startsWith(c)) {
        return true;
      }
    }
    return false;
  }

  /** The first line of a message, without Spark's "[CONDITION] " prefix and " SQLSTATE: ..." suffix. */
  static String firstLine(@Nullable String message) {
    if (message == null) {
      return "no message";
    }
    String line = message.strip();
    int end = line.indexOf('\n');
    line = end < 0 ? line : line.substring(0, end);
    line = line.replaceFirst("^\\[[A-Z_.]+\\] ", "").replaceFirst("\\s*SQLSTATE: \\w+\\.?$", "");
    return line.length() <= 400 ? line : line.substring(0, 400) + "…";
  }
}
