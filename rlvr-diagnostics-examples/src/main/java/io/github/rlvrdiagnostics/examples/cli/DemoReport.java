package io.github.rlvrdiagnostics.examples.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.rlvrdiagnostics.api.Checkpoint;
import io.github.rlvrdiagnostics.api.CheckpointVerdict;
import io.github.rlvrdiagnostics.api.Correlation;
import io.github.rlvrdiagnostics.api.EntropyPoint;
import io.github.rlvrdiagnostics.api.LadderReport;
import io.github.rlvrdiagnostics.api.OutcomeAnalysis;
import io.github.rlvrdiagnostics.api.SignalProfile;
import io.github.rlvrdiagnostics.api.TrainingStep;
import io.github.rlvrdiagnostics.api.TriageConfig;
import io.github.rlvrdiagnostics.cli.Charts;
import io.github.rlvrdiagnostics.cli.ExtensionCommand;
import io.github.rlvrdiagnostics.cli.InputException;
import io.github.rlvrdiagnostics.cli.Options;
import io.github.rlvrdiagnostics.cli.Output;
import io.github.rlvrdiagnostics.core.diagnostic.Ladders;
import io.github.rlvrdiagnostics.core.diagnostic.TrainingMonitor;
import io.github.rlvrdiagnostics.djl.LadderFile;
import io.github.rlvrdiagnostics.examples.LadderExperiment.CheckpointResult;
import io.github.rlvrdiagnostics.examples.LadderExperiment;
import io.github.rlvrdiagnostics.examples.RuleComparison.Pick;
import io.github.rlvrdiagnostics.examples.RuleComparison.Rule;
import io.github.rlvrdiagnostics.examples.RuleComparison.SeedPicks;
import io.github.rlvrdiagnostics.examples.RuleComparison;
import io.github.rlvrdiagnostics.examples.StopRuleEvaluation;
import io.github.rlvrdiagnostics.examples.StopRuleEvaluation.StopRule;
import io.github.rlvrdiagnostics.examples.SftAdvice;
import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.OptionalDouble;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.lines.SeriesLines;
import org.knowm.xchart.style.markers.SeriesMarkers;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import io.github.rlvrdiagnostics.examples.cli.DemoCommand.Demo;

/**
 * The demo's output, apart from running it: the text tables, the JSON, the report's charts and
 * the ladder file, each from one {@link Demo}.
 */
final class DemoReport {
  private DemoReport() {}

  /** The early-GRPO window over which predicted and observed degenerate fractions are compared. */
  private static final int EARLY_STEPS = LadderExperiment.EARLY_STEPS;

  /** The ladder in the format {@code triage --ladder} reads, so that the CLI can be tried on real checkpoints. */
  static void writeLadder(Demo d, Path ladderFile, boolean quick) {
    List<LadderFile.Rung> rungs = new ArrayList<>();
    for (CheckpointResult r : d.results()) {
      rungs.add(new LadderFile.Rung(r.checkpoint(d.s().k()), r.samples()));
    }
    try {
      LadderFile.write(ladderFile, "rlvr-diag demo" + (quick ? " --quick" : "") + ": checkpoints of the built-in digit-sum "
          + "task; outcome = peak held-out pass@" + d.s().k() + " during GRPO; samples = pre-RL counts per probe prompt", rungs);
    } catch (UncheckedIOException e) {
      throw new InputException("cannot write " + ladderFile + ": " + e.getCause().getMessage(), e);
    }
  }

  static ObjectNode toJson(Demo d) {
    LadderExperiment.Settings s = d.s();
    ObjectNode node = Output.object();
    node.put("k", s.k());
    node.put("groupSize", s.groupSize());
    node.put("grpoSteps", s.grpoSteps());
    node.put("samplesPerPrompt", s.samplesPerPrompt());
    ArrayNode checkpoints = node.putArray("checkpoints");
    for (int i = 0; i < d.results().size(); i++) {
      CheckpointResult r = d.results().get(i);
      CheckpointVerdict v = d.analysis().checkpoints().get(i);
      ObjectNode o = checkpoints.addObject();
      o.put("depth", r.depth());
      o.put("seed", r.seed());
      o.put("entropy", r.entropy());
      o.put("passAt1", r.passAt1());
      o.put("passAtK", r.passAtK());
      SignalProfile p = r.signal();
      o.put("predictedDegenerateFraction", p.predictedDegenerateFraction());
      o.put("predictedDegenerateFractionExact", r.predictedDegenerateFractionExact());
      o.put("allPassFraction", p.allPassFraction());
      o.put("allFailFraction", p.allFailFraction());
      Output.put(o, "expectedSamplingCost", p.expectedSamplingCost());
      o.put("signalFlag", v.signalFlag());
      o.put("stage1Flag", v.stage1Flag());
      Output.put(o, "stage2Drop", v.stage2Drop());
      o.put("stage2Flag", v.stage2Flag());
      OptionalDouble window = d.windowMean(r);
      Output.put(o, "stage2DegenerateMean", window);
      o.put("signalStage2Flag", d.triage().signalStage2Flag(window));
      o.put("earlyObservedDegenerateFraction", r.earlyObservedDegenerate(EARLY_STEPS));
      o.put("earlyPredictedDegenerateFractionFromGrpoPrompts", r.earlyPreRlPredicted(EARLY_STEPS));
      o.put("peakPassAtK", r.peakPassAtK());
      o.put("meanObservedDegenerateFraction", Arrays.stream(r.observedDegenerate()).average().orElse(Double.NaN));
      o.put("meanPredictedDegenerateFractionExact", Arrays.stream(r.predictedDegenerate()).average().orElse(Double.NaN));
    }
    ObjectNode spearman = node.putObject("spearman");
    ObjectNode demeaned = node.putObject("spearmanSeedDemeaned");
    OutcomeAnalysis a = d.analysis().outcomes().orElseThrow();
    for (Correlation c : a.correlations()) {
      spearman.put(c.predictor(), c.spearman());
      if (c.spearmanSeedDemeaned().isPresent()) {
        demeaned.put(c.predictor(), c.spearmanSeedDemeaned().getAsDouble());
      }
    }
    ObjectNode picks = node.putObject("picks");
    putPicks(picks, d.rules().pooled(), d);
    picks.put("highestEntropy", highestMeanEntropy(s, d.results()));
    ArrayNode perSeed = node.putArray("picksPerSeed");
    for (SeedPicks sp : d.rules().perSeed()) {
      ObjectNode o = perSeed.addObject();
      o.put("seed", sp.seed().getAsLong());
      putPicks(o, sp, d);
      ObjectNode regret = o.putObject("regret");
      for (Rule rule : new Rule[] {Rule.STANDARD, Rule.ENTROPY, Rule.SIGNAL}) {
        regret.put(key(rule), sp.pick(rule).regret());
      }
      o.put("entropyFellBack", sp.pick(Rule.ENTROPY).fallback());
      d.advice().json(sp.seed().getAsLong()).ifPresent(advice -> o.set("sftAdvice", advice));
    }
    ObjectNode regret = node.putObject("regret");
    for (Rule rule : new Rule[] {Rule.STANDARD, Rule.ENTROPY, Rule.SIGNAL}) {
      regret.put(key(rule), d.rules().meanRegret(rule));
    }
    node.put("rankInversion", a.rankInversion());
    node.put("standardTiesWorst", a.standardTiesWorst());
    ObjectNode early = node.putObject("earlyDegenerate");
    early.put("steps", EARLY_STEPS);
    early.put("predicted", d.results().stream().mapToDouble(CheckpointResult::predictedDegenerateFraction).average().orElseThrow());
    early.put("predictedFromGrpoPrompts",
        d.results().stream().mapToDouble(r -> r.earlyPreRlPredicted(EARLY_STEPS)).average().orElseThrow());
    early.put("observed", d.results().stream().mapToDouble(r -> r.earlyObservedDegenerate(EARLY_STEPS)).average().orElseThrow());
    early.put("meanAbsoluteGap", d.results().stream()
        .mapToDouble(r -> Math.abs(r.earlyObservedDegenerate(EARLY_STEPS) - r.earlyPreRlPredicted(EARLY_STEPS)))
        .average().orElseThrow());
    ObjectNode stopRules = node.putObject("stopRules");
    d.stops().forEach((rule, stops) -> {
      StopRuleEvaluation.Score score = StopRuleEvaluation.score(d.results(), stops, d.triage());
      ObjectNode o = stopRules.putObject(stopKey(rule));
      o.put("flagged", score.flagged());
      Output.put(o, "precision", finite(score.precision()));
      Output.put(o, "recall", finite(score.recall()));
      o.put("computeSaved", score.computeSaved());
      Output.put(o, "outcomeLost", finite(score.outcomeLost()));
    });
    ObjectNode ci = node.putObject("regretDifferenceCi");
    putInterval(ci.putObject("signalMinusStandard"),
        StopRuleEvaluation.regretDifference(d.rules().perSeed(), Rule.SIGNAL, Rule.STANDARD));
    putInterval(ci.putObject("signalMinusEntropy"),
        StopRuleEvaluation.regretDifference(d.rules().perSeed(), Rule.SIGNAL, Rule.ENTROPY));
    return node;
  }

  static OptionalDouble finite(double v) {
    return Double.isNaN(v) ? OptionalDouble.empty() : OptionalDouble.of(v);
  }

  static void putInterval(ObjectNode o, StopRuleEvaluation.Interval i) {
    o.put("mean", i.mean());
    o.put("low", i.low());
    o.put("high", i.high());
    o.put("seeds", i.pairs());
  }

  /** The JSON key of a stop rule: entropyStage2, signalStage2, verdict, verdictRelativeDrop. */
  static String stopKey(StopRule rule) {
    return switch (rule) {
      case ENTROPY_STAGE2 -> "entropyStage2";
      case SIGNAL_STAGE2 -> "signalStage2";
      case VERDICT -> "verdict";
      case VERDICT_RELATIVE_DROP -> "verdictRelativeDrop";
    };
  }

  /** The stop rules judged by the definitions fixed in advance, and each run's verdict timeline. */
  static void printStopRules(PrintWriter out, Demo d) {
    out.printf(Locale.ROOT, "Stop rules, judged as fixed before the results (docs/MATH.md §7): a stop is right when the held-out "
        + "pass@%d gained less than %s after it (keeping the best checkpoint so far); a no-progress run is one where "
        + "stopping at the check step %d would be right.%n", d.s().k(), Output.number(StopRuleEvaluation.RIGHT_STOP_LOSS),
        d.triage().checkStep());
    java.util.Map<StopRule, List<StopRuleEvaluation.RunStop>> stops = d.stops();
    Output.Table table = new Output.Table("rule", "runs flagged", "right", "precision", "recall", "compute saved",
        "outcome lost (mean)");
    stops.forEach((rule, list) -> {
      StopRuleEvaluation.Score sc = StopRuleEvaluation.score(d.results(), list, d.triage());
      table.row(stopKey(rule), sc.flagged() + "/" + d.results().size(), sc.right(), nan(sc.precision()), nan(sc.recall()),
          String.format(Locale.ROOT, "%.1f%%", 100 * sc.computeSaved()), nan(sc.outcomeLost()));
    });
    table.print(out);
    out.println();
    out.println("Verdict timeline per run (! = critical; the first critical step is the stop advice):");
    List<StopRuleEvaluation.RunStop> verdictStops = stops.get(StopRule.VERDICT);
    for (int i = 0; i < d.results().size(); i++) {
      CheckpointResult r = d.results().get(i);
      StopRuleEvaluation.RunStop stop = verdictStops.get(i);
      out.printf(Locale.ROOT, "  depth %d seed %d (peak pass@%d %.3f): %s%s%n", r.depth(), r.seed(), d.s().k(),
          r.peakPassAtK(), StopRuleEvaluation.timeline(StopRuleEvaluation.monitor(r, d.triage())),
          stop.stopStep().isPresent() ? String.format(Locale.ROOT, " | stop at %d, lost %.3f (%s)",
              stop.stopStep().getAsLong(), stop.loss(), stop.loss() < StopRuleEvaluation.RIGHT_STOP_LOSS ? "right" : "WRONG")
              : "");
    }
    out.println();
    for (Rule other : new Rule[] {Rule.STANDARD, Rule.ENTROPY}) {
      StopRuleEvaluation.Interval ci = StopRuleEvaluation.regretDifference(d.rules().perSeed(), Rule.SIGNAL, other);
      out.printf(Locale.ROOT, "Regret difference signal - %s over %d seeds: mean %.4f, 95%% bootstrap interval [%.4f, %.4f]%s%n",
          name(other), ci.pairs(), ci.mean(), ci.low(), ci.high(),
          ci.excludesZero() ? "" : " (straddles zero: no difference shown)");
    }
  }

  static String nan(double v) {
    return Double.isNaN(v) ? "-" : Output.number(v);
  }

  static void putPicks(ObjectNode node, SeedPicks sp, Demo d) {
    node.put("standard", d.depthOf(sp.pick(Rule.STANDARD).name()));
    node.put("entropy", d.depthOf(sp.pick(Rule.ENTROPY).name()));
    node.put("signal", d.depthOf(sp.pick(Rule.SIGNAL).name()));
    node.put("bestOutcome", d.depthOf(sp.pick(Rule.ORACLE).name()));
  }

  static String key(Rule rule) {
    return rule.name().toLowerCase(Locale.ROOT);
  }


  static void print(PrintWriter out, Demo d) {
    LadderExperiment.Settings s = d.s();
    TriageConfig t = d.triage();
    out.printf(Locale.ROOT, "SFT ladder on the digit-sum task: depths %s epochs × seeds %s; GRPO %d steps, G = %d, %d prompts/step.%n",
        Arrays.toString(s.depths()), Arrays.toString(s.seeds()), s.grpoSteps(), s.groupSize(), s.promptsPerStep());
    out.printf(Locale.ROOT, "Pre-RL: %d probe prompts × %d samples each; pass@1, pass@%d and the signal profile at G = %d are "
        + "unbiased estimates from those counts.%n", s.probePrompts(), s.samplesPerPrompt(), s.k(), s.groupSize());
    out.printf(Locale.ROOT, "Entropy triage: Stage 1 entropy < %s nats; Stage 2 worst-token drop from step %d to %d > %s.%n",
        Output.number(t.tau()), t.referenceStep(), t.checkStep(), Output.number(t.delta()));
    out.printf(Locale.ROOT, "Signal rule: flag a predicted degenerate fraction at G = %d above %s; pick the highest pass@1 "
        + "among the rest (else the lowest fraction).%n%n", t.groupSize(), Output.number(t.maxDegenerateFraction()));
    Output.Table table = new Output.Table("depth", "seed", "entropy", "pass@1", "pass@" + s.k(), "P_deg", "(exact)",
        "all pass", "all fail", "stage 1", "stage 2 drop", "signal", "peak pass@" + s.k());
    for (int i = 0; i < d.results().size(); i++) {
      CheckpointResult r = d.results().get(i);
      CheckpointVerdict v = d.analysis().checkpoints().get(i);
      table.row(r.depth(), r.seed(), r.entropy(), r.passAt1(), r.passAtK(), r.predictedDegenerateFraction(),
          r.predictedDegenerateFractionExact(), r.signal().allPassFraction(), r.signal().allFailFraction(),
          v.stage1Flag() ? "FLAG" : "ok",
          v.stage2Drop().isPresent()
              ? String.format(Locale.ROOT, "%.1f%%%s", 100 * v.stage2Drop().getAsDouble(), v.stage2Flag() ? " FLAG" : "") : "-",
          v.signalFlag() ? "FLAG" : "ok", r.peakPassAtK());
    }
    table.print(out);
    out.println();
    printPerDepth(out, d);
    OutcomeAnalysis a = d.analysis().outcomes().orElseThrow();
    out.println();
    Output.Table corr = new Output.Table("predictor", "Spearman (pooled)", "perm. p", "seed-demeaned", "Kendall", "R^2");
    for (Correlation c : a.correlations()) {
      corr.row(c.predictor(), c.spearman(), c.spearmanPValue(),
          c.spearmanSeedDemeaned().isPresent() ? Output.number(c.spearmanSeedDemeaned().getAsDouble()) : "-", c.kendallTau(), c.rSquared());
    }
    corr.print(out);
    out.println();
    printRules(out, d);
    out.println();
    // The SFT stop advisor's recommendation per seed and its regret.
    d.advice().print(out);
    out.println();
    printEarlyDegenerate(out, d);
    out.println();
    printStage2(out, d);
    out.println();
    printStopRules(out, d);
  }

  static void printPerDepth(PrintWriter out, Demo d) {
    LadderExperiment.Settings s = d.s();
    out.println("Per depth, mean over seeds (the paper's Table 1/3 analogue):");
    Output.Table perDepth = new Output.Table("depth", "entropy", "pass@1", "pass@" + s.k(), "P_deg", "stage 1 flags",
        "stage 2 drop", "signal flags", "peak pass@" + s.k());
    for (int depth : s.depths()) {
      double[] sums = new double[6];
      int stage1 = 0;
      int signal = 0;
      int n = 0;
      for (int i = 0; i < d.results().size(); i++) {
        CheckpointResult r = d.results().get(i);
        if (r.depth() != depth) {
          continue;
        }
        CheckpointVerdict v = d.analysis().checkpoints().get(i);
        sums[0] += r.entropy();
        sums[1] += r.passAt1();
        sums[2] += r.passAtK();
        sums[3] += r.predictedDegenerateFraction();
        sums[4] += v.stage2Drop().orElse(Double.NaN);
        sums[5] += r.peakPassAtK();
        stage1 += v.stage1Flag() ? 1 : 0;
        signal += v.signalFlag() ? 1 : 0;
        n++;
      }
      perDepth.row(depth, sums[0] / n, sums[1] / n, sums[2] / n, sums[3] / n, stage1 + "/" + n,
          Double.isFinite(sums[4]) ? String.format(Locale.ROOT, "%.1f%%", 100 * sums[4] / n) : "-", signal + "/" + n,
          sums[5] / n);
    }
    perDepth.print(out);
  }

  static void printRules(PrintWriter out, Demo d) {
    LadderExperiment.Settings s = d.s();
    out.printf(Locale.ROOT, "Selection rules per seed: picked depth (outcome, regret = best outcome of the seed minus the pick's; "
        + "outcome = peak held-out pass@%d).%n", s.k());
    Output.Table perSeed = new Output.Table("seed", "best (oracle)", "standard", "entropy triage", "signal", "rank inversion");
    for (SeedPicks sp : d.rules().perSeed()) {
      OutcomeAnalysis a = sp.analysis().outcomes().orElseThrow();
      perSeed.row(sp.seed().getAsLong(), cell(sp.pick(Rule.ORACLE), false), cell(sp.pick(Rule.STANDARD), true),
          cell(sp.pick(Rule.ENTROPY), true), cell(sp.pick(Rule.SIGNAL), true), inversion(a));
    }
    perSeed.print(out);
    out.println();
    Output.Table summary = new Output.Table("rule", "mean outcome", "mean regret", "seeds with regret <= 0.001",
        "seeds with no answer");
    long seeds = d.rules().perSeed().size();
    for (Rule rule : Rule.values()) {
      summary.row(name(rule), d.rules().meanOutcome(rule), d.rules().meanRegret(rule),
          d.rules().zeroRegretSeeds(rule) + "/" + seeds,
          rule == Rule.ENTROPY ? d.rules().fallbacks(rule) + "/" + seeds + " (standard pick used)" : "-");
    }
    summary.print(out);
    SeedPicks pooled = d.rules().pooled();
    OutcomeAnalysis a = pooled.analysis().outcomes().orElseThrow();
    out.printf(Locale.ROOT, "Pooled over seeds (mean outcome per depth): best depth %s (%s); standard %s; entropy triage %s; "
        + "signal %s; rank inversion: %s%n", pooled.pick(Rule.ORACLE).name(), Output.number(a.bestOutcome()),
        cell(pooled.pick(Rule.STANDARD), true), cell(pooled.pick(Rule.ENTROPY), true), cell(pooled.pick(Rule.SIGNAL), true),
        inversion(a));
  }

  static String cell(Pick pick, boolean withRegret) {
    String text = pick.name() + " (" + Output.number(pick.outcome());
    if (withRegret) {
      text += ", " + Output.number(pick.regret());
    }
    return text + ")" + (pick.fallback() ? " none->std" : "");
  }

  static String name(Rule rule) {
    return switch (rule) {
      case STANDARD -> "standard (pass@1)";
      case ENTROPY -> "entropy triage";
      case SIGNAL -> "signal";
      case ORACLE -> "oracle";
    };
  }

  static String inversion(OutcomeAnalysis a) {
    if (a.rankInversion()) {
      return "YES: the standard pick is the worst";
    }
    if (a.standardTiesWorst()) {
      return "TIE: the standard pick ties the worst outcome within " + Output.number(OutcomeAnalysis.TIE_TOLERANCE);
    }
    return "no";
  }

  static void printEarlyDegenerate(PrintWriter out, Demo d) {
    LadderExperiment.Settings s = d.s();
    out.printf(Locale.ROOT, "Degenerate groups in the first %d GRPO steps: predicted before RL from %d samples per prompt "
        + "(of the probe prompts, and of those steps' own prompts) vs observed; mean per depth.%n", EARLY_STEPS,
        s.samplesPerPrompt());
    Output.Table table = new Output.Table("depth", "predicted (probe)", "(exact)", "predicted (GRPO prompts)", "observed",
        "gap (GRPO prompts)");
    for (int depth : s.depths()) {
      List<CheckpointResult> rs = d.results().stream().filter(r -> r.depth() == depth).toList();
      double predicted = rs.stream().mapToDouble(CheckpointResult::predictedDegenerateFraction).average().orElseThrow();
      double exact = rs.stream().mapToDouble(CheckpointResult::predictedDegenerateFractionExact).average().orElseThrow();
      double own = rs.stream().mapToDouble(r -> r.earlyPreRlPredicted(EARLY_STEPS)).average().orElseThrow();
      double observed = rs.stream().mapToDouble(r -> r.earlyObservedDegenerate(EARLY_STEPS)).average().orElseThrow();
      table.row(depth, predicted, exact, own, observed, String.format(Locale.ROOT, "%+.3f", observed - own));
    }
    table.print(out);
    double predicted = d.results().stream().mapToDouble(CheckpointResult::predictedDegenerateFraction).average().orElseThrow();
    double own = d.results().stream().mapToDouble(r -> r.earlyPreRlPredicted(EARLY_STEPS)).average().orElseThrow();
    double observed = d.results().stream().mapToDouble(r -> r.earlyObservedDegenerate(EARLY_STEPS)).average().orElseThrow();
    double gap = d.results().stream()
        .mapToDouble(r -> Math.abs(r.earlyObservedDegenerate(EARLY_STEPS) - r.earlyPreRlPredicted(EARLY_STEPS)))
        .average().orElseThrow();
    out.printf(Locale.ROOT, "all runs: predicted %.3f (probe prompts), %.3f (the GRPO prompts), observed %.3f; "
        + "mean |observed - predicted (GRPO prompts)| per run %.3f%n", predicted, own, observed, gap);
  }

  static void printStage2(PrintWriter out, Demo d) {
    TriageConfig t = d.triage();
    int entropyFlags = 0;
    int signalFlags = 0;
    for (int i = 0; i < d.results().size(); i++) {
      entropyFlags += d.analysis().checkpoints().get(i).stage2Flag() ? 1 : 0;
      signalFlags += t.signalStage2Flag(d.windowMean(d.results().get(i))) ? 1 : 0;
    }
    int runs = d.results().size();
    out.printf(Locale.ROOT, "Stage 2 during GRPO (steps %d to %d of %d): the entropy rule flags %d of %d runs, the signal rule "
        + "(mean observed degenerate fraction > %s) flags %d; stopping a flagged run at step %d saves %.1f%% of its RL compute.%n",
        t.referenceStep(), t.checkStep(), t.plannedSteps(), entropyFlags, runs, Output.number(t.maxDegenerateFraction()),
        signalFlags, t.checkStep(), 100 * t.computeSavedFraction());
    Output.Table table = new Output.Table("depth", "entropy rule flags", "signal rule flags", "mean peak pass@" + d.s().k());
    for (int depth : d.s().depths()) {
      int e = 0;
      int sg = 0;
      double outcome = 0;
      int n = 0;
      for (int i = 0; i < runs; i++) {
        CheckpointResult r = d.results().get(i);
        if (r.depth() == depth) {
          e += d.analysis().checkpoints().get(i).stage2Flag() ? 1 : 0;
          sg += t.signalStage2Flag(d.windowMean(r)) ? 1 : 0;
          outcome += r.peakPassAtK();
          n++;
        }
      }
      table.row(depth, e + "/" + n, sg + "/" + n, outcome / n);
    }
    table.print(out);
  }

  /** The depth with the highest mean generation-start entropy (the pure entropy rule). */
  static int highestMeanEntropy(LadderExperiment.Settings s, List<CheckpointResult> results) {
    int best = s.depths()[0];
    double bestEntropy = Double.NEGATIVE_INFINITY;
    for (int depth : s.depths()) {
      double mean = results.stream().filter(r -> r.depth() == depth).mapToDouble(CheckpointResult::entropy).average().orElseThrow();
      if (mean > bestEntropy) {
        bestEntropy = mean;
        best = depth;
      }
    }
    return best;
  }

  static void report(Demo d, Path report) {
    LadderExperiment.Settings s = d.s();
    try {
      Files.createDirectories(report);
    } catch (IOException e) {
      throw new InputException("cannot create " + report + ": " + e.getMessage(), e);
    }
    long firstSeed = s.seeds()[0];
    XYChart entropy = Charts.chart("Worst-token entropy during GRPO (seed " + firstSeed + ")", "GRPO step", "entropy (nats)");
    XYChart passK = Charts.chart("Held-out pass@" + s.k() + " during GRPO (seed " + firstSeed + ")", "GRPO step", "pass@" + s.k());
    XYChart degenerate = Charts.chart("Degenerate groups during GRPO (seed " + firstSeed + ")", "GRPO step", "fraction of groups");
    degenerate.getStyler().setYAxisMin(0.0);
    degenerate.getStyler().setYAxisMax(1.0);
    // Many series: a vertical legend beside the plot keeps every label readable.
    degenerate.getStyler().setLegendPosition(Styler.LegendPosition.OutsideE);
    degenerate.getStyler().setLegendLayout(Styler.LegendLayout.Vertical);
    for (CheckpointResult r : d.results()) {
      if (r.seed() != firstSeed) {
        continue;
      }
      List<Double> xs = new ArrayList<>();
      List<Double> ys = new ArrayList<>();
      for (EntropyPoint p : r.entropyTrace()) {
        xs.add((double) p.step());
        ys.add(p.entropy());
      }
      Charts.line(entropy, "depth " + r.depth(), xs, ys);
      List<Double> ex = new ArrayList<>();
      List<Double> ey = new ArrayList<>();
      for (int i = 0; i < r.evalSteps().length; i++) {
        ex.add((double) r.evalSteps()[i]);
        ey.add(r.passAtKCurve()[i]);
      }
      Charts.line(passK, "depth " + r.depth(), ex, ey);
      List<Double> dx = new ArrayList<>();
      List<Double> observed = new ArrayList<>();
      List<Double> predicted = new ArrayList<>();
      for (int i = 0; i < r.observedDegenerate().length; i++) {
        dx.add(i + 1.0);
        observed.add(r.observedDegenerate()[i]);
        predicted.add(r.predictedDegenerateFraction());
      }
      XYSeries o = Charts.line(degenerate, "observed, depth " + r.depth(), dx, observed);
      o.setMarker(SeriesMarkers.NONE);
      XYSeries p = Charts.line(degenerate, "predicted pre-RL, depth " + r.depth(), dx, predicted);
      p.setMarker(SeriesMarkers.NONE);
      p.setLineStyle(SeriesLines.DASH_DASH);
    }
    Charts.save(entropy, report.resolve("demo-entropy.png"));
    Charts.save(passK, report.resolve("demo-passk.png"));
    Charts.save(degenerate, report.resolve("demo-degenerate.png"));
    StringBuilder md = new StringBuilder("# SFT-ladder experiment\n\n");
    StringWriter text = new StringWriter();
    print(new PrintWriter(text), d);
    md.append("```\n").append(text).append("```\n\n");
    md.append("![entropy](demo-entropy.png)\n\n![pass@k](demo-passk.png)\n\n![degenerate groups](demo-degenerate.png)\n");
    try {
      Files.writeString(report.resolve("report.md"), md.toString());
    } catch (IOException e) {
      throw new InputException("cannot write the report: " + e.getMessage(), e);
    }
  }
}
