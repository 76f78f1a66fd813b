package io.github.rlvrdiagnostics.core.diagnostic;

import io.github.rlvrdiagnostics.api.Checkpoint;
import io.github.rlvrdiagnostics.api.TriageCalibration;
import io.github.rlvrdiagnostics.api.TriageConfig;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.OptionalDouble;

/**
 * Fitting the entropy rules' thresholds τ and δ to a user's own ladder whose GRPO outcomes are
 * known (docs/MATH.md §4): the published τ = 0.18 nats was calibrated on one model family, and
 * only its ordering is claimed to transfer. All methods are static and thread-safe.
 */
public final class LadderCalibration {
  private LadderCalibration() {}

  /**
   * Fits τ and δ to a ladder whose outcomes are known, so that the thresholds are the user's own.
   *
   * <p><b>Rule.</b> A checkpoint is <em>poor</em> when its outcome is below the median outcome.
   * τ is the candidate (midpoints between consecutive distinct entropies) that maximises the
   * balanced accuracy of "entropy below τ" as a detector of poor checkpoints; δ likewise for
   * "drop above δ" over the checkpoints with a known drop. Balanced accuracy, the mean of the
   * true-positive and true-negative rates, does not reward flagging everything or nothing on a
   * small ladder whose classes are unequal. Ties go to the smallest τ and the largest δ: the
   * threshold that flags fewest checkpoints.
   *
   * @throws IllegalArgumentException unless at least four checkpoints have outcomes, each with its
   *     pre-RL entropy, and both poor and non-poor checkpoints occur
   */
  public static TriageCalibration calibrate(List<Checkpoint> ladder, TriageConfig base) {
    List<Checkpoint> known = ladder.stream().filter(c -> c.outcome().isPresent()).toList();
    if (known.size() < 4) {
      throw new IllegalArgumentException("calibration needs at least 4 checkpoints with outcomes, was " + known.size());
    }
    for (Checkpoint c : known) {
      if (!c.hasEntropy()) {
        throw new IllegalArgumentException("calibration needs the pre-RL entropy of every checkpoint with an outcome, "
            + "was unknown for '" + c.name() + "' (seed " + c.seed() + ")");
      }
    }
    double[] outcomes = known.stream().mapToDouble(c -> c.outcome().getAsDouble()).sorted().toArray();
    double median = outcomes.length % 2 == 1 ? outcomes[outcomes.length / 2]
        : 0.5 * (outcomes[outcomes.length / 2 - 1] + outcomes[outcomes.length / 2]);
    boolean[] poor = new boolean[known.size()];
    for (int i = 0; i < poor.length; i++) {
      poor[i] = known.get(i).outcome().getAsDouble() < median;
    }
    int poorCount = 0;
    for (boolean p : poor) {
      poorCount += p ? 1 : 0;
    }
    if (poorCount == 0 || poorCount == poor.length) {
      throw new IllegalArgumentException("calibration needs both poor and good outcomes, all outcomes are equal");
    }
    double[] entropies = known.stream().mapToDouble(Checkpoint::entropy).toArray();
    double[] tau = bestThreshold(entropies, poor, true);
    List<Double> drops = new ArrayList<>();
    List<Boolean> dropPoor = new ArrayList<>();
    for (int i = 0; i < known.size(); i++) {
      OptionalDouble d = Ladders.stage2Drop(known.get(i).entropyTrace(), base);
      if (d.isPresent()) {
        drops.add(d.getAsDouble());
        dropPoor.add(poor[i]);
      }
    }
    OptionalDouble delta = OptionalDouble.empty();
    OptionalDouble deltaAccuracy = OptionalDouble.empty();
    if (dropPoor.contains(true) && dropPoor.contains(false)) {
      boolean[] p = new boolean[dropPoor.size()];
      for (int i = 0; i < p.length; i++) {
        p[i] = dropPoor.get(i);
      }
      double[] fitted = bestThreshold(drops.stream().mapToDouble(Double::doubleValue).toArray(), p, false);
      delta = OptionalDouble.of(fitted[0]);
      deltaAccuracy = OptionalDouble.of(fitted[1]);
    }
    return new TriageCalibration(tau[0], tau[1], delta, deltaAccuracy, median, known.size());
  }

  /** {threshold, balanced accuracy}: flags {@code value < t} when {@code below}, else {@code value > t}. */
  private static double[] bestThreshold(double[] values, boolean[] poor, boolean below) {
    double[] distinct = Arrays.stream(values).distinct().sorted().toArray();
    List<Double> candidates = new ArrayList<>();
    for (int i = 0; i + 1 < distinct.length; i++) {
      candidates.add(0.5 * (distinct[i] + distinct[i + 1]));
    }
    if (candidates.isEmpty()) {
      candidates.add(distinct[0]);
    }
    if (!below) {
      java.util.Collections.reverse(candidates); // ties go to the largest δ
    }
    double bestT = Double.NaN;
    double bestAccuracy = -1;
    for (double t : candidates) {
      int tp = 0, fn = 0, tn = 0, fp = 0;
      for (int i = 0; i < values.length; i++) {
        boolean flagged = below ? values[i] < t : values[i] > t;
        if (poor[i]) {
          if (flagged) tp++; else fn++;
        } else {
          if (flagged) fp++; else tn++;
        }
      }
      double accuracy = 0.5 * ((double) tp / (tp + fn) + (double) tn / (tn + fp));
      if (accuracy > bestAccuracy) {
        bestAccuracy = accuracy;
        bestT = t;
      }
    }
    return new double[] {bestT, bestAccuracy};
  }

}
