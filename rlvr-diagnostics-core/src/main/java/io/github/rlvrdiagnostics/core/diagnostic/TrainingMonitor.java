package io.github.rlvrdiagnostics.core.diagnostic;

import io.github.rlvrdiagnostics.api.Alert;
import io.github.rlvrdiagnostics.api.AlertKind;
import io.github.rlvrdiagnostics.api.AlertListener;
import io.github.rlvrdiagnostics.api.Checks;
import io.github.rlvrdiagnostics.api.EntropyPoint;
import io.github.rlvrdiagnostics.api.MonitorConfig;
import io.github.rlvrdiagnostics.api.Severity;
import io.github.rlvrdiagnostics.api.StopAdvice;
import io.github.rlvrdiagnostics.api.TrainingStep;
import io.github.rlvrdiagnostics.api.TriageConfig;
import io.github.rlvrdiagnostics.api.Verdict;
import io.github.rlvrdiagnostics.core.rollout.DegenerateGroups;
import io.github.rlvrdiagnostics.core.signal.Signals;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.function.Supplier;

/**
 * The in-loop monitor of a GRPO run: fed once per step (from a live training loop, or from a log
 * replayed by the logs module's {@code TrainingLogs}), it says whether the run is still learning
 * and raises typed alerts. Thresholds are the {@link TriageConfig}'s; the verdict's rules,
 * hysteresis and severities are the {@link MonitorConfig}'s.
 *
 * <p><b>Verdicts</b> (docs/MATH.md §7): at every step the run is in one {@code RunState}, decided
 * from the reward's robust trend, the degenerate split and the entropy; {@link #verdicts()} lists
 * the stretches, {@link #verdict()} the current one, and {@link #stopAdvice()} the first critical
 * verdict — the only stop advice the monitor gives.
 *
 * <p><b>Alerts</b>, each with a severity and an action:
 * <ul>
 *   <li>{@link AlertKind#ENTROPY_BELOW_TAU} while the step's entropy is below τ
 *       ({@link TriageConfig#stage1Flag});
 *   <li>{@link AlertKind#ENTROPY_DROP} once, at the first step at or after the check step, when
 *       the paper's Stage 2 relative drop (as {@link Ladders#stage2Drop} defines it) exceeds δ
 *       ({@link TriageConfig#stage2Flag}): shown as the paper's rule, not as stop advice;
 *   <li>{@link AlertKind#DEGENERATE_OVER_WINDOW} once, at the same step, when the observed
 *       degenerate fraction averaged over the steps of the window
 *       {@code [referenceStep, checkStep]} exceeds the threshold
 *       ({@link TriageConfig#signalStage2Flag}) and at least {@link MonitorConfig#minCoverage} of
 *       the window's logged steps reported it (a mean over the steps that happen to report, such
 *       as the steps whose reward spread was 0, is biased and flags nothing);
 *   <li>{@link AlertKind#MAJORITY_DEGENERATE} while more than {@code maxDegenerateFraction} (by
 *       default half) of the step's groups are degenerate ({@link TriageConfig#degenerateFlag});
 *       the message says which side (all-pass or all-fail) dominates where the log says. For a
 *       monitor made by {@link #createForBinaryRewards}, a step that logged no degenerate fraction
 *       but a mean reward {@code p̄} in [0, 1] is judged by the lower bound {@code P_deg(p̄, G)}
 *       (docs/MATH.md §1: {@code P_deg} is convex, so the mean pass rate bounds the fraction from
 *       below), and the alert says so;
 *   <li>{@link AlertKind#DEGENERATE_ABOVE_PREDICTED} while the observed degenerate fraction exceeds
 *       the fraction predicted from per-prompt pass rates by more than
 *       {@link TriageConfig#predictionBand(double, int)} ({@link TriageConfig#aboveCalibration});
 *   <li>the instability detectors ({@link AlertKind#KL_SPIKE}, {@link AlertKind#GRAD_NORM_SPIKE},
 *       {@link AlertKind#ZERO_STD_NONZERO_LOSS}, {@link AlertKind#TRUNCATION},
 *       {@link AlertKind#LENGTH_DRIFT}, {@link AlertKind#ENTROPY_RISING},
 *       {@link AlertKind#NON_FINITE}), whose rules are {@link MonitorConfig#detectors()}'s.
 * </ul>
 * A level alert's episode opens once its condition has held for
 * {@link MonitorConfig#confirmSteps()} logged steps (dated from the first of them) and closes
 * after it failed for {@link MonitorConfig#clearSteps()}; shorter blips are counted in
 * {@link #summary()} only. Steps must increase.
 *
 * <p>Thread-safe: steps may be fed from several threads (each call is atomic); listeners are
 * called after the monitor's lock is released, on the feeding thread. A step costs
 * {@code O(w²/20)} for a trend window of {@code w} steps (at most 100) plus O(1).
 */
public final class TrainingMonitor {
  private final TriageConfig config;
  private final MonitorConfig rules;
  private final AlertListener listener;
  /** Whether a step without an observed degenerate fraction is judged by P_deg(mean reward, G). */
  private final boolean boundFromMeanReward;
  private final RunVerdicts verdicts;
  private final Detectors detectors;
  private final List<EntropyPoint> trace = new ArrayList<>();
  private final List<Alert> alerts = new ArrayList<>();
  private long lastStep = -1;
  private boolean stage2Evaluated;
  private OptionalDouble stage2Drop = OptionalDouble.empty();
  private double windowDegenerateSum;
  private int windowDegenerateSteps;
  private int windowSteps;
  private OptionalDouble windowDegenerateMean = OptionalDouble.empty();
  private boolean windowCovered;
  /** Per level kind: its hysteresis state. */
  private final EnumMap<AlertKind, Level> levels = new EnumMap<>(AlertKind.class);

  /** One level kind's hysteresis: a pending onset, the open episode, the steps since it last held. */
  private static final class Level {
    long readings;
    int pending;
    long pendingOnset;
    @org.jspecify.annotations.Nullable Alert pendingAlert;
    int openIndex = -1;
    int failing;
    int blips;
  }

  /**
   * How often one kind of alert's state held over a run.
   *
   * @param kind the alert kind
   * @param steps the logged steps at which the state held within its episodes (for a one-time
   *     alert, 1 per alert)
   * @param ofSteps the logged steps that had the reading the kind's rule needs (entropy, degenerate
   *     fraction, or both fractions); for a one-time alert, 1
   * @param episodes the number of alerts of the kind (separate spells of the state)
   * @param blips spells shorter than {@link MonitorConfig#confirmSteps()}, which raised no alert
   */
  public record EpisodeSummary(AlertKind kind, long steps, long ofSteps, int episodes, int blips) {}

  private TrainingMonitor(TriageConfig config, MonitorConfig rules, AlertListener listener, boolean boundFromMeanReward) {
    if (config == null) {
      throw new IllegalArgumentException("config must not be null");
    }
    if (rules == null) {
      throw new IllegalArgumentException("rules must not be null");
    }
    if (listener == null) {
      throw new IllegalArgumentException("listener must not be null");
    }
    this.config = config;
    this.rules = rules;
    this.listener = listener;
    this.boundFromMeanReward = boundFromMeanReward;
    this.verdicts = new RunVerdicts(rules, config, boundFromMeanReward);
    this.detectors = new Detectors(rules.detectors());
  }

  /**
   * A monitor with the given thresholds and the default {@link MonitorConfig} whose alerts are
   * only collected.
   *
   * @throws IllegalArgumentException if {@code config} is null
   */
  public static TrainingMonitor create(TriageConfig config) {
    return new TrainingMonitor(config, MonitorConfig.DEFAULT, alert -> { }, false);
  }

  /**
   * A monitor that also hands each alert and verdict change to {@code listener} as it happens.
   *
   * @throws IllegalArgumentException if either argument is null
   */
  public static TrainingMonitor create(TriageConfig config, AlertListener listener) {
    return new TrainingMonitor(config, MonitorConfig.DEFAULT, listener, false);
  }

  /**
   * A monitor with other verdict rules.
   *
   * @throws IllegalArgumentException if an argument is null
   */
  public static TrainingMonitor create(TriageConfig config, MonitorConfig rules, AlertListener listener) {
    return new TrainingMonitor(config, rules, listener, false);
  }

  /**
   * A monitor for a run whose rewards are 0 or 1 and whose group size is {@code config.groupSize()}:
   * besides the rules of {@link #create(TriageConfig, AlertListener)}, a step that logged its mean
   * reward {@code p̄} but no degenerate fraction raises {@link AlertKind#MAJORITY_DEGENERATE} when
   * the lower bound {@code P_deg(p̄, G)} on its degenerate fraction is flagged by
   * {@link TriageConfig#degenerateFlag}, and the verdict uses the lower bounds {@code p̄^G} and
   * {@code (1 − p̄)^G} of the all-pass and all-fail fractions where the log has no split. A step
   * whose mean, smallest or largest reward lies outside [0, 1] gets no bound. The caller vouches
   * that rewards are binary and that {@code G} is the run's group size.
   *
   * @throws IllegalArgumentException if either argument is null
   */
  public static TrainingMonitor createForBinaryRewards(TriageConfig config, AlertListener listener) {
    return new TrainingMonitor(config, MonitorConfig.DEFAULT, listener, true);
  }

  /**
   * As {@link #createForBinaryRewards(TriageConfig, AlertListener)}, with other verdict rules.
   *
   * @throws IllegalArgumentException if an argument is null
   */
  public static TrainingMonitor createForBinaryRewards(TriageConfig config, MonitorConfig rules, AlertListener listener) {
    return new TrainingMonitor(config, rules, listener, true);
  }

  /**
   * The lower bound {@code P_deg(p̄, G)} on a step's degenerate fraction from its mean reward
   * {@code p̄} (docs/MATH.md §1: {@code P_deg} is convex, so {@code P_deg(p̄, G) ≤ mean_j P_deg(p_j, G)}),
   * when the step logged a mean reward and its mean, smallest and largest rewards lie in [0, 1];
   * the caller vouches that rewards are binary. The one home of this bound: the monitor's alert,
   * the command line's series and its charts ask it.
   */
  public static OptionalDouble degenerateLowerBound(TrainingStep step, int groupSize) {
    if (step.reward().isEmpty()) {
      return OptionalDouble.empty();
    }
    for (OptionalDouble v : List.of(step.reward(), step.rewardMin(), step.rewardMax())) {
      if (v.isPresent() && !(v.getAsDouble() >= 0.0 && v.getAsDouble() <= 1.0)) {
        return OptionalDouble.empty();
      }
    }
    return OptionalDouble.of(Signals.degenerateThreshold().degenerateProbability(step.reward().getAsDouble(), groupSize));
  }

  /** The lower bound for a step, when this monitor uses it and the step has no observed fraction. */
  private OptionalDouble meanRewardBound(TrainingStep step) {
    if (!boundFromMeanReward || step.degenerateFraction().isPresent()) {
      return OptionalDouble.empty();
    }
    return degenerateLowerBound(step, config.groupSize());
  }

  /** The thresholds in use. */
  public TriageConfig config() {
    return config;
  }

  /** The verdict rules in use. */
  public MonitorConfig rules() {
    return rules;
  }

  /**
   * Feeds one step and returns the alerts it opened (often none).
   *
   * @throws IllegalArgumentException if the step does not come after the previous one
   */
  public List<Alert> accept(TrainingStep step) {
    List<Alert> raised = new ArrayList<>();
    Verdict changed = null;
    synchronized (this) {
      if (!(step.step() > lastStep)) {
        throw new IllegalArgumentException("step must increase, was " + step.step() + " after " + lastStep);
      }
      lastStep = step.step();
      int verdictsBefore = verdicts.verdictCount();
      verdicts.accept(step);
      if (verdicts.verdictCount() != verdictsBefore) {
        changed = verdicts.current().orElseThrow();
      }
      if (step.entropy().isPresent()) {
        double h = step.entropy().getAsDouble();
        trace.add(EntropyPoint.of(step.step(), h));
        boolean below = config.stage1Flag(h);
        level(AlertKind.ENTROPY_BELOW_TAU, below, step.step(), raised,
            () -> String.format(Locale.ROOT, "entropy %.4f nats is below tau = %.4f", h, config.tau()),
            Actions::entropyBelowTau);
      }
      if (!stage2Evaluated && config.inStage2Window(step.step())) {
        windowSteps++;
        if (step.degenerateFraction().isPresent()) {
          windowDegenerateSum += step.degenerateFraction().getAsDouble();
          windowDegenerateSteps++;
        }
      }
      if (!stage2Evaluated && step.step() >= config.checkStep()) {
        stage2Evaluated = true;
        stage2Drop = Ladders.stage2Drop(trace, config);
        windowDegenerateMean = windowDegenerateSteps == 0
            ? OptionalDouble.empty() : OptionalDouble.of(windowDegenerateSum / windowDegenerateSteps);
        windowCovered = rules.covered(windowDegenerateSteps, windowSteps);
        if (windowCovered && config.signalStage2Flag(windowDegenerateMean)) {
          raise(raised, new Alert(step.step(), AlertKind.DEGENERATE_OVER_WINDOW, String.format(Locale.ROOT,
              "%.1f%% of groups were degenerate on average over steps %d to %d (%d of %d logged steps report it; "
                  + "threshold %.0f%%): the signal rule's Stage 2 flags the run (stopping here would save %.1f%% of "
                  + "the planned RL compute)",
              100 * windowDegenerateMean.getAsDouble(), config.referenceStep(), config.checkStep(), windowDegenerateSteps,
              windowSteps, 100 * config.maxDegenerateFraction(), 100 * config.computeSavedFraction()),
              rules.severity(AlertKind.DEGENERATE_OVER_WINDOW), Actions.stage2()));
        }
        if (config.stage2Flag(stage2Drop)) {
          raise(raised, new Alert(step.step(), AlertKind.ENTROPY_DROP, String.format(Locale.ROOT,
              "entropy dropped by %.1f%% between steps %d and %d (delta = %.0f%%): the paper's Stage 2 flags the run "
                  + "(stopping here would save %.1f%% of the planned RL compute)",
              100 * stage2Drop.getAsDouble(), config.referenceStep(), config.checkStep(), 100 * config.delta(),
              100 * config.computeSavedFraction()), rules.severity(AlertKind.ENTROPY_DROP), Actions.stage2()));
        }
      }
      OptionalDouble bound = meanRewardBound(step);
      if (bound.isPresent()) {
        double lower = bound.getAsDouble();
        double mean = step.reward().getAsDouble();
        level(AlertKind.MAJORITY_DEGENERATE, config.degenerateFlag(lower), step.step(), raised, () -> String.format(
            Locale.ROOT, "at least %.1f%% of groups are degenerate (a lower bound, P_deg(mean reward %.4f, G = %d), "
                + "from the mean reward; no degenerate fraction was logged): most of the batch carries no gradient",
            100 * lower, mean, config.groupSize()), () -> degenerateAction(step, lower));
      }
      if (step.degenerateFraction().isPresent()) {
        double observed = step.degenerateFraction().getAsDouble();
        boolean flagged = config.degenerateFlag(observed);
        level(AlertKind.MAJORITY_DEGENERATE, flagged, step.step(), raised, () -> String.format(Locale.ROOT,
            "%.1f%% of groups are degenerate%s: most of the batch carries no gradient", 100 * observed, side(step)),
            () -> degenerateAction(step, observed));
        if (step.predictedDegenerateFraction().isPresent()) {
          double predicted = step.predictedDegenerateFraction().getAsDouble();
          int groups = step.groups().orElse(0);
          double band = TriageConfig.predictionBand(predicted, groups);
          boolean above = TriageConfig.aboveCalibration(observed, predicted, groups);
          level(AlertKind.DEGENERATE_ABOVE_PREDICTED, above, step.step(), raised, () -> String.format(Locale.ROOT,
              "observed degenerate fraction %.3f exceeds the %.3f predicted from pass rates by more than %.3f",
              observed, predicted, band), Actions::aboveCalibration);
        }
      }
      detect(AlertKind.KL_SPIKE, detectors.kl(step), step.step(), raised);
      detect(AlertKind.GRAD_NORM_SPIKE, detectors.gradNorm(step), step.step(), raised);
      detect(AlertKind.ZERO_STD_NONZERO_LOSS, detectors.zeroStdResidue(step), step.step(), raised);
      detect(AlertKind.TRUNCATION, detectors.truncation(step), step.step(), raised);
      detect(AlertKind.LENGTH_DRIFT, detectors.lengthDrift(step), step.step(), raised);
      detect(AlertKind.ENTROPY_RISING, detectors.entropyRising(step), step.step(), raised);
      detect(AlertKind.NON_FINITE, detectors.nonFinite(step), step.step(), raised);
    }
    raised.forEach(listener::onAlert);
    if (changed != null) {
      listener.onVerdict(changed);
    }
    return raised;
  }

  /** " (all-pass 55%, all-fail 7%)" where the step logged its split, else empty. */
  private static String side(TrainingStep step) {
    if (step.allPassFraction().isEmpty() || step.allFailFraction().isEmpty()) {
      return "";
    }
    return String.format(Locale.ROOT, " (all-pass %.0f%%, all-fail %.0f%%)", 100 * step.allPassFraction().getAsDouble(),
        100 * step.allFailFraction().getAsDouble());
  }

  /** What to do about a majority of degenerate groups: by side where known, else by G or filtering. */
  private String degenerateAction(TrainingStep step, double fraction) {
    if (step.allPassFraction().isPresent() && step.allFailFraction().isPresent()) {
      double pass = step.allPassFraction().getAsDouble();
      double fail = step.allFailFraction().getAsDouble();
      return pass >= fail ? Actions.tooEasy(pass) : Actions.tooHard(fail, fraction);
    }
    double p = boundFromMeanReward && step.reward().isPresent() ? step.reward().getAsDouble() : Double.NaN;
    return Actions.degenerate(fraction, p, config.groupSize());
  }

  /** One detector's reading of a step as a level alert (holding the lock); null is no reading. */
  private void detect(AlertKind kind, Detectors.@org.jspecify.annotations.Nullable Reading reading, long step,
      List<Alert> raised) {
    if (reading != null) {
      level(kind, reading.holds(), step, raised, reading.message(), reading::action);
    }
  }

  /** Records a one-time alert (holding the lock). */
  private void raise(List<Alert> raised, Alert alert) {
    raised.add(alert);
    alerts.add(alert);
  }

  /**
   * One logged step's reading for a level kind (holding the lock): counts a pending onset, opens
   * the episode once the condition has held {@code confirmSteps} steps, extends it while it holds
   * and closes it after {@code clearSteps} failing steps.
   */
  private void level(AlertKind kind, boolean holds, long step, List<Alert> raised, Supplier<String> message,
      Supplier<String> action) {
    Level l = levels.computeIfAbsent(kind, k -> new Level());
    l.readings++;
    if (!holds) {
      if (l.pending > 0) {
        l.blips++;
        l.pending = 0;
        l.pendingAlert = null;
      }
      if (l.openIndex >= 0 && ++l.failing >= rules.clearSteps()) {
        l.openIndex = -1;
      }
      return;
    }
    l.failing = 0;
    if (l.openIndex >= 0) {
      alerts.set(l.openIndex, alerts.get(l.openIndex).extendedTo(step));
      return;
    }
    if (l.pending == 0) {
      l.pendingOnset = step;
      l.pendingAlert = new Alert(step, kind, message.get(), rules.severity(kind), action.get());
    }
    l.pending++;
    if (l.pending >= rules.confirmSteps()) {
      Alert alert = l.pending == 1 ? l.pendingAlert : l.pendingAlert.extendedTo(step, l.pending - 1);
      raise(raised, alert);
      l.openIndex = alerts.size() - 1;
      l.pending = 0;
      l.pendingAlert = null;
    }
  }

  /**
   * Per alert kind raised (or blipped) so far, in the order of {@link AlertKind}: the logged steps
   * in that state, out of how many had the reading, in how many episodes, and the blips too short
   * to raise one.
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
      Level l = levels.get(kind);
      int blips = l == null ? 0 : l.blips;
      if (episodes > 0 || blips > 0) {
        long readings = l == null ? episodes : l.readings;
        out.add(new EpisodeSummary(kind, steps, readings, episodes, blips));
      }
    }
    return out;
  }

  /** Every alert raised so far, in order, each extended over the steps its state has lasted. */
  public synchronized List<Alert> alerts() {
    return List.copyOf(alerts);
  }

  /** The run's verdicts so far: consecutive stretches of one state, the last one current. */
  public synchronized List<Verdict> verdicts() {
    return verdicts.verdicts();
  }

  /** The current verdict: the state at the last step fed, once a step has been fed. */
  public synchronized Optional<Verdict> verdict() {
    return verdicts.current();
  }

  /**
   * The stop advice: the first step with a critical verdict ({@code COLLAPSED}, {@code REGRESSING},
   * or a long {@code PLATEAU} or {@code STARVED}), with the compute stopping there saves; empty
   * while the run has given no evidence that it will not improve on its own.
   */
  public synchronized Optional<StopAdvice> stopAdvice() {
    return verdicts.stopAdvice();
  }

  /** The Stage 2 drop, once the check step has been reached and both readings exist. */
  public synchronized OptionalDouble stage2Drop() {
    return stage2Drop;
  }

  /**
   * The observed degenerate fraction averaged over the steps of the Stage 2 window that reported
   * it, once the check step has been reached and some step of the window did; see
   * {@link #stage2DegenerateCoverage()} for how many did.
   */
  public synchronized OptionalDouble stage2DegenerateMean() {
    return windowDegenerateMean;
  }

  /**
   * How many of the Stage 2 window's logged steps reported a degenerate fraction, out of how
   * many, as {@code {reported, steps}}; both 0 before the window starts.
   */
  public synchronized long[] stage2DegenerateCoverage() {
    return new long[] {windowDegenerateSteps, windowSteps};
  }

  /**
   * Whether the signal rule's Stage 2 flags the run: the window mean exceeds the threshold and
   * enough of the window's steps reported it (false before the check step).
   */
  public synchronized boolean signalStage2Flag() {
    return windowCovered && config.signalStage2Flag(windowDegenerateMean);
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
