package io.github.rlvrdiagnostics.core.rollout;

import io.github.rlvrdiagnostics.api.AdvantageEstimator;
import io.github.rlvrdiagnostics.api.Checks;

/**
 * Group-relative advantage estimators and Inverse-success Advantage Calibration (docs/MATH.md §5).
 *
 * <p>Conventions: a degenerate group gets advantage 0 under every centred estimator
 * ({@link AdvantageEstimator#RAW} keeps the raw rewards), by the one rule of
 * {@link DegenerateGroups#isDegenerate(double[], double)}: the spread of its rewards is at most a
 * floor, {@link DegenerateGroups#DEFAULT_SPREAD_FLOOR} = {@code 1e-6} unless given (pass 0 for
 * "all rewards exactly equal"). {0, 1} rewards are unaffected by any floor below 1. RLOO of a group of one is 0
 * (no other rollout to compare with). The std stabiliser {@code ε} is added to the standard
 * deviation, as verl does ({@code 1e-6} there; TRL uses {@code 1e-4}); pass 0 for the exact ratio,
 * which is safe because degenerate groups are zeroed before dividing. Stateless and thread-safe.
 *
 * <p><b>Special cases.</b> Each group is computed on its rewards divided by the power of two at
 * their largest magnitude (exact, so ordinary rewards give bit-for-bit the unscaled results), so
 * rewards near {@code ±Double.MAX_VALUE} or near the subnormals give the same advantages as
 * rewards of ordinary size ({@code {0, 1e-170}} with ε = 0 and spread floor 0 gives
 * {@code {−1, 1}}, not ±∞; at the default floor that group is degenerate and gets 0). An advantage whose true value is beyond the double range (RLOO or mean-shifting of
 * {@code {MAX_VALUE, −MAX_VALUE}}) is an {@link IllegalArgumentException} naming the group;
 * no ±∞ or NaN is ever returned.
 */
public final class Advantages {
  private Advantages() {}

  /** verl's std stabiliser. */
  public static final double DEFAULT_EPSILON = 1e-6;

  /**
   * Advantages for a batch of groups, with the default spread floor
   * {@link DegenerateGroups#DEFAULT_SPREAD_FLOOR}: the same as
   * {@code compute(estimator, groupRewards, epsilon, DegenerateGroups.DEFAULT_SPREAD_FLOOR)}.
   *
   * @param groupRewards one array of rewards per group (prompt), each non-empty and finite
   * @param epsilon the std stabiliser, finite and {@code ≥ 0}
   * @return a new array of the same shape
   * @throws IllegalArgumentException on an empty batch or group, a non-finite reward or a bad ε
   */
  public static double[][] compute(AdvantageEstimator estimator, double[][] groupRewards, double epsilon) {
    return compute(estimator, groupRewards, epsilon, DegenerateGroups.DEFAULT_SPREAD_FLOOR);
  }

  /**
   * Advantages for a batch of groups; a group whose rewards span at most {@code spreadFloor} is
   * degenerate and gets advantage 0 under every centred estimator.
   *
   * @param groupRewards one array of rewards per group (prompt), each non-empty and finite
   * @param epsilon the std stabiliser, finite and {@code ≥ 0}
   * @param spreadFloor the degenerate-group spread floor, finite and {@code ≥ 0}
   * @return a new array of the same shape
   * @throws IllegalArgumentException on an empty batch or group, a non-finite reward, a bad ε or
   *     a bad spread floor
   */
  public static double[][] compute(AdvantageEstimator estimator, double[][] groupRewards, double epsilon,
      double spreadFloor) {
    Checks.nonNegative("spreadFloor", spreadFloor);
    Checks.nonNegative("epsilon", epsilon);
    if (groupRewards.length == 0) {
      throw new IllegalArgumentException("groupRewards must hold at least one group, was empty");
    }
    double[][] out = new double[groupRewards.length][];
    for (int g = 0; g < groupRewards.length; g++) {
      double[] r = groupRewards[g];
      if (r.length == 0) {
        throw new IllegalArgumentException("groupRewards[" + g + "] must not be empty");
      }
      for (int i = 0; i < r.length; i++) {
        Checks.finite("groupRewards[" + g + "][" + i + "]", r[i]);
      }
      out[g] = group(estimator, r, epsilon, spreadFloor, g);
    }
    if (estimator == AdvantageEstimator.REINFORCE_PP_BASELINE) {
      whiten(out, epsilon);
    }
    return out;
  }

  private static double[] group(AdvantageEstimator estimator, double[] r, double epsilon, double spreadFloor, int g) {
    int n = r.length;
    boolean degenerate = DegenerateGroups.isDegenerate(r, spreadFloor);
    double[] a = new double[n];
    if (estimator == AdvantageEstimator.RAW) {
      System.arraycopy(r, 0, a, 0, n);
      return a;
    }
    if (degenerate) {
      return a; // every centred estimator is exactly 0 here
    }
    // Work on r / scale with |r / scale| < 2: no square or difference overflows or underflows.
    double scale = powerOfTwoScale(r);
    double mean = 0;
    for (double v : r) {
      mean += v / scale / n;
    }
    double squares = 0;
    for (double v : r) {
      double d = v / scale - mean;
      squares += d * d;
    }
    double scaledEpsilon = epsilon / scale; // (c·s)/(σ·s + ε) = c/(σ + ε/s)
    for (int i = 0; i < n; i++) {
      double centred = r[i] / scale - mean;
      a[i] = switch (estimator) {
        case MEAN_SHIFTED, REINFORCE_PP_BASELINE -> centred * scale;
        case GRPO_POPULATION_STD -> centred / (std(estimator, n, squares) + scaledEpsilon);
        case GRPO_SAMPLE_STD -> n < 2 ? 0.0 : centred / (std(estimator, n, squares) + scaledEpsilon);
        case RLOO -> n < 2 ? 0.0 : centred * n / (n - 1.0) * scale;
        case RAW -> r[i];
      };
      if (!Double.isFinite(a[i])) {
        throw new IllegalArgumentException("groupRewards[" + g + "] gives a " + estimator + " advantage beyond the "
            + "double range at index " + i + " (rewards up to " + scale + " in magnitude)");
      }
    }
    return a;
  }

  /** The standard deviation a GRPO estimator divides by: population (over n) or sample (over n − 1). */
  private static double std(AdvantageEstimator estimator, long n, double squaredDeviations) {
    return Math.sqrt(squaredDeviations / (estimator == AdvantageEstimator.GRPO_SAMPLE_STD ? n - 1 : n));
  }

  /**
   * The divisor of one group under a std-normalised GRPO estimator, from the group's summary:
   * its advantages are {@code (r_i − r̄) / divisor}, as {@link #compute(AdvantageEstimator,
   * double[][], double)} gives them up to rounding, with the default spread floor
   * {@link DegenerateGroups#DEFAULT_SPREAD_FLOOR}. A reduction that keeps only a group's count,
   * range and squared deviations (not its rewards) gets the advantages' contribution from it.
   *
   * <p>Special cases: {@code +∞} where every advantage of the group is 0 — a degenerate group
   * (spread at most the floor, decided by {@link DegenerateGroups}'s rule), or one rollout under
   * {@link AdvantageEstimator#GRPO_SAMPLE_STD}. Unlike {@code compute} there is no rescaling, so
   * {@code squaredDeviations} must itself be finite (rewards up to about {@code 1e150}).
   *
   * @param estimator {@link AdvantageEstimator#GRPO_SAMPLE_STD} or {@link AdvantageEstimator#GRPO_POPULATION_STD}
   * @param size the group's number of rewards, {@code ≥ 1}
   * @param min the group's smallest reward, finite
   * @param max the group's largest reward, finite and {@code ≥ min}
   * @param squaredDeviations {@code Σ (r_i − r̄)²}, finite and {@code ≥ 0}
   * @param epsilon the std stabiliser, finite and {@code ≥ 0} (see {@link #DEFAULT_EPSILON})
   * @return the divisor, {@code > 0} (or {@code ≥ 0} at ε = 0), or {@code +∞}
   * @throws IllegalArgumentException on another estimator, or an argument that breaks its rule
   *     (NaN included)
   */
  public static double stdDivisor(AdvantageEstimator estimator, long size, double min, double max,
      double squaredDeviations, double epsilon) {
    if (estimator != AdvantageEstimator.GRPO_SAMPLE_STD && estimator != AdvantageEstimator.GRPO_POPULATION_STD) {
      throw new IllegalArgumentException("estimator must be GRPO_SAMPLE_STD or GRPO_POPULATION_STD, was " + estimator);
    }
    Checks.atLeast("size", size, 1L);
    Checks.finite("min", min);
    Checks.finite("max", max);
    if (!(min <= max)) {
      throw new IllegalArgumentException("max must be >= min " + min + ", was " + max);
    }
    Checks.nonNegative("squaredDeviations", squaredDeviations);
    Checks.nonNegative("epsilon", epsilon);
    if (DegenerateGroups.spreadAtMost(min, max, DegenerateGroups.DEFAULT_SPREAD_FLOOR)
        || (estimator == AdvantageEstimator.GRPO_SAMPLE_STD && size < 2)) {
      return Double.POSITIVE_INFINITY; // every advantage of the group is 0, as in group()
    }
    return std(estimator, size, squaredDeviations) + epsilon;
  }

  /**
   * The power of two at or below the largest magnitude in {@code values} (0 if all are 0).
   * Dividing by a power of two is exact and commutes with rounding, so scaled results are
   * bit-for-bit the unscaled ones wherever those neither overflow nor underflow.
   */
  private static double powerOfTwoScale(double[] values) {
    double largest = 0;
    for (double v : values) {
      largest = Math.max(largest, Math.abs(v));
    }
    return largest == 0 ? 0 : Math.scalb(1.0, Math.getExponent(largest));
  }

  /** Whitens all advantages of the batch together: subtract their mean, divide by their std + ε. */
  private static void whiten(double[][] advantages, double epsilon) {
    double largest = 0; // as in group(): whiten a / scale, so nothing overflows or underflows
    for (double[] a : advantages) {
      largest = Math.max(largest, powerOfTwoScale(a));
    }
    double scale = largest;
    long count = 0;
    double mean = 0;
    for (double[] a : advantages) {
      for (double v : a) {
        count++;
        mean += (v / scale - mean) / count;
      }
    }
    double squares = 0;
    for (double[] a : advantages) {
      for (double v : a) {
        double d = v / scale - mean;
        squares += d * d;
      }
    }
    double std = Math.sqrt(squares / count);
    if (!(scale > 0 && std > 0)) {
      for (double[] a : advantages) {
        java.util.Arrays.fill(a, 0.0);
      }
      return;
    }
    double scaledEpsilon = epsilon / scale;
    for (double[] a : advantages) {
      for (int i = 0; i < a.length; i++) {
        a[i] = (a[i] / scale - mean) / (std + scaledEpsilon);
      }
    }
  }

  /**
   * Inverse-success Advantage Calibration of <i>When Sharpening Becomes Collapse</i>: each group's positive advantages are
   * multiplied by {@code (|O⁺|/|O|)^(−α)}, where {@code |O⁺|/|O|} is the fraction of the group's
   * rollouts that passed (reward {@code > 0}, for {0, 1} rewards); negative and zero advantages
   * are unchanged. {@code α = 0} is plain GRPO; rarely solved prompts get their few successes
   * amplified, so the policy does not sharpen onto the prompts it already solves.
   *
   * @return a new array; groups without a pass have no positive advantage and are copied
   * @throws IllegalArgumentException on mismatched shapes, {@code α} not finite and {@code ≥ 0},
   *     a non-finite advantage or reward, or an {@code α} so large that a scaled advantage
   *     overflows (the message starts with "alpha"; {@code (1/8)^−2000} is beyond any double)
   */
  public static double[][] inverseSuccessCalibration(double[][] advantages, double[][] groupRewards, double alpha) {
    Checks.nonNegative("alpha", alpha);
    if (advantages.length != groupRewards.length) {
      throw new IllegalArgumentException("advantages and groupRewards must have the same number of groups, was "
          + advantages.length + " and " + groupRewards.length);
    }
    double[][] out = new double[advantages.length][];
    for (int g = 0; g < advantages.length; g++) {
      if (advantages[g].length != groupRewards[g].length) {
        throw new IllegalArgumentException("group " + g + " has " + advantages[g].length + " advantages and "
            + groupRewards[g].length + " rewards");
      }
      int passed = 0;
      for (int i = 0; i < groupRewards[g].length; i++) {
        Checks.finite("groupRewards[" + g + "][" + i + "]", groupRewards[g][i]);
        Checks.finite("advantages[" + g + "][" + i + "]", advantages[g][i]);
        passed += groupRewards[g][i] > 0 ? 1 : 0;
      }
      out[g] = advantages[g].clone();
      if (passed == 0) {
        continue;
      }
      double fraction = (double) passed / groupRewards[g].length;
      double scale = Math.pow(fraction, -alpha);
      for (int i = 0; i < out[g].length; i++) {
        if (out[g][i] > 0) {
          out[g][i] *= scale;
          if (!Double.isFinite(out[g][i])) {
            throw new IllegalArgumentException("alpha = " + alpha + " overflows: advantages[" + g + "][" + i + "] = "
                + advantages[g][i] + " times (" + passed + "/" + groupRewards[g].length + ")^-alpha = " + scale
                + " is beyond the double range");
          }
        }
      }
    }
    return out;
  }
}
