package io.github.rlvrdiagnostics.core.rollout;

import io.github.rlvrdiagnostics.api.AdvantageEstimator;
import io.github.rlvrdiagnostics.api.Checks;

/**
 * Group-relative advantage estimators and Inverse-success Advantage Calibration (docs/MATH.md §5).
 *
 * <p>Conventions: a degenerate group (all rewards equal) gets advantage 0 under every centred
 * estimator ({@link AdvantageEstimator#RAW} keeps the raw rewards). RLOO of a group of one is 0
 * (no other rollout to compare with). The std stabiliser {@code ε} is added to the standard
 * deviation, as verl does ({@code 1e-6} there; TRL uses {@code 1e-4}); pass 0 for the exact ratio,
 * which is safe because degenerate groups are zeroed before dividing. Stateless and thread-safe.
 */
public final class Advantages {
  private Advantages() {}

  /** verl's std stabiliser. */
  public static final double DEFAULT_EPSILON = 1e-6;

  /**
   * Advantages for a batch of groups.
   *
   * @param groupRewards one array of rewards per group (prompt), each non-empty and finite
   * @param epsilon the std stabiliser, finite and {@code ≥ 0}
   * @return a new array of the same shape
   * @throws IllegalArgumentException on an empty batch or group, a non-finite reward or a bad ε
   */
  public static double[][] compute(AdvantageEstimator estimator, double[][] groupRewards, double epsilon) {
    if (!(epsilon >= 0.0 && epsilon < Double.POSITIVE_INFINITY)) {
      throw new IllegalArgumentException("epsilon must be finite and >= 0, was " + epsilon);
    }
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
      out[g] = group(estimator, r, epsilon);
    }
    if (estimator == AdvantageEstimator.REINFORCE_PP_BASELINE) {
      whiten(out, epsilon);
    }
    return out;
  }

  private static double[] group(AdvantageEstimator estimator, double[] r, double epsilon) {
    int n = r.length;
    double mean = 0;
    for (double v : r) {
      mean += v / n;
    }
    boolean degenerate = DegenerateGroups.isDegenerate(r);
    double[] a = new double[n];
    if (estimator == AdvantageEstimator.RAW) {
      System.arraycopy(r, 0, a, 0, n);
      return a;
    }
    if (degenerate) {
      return a; // every centred estimator is exactly 0 here
    }
    double squares = 0;
    for (double v : r) {
      squares += (v - mean) * (v - mean);
    }
    for (int i = 0; i < n; i++) {
      double centred = r[i] - mean;
      a[i] = switch (estimator) {
        case MEAN_SHIFTED, REINFORCE_PP_BASELINE -> centred;
        case GRPO_POPULATION_STD -> centred / (Math.sqrt(squares / n) + epsilon);
        case GRPO_SAMPLE_STD -> n < 2 ? 0.0 : centred / (Math.sqrt(squares / (n - 1)) + epsilon);
        case RLOO -> n < 2 ? 0.0 : centred * n / (n - 1.0);
        case RAW -> r[i];
      };
    }
    return a;
  }

  /** Whitens all advantages of the batch together: subtract their mean, divide by their std + ε. */
  private static void whiten(double[][] advantages, double epsilon) {
    long count = 0;
    double mean = 0;
    for (double[] a : advantages) {
      for (double v : a) {
        count++;
        mean += (v - mean) / count;
      }
    }
    double squares = 0;
    for (double[] a : advantages) {
      for (double v : a) {
        squares += (v - mean) * (v - mean);
      }
    }
    double std = Math.sqrt(squares / count);
    if (!(std > 0)) {
      for (double[] a : advantages) {
        java.util.Arrays.fill(a, 0.0);
      }
      return;
    }
    for (double[] a : advantages) {
      for (int i = 0; i < a.length; i++) {
        a[i] = (a[i] - mean) / (std + epsilon);
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
   * @throws IllegalArgumentException on mismatched shapes or {@code α} not finite and {@code ≥ 0}
   */
  public static double[][] inverseSuccessCalibration(double[][] advantages, double[][] groupRewards, double alpha) {
    if (!(alpha >= 0.0 && alpha < Double.POSITIVE_INFINITY)) {
      throw new IllegalArgumentException("alpha must be finite and >= 0, was " + alpha);
    }
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
      for (double r : groupRewards[g]) {
        passed += r > 0 ? 1 : 0;
      }
      out[g] = advantages[g].clone();
      if (passed == 0) {
        continue;
      }
      double scale = Math.pow((double) passed / groupRewards[g].length, -alpha);
      for (int i = 0; i < out[g].length; i++) {
        if (out[g][i] > 0) {
          out[g][i] *= scale;
        }
      }
    }
    return out;
  }
}
