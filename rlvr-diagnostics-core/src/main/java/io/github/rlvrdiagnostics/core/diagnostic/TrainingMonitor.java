package io.github.rlvrdiagnostics.core.diagnostic;

import io.github.rlvrdiagnostics.api.Checks;

import io.github.rlvrdiagnostics.core.RlvrDiagnostics;

import io.github.rlvrdiagnostics.api.Alert;
import io.github.rlvrdiagnostics.api.AlertKind;
import io.github.rlvrdiagnostics.api.AlertListener;
import io.github.rlvrdiagnostics.api.DegenerateThreshold;
import io.github.rlvrdiagnostics.api.EntropyPoint;
import io.github.rlvrdiagnostics.api.TrainingStep;
import io.github.rlvrdiagnostics.api.TriageConfig;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.OptionalDouble;

/**
 * The in-loop monitor of a GRPO run: fed once per step (from a live training loop, or from a log
 * replayed by {@link TrainingLogs}), it raises typed alerts.
 *
 * <ul>
 *   <li>{@link AlertKind#ENTROPY_BELOW_TAU} when the step's entropy falls below τ;
 *   <li>{@link AlertKind#ENTROPY_DROP} once, at the first step at or after the check step, when
 *       the Stage 2 relative drop (as {@link Ladders#stage2Drop} defines it) exceeds δ;
 *   <li>{@link AlertKind#MAJORITY_DEGENERATE} when more than half of the step's groups were
 *       degenerate;
 *   <li>{@link AlertKind#DEGENERATE_ABOVE_PREDICTED} when the observed degenerate fraction exceeds
 *       the fraction predicted from per-prompt pass rates by more than
 *       {@code max(0.1, 3·sqrt(p̄(1 − p̄)/B))}, {@code p̄} the prediction and {@code B} the number of
 *       groups (0.1 alone when {@code B} is unknown). The group count's variance is at most
 *       {@code B·p̄(1 − p̄)}, so the second term is a conservative three-sigma band.
 * </ul>
 * The three level alerts fire when a condition starts and re-arm once it has cleared, so a run
 * stuck below τ raises one alert, not one per step. Steps must increase.
 *
 * <p>Thread-safe: steps may be fed from several threads (each call is atomic); listeners are
 * called after the monitor's lock is released, on the feeding thread. A step costs O(1) apart
 * from the Stage 2 evaluation, which runs once.
 */
public final class TrainingMonitor {
  private static final double MIN_EXCESS = 0.1;

  private final TriageConfig config;
  private final AlertListener listener;
  private final List<EntropyPoint> trace = new ArrayList<>();
  private final List<Alert> alerts = new ArrayList<>();
  private long lastStep = -1;
  private boolean belowTau;
  private boolean majority;
  private boolean abovePredicted;
  private boolean stage2Evaluated;
  private OptionalDouble stage2Drop = OptionalDouble.empty();

  private TrainingMonitor(TriageConfig config, AlertListener listener) {
    this.config = config;
    this.listener = listener;
  }

  /** A monitor with the given thresholds whose alerts are only collected. */
  public static TrainingMonitor create(TriageConfig config) {
    return new TrainingMonitor(config, alert -> { });
  }

  /** A monitor that also hands each alert to {@code listener} as it is raised. */
  public static TrainingMonitor create(TriageConfig config, AlertListener listener) {
    return new TrainingMonitor(config, listener);
  }

  /** The thresholds in use. */
  public TriageConfig config() {
    return config;
  }

  /**
   * Feeds one step and returns the alerts it raised (often none).
   *
   * @throws IllegalArgumentException if the step does not come after the previous one
   */
  public List<Alert> accept(TrainingStep step) {
    List<Alert> raised = new ArrayList<>();
    synchronized (this) {
      if (!(step.step() > lastStep)) {
        throw new IllegalArgumentException("step must increase, was " + step.step() + " after " + lastStep);
      }
      lastStep = step.step();
      if (step.entropy().isPresent()) {
        double h = step.entropy().getAsDouble();
        trace.add(EntropyPoint.of(step.step(), h));
        if (h < config.tau() && !belowTau) {
          raised.add(new Alert(step.step(), AlertKind.ENTROPY_BELOW_TAU,
              String.format(Locale.ROOT, "entropy %.4f nats is below tau = %.4f", h, config.tau())));
        }
        belowTau = h < config.tau();
      }
      if (!stage2Evaluated && step.step() >= config.checkStep()) {
        stage2Evaluated = true;
        stage2Drop = Ladders.stage2Drop(trace, config);
        if (stage2Drop.isPresent() && stage2Drop.getAsDouble() > config.delta()) {
          raised.add(new Alert(step.step(), AlertKind.ENTROPY_DROP, String.format(Locale.ROOT,
              "entropy dropped by %.1f%% between steps %d and %d (delta = %.0f%%): stopping now saves %.1f%% of the planned RL compute",
              100 * stage2Drop.getAsDouble(), config.referenceStep(), config.checkStep(), 100 * config.delta(),
              100 * config.computeSavedFraction())));
        }
      }
      if (step.degenerateFraction().isPresent()) {
        double observed = step.degenerateFraction().getAsDouble();
        if (observed > 0.5 && !majority) {
          raised.add(new Alert(step.step(), AlertKind.MAJORITY_DEGENERATE, String.format(Locale.ROOT,
              "%.1f%% of groups are degenerate: most of the batch carries no gradient", 100 * observed)));
        }
        majority = observed > 0.5;
        if (step.predictedDegenerateFraction().isPresent()) {
          double predicted = step.predictedDegenerateFraction().getAsDouble();
          double band = step.groups().isPresent()
              ? Math.max(MIN_EXCESS, 3 * Math.sqrt(predicted * (1 - predicted) / step.groups().getAsInt()))
              : MIN_EXCESS;
          boolean above = observed > predicted + band;
          if (above && !abovePredicted) {
            raised.add(new Alert(step.step(), AlertKind.DEGENERATE_ABOVE_PREDICTED, String.format(Locale.ROOT,
                "observed degenerate fraction %.3f exceeds the %.3f predicted from pass rates by more than %.3f",
                observed, predicted, band)));
          }
          abovePredicted = above;
        }
      }
      alerts.addAll(raised);
    }
    raised.forEach(listener::onAlert);
    return raised;
  }

  /** Every alert raised so far, in order. */
  public synchronized List<Alert> alerts() {
    return List.copyOf(alerts);
  }

  /** The Stage 2 drop, once the check step has been reached and both readings exist. */
  public synchronized OptionalDouble stage2Drop() {
    return stage2Drop;
  }

  /**
   * A step built from the rewards of its groups: the observed degenerate fraction (groups whose
   * rewards are all equal), the mean, smallest and largest reward, the group count, and, when
   * {@code passRates} holds one pass probability per group and every reward is 0 or 1, the
   * predicted degenerate fraction {@code mean_j P_deg(p_j, G_j)}. With rewards outside {0, 1} the
   * binary closed forms do not apply and no prediction is made.
   *
   * @param groupRewards one array of rewards per group, each non-empty and finite
   * @param passRates per-group pass probabilities, or an empty array for none
   * @throws IllegalArgumentException on an empty batch, an empty group, a non-finite reward, or
   *     a pass-rate array whose length is neither 0 nor the number of groups
   */
  public static TrainingStep.Builder stepFromGroups(long step, double[][] groupRewards, double[] passRates) {
    if (groupRewards.length == 0) {
      throw new IllegalArgumentException("groupRewards must hold at least one group, was empty");
    }
    if (!(passRates.length == 0 || passRates.length == groupRewards.length)) {
      throw new IllegalArgumentException("passRates must be empty or hold one rate per group ("
          + groupRewards.length + "), was length " + passRates.length);
    }
    int degenerate = 0;
    double sum = 0;
    long count = 0;
    double min = Double.POSITIVE_INFINITY;
    double max = Double.NEGATIVE_INFINITY;
    boolean binary = true;
    for (int g = 0; g < groupRewards.length; g++) {
      double[] rewards = groupRewards[g];
      if (rewards.length == 0) {
        throw new IllegalArgumentException("groupRewards[" + g + "] must not be empty");
      }
      boolean allEqual = true;
      for (int i = 0; i < rewards.length; i++) {
        double r = rewards[i];
        if (!Double.isFinite(r)) {
          throw new IllegalArgumentException("groupRewards[" + g + "][" + i + "] must be finite, was " + r);
        }
        allEqual &= r == rewards[0];
        binary &= r == 0.0 || r == 1.0;
        sum += r;
        count++;
        min = Math.min(min, r);
        max = Math.max(max, r);
      }
      degenerate += allEqual ? 1 : 0;
    }
    TrainingStep.Builder builder = TrainingStep.builder(step)
        .degenerateFraction((double) degenerate / groupRewards.length)
        .groups(groupRewards.length)
        .reward(sum / count)
        .rewardMin(min)
        .rewardMax(max);
    if (binary && passRates.length > 0) {
      DegenerateThreshold threshold = RlvrDiagnostics.degenerateThreshold();
      double predicted = 0;
      for (int g = 0; g < passRates.length; g++) {
        predicted += threshold.degenerateProbability(
            Checks.probability("passRates[" + g + "]", passRates[g]), groupRewards[g].length);
      }
      builder.predictedDegenerateFraction(Math.min(1.0, predicted / passRates.length));
    }
    return builder;
  }
}
