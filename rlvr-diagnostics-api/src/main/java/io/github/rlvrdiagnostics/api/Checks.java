package io.github.rlvrdiagnostics.api;

/**
 * The argument checks of every module of the library, in one place. Each message names the
 * parameter, the rule and the value; each check is written positively so that NaN fails it.
 *
 * <p>Public so that the core, logs and DJL modules share one copy; it is a helper, not a concept
 * of the API, and may change between minor versions.
 */
public final class Checks {

  /**
   * How far, relative to the larger magnitude (and at least absolutely), parts that must add up
   * may miss: {@code 1e-6}. Trainers log fractions as float32 printed to about 7 significant
   * digits, so 0.3333333 + 0.6666667 is 1.0000000 only to within a few 1e-8; 1e-6 covers that
   * rounding with room, and no real inconsistency (one group in a million) hides below it.
   * The one tolerance for "these fractions must sum to at most 1" in records and readers.
   */
  public static final double FRACTION_TOLERANCE = 1e-6;

  /**
   * Whether {@code a ≤ b} up to {@link #FRACTION_TOLERANCE} relative to the larger magnitude
   * (absolute below 1); false when either is NaN.
   */
  public static boolean atMostWithinTolerance(double a, double b) {
    return a <= b + FRACTION_TOLERANCE * Math.max(1.0, Math.max(Math.abs(a), Math.abs(b)));
  }
  private Checks() {}

  /** The group-size rule of the whole library: a GRPO group holds at least one rollout. */
  public static final int MIN_GROUP_SIZE = 1;

  /** {@code value} in [0, 1]. */
  public static double probability(String name, double value) {
    if (value >= 0.0 && value <= 1.0) {
      return value;
    }
    throw new IllegalArgumentException(name + " must be in [0, 1], was " + value);
  }

  /** {@code value} finite. */
  public static double finite(String name, double value) {
    if (Double.isFinite(value)) {
      return value;
    }
    throw new IllegalArgumentException(name + " must be finite, was " + value);
  }

  /** {@code value} finite and strictly positive. */
  public static double positive(String name, double value) {
    if (value > 0.0 && value < Double.POSITIVE_INFINITY) {
      return value;
    }
    throw new IllegalArgumentException(name + " must be finite and > 0, was " + value);
  }

  /** {@code value} finite and {@code >= 0}. */
  public static double nonNegative(String name, double value) {
    if (value >= 0.0 && value < Double.POSITIVE_INFINITY) {
      return value;
    }
    throw new IllegalArgumentException(name + " must be finite and >= 0, was " + value);
  }

  /** {@code value} in the open interval (low, high). */
  public static double open(String name, double value, double low, double high) {
    if (value > low && value < high) {
      return value;
    }
    throw new IllegalArgumentException(name + " must be in (" + bound(low) + ", " + bound(high) + "), was " + value);
  }

  /** {@code value} in the half-open interval [low, high). */
  public static double closedOpen(String name, double value, double low, double high) {
    if (value >= low && value < high) {
      return value;
    }
    throw new IllegalArgumentException(name + " must be in [" + bound(low) + ", " + bound(high) + "), was " + value);
  }

  /** {@code value} in the half-open interval (low, high]. */
  public static double openClosed(String name, double value, double low, double high) {
    if (value > low && value <= high) {
      return value;
    }
    throw new IllegalArgumentException(name + " must be in (" + bound(low) + ", " + bound(high) + "], was " + value);
  }

  /** {@code value >= min}. */
  public static int atLeast(String name, int value, int min) {
    if (value >= min) {
      return value;
    }
    throw new IllegalArgumentException(name + " must be >= " + min + ", was " + value);
  }

  /** {@code value >= min}. */
  public static long atLeast(String name, long value, long min) {
    if (value >= min) {
      return value;
    }
    throw new IllegalArgumentException(name + " must be >= " + min + ", was " + value);
  }

  /** The one group-size rule: {@code groupSize >= }{@link #MIN_GROUP_SIZE}. */
  public static int groupSize(int groupSize) {
    return atLeast("groupSize", groupSize, MIN_GROUP_SIZE);
  }

  /** A sampling temperature: finite and {@code > 0}. */
  public static double temperature(double temperature) {
    return positive("temperature", temperature);
  }

  /** A nucleus (top-p) mass: in (0, 1]. */
  public static double topP(double topP) {
    return openClosed("topP", topP, 0.0, 1.0);
  }

  /** Every element in [0, 1], and at least one element. */
  public static double[] probabilities(String name, double[] values) {
    if (values.length == 0) {
      throw new IllegalArgumentException(name + " must not be empty, was length 0");
    }
    for (int i = 0; i < values.length; i++) {
      if (!(values[i] >= 0.0 && values[i] <= 1.0)) {
        throw new IllegalArgumentException(name + "[" + i + "] must be in [0, 1], was " + values[i]);
      }
    }
    return values;
  }

  /** {@code n >= minN} and {@code 0 <= c <= n}. */
  public static void counts(int n, int c, int minN) {
    atLeast("n", n, minN);
    if (!(c >= 0 && c <= n)) {
      throw new IllegalArgumentException("c must be in [0, n] = [0, " + n + "], was " + c);
    }
  }

  /** An interval bound as people write it: {@code 0} and {@code 1}, not {@code 0.0} and {@code 1.0}. */
  private static String bound(double value) {
    return value == Math.rint(value) && Math.abs(value) < 1e15 ? Long.toString((long) value) : Double.toString(value);
  }
}
