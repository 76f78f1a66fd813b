package io.github.rlvrdiagnostics.core.diagnostic;

import io.github.rlvrdiagnostics.api.Alert;
import io.github.rlvrdiagnostics.api.AlertKind;
import io.github.rlvrdiagnostics.api.AlertListener;
import io.github.rlvrdiagnostics.api.Checks;
import io.github.rlvrdiagnostics.api.EntropyPoint;
import io.github.rlvrdiagnostics.api.TrainingStep;
import io.github.rlvrdiagnostics.api.TriageConfig;
import io.github.rlvrdiagnostics.core.rollout.DegenerateGroups;
import io.github.rlvrdiagnostics.core.signal.Signals;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.OptionalDouble;
import java.util.function.Supplier;

/**
 * The in-loop monitor of a GRPO run: fed once per step (from a live training loop, or from a log
 * replayed by the logs module's {@code TrainingLogs}), it raises typed alerts. Every threshold is
 * decided by the {@link TriageConfig}'s rule methods.
 *
 * <ul>
 *   <li>{@link AlertKind#ENTROPY_BELOW_TAU} when the step's entropy falls below τ
 *       ({@link TriageConfig#stage1Flag});
 *   <li>{@link AlertKind#ENTROPY_DROP} once, at the first step at or after the check step, when
 *       the Stage 2 relative drop (as {@link Ladders#stage2Drop} defines it) exceeds δ
 *       ({@link TriageConfig#stage2Flag});
 *   <li>{@link AlertKind#DEGENERATE_OVER_WINDOW} once, at the same step, when the observed
 *       degenerate fraction averaged over the steps of the window
 *       {@code [referenceStep, checkStep]} exceeds the threshold
 *       ({@link TriageConfig#signalStage2Flag});
 *   <li>{@link AlertKind#MAJORITY_DEGENERATE} when more than {@code maxDegenerateFraction} (by
 *       default half) of the step's groups were degenerate ({@link TriageConfig#degenerateFlag});
 *       for a monitor made by {@link #createForBinaryRewards}, a step that logged no degenerate
 *       fraction but a mean reward {@code p̄} in [0, 1] is judged by the lower bound
 *       {@code P_deg(p̄, G)} (docs/MATH.md §1: {@code P_deg} is convex, so the mean pass rate
 *       bounds the fraction from below), {@code G} the config's group size, and the alert says so;
 *   <li>{@link AlertKind#DEGENERATE_ABOVE_PREDICTED} when the observed degenerate fraction exceeds
 *       the fraction predicted from per-prompt pass rates by more than
 *       {@code max(0.1, 3·sqrt(p̄(1 − p̄)/B))}, {@code p̄} the prediction and {@code B} the number of
 *       groups (0.1 alone when {@code B} is unknown). The group count's variance is at most
 *       {@code B·p̄(1 − p̄)}, so the second term is a conservative three-sigma band.
 * </ul>
 * The three level alerts fire when a condition starts and re-arm once it has cleared, so a run
 * stuck below τ raises one alert, not one per step. While the condition lasts, the alert in
 * {@link #alerts()} is extended ({@link Alert#endStep()}, {@link Alert#steps()}): each alert is an
 * episode, and {@link #summary()} counts, per kind, the logged steps in that state and the
 * episodes. Steps must increase.
 *
 * <p>Thread-safe: steps may be fed from several threads (each call is atomic); listeners are
 * called after the monitor's lock is released, on the feeding thread. A step costs O(1) apart
 * from the Stage 2 evaluation, which runs once.
 */
public final class TrainingMonitor {
  private static final double MIN_EXCESS = 0.1;

  private final TriageConfig config;
  private final AlertListener listener;
  /** Whether a step without an observed degenerate fraction is judged by P_deg(mean reward, G). */
  private final boolean boundFromMeanReward;
  private final List<EntropyPoint> trace = new ArrayList<>();
  private final List<Alert> alerts = new ArrayList<>();
  private long lastStep = -1;
  private boolean stage2Evaluated;
  private OptionalDouble stage2Drop = OptionalDouble.empty();
  private double windowDegenerateSum;
  private int windowDegenerateSteps;
  private OptionalDouble windowDegenerateMean = OptionalDouble.empty();
  /** Per level kind: the index in {@link #alerts} of its open episode, or -1. */
  private final EnumMap<AlertKind, Integer> open = new EnumMap<>(AlertKind.class);
  /** Per level kind: the logged steps that had the reading its rule needs. */
  private final EnumMap<AlertKind, Long> readings = new EnumMap<>(AlertKind.class);

  /**
   * How often one kind of alert's state held over a run.
   *
   * @param kind the alert kind
   * @param steps the logged steps at which the state held (for a one-time alert, 1 per alert)
   * @param ofSteps the logged steps that had the reading the kind's rule needs (entropy, degenerate
   *     fraction, or both fractions); for a one-time alert, 1
   * @param episodes the number of alerts of the kind (separate spells of the state)
   */
  public record EpisodeSummary(AlertKind kind, long steps, long ofSteps, int episodes) {}

  private TrainingMonitor(TriageConfig config, AlertListener listener, boolean boundFromMeanReward) {
    if (config == null) {
      throw new IllegalArgumentException("config must not be null");
    }
    if (listener == null) {
      throw new IllegalArgumentException("listener must not be null");
    }
    this.config = config;
    this.listener = listener;
    this.boundFromMeanReward = boundFromMeanReward;
  }

  /**
   * A monitor with the given thresholds whose alerts are only collected.
   *
   * @throws IllegalArgumentException if {@code config} is null
   */
  public static TrainingMonitor create(TriageConfig config) {
    return new TrainingMonitor(config, alert -> { }, false);
  }

  /**
   * A monitor that also hands each alert to {@code listener} as it is raised.
   *
   * @throws IllegalArgumentException if either argument is null
   */
  public static TrainingMonitor create(TriageConfig config, AlertListener listener) {
    return new TrainingMonitor(config, listener, false);
  }

  /**
   * A monitor for a run whose rewards are 0 or 1 and whose group size is {@code config.groupSize()}:
   * besides the rules of {@link #create(TriageConfig, AlertListener)}, a step that logged its mean
   * reward {@code p̄} but no degenerate fraction raises {@link AlertKind#MAJORITY_DEGENERATE} when
   * the lower bound {@code P_deg(p̄, G)} on its degenerate fraction is flagged by
   * {@link TriageConfig#degenerateFlag}; the message says it is a lower bound from the mean
   * reward. A step whose mean, smallest or largest reward lies outside [0, 1] gets no bound. The
   * caller vouches that rewards are binary and that {@code G} is the run's group size (the
   * {@code monitor} command does when the log states G or {@code --group-size} is given and every
   * logged reward lies in [0, 1]).
   *
   * @throws IllegalArgumentException if either argument is null
   */
  public static TrainingMonitor createForBinaryRewards(TriageConfig config, AlertListener listener) {
    return new TrainingMonitor(config, listener, true);
  }

  /** The lower bound P_deg(mean reward, G) for a step, when this monitor uses it and it applies. */
  private OptionalDouble meanRewardBound(TrainingStep step) {
    if (!boundFromMeanReward || step.degenerateFraction().isPresent() || step.reward().isEmpty()) {
      return OptionalDouble.empty();
    }
    for (OptionalDouble v : List.of(step.reward(), step.rewardMin(), step.rewardMax())) {
      if (v.isPresent() && !(v.getAsDouble() >= 0.0 && v.getAsDouble() <= 1.0)) {
        return OptionalDouble.empty();
      }
    }
    return OptionalDouble.of(Signals.degenerateThreshold()
        .degenerateProbability(step.reward().getAsDouble(), config.groupSize()));
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
        boolean below = config.stage1Flag(h);
        level(AlertKind.ENTROPY_BELOW_TAU, below, step.step(), raised,
            () -> String.format(Locale.ROOT, "entropy %.4f nats is below tau = %.4f", h, config.tau()));
      }
      if (!stage2Evaluated && config.inStage2Window(step.step()) && step.degenerateFraction().isPresent()) {
        windowDegenerateSum += step.degenerateFraction().getAsDouble();
        windowDegenerateSteps++;
      }
      if (!stage2Evaluated && step.step() >= config.checkStep()) {
        stage2Evaluated = true;
        stage2Drop = Ladders.stage2Drop(trace, config);
        windowDegenerateMean = windowDegenerateSteps == 0
            ? OptionalDouble.empty() : OptionalDouble.of(windowDegenerateSum / windowDegenerateSteps);
        if (config.signalStage2Flag(windowDegenerateMean)) {
          raise(raised, new Alert(step.step(), AlertKind.DEGENERATE_OVER_WINDOW, String.format(Locale.ROOT,
              "%.1f%% of groups were degenerate on average over steps %d to %d (threshold %.0f%%): "
                  + "stopping now saves %.1f%% of the planned RL compute",
              100 * windowDegenerateMean.getAsDouble(), config.referenceStep(), config.checkStep(),
              100 * config.maxDegenerateFraction(), 100 * config.computeSavedFraction())));
        }
        if (config.stage2Flag(stage2Drop)) {
          raise(raised, new Alert(step.step(), AlertKind.ENTROPY_DROP, String.format(Locale.ROOT,
              "entropy dropped by %.1f%% between steps %d and %d (delta = %.0f%%): stopping now saves %.1f%% of the planned RL compute",
              100 * stage2Drop.getAsDouble(), config.referenceStep(), config.checkStep(), 100 * config.delta(),
              100 * config.computeSavedFraction())));
        }
      }
      OptionalDouble bound = meanRewardBound(step);
      if (bound.isPresent()) {
        double lower = bound.getAsDouble();
        double mean = step.reward().getAsDouble();
        level(AlertKind.MAJORITY_DEGENERATE, config.degenerateFlag(lower), step.step(), raised, () -> String.format(
            Locale.ROOT, "at least %.1f%% of groups are degenerate (a lower bound, P_deg(mean reward %.4f, G = %d), "
                + "from the mean reward; no degenerate fraction was logged): most of the batch carries no gradient",
            100 * lower, mean, config.groupSize()));
      }
      if (step.degenerateFraction().isPresent()) {
        double observed = step.degenerateFraction().getAsDouble();
        boolean flagged = config.degenerateFlag(observed);
        level(AlertKind.MAJORITY_DEGENERATE, flagged, step.step(), raised, () -> String.format(Locale.ROOT,
            "%.1f%% of groups are degenerate: most of the batch carries no gradient", 100 * observed));
        if (step.predictedDegenerateFraction().isPresent()) {
          double predicted = step.predictedDegenerateFraction().getAsDouble();
          double band = step.groups().isPresent()
              ? Math.max(MIN_EXCESS, 3 * Math.sqrt(predicted * (1 - predicted) / step.groups().getAsInt()))
              : MIN_EXCESS;
          boolean above = observed > predicted + band;
          level(AlertKind.DEGENERATE_ABOVE_PREDICTED, above, step.step(), raised, () -> String.format(Locale.ROOT,
              "observed degenerate fraction %.3f exceeds the %.3f predicted from pass rates by more than %.3f",
              observed, predicted, band));
        }
      }
    }
    raised.forEach(listener::onAlert);
    return raised;
  }

  /** Records a one-time alert (holding the lock). */
  private void raise(List<Alert> raised, Alert alert) {
    raised.add(alert);
    alerts.add(alert);
  }

  /**
   * One logged step's reading for a level kind (holding the lock): opens an episode at an onset,
   * extends the open one while the state holds, closes it when the state clears.
   */
  private void level(AlertKind kind, boolean holds, long step, List<Alert> raised, Supplier<String> message) {
    readings.merge(kind, 1L, Long::sum);
    int index = open.getOrDefault(kind, -1);
    if (!holds) {
      open.put(kind, -1);
    } else if (index < 0) {
      raise(raised, new Alert(step, kind, message.get()));
      open.put(kind, alerts.size() - 1);
    } else {
      alerts.set(index, alerts.get(index).extendedTo(step));
    }
  }

  /**
   * Per alert kind raised so far, in the order of {@link AlertKind}: the logged steps in that
   * state, out of how many had the reading, in how many episodes.
   */
  public synchronized List<EpisodeSummary> summary() {
    List<EpisodeSummary> out = new ArrayList<>();
    for (AlertKind kind : AlertKind.values()) {
      long steps = 0;
      int episodes = 0;
      for (Alert a : alerts) {
        if (a.kind() == kind) {
          steps += a.steps();
          episodes++;
        }
      }
      if (episodes > 0) {
        out.add(new EpisodeSummary(kind, steps, readings.getOrDefault(kind, (long) episodes), episodes));
      }
    }
    return out;
  }

  /** Every alert raised so far, in order, each extended over the steps its state has lasted. */
  public synchronized List<Alert> alerts() {
    return List.copyOf(alerts);
  }

  /** The Stage 2 drop, once the check step has been reached and both readings exist. */
  public synchronized OptionalDouble stage2Drop() {
    return stage2Drop;
  }

  /**
   * The observed degenerate fraction averaged over the steps of the Stage 2 window, once the
   * check step has been reached and some step of the window reported the fraction.
   */
  public synchronized OptionalDouble stage2DegenerateMean() {
    return windowDegenerateMean;
  }

  /** Whether the signal rule's Stage 2 flags the run (false before the check step). */
  public synchronized boolean signalStage2Flag() {
    return config.signalStage2Flag(windowDegenerateMean);
  }

  /** Whether the entropy rule's Stage 2 flags the run (false before the check step). */
  public synchronized boolean stage2Flag() {
    return config.stage2Flag(stage2Drop);
  }

  /**
   * A step built from the rewards of its groups: the observed degenerate fraction (groups whose
   * rewards span at most {@link DegenerateGroups#DEFAULT_SPREAD_FLOOR}, the rule of
   * {@link DegenerateGroups#isDegenerate(double[], double)}), the mean, smallest and largest reward, the group count, and, when
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
    return stepFromGroups(step, groupRewards, passRates, DegenerateGroups.DEFAULT_SPREAD_FLOOR);
  }

  /**
   * A step built from the rewards of its groups, as {@link #stepFromGroups(long, double[][], double[])}
   * but counting a group as degenerate when its rewards span at most {@code spreadFloor}.
   *
   * @param spreadFloor the spread floor of {@link DegenerateGroups#isDegenerate(double[], double)},
   *     finite and {@code ≥ 0}
   * @throws IllegalArgumentException as the three-argument form, or on a bad spread floor
   */
  public static TrainingStep.Builder stepFromGroups(long step, double[][] groupRewards, double[] passRates,
      double spreadFloor) {
    DegenerateGroups groups = DegenerateGroups.empty(Checks.nonNegative("spreadFloor", spreadFloor));
    if (groupRewards.length == 0) {
      throw new IllegalArgumentException("groupRewards must hold at least one group, was empty");
    }
    if (!(passRates.length == 0 || passRates.length == groupRewards.length)) {
      throw new IllegalArgumentException("passRates must be empty or hold one rate per group ("
          + groupRewards.length + "), was length " + passRates.length);
    }
    double sum = 0;
    long count = 0;
    double min = Double.POSITIVE_INFINITY;
    double max = Double.NEGATIVE_INFINITY;
    for (int g = 0; g < groupRewards.length; g++) {
      double[] rewards = groupRewards[g];
      try {
        if (passRates.length > 0) {
          groups.accept(rewards, Checks.probability("passRates[" + g + "]", passRates[g]));
        } else {
          groups.accept(rewards);
        }
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("groupRewards[" + g + "]: " + e.getMessage(), e);
      }
      for (double r : rewards) {
        sum += r;
        count++;
        min = Math.min(min, r);
        max = Math.max(max, r);
      }
    }
    TrainingStep.Builder builder = TrainingStep.builder(step)
        .degenerateFraction(groups.value().getAsDouble())
        .groups(groupRewards.length)
        .reward(sum / count)
        .rewardMin(min)
        .rewardMax(max);
    groups.predictedFraction().ifPresent(builder::predictedDegenerateFraction);
    return builder;
  }
}
