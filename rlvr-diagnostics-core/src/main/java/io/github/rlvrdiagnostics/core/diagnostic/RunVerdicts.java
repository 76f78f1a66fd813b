package io.github.rlvrdiagnostics.core.diagnostic;

import io.github.rlvrdiagnostics.api.MonitorConfig;
import io.github.rlvrdiagnostics.api.RunState;
import io.github.rlvrdiagnostics.api.Severity;
import io.github.rlvrdiagnostics.api.StopAdvice;
import io.github.rlvrdiagnostics.api.TrainingStep;
import io.github.rlvrdiagnostics.api.TriageConfig;
import io.github.rlvrdiagnostics.api.Verdict;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalDouble;
import org.jspecify.annotations.Nullable;

/**
 * The run-state machine behind the monitor's verdicts (docs/MATH.md §7): fed one step at a time,
 * it keeps the last {@code 2·maxReadings} steps (a window and the spell before it), re-reads the raw state every
 * {@link MonitorConfig#stride} steps, confirms a new state after {@code confirmSteps} steps and
 * records the first critical verdict as stop advice. Every rule is asked of {@link MonitorConfig}
 * and {@link TriageConfig}. Not thread-safe: the monitor calls it under its lock.
 */
final class RunVerdicts {
  private final MonitorConfig rules;
  private final TriageConfig config;
  /** Whether rewards are 0/1 with group size {@code config.groupSize()}: the split's lower bounds apply. */
  private final boolean binary;

  // The last 2·maxReadings logged steps, oldest first from head; NaN where a step did not log a value.
  private final long[] steps;
  private final double[] reward;
  private final double[] entropy;
  private final double[] degenerate;
  private final double[] allPass;
  private final double[] allFail;
  private int size;
  private int head;
  private long logged;

  /** The run's first entropy readings, for the relative drop. */
  private final double[] early;
  private int earlyCount;

  private int sinceEvaluation = Integer.MAX_VALUE;
  private int window;
  /** The Mann–Kendall score over a spell and the window before it, read while a spell may become long; NaN otherwise. */
  private double longSpanZ = Double.NaN;
  private Reading raw = new Reading(RunState.UNKNOWN, "no step yet", "");

  private final List<Verdict> verdicts = new ArrayList<>();
  private long spell;
  private @Nullable RunState candidate;
  private int candidateSteps;
  private long candidateOnset;
  private long candidateBefore;
  private long lastStep = -1;
  private @Nullable StopAdvice stopAdvice;

  /** One raw reading of the state, with its evidence and action. */
  private record Reading(RunState state, String evidence, String action) {}

  RunVerdicts(MonitorConfig rules, TriageConfig config, boolean binary) {
    this.rules = rules;
    this.config = config;
    this.binary = binary;
    // Twice the largest window: a lasting plateau is judged over two windows.
    int n = 2 * rules.maxReadings();
    steps = new long[n];
    reward = new double[n];
    entropy = new double[n];
    degenerate = new double[n];
    allPass = new double[n];
    allFail = new double[n];
    early = new double[rules.minReadings()];
  }

  /** Feeds one step (steps increase; the monitor checks). */
  void accept(TrainingStep step) {
    int slot;
    if (size < steps.length) {
      slot = (head + size) % steps.length;
      size++;
    } else {
      slot = head;
      head = (head + 1) % steps.length;
    }
    steps[slot] = step.step();
    reward[slot] = value(step.reward());
    entropy[slot] = value(step.entropy());
    degenerate[slot] = value(step.degenerateFraction());
    allPass[slot] = value(step.allPassFraction());
    allFail[slot] = value(step.allFailFraction());
    logged++;
    if (step.entropy().isPresent() && earlyCount < early.length) {
      early[earlyCount++] = step.entropy().getAsDouble();
    }
    int w = rules.window(logged);
    if (sinceEvaluation >= rules.stride(Math.max(1, w))) {
      window = w;
      raw = evaluate(w);
      sinceEvaluation = 0;
    }
    sinceEvaluation++;
    update(step.step());
    lastStep = step.step();
  }

  private static double value(OptionalDouble v) {
    return v.isPresent() ? v.getAsDouble() : Double.NaN;
  }

  /** The index in the ring of the {@code i}-th of the last {@code w} steps, oldest first. */
  private int index(int w, int i) {
    return (head + size - w + i) % steps.length;
  }

  /** Reads the raw state over the last {@code w} logged steps (all of them when {@code w} is 0). */
  private Reading evaluate(int w) {
    int span = w == 0 ? Math.min(size, (int) logged) : w;
    double[] xs = new double[span];
    double[] ys = new double[span];
    double[] hs = new double[span];
    int rewards = 0;
    int entropies = 0;
    double passSum = 0;
    double failSum = 0;
    double degenerateSum = 0;
    int splitSteps = 0;
    int degenerateSteps = 0;
    for (int i = 0; i < span; i++) {
      int k = index(span, i);
      if (!Double.isNaN(reward[k])) {
        xs[rewards] = steps[k];
        ys[rewards++] = reward[k];
      }
      if (!Double.isNaN(entropy[k])) {
        hs[entropies++] = entropy[k];
      }
      if (!Double.isNaN(allPass[k]) && !Double.isNaN(allFail[k])) {
        passSum += allPass[k];
        failSum += allFail[k];
        splitSteps++;
      }
      if (!Double.isNaN(degenerate[k])) {
        degenerateSum += degenerate[k];
        degenerateSteps++;
      }
    }
    List<String> evidence = new ArrayList<>();
    Trend trend = w > 0 && rewards >= rules.minReadings() ? Trend.of(xs, ys, 0, rewards) : null;
    Integer direction = trend == null ? null : rules.direction(trend.z());
    double meanReward = rewards == 0 ? Double.NaN : Arrays.stream(ys, 0, rewards).average().orElse(Double.NaN);
    if (trend != null) {
      evidence.add(String.format(Locale.ROOT, "reward %s%s over the last %d logged steps (mean %s; Theil–Sen slope %s "
              + "per step, Mann–Kendall z = %.2f, noise σ = %s)", trend.change() >= 0 ? "+" : "",
          Actions.number(trend.change()), span, Actions.number(meanReward), Actions.number(trend.slope()), trend.z(),
          Actions.number(trend.noise())));
    } else if (rewards > 0) {
      evidence.add(String.format(Locale.ROOT, "%d reward reading%s: too few for a trend (%d needed)", rewards,
          rewards == 1 ? "" : "s", rules.minReadings()));
    } else {
      evidence.add("no reward logged");
    }
    // The degenerate split: observed where enough steps log it, else the binary lower bounds.
    double pass = Double.NaN;
    double fail = Double.NaN;
    boolean bounds = false;
    if (rules.covered(splitSteps, span)) {
      pass = passSum / splitSteps;
      fail = failSum / splitSteps;
      evidence.add(String.format(Locale.ROOT, "all-pass %.0f%%, all-fail %.0f%% of groups (%d of %d steps report it)",
          100 * pass, 100 * fail, splitSteps, span));
    } else if (binary && rules.covered(rewards, span) && meanReward >= 0 && meanReward <= 1) {
      pass = Math.pow(meanReward, config.groupSize());
      fail = Math.pow(1 - meanReward, config.groupSize());
      bounds = true;
      evidence.add(String.format(Locale.ROOT, "at least %.0f%% all-pass and %.0f%% all-fail groups (lower bounds "
          + "p̄^G and (1 − p̄)^G at mean pass rate %.3f, G = %d)", 100 * pass, 100 * fail, meanReward, config.groupSize()));
    }
    double degenerateMean = Double.NaN;
    if (rules.covered(degenerateSteps, span)) {
      degenerateMean = degenerateSum / degenerateSteps;
      evidence.add(String.format(Locale.ROOT, "%.0f%% of groups degenerate (%d of %d steps report it)",
          100 * degenerateMean, degenerateSteps, span));
    } else if (degenerateSteps > 0) {
      evidence.add(String.format(Locale.ROOT, "degenerate fraction reported at only %d of %d steps: not used",
          degenerateSteps, span));
    }
    boolean passDominates = config.degenerateFlag(pass) && pass > fail;
    boolean failDominates = config.degenerateFlag(fail) && fail > pass;
    // Entropy: collapsed below τ. A fall by more than δ from the run's first readings counts too
    // only where the rules say so (relativeDropCollapses: learning runs halve their entropy as
    // well); it is reported either way.
    boolean collapsed = false;
    if (entropies > 0 && rules.covered(entropies, span)) {
      double h = Trend.median(hs, entropies);
      double start = earlyCount == early.length ? Trend.median(early.clone(), earlyCount) : Double.NaN;
      boolean belowTau = config.stage1Flag(h);
      boolean dropped = start > 0 && h < config.stage2FlagLevel(start);
      collapsed = belowTau || (dropped && rules.relativeDropCollapses());
      evidence.add(String.format(Locale.ROOT, "entropy %s nats%s%s", Actions.number(h),
          Double.isNaN(start) ? "" : " (first readings " + Actions.number(start) + ")",
          belowTau ? String.format(Locale.ROOT, ", below τ = %s", Actions.number(config.tau()))
              : dropped ? String.format(Locale.ROOT, ", down more than δ = %.0f%%", 100 * config.delta()) : ""));
    }
    longSpanZ = Double.NaN;
    String text = String.join("; ", evidence);
    RunState state;
    String action;
    if (direction == null && !passDominates && !failDominates) {
      state = RunState.UNKNOWN;
      action = "";
    } else if (direction != null && direction > 0) {
      state = RunState.LEARNING;
      action = passDominates ? "none needed while the reward rises; " + Actions.tooEasy(pass) : "none: the reward is still rising";
    } else if (passDominates) {
      state = RunState.SATURATED;
      action = Actions.tooEasy(pass) + (bounds ? " (a lower bound from the mean reward)" : "");
    } else if (failDominates) {
      state = RunState.STARVED;
      action = Actions.tooHard(fail, degenerateMean);
    } else if (collapsed && (Double.isNaN(degenerateMean) || config.degenerateFlag(degenerateMean))) {
      state = RunState.COLLAPSED;
      action = Actions.collapsed(span);
    } else if (direction != null && direction < 0) {
      state = RunState.REGRESSING;
      action = Actions.regressing(trend.change(), span);
    } else {
      state = RunState.PLATEAU;
      action = "";
    }
    if ((state == RunState.PLATEAU || state == RunState.STARVED) && w > 0 && spell + 1 >= Math.max(w, rules.patience())) {
      // No progress is judged over the whole spell and the window before it: the span a user
      // means by "nothing has improved for this long".
      int longSpan = (int) Math.min(size, spell + 1 + w);
      longSpanZ = longSpanScore(longSpan);
      if (!Double.isNaN(longSpanZ)) {
        text += String.format(Locale.ROOT, "; Mann–Kendall z = %.2f over the last %d logged steps", longSpanZ, longSpan);
      }
    }
    return new Reading(state, text, action);
  }

  /** The reward's Mann–Kendall score over the last {@code span} logged steps, NaN with too few rewards. */
  private double longSpanScore(int span) {
    double[] xs = new double[span];
    double[] ys = new double[span];
    int n = 0;
    for (int i = 0; i < span; i++) {
      int k = index(span, i);
      if (!Double.isNaN(reward[k])) {
        xs[n] = steps[k];
        ys[n++] = reward[k];
      }
    }
    return n >= rules.minReadings() ? Trend.of(xs, ys, 0, n).z() : Double.NaN;
  }

  /** Moves the verdict on by one logged step, with hysteresis and escalation. */
  private void update(long step) {
    if (verdicts.isEmpty()) {
      spell = 1;
      open(step, step, raw.state(), 1);
      return;
    }
    Verdict current = verdicts.get(verdicts.size() - 1);
    if (raw.state() == current.state()) {
      candidate = null;
      spell++;
      Severity severity = rules.severity(current.state(), rules.isLong(spell, window, longSpanZ));
      if (severity.compareTo(current.severity()) > 0) {
        open(step, step, current.state(), spell);
      } else {
        // The text changes only with a fresh reading (every stride steps): between readings the
        // stretch is only extended, so a long log formats no line per step.
        Verdict extended = current.extendedTo(step);
        verdicts.set(verdicts.size() - 1, sinceEvaluation == 1
            ? extended.withText(raw.evidence(), action(current.state(), spell)) : extended);
      }
      return;
    }
    if (raw.state() != candidate) {
      candidate = raw.state();
      candidateSteps = 0;
      candidateOnset = step;
      candidateBefore = lastStep;
    }
    candidateSteps++;
    if (candidateSteps >= rules.confirmSteps()) {
      if (candidateBefore > current.toStep()) {
        verdicts.set(verdicts.size() - 1, current.extendedTo(candidateBefore));
      }
      spell = candidateSteps;
      open(candidateOnset, step, candidate, spell);
      candidate = null;
    }
  }

  /** The action of a state, with the spell's length where it matters (a plateau's). */
  private String action(RunState state, long spellSteps) {
    return state == RunState.PLATEAU ? Actions.plateau(Math.max(spellSteps, window), rules.isLong(spellSteps, window, longSpanZ))
        : raw.action();
  }

  /** Opens a verdict; the first critical one becomes the stop advice. */
  private void open(long from, long to, RunState state, long spellSteps) {
    Severity severity = rules.severity(state, rules.isLong(spellSteps, window, longSpanZ));
    String action = action(state, spellSteps);
    verdicts.add(new Verdict(from, to, state, severity, raw.evidence(), action));
    if (severity == Severity.CRITICAL && stopAdvice == null) {
      double saved = to >= config.plannedSteps() ? 0.0 : (double) (config.plannedSteps() - to) / config.plannedSteps();
      stopAdvice = new StopAdvice(to, state, Math.max(0.0, Math.min(1.0, saved)), raw.evidence() + ". " + action);
    }
  }

  /** How many verdicts have been opened (a change of state or an escalation adds one). */
  int verdictCount() {
    return verdicts.size();
  }

  /** The verdicts so far, consecutive, the last one current. */
  List<Verdict> verdicts() {
    return List.copyOf(verdicts);
  }

  /** The current verdict, once a step has been fed. */
  Optional<Verdict> current() {
    return verdicts.isEmpty() ? Optional.empty() : Optional.of(verdicts.get(verdicts.size() - 1));
  }

  /** The first critical verdict's advice, if any. */
  Optional<StopAdvice> stopAdvice() {
    return Optional.ofNullable(stopAdvice);
  }
}
