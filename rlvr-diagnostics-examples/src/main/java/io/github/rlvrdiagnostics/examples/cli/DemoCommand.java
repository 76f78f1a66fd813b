package io.github.rlvrdiagnostics.examples.cli;

import io.github.rlvrdiagnostics.cli.Charts;
import io.github.rlvrdiagnostics.cli.ExtensionCommand;
import io.github.rlvrdiagnostics.cli.InputException;
import io.github.rlvrdiagnostics.cli.Output;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.rlvrdiagnostics.api.Checkpoint;
import io.github.rlvrdiagnostics.api.CheckpointVerdict;
import io.github.rlvrdiagnostics.api.Correlation;
import io.github.rlvrdiagnostics.api.EntropyPoint;
import io.github.rlvrdiagnostics.api.LadderReport;
import io.github.rlvrdiagnostics.api.OutcomeAnalysis;
import io.github.rlvrdiagnostics.api.TriageConfig;
import io.github.rlvrdiagnostics.core.diagnostic.Ladders;
import io.github.rlvrdiagnostics.examples.LadderExperiment;
import io.github.rlvrdiagnostics.examples.LadderExperiment.CheckpointResult;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import org.knowm.xchart.XYChart;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code demo}: the SFT-ladder experiment of seed 000 on the built-in task (SPEC §4, §6). */
@Command(name = "demo", mixinStandardHelpOptions = true,
    description = {"The reference experiment: trains SFT checkpoints of several depths and seeds on the built-in "
        + "digit-sum task, probes each before RL, runs GRPO from each with the Stage 2 monitor, and compares the "
        + "standard pick (highest pass@1) with entropy triage."})
public final class DemoCommand implements Runnable, ExtensionCommand {
  @Spec CommandSpec spec;

  @Option(names = "--quick", description = "A run of well under a minute (smaller everything).")
  boolean quick;

  @Option(names = "--report", paramLabel = "DIR", description = "Also write DIR/report.md with charts.")
  Path report;

  @Option(names = "--json", description = "Print JSON instead of tables.")
  boolean json;

  @Option(names = "--no-progress", description = "No progress bar on stderr.")
  boolean noProgress;

  @Override
  public void run() {
    LadderExperiment.Settings settings = quick ? LadderExperiment.Settings.quick() : LadderExperiment.Settings.defaults();
    List<CheckpointResult> results;
    if (noProgress || json) {
      results = LadderExperiment.run(settings, done -> { });
    } else {
      try (ProgressBar bar = new ProgressBarBuilder().setTaskName("ladder").setInitialMax(LadderExperiment.workUnits(settings))
          .setStyle(ProgressBarStyle.ASCII).setConsumer(new ConsoleProgressBarConsumer(new PrintStream(System.err, true)))
          .build()) {
        results = LadderExperiment.run(settings, bar::stepBy);
      }
    }
    TriageConfig triage = settings.triage();
    List<Checkpoint> ladder = new ArrayList<>();
    for (CheckpointResult r : results) {
      ladder.add(r.checkpoint(settings.k()));
    }
    LadderReport analysis = Ladders.analyze(ladder, triage);
    PrintWriter out = spec.commandLine().getOut();
    if (json) {
      Output.json(out, toJson(settings, results, analysis));
    } else {
      print(out, settings, results, analysis);
    }
    if (report != null) {
      report(settings, results, analysis);
    }
  }

  private static ObjectNode toJson(LadderExperiment.Settings s, List<CheckpointResult> results, LadderReport analysis) {
    ObjectNode node = Output.object();
    node.put("k", s.k());
    node.put("groupSize", s.groupSize());
    node.put("grpoSteps", s.grpoSteps());
    ArrayNode checkpoints = node.putArray("checkpoints");
    for (int i = 0; i < results.size(); i++) {
      CheckpointResult r = results.get(i);
      CheckpointVerdict v = analysis.checkpoints().get(i);
      ObjectNode o = checkpoints.addObject();
      o.put("depth", r.depth());
      o.put("seed", r.seed());
      o.put("entropy", r.entropy());
      o.put("passAt1", r.passAt1());
      o.put("passAtK", r.passAtK());
      o.put("predictedDegenerateFraction", r.predictedDegenerateFraction());
      o.put("stage1Flag", v.stage1Flag());
      if (v.stage2Drop().isPresent()) {
        o.put("stage2Drop", v.stage2Drop().getAsDouble());
      } else {
        o.putNull("stage2Drop");
      }
      o.put("stage2Flag", v.stage2Flag());
      o.put("peakPassAtK", r.peakPassAtK());
      o.put("meanObservedDegenerateFraction", Arrays.stream(r.observedDegenerate()).average().orElse(Double.NaN));
      o.put("meanPredictedDegenerateFraction", Arrays.stream(r.predictedDegenerate()).average().orElse(Double.NaN));
    }
    ObjectNode spearman = node.putObject("spearman");
    ObjectNode demeaned = node.putObject("spearmanSeedDemeaned");
    OutcomeAnalysis a = analysis.outcomes().orElseThrow();
    for (Correlation c : a.correlations()) {
      spearman.put(c.predictor(), c.spearman());
      if (c.spearmanSeedDemeaned().isPresent()) {
        demeaned.put(c.predictor(), c.spearmanSeedDemeaned().getAsDouble());
      }
    }
    ObjectNode picks = node.putObject("picks");
    picks.put("standard", Integer.parseInt(analysis.standardPick()));
    if (analysis.triagePick().isPresent()) {
      picks.put("triage", Integer.parseInt(analysis.triagePick().get()));
    } else {
      picks.putNull("triage");
    }
    picks.put("bestOutcome", Integer.parseInt(a.bestName()));
    picks.put("highestEntropy", highestMeanEntropy(s, results));
    node.put("rankInversion", a.rankInversion());
    return node;
  }

  private static void print(PrintWriter out, LadderExperiment.Settings s, List<CheckpointResult> results, LadderReport analysis) {
    TriageConfig t = s.triage();
    out.printf(Locale.ROOT, "SFT ladder on the digit-sum task: depths %s epochs × seeds %s; GRPO %d steps, G = %d, %d prompts/step.%n",
        Arrays.toString(s.depths()), Arrays.toString(s.seeds()), s.grpoSteps(), s.groupSize(), s.promptsPerStep());
    out.printf(Locale.ROOT, "Stage 1: entropy < %s nats; Stage 2: worst-token drop from step %d to %d > %s. pass@k uses k = %d.%n%n",
        Output.number(t.tau()), t.referenceStep(), t.checkStep(), Output.number(t.delta()), s.k());
    Output.Table table = new Output.Table("depth", "seed", "entropy", "pass@1", "pass@" + s.k(), "pred. degenerate",
        "stage 1", "stage 2 drop", "peak pass@" + s.k());
    for (int i = 0; i < results.size(); i++) {
      CheckpointResult r = results.get(i);
      CheckpointVerdict v = analysis.checkpoints().get(i);
      table.row(r.depth(), r.seed(), r.entropy(), r.passAt1(), r.passAtK(), r.predictedDegenerateFraction(),
          v.stage1Flag() ? "FLAG" : "ok",
          v.stage2Drop().isPresent() ? String.format(Locale.ROOT, "%.1f%%%s", 100 * v.stage2Drop().getAsDouble(), v.stage2Flag() ? " FLAG" : "") : "-",
          r.peakPassAtK());
    }
    table.print(out);
    out.println();
    out.println("Per depth, mean over seeds (seed 000's Table 1/3 analogue):");
    Output.Table perDepth = new Output.Table("depth", "entropy", "pass@1", "pass@" + s.k(), "stage 1 flags", "stage 2 drop", "peak pass@" + s.k());
    for (int depth : s.depths()) {
      double[] sums = new double[5];
      int flags = 0;
      int n = 0;
      for (int i = 0; i < results.size(); i++) {
        CheckpointResult r = results.get(i);
        if (r.depth() != depth) {
          continue;
        }
        CheckpointVerdict v = analysis.checkpoints().get(i);
        sums[0] += r.entropy();
        sums[1] += r.passAt1();
        sums[2] += r.passAtK();
        sums[3] += v.stage2Drop().orElse(Double.NaN);
        sums[4] += r.peakPassAtK();
        flags += v.stage1Flag() ? 1 : 0;
        n++;
      }
      perDepth.row(depth, sums[0] / n, sums[1] / n, sums[2] / n, flags + "/" + n,
          Double.isFinite(sums[3]) ? String.format(Locale.ROOT, "%.1f%%", 100 * sums[3] / n) : "-", sums[4] / n);
    }
    perDepth.print(out);
    OutcomeAnalysis a = analysis.outcomes().orElseThrow();
    out.println();
    Output.Table corr = new Output.Table("predictor", "Spearman (pooled)", "perm. p", "seed-demeaned", "Kendall", "R^2");
    for (Correlation c : a.correlations()) {
      corr.row(c.predictor(), c.spearman(), c.spearmanPValue(),
          c.spearmanSeedDemeaned().isPresent() ? Output.number(c.spearmanSeedDemeaned().getAsDouble()) : "-", c.kendallTau(), c.rSquared());
    }
    corr.print(out);
    out.println();
    out.printf(Locale.ROOT, "standard pick (highest mean pass@1): depth %s -> mean peak pass@%d %s%n", analysis.standardPick(), s.k(),
        Output.number(a.standardPickOutcome()));
    out.printf(Locale.ROOT, "triage pick (unflagged, highest pass@1): %s%n", analysis.triagePick().isPresent()
        ? "depth " + analysis.triagePick().get() + " -> " + Output.number(a.triagePickOutcome().orElseThrow())
        : "none (every depth flagged)");
    out.printf(Locale.ROOT, "best depth by outcome: %s -> %s; rank inversion (standard pick is the worst): %s%n", a.bestName(),
        Output.number(a.bestOutcome()), a.rankInversion() ? "YES" : "no");
    double observed = results.stream().flatMapToDouble(r -> Arrays.stream(r.observedDegenerate())).average().orElse(Double.NaN);
    double predicted = results.stream().flatMapToDouble(r -> Arrays.stream(r.predictedDegenerate())).filter(Double::isFinite)
        .average().orElse(Double.NaN);
    out.printf(Locale.ROOT, "degenerate groups during GRPO: observed %.3f, predicted from exact per-prompt pass rates %.3f (mean over all steps and runs)%n",
        observed, predicted);
  }

  /** The depth with the highest mean generation-start entropy (the pure entropy rule). */
  private static int highestMeanEntropy(LadderExperiment.Settings s, List<CheckpointResult> results) {
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

  private void report(LadderExperiment.Settings s, List<CheckpointResult> results, LadderReport analysis) {
    try {
      java.nio.file.Files.createDirectories(report);
    } catch (java.io.IOException e) {
      throw new InputException("cannot create " + report + ": " + e.getMessage(), e);
    }
    XYChart entropy = Charts.chart("Worst-token entropy during GRPO (seed " + s.seeds()[0] + ")", "GRPO step", "entropy (nats)");
    XYChart passK = Charts.chart("Held-out pass@" + s.k() + " during GRPO (seed " + s.seeds()[0] + ")", "GRPO step", "pass@" + s.k());
    XYChart degenerate = Charts.chart("Degenerate groups during GRPO (seed " + s.seeds()[0] + ")", "GRPO step", "fraction of groups");
    degenerate.getStyler().setYAxisMin(0.0);
    degenerate.getStyler().setYAxisMax(1.0);
    // Eight series: a vertical legend beside the plot keeps every label readable.
    degenerate.getStyler().setLegendPosition(org.knowm.xchart.style.Styler.LegendPosition.OutsideE);
    degenerate.getStyler().setLegendLayout(org.knowm.xchart.style.Styler.LegendLayout.Vertical);
    for (CheckpointResult r : results) {
      if (r.seed() != s.seeds()[0]) {
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
        predicted.add(r.predictedDegenerate()[i]);
      }
      org.knowm.xchart.XYSeries o = Charts.line(degenerate, "observed, depth " + r.depth(), dx, observed);
      o.setMarker(org.knowm.xchart.style.markers.SeriesMarkers.NONE);
      org.knowm.xchart.XYSeries p = Charts.line(degenerate, "predicted, depth " + r.depth(), dx, predicted);
      p.setMarker(org.knowm.xchart.style.markers.SeriesMarkers.NONE);
      p.setLineStyle(org.knowm.xchart.style.lines.SeriesLines.DASH_DASH);
    }
    Charts.save(entropy, report.resolve("demo-entropy.png"));
    Charts.save(passK, report.resolve("demo-passk.png"));
    Charts.save(degenerate, report.resolve("demo-degenerate.png"));
    StringBuilder md = new StringBuilder("# SFT-ladder experiment\n\n");
    java.io.StringWriter text = new java.io.StringWriter();
    print(new PrintWriter(text), s, results, analysis);
    md.append("```\n").append(text).append("```\n\n");
    md.append("![entropy](demo-entropy.png)\n\n![pass@k](demo-passk.png)\n\n![degenerate groups](demo-degenerate.png)\n");
    try {
      java.nio.file.Files.writeString(report.resolve("report.md"), md.toString());
    } catch (java.io.IOException e) {
      throw new InputException("cannot write the report: " + e.getMessage(), e);
    }
  }
}
