package io.github.rlvrdiagnostics.core;

/**
 * Argument checks of the core module. Every message names the parameter, the rule and the value;
 * every check is written positively so that NaN fails it.
 */
final class Validate {
  private Validate() {}

  static double probability(String name, double value) {
    if (value >= 0.0 && value <= 1.0) {
      return value;
    }
    throw new IllegalArgumentException(name + " must be in [0, 1], was " + value);
  }

  static int groupSize(int groupSize) {
    return atLeast("groupSize", groupSize, 1);
  }

  static int atLeast(String name, int value, int min) {
    if (value >= min) {
      return value;
    }
    throw new IllegalArgumentException(name + " must be >= " + min + ", was " + value);
  }

  static double finite(String name, double value) {
    if (Double.isFinite(value)) {
      return value;
    }
    throw new IllegalArgumentException(name + " must be finite, was " + value);
  }

  static double[] probabilities(String name, double[] values) {
    if (values.length == 0) {
      throw new IllegalArgumentException(name + " must not be empty, was length 0");
    }
    for (int i = 0; i < values.length; i++) {
      if (!(values[i] >= 0.0 && values[i] <= 1.0)) {
        throw new IllegalArgumentException(
            name + "[" + i + "] must be in [0, 1], was " + values[i]);
      }
    }
    return values;
  }

  /** Checks {@code n ≥ minN} and {@code 0 ≤ c ≤ n}. */
  static void counts(int n, int c, int minN) {
    atLeast("n", n, minN);
    if (!(c >= 0 && c <= n)) {
      throw new IllegalArgumentException("c must be in [0, n] = [0, " + n + "], was " + c);
    }
  }
}
