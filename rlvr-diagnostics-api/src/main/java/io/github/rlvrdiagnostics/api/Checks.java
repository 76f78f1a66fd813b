package io.github.rlvrdiagnostics.api;

/**
 * Argument checks shared by the API's records; every message names the parameter, the rule and
 * the value. Each check is written positively so that NaN fails it.
 */
final class Checks {
  private Checks() {}

  static double probability(String name, double value) {
    if (value >= 0.0 && value <= 1.0) {
      return value;
    }
    throw new IllegalArgumentException(name + " must be in [0, 1], was " + value);
  }

  static double finite(String name, double value) {
    if (Double.isFinite(value)) {
      return value;
    }
    throw new IllegalArgumentException(name + " must be finite, was " + value);
  }

  static int atLeast(String name, int value, int min) {
    if (value >= min) {
      return value;
    }
    throw new IllegalArgumentException(name + " must be >= " + min + ", was " + value);
  }
}
