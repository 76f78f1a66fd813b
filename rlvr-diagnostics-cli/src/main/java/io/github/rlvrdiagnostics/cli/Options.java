package io.github.rlvrdiagnostics.cli;

/** Validation of option values, with messages that name the option as the user typed it. */
public final class Options {
  private Options() {}

  public static int atLeast(String option, int value, int min) {
    if (value >= min) {
      return value;
    }
    throw new InputException(option + " must be >= " + min + ", was " + value);
  }

  public static double probability(String option, double value) {
    if (value >= 0.0 && value <= 1.0) {
      return value;
    }
    throw new InputException(option + " must be in [0, 1], was " + value);
  }
}
