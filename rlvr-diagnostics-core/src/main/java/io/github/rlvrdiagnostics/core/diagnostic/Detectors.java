package io.github.rlvrdiagnostics.core.diagnostic;

import io.github.rlvrdiagnostics.api.DetectorConfig;
import io.github.rlvrdiagnostics.api.TrainingStep;
import java.util.Arrays;
import java.util.Locale;
import java.util.function.Supplier;

/**
 * The readings the instability detectors compare against (docs/MONITOR.md, "Detectors"): the
 * last {@code baselineReadings} KL and gradient-norm readings (a spike is judged against their
 * median, the current reading excluded) and the median of the run's first readings of response
 * length and entropy. The rules themselves are {@link DetectorConfig}'s. Not thread-safe: the
 * monitor calls it under its lock.
 */
final class Detectors {
  private final DetectorConfig rules;
  private final Recent kl;
  private final Recent gradNorm;
  private final First length;
  private final First entropy;

  Detectors(DetectorConfig rules) {
    this.rules = rules;
    int n = rules.baselineReadings();
    kl = new Recent(n);
    gradNorm = new Recent(n);
    length = new First(n);
    entropy = new First(n);
  }

  /**
   * One detector's reading of a step: whether its condition holds, the message (formatted only
   * when an alert opens: most steps hold nothing) and the action.
   */
  record Reading(boolean holds, Supplier<String> message, String action) {}

  /** The KL spike reading, or null when the step has no KL or the baseline is not yet full. */
  Reading kl(TrainingStep step) {
    if (step.kl().isEmpty()) {
      return null;
    }
    double v = step.kl().getAsDouble();
    double median = kl.median();
    kl.add(v);
    if (Double.isNaN(median)) {
      return null;
    }
    return new Reading(rules.klSpike(v, median), () -> String.format(Locale.ROOT,
        "KL %s is %.1f times its median %s over the last %d readings", Actions.number(v), v / median,
        Actions.number(median), rules.baselineReadings()),
        "the policy is moving away from the reference fast: lower the learning rate or raise the KL coefficient, "
            + "and check the step's batch for a reward-hacking pattern");
  }

  /** The gradient-norm spike reading, or null. */
  Reading gradNorm(TrainingStep step) {
    if (step.gradNorm().isEmpty()) {
      return null;
    }
    double v = step.gradNorm().getAsDouble();
    double median = gradNorm.median();
    gradNorm.add(v);
    if (Double.isNaN(median)) {
      return null;
    }
    return new Reading(rules.spike(v, median), () -> String.format(Locale.ROOT,
        "gradient norm %s is %.1f times its median %s over the last %d readings", Actions.number(v), v / median,
        Actions.number(median), rules.baselineReadings()),
        "an update is blowing up: check the advantages of the step (a near-zero std divides them), clip the "
            + "gradient norm, or lower the learning rate");
  }

  /** The zero-spread-with-loss reading, or null when the step lacks either value. */
  Reading zeroStdResidue(TrainingStep step) {
    if (step.rewardStd().isEmpty() || step.loss().isEmpty()) {
      return null;
    }
    double std = step.rewardStd().getAsDouble();
    double loss = step.loss().getAsDouble();
    return new Reading(rules.zeroStdResidue(std, loss), () -> String.format(Locale.ROOT,
        "reward std %s (every group degenerate) but loss %s", Actions.number(std), Actions.number(loss)),
        "no advantage should survive a zero reward spread: the std normalisation is dividing a float32 "
            + "residue; compute the std in float64 or add ε before dividing, and skip degenerate groups");
  }

  /** The truncation reading, or null. */
  Reading truncation(TrainingStep step) {
    if (step.truncatedFraction().isEmpty()) {
      return null;
    }
    double f = step.truncatedFraction().getAsDouble();
    return new Reading(rules.truncated(f), () -> String.format(Locale.ROOT,
        "%.0f%% of responses hit the length limit (threshold %.0f%%)", 100 * f, 100 * rules.maxTruncated()),
        "truncated responses usually score 0 and teach the model nothing: raise the maximum response length, "
            + "or add an overlong penalty or filter (DAPO's overlong shaping)");
  }

  /** The length-drift reading, or null while the start is not yet known. */
  Reading lengthDrift(TrainingStep step) {
    if (step.responseLength().isEmpty()) {
      return null;
    }
    double v = step.responseLength().getAsDouble();
    length.add(v);
    double start = length.median();
    if (Double.isNaN(start)) {
      return null;
    }
    return new Reading(rules.lengthDrift(v, start), () -> String.format(Locale.ROOT,
        "mean response length %s against %s over the run's first %d readings", Actions.number(v),
        Actions.number(start), rules.baselineReadings()),
        "check that the reward does not pay for length (or for brevity) and that truncation is not rising");
  }

  /** The entropy-rising reading, or null while the start is not yet known. */
  Reading entropyRising(TrainingStep step) {
    if (step.entropy().isEmpty()) {
      return null;
    }
    double v = step.entropy().getAsDouble();
    entropy.add(v);
    double start = entropy.median();
    if (Double.isNaN(start)) {
      return null;
    }
    return new Reading(rules.entropyRising(v, start), () -> String.format(Locale.ROOT,
        "entropy %s nats against %s over the run's first %d readings", Actions.number(v), Actions.number(start),
        rules.baselineReadings()),
        "a rising entropy late in a run is instability, not exploration: lower the learning rate or the "
            + "entropy bonus, and check for off-policy drift");
  }

  /** The NaN/Inf reading: every step has one (0 values is the healthy case). */
  Reading nonFinite(TrainingStep step) {
    int n = step.nonFiniteValues();
    return new Reading(rules.nonFinite(n), () -> String.format(Locale.ROOT,
        "%d logged value%s of the step %s NaN or infinite (read as missing)", n, n == 1 ? "" : "s",
        n == 1 ? "was" : "were"),
        "a NaN or infinite loss, gradient or reward means an update diverged: stop, restart from the last good "
            + "checkpoint with a lower learning rate or gradient clipping, and check the reward for divisions by zero");
  }

  /** The last {@code n} readings, for a median of the recent past. */
  private static final class Recent {
    private final double[] values;
    private int size;
    private int next;

    Recent(int n) {
      values = new double[n];
    }

    void add(double v) {
      values[next] = v;
      next = (next + 1) % values.length;
      size = Math.min(size + 1, values.length);
    }

    /** The median once full, else NaN. */
    double median() {
      return size < values.length ? Double.NaN : Trend.median(values.clone(), size);
    }
  }

  /** The first {@code n} readings of a run, for the median of its start. */
  private static final class First {
    private final double[] values;
    private int size;
    private double median = Double.NaN;

    First(int n) {
      values = new double[n];
    }

    void add(double v) {
      if (size < values.length) {
        values[size++] = v;
        if (size == values.length) {
          median = Trend.median(Arrays.copyOf(values, size), size);
        }
      }
    }

    /** The median once the first readings are in, else NaN. */
    double median() {
      return median;
    }
  }
}
