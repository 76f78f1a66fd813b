package io.github.rlvrdiagnostics.examples;

import io.github.rlvrdiagnostics.api.MonitorConfig;
import io.github.rlvrdiagnostics.api.StopAdvice;
import io.github.rlvrdiagnostics.api.TrainingStep;
import io.github.rlvrdiagnostics.api.TriageConfig;
import io.github.rlvrdiagnostics.api.Verdict;
import io.github.rlvrdiagnostics.core.diagnostic.TrainingMonitor;
import io.github.rlvrdiagnostics.examples.LadderExperiment.CheckpointResult;
import io.github.rlvrdiagnostics.examples.RuleComparison.Rule;
import io.github.rlvrdiagnostics.examples.RuleComparison.SeedPicks;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Random;

/**
 * The stop rules judged on the ladder experiment's GRPO runs, by the definitions of docs/MATH.md
 * §7 fixed before any result was looked at: stopping at step {@code s} keeps the best held-out
 * outcome evaluated at or before {@code s} and loses {@code peak − best(s)}; a stop is right when
 * it loses less than {@link #RIGHT_STOP_LOSS}; a run is a no-progress run when stopping at the
 * check step would be right.
 */
public final class StopRuleEvaluation {
  private StopRuleEvaluation() {}

  /** A stop that loses less than this much held-out outcome is right. */
  public static final double RIGHT_STOP_LOSS = 0.02;

  /** The bootstrap's resamples and seed, fixed so that the intervals repeat exactly. */
  static final int RESAMPLES = 10_000;

  static final long BOOTSTRAP_SEED = 20_261_207L;

  /** The stop rules compared. */
  public enum StopRule {
    /** The paper's entropy Stage 2, at the check step. */
    ENTROPY_STAGE2,
    /** The signal rule's Stage 2, at the check step. */
    SIGNAL_STAGE2,
    /** The monitor's stop advice with its default rules, at its own step. */
    VERDICT,
    /**
     * The monitor's stop advice when an entropy fall by more than δ also counts as collapse
     * ({@link MonitorConfig#relativeDropCollapses()} true, the default before the held-out test
     * of docs/EXPERIMENTS.md), kept for comparison.
     */
    VERDICT_RELATIVE_DROP
  }

  /**
   * One rule's record over the runs.
   *
   * @param flagged runs the rule stopped
   * @param right flagged runs whose stop lost less than {@link #RIGHT_STOP_LOSS}
   * @param precision {@code right / flagged}, NaN when nothing was flagged
   * @param recall flagged no-progress runs over no-progress runs, NaN when there are none
   * @param computeSaved planned GRPO steps not run by flagged runs, over all runs' planned steps
   * @param outcomeLost mean outcome lost over flagged runs, NaN when nothing was flagged
   */
  public record Score(int flagged, int right, double precision, double recall, double computeSaved, double outcomeLost) {}

  /**
   * One run under one rule.
   *
   * @param stopStep the step the rule stopped at, empty when it did not
   * @param loss the outcome lost by that stop (0 when not stopped)
   */
  public record RunStop(OptionalLong stopStep, double loss) {}

  /**
   * A 95% percentile-bootstrap interval of a mean paired difference over seeds.
   *
   * @param mean the mean difference
   * @param low the 2.5th percentile of the resampled means
   * @param high the 97.5th percentile
   * @param pairs the number of seeds
   */
  public record Interval(double mean, double low, double high, int pairs) {
    /** Whether the interval excludes zero. */
    public boolean excludesZero() {
      return low > 0 || high < 0;
    }
  }

  /** The best outcome evaluated at or before {@code step}. */
  static double bestBy(CheckpointResult r, long step) {
    double best = Double.NEGATIVE_INFINITY;
    int[] steps = r.evalSteps();
    double[] curve = r.passAtKCurve();
    for (int i = 0; i < steps.length; i++) {
      if (steps[i] <= step) {
        best = Math.max(best, curve[i]);
      }
    }
    return best;
  }

  /** The outcome lost by stopping run {@code r} at {@code step}. */
  public static double loss(CheckpointResult r, long step) {
    return r.peakPassAtK() - bestBy(r, step);
  }

  /**
   * The training monitor replayed over one run as its training log would show it: per step the
   * mean reward, the rollout entropy and the observed degenerate fraction; rewards are 0/1 and G
   * is known, so the binary lower bounds apply.
   */
  public static TrainingMonitor monitor(CheckpointResult r, TriageConfig config) {
    return monitor(r, config, MonitorConfig.DEFAULT);
  }

  /** {@link #monitor(CheckpointResult, TriageConfig)} with other verdict rules. */
  public static TrainingMonitor monitor(CheckpointResult r, TriageConfig config, MonitorConfig rules) {
    TrainingMonitor monitor = TrainingMonitor.createForBinaryRewards(config, rules, a -> { });
    double[] reward = r.reward();
    double[] entropy = r.rolloutEntropy();
    double[] degenerate = r.observedDegenerate();
    for (int i = 0; i < reward.length; i++) {
      monitor.accept(TrainingStep.builder(i + 1).reward(reward[i]).entropy(entropy[i]).degenerateFraction(degenerate[i])
          .build());
    }
    return monitor;
  }

  /**
   * Every rule's stops, run by run.
   *
   * @param entropyFlags per run, whether the paper's Stage 2 flagged it
   * @param signalFlags per run, whether the signal Stage 2 flagged it
   */
  public static Map<StopRule, List<RunStop>> stops(List<CheckpointResult> results, boolean[] entropyFlags,
      boolean[] signalFlags, TriageConfig config) {
    Map<StopRule, List<RunStop>> out = new LinkedHashMap<>();
    for (StopRule rule : StopRule.values()) {
      out.put(rule, new ArrayList<>());
    }
    for (int i = 0; i < results.size(); i++) {
      CheckpointResult r = results.get(i);
      long check = config.checkStep();
      out.get(StopRule.ENTROPY_STAGE2).add(entropyFlags[i] ? new RunStop(OptionalLong.of(check), loss(r, check))
          : new RunStop(OptionalLong.empty(), 0));
      out.get(StopRule.SIGNAL_STAGE2).add(signalFlags[i] ? new RunStop(OptionalLong.of(check), loss(r, check))
          : new RunStop(OptionalLong.empty(), 0));
      out.get(StopRule.VERDICT).add(adviceStop(r, monitor(r, config)));
      out.get(StopRule.VERDICT_RELATIVE_DROP).add(adviceStop(r, monitor(r, config,
          MonitorConfig.DEFAULT.withRelativeDropCollapses(true))));
    }
    return out;
  }

  /** A run's stop where the monitor advised one. */
  private static RunStop adviceStop(CheckpointResult r, TrainingMonitor monitor) {
    java.util.Optional<StopAdvice> advice = monitor.stopAdvice();
    return advice.isPresent() ? new RunStop(OptionalLong.of(advice.get().step()), loss(r, advice.get().step()))
        : new RunStop(OptionalLong.empty(), 0);
  }

  /** The score of one rule's stops over the runs. */
  public static Score score(List<CheckpointResult> results, List<RunStop> stops, TriageConfig config) {
    int flagged = 0;
    int right = 0;
    int positives = 0;
    int found = 0;
    double saved = 0;
    double lost = 0;
    for (int i = 0; i < results.size(); i++) {
      CheckpointResult r = results.get(i);
      boolean noProgress = loss(r, config.checkStep()) < RIGHT_STOP_LOSS;
      positives += noProgress ? 1 : 0;
      RunStop stop = stops.get(i);
      if (stop.stopStep().isPresent()) {
        flagged++;
        right += stop.loss() < RIGHT_STOP_LOSS ? 1 : 0;
        found += noProgress ? 1 : 0;
        saved += Math.max(0, config.plannedSteps() - stop.stopStep().getAsLong()) / (double) config.plannedSteps();
        lost += stop.loss();
      }
    }
    return new Score(flagged, right, flagged == 0 ? Double.NaN : (double) right / flagged,
        positives == 0 ? Double.NaN : (double) found / positives, saved / results.size(),
        flagged == 0 ? Double.NaN : lost / flagged);
  }

  /** Per run, the verdict timeline as "from-to STATE" stretches (critical ones marked with !). */
  public static String timeline(TrainingMonitor monitor) {
    StringBuilder out = new StringBuilder();
    for (Verdict v : monitor.verdicts()) {
      if (out.length() > 0) {
        out.append(", ");
      }
      out.append(v.fromStep()).append('-').append(v.toStep()).append(' ').append(v.state())
          .append(v.severity() == io.github.rlvrdiagnostics.api.Severity.CRITICAL ? "!" : "");
    }
    return out.toString();
  }

  /**
   * The 95% percentile-bootstrap interval of the mean per-seed regret difference
   * {@code regret(a) − regret(b)} ({@value #RESAMPLES} resamples of the seeds, seeded).
   */
  public static Interval regretDifference(List<SeedPicks> perSeed, Rule a, Rule b) {
    double[] d = new double[perSeed.size()];
    for (int i = 0; i < d.length; i++) {
      d[i] = perSeed.get(i).pick(a).regret() - perSeed.get(i).pick(b).regret();
    }
    double mean = Arrays.stream(d).average().orElse(Double.NaN);
    Random random = new Random(BOOTSTRAP_SEED);
    double[] means = new double[RESAMPLES];
    for (int k = 0; k < RESAMPLES; k++) {
      double sum = 0;
      for (int i = 0; i < d.length; i++) {
        sum += d[random.nextInt(d.length)];
      }
      means[k] = sum / d.length;
    }
    Arrays.sort(means);
    return new Interval(mean, means[(int) Math.floor(0.025 * (RESAMPLES - 1))],
        means[(int) Math.ceil(0.975 * (RESAMPLES - 1))], d.length);
  }
}
