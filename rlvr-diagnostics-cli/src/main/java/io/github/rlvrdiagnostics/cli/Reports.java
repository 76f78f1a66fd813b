package io.github.rlvrdiagnostics.cli;

import io.github.rlvrdiagnostics.api.Alert;
import io.github.rlvrdiagnostics.api.Verdict;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.rlvrdiagnostics.api.Checkpoint;
import io.github.rlvrdiagnostics.api.CheckpointVerdict;
import io.github.rlvrdiagnostics.api.Correlation;
import io.github.rlvrdiagnostics.api.EntropyPoint;
import io.github.rlvrdiagnostics.api.LadderReport;
import io.github.rlvrdiagnostics.api.OutcomeAnalysis;
import io.github.rlvrdiagnostics.api.SkippedLine;
import io.github.rlvrdiagnostics.api.TrainingLog;
import io.github.rlvrdiagnostics.api.TrainingStep;
import io.github.rlvrdiagnostics.api.TriageConfig;
import io.github.rlvrdiagnostics.core.diagnostic.Ladders;
import io.github.rlvrdiagnostics.core.diagnostic.TrainingMonitor;
import java.awt.Color;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.OptionalDouble;
import org.knowm.xchart.XYChart;

/** Markdown reports with PNG charts for {@code monitor --report} and {@code triage --report}. */
final class Reports {
  private Reports() {}

  private static final Color TAU = new Color(200, 60, 60);
  private static final Color WINDOW = new Color(120, 120, 120);

  static void monitor(Path dir, Path file, TrainingLog log, TrainingMonitor monitor, TriageConfig config, Integer groupSize,
      boolean binary) {
    create(dir);
    List<TrainingStep> steps = log.steps();
    StringBuilder md = new StringBuilder();
    md.append("# Training run report\n\n");
    md.append(String.format(Locale.ROOT, "`%s`: %s log, %d steps (%d to %d).%n%n", file.getFileName(), log.format(),
        steps.size(), steps.get(0).step(), steps.get(steps.size() - 1).step()));
    for (String note : log.notes()) {
      md.append("- ").append(note).append('\n');
    }
    for (SkippedLine line : log.skipped()) {
      md.append(String.format(Locale.ROOT, "- skipped line %d: %s%n", line.line(), line.reason()));
    }
    md.append("\n## Verdict\n\n");
    monitor.verdict().ifPresent(v -> md.append(String.format(Locale.ROOT, "**%s** (%s) since step %d: %s.%n%n",
        v.state(), v.severity(), v.fromStep(), v.evidence())).append(v.action().isEmpty() ? ""
            : "What to do: " + v.action() + ".\n\n"));
    md.append(monitor.stopAdvice().map(a -> String.format(Locale.ROOT, "Stop advice at step %d (%s): saves %.1f%% of "
        + "the planned RL compute.%n%n", a.step(), a.state(), 100 * a.computeSaved()))
        .orElse("No stop advice: nothing shows that the run will not improve on its own.\n\n"));
    md.append("| from step | to step | state | severity | what to do |\n|---|---|---|---|---|\n");
    for (Verdict v : monitor.verdicts()) {
      md.append(String.format(Locale.ROOT, "| %d | %d | %s | %s | %s |%n", v.fromStep(), v.toStep(), v.state(),
          v.severity(), v.action().replace("|", "/")));
    }
    if (rewardChart(dir.resolve("reward.png"), steps, monitor.verdicts())) {
      md.append("\n![reward and run states](reward.png)\n\nReward per step, with the run state of each stretch as "
          + "a band under the curve.\n");
    }
    OptionalDouble drop = monitor.stage2Drop();
    md.append(String.format(Locale.ROOT, "%n## The papers' Stage 2 (shown as published; the verdict decides)%n%nEntropy drop from step %d to step %d: %s (delta = %s).%n",
        config.referenceStep(), config.checkStep(),
        drop.isPresent() ? String.format(Locale.ROOT, "%.1f%%, %s", 100 * drop.getAsDouble(),
            config.stage2Flag(drop) ? "**flagged**: stopping at the check step saves "
                + String.format(Locale.ROOT, "%.1f%%", 100 * config.computeSavedFraction()) + " of the planned RL compute"
                : "not flagged")
            : "unknown (the log lacks entropy readings at or before both steps)",
        Output.number(config.delta())));
    OptionalDouble windowMean = monitor.stage2DegenerateMean();
    md.append(String.format(Locale.ROOT, "%nSignal rule: mean degenerate fraction from step %d to step %d: %s (threshold %s).%n",
        config.referenceStep(), config.checkStep(),
        windowMean.isPresent() ? String.format(Locale.ROOT, "%.3f, %s", windowMean.getAsDouble(),
            config.signalStage2Flag(windowMean) ? "**flagged**: stopping at the check step saves "
                + String.format(Locale.ROOT, "%.1f%%", 100 * config.computeSavedFraction()) + " of the planned RL compute"
                : "not flagged")
            : "unknown (the log lacks degenerate fractions in the window)",
        Output.number(config.maxDegenerateFraction())));
    md.append("\n## Alerts\n\n");
    if (monitor.alerts().isEmpty()) {
      md.append("None.\n");
    }
    for (Alert a : monitor.alerts()) {
      md.append(String.format(Locale.ROOT, "- step %d, `%s` (%s): %s. What to do: %s.%n", a.step(), a.kind(),
          a.severity(), a.message(), a.action()));
    }
    md.append("\n## Charts\n\n");
    if (entropyChart(dir.resolve("entropy.png"), steps, config)) {
      md.append("![entropy](entropy.png)\n\nEntropy per step with tau (red) and the Stage 2 window: the dashed grey "
          + "segment is the entropy level below which the run would be flagged at the check step.\n\n");
    } else {
      md.append("No entropy readings in this log: no entropy chart.\n\n");
    }
    if (degenerateChart(dir.resolve("degenerate.png"), steps, groupSize, binary,
        config.maxDegenerateFraction())) {
      md.append("![degenerate groups](degenerate.png)\n\nObserved fraction of degenerate groups per step against the "
          + "signal threshold " + Output.number(config.maxDegenerateFraction())).append(groupSize != null && binary
              ? String.format(Locale.ROOT, ", with the lower bound P_deg(mean reward, G = %d) (P_deg is convex, so the "
                  + "fraction predicted from the mean pass rate can only be lower than the true one)", groupSize) : "")
          .append(".\n");
    } else {
      md.append("No degenerate-group readings in this log: no degenerate-fraction chart.\n");
    }
    write(dir.resolve("report.md"), md.toString());
  }

  /** The alert fields shared by {@code monitor --json} and {@code --follow --json}. */
  static void putAlert(ObjectNode node, Alert alert) {
    node.put("step", alert.step());
    node.put("kind", alert.kind().name());
    node.put("severity", alert.severity().name());
    node.put("message", alert.message());
    node.put("action", alert.action());
  }

  /**
   * A verdict as JSON: the current one ({@code state, severity, sinceStep, evidence, action}) or
   * one stretch ({@code fromStep, toStep, state, severity, evidence, action}).
   */
  static ObjectNode verdictJson(Verdict v, boolean current) {
    ObjectNode o = Output.object();
    if (current) {
      o.put("state", v.state().name());
      o.put("severity", v.severity().name());
      o.put("sinceStep", v.fromStep());
    } else {
      o.put("fromStep", v.fromStep());
      o.put("toStep", v.toStep());
      o.put("state", v.state().name());
      o.put("severity", v.severity().name());
    }
    o.put("evidence", v.evidence());
    o.put("action", v.action());
    return o;
  }

  /** The reward per step with the verdicts as bands below it; false when no step logged a reward. */
  private static boolean rewardChart(Path png, List<TrainingStep> steps, List<Verdict> verdicts) {
    List<Double> xs = new ArrayList<>();
    List<Double> ys = new ArrayList<>();
    double low = Double.POSITIVE_INFINITY;
    double high = Double.NEGATIVE_INFINITY;
    for (TrainingStep s : steps) {
      if (s.reward().isPresent()) {
        xs.add((double) s.step());
        double r = s.reward().getAsDouble();
        ys.add(r);
        low = Math.min(low, r);
        high = Math.max(high, r);
      }
    }
    if (xs.isEmpty()) {
      return false;
    }
    XYChart chart = Charts.chart("Reward and run state", "step", "mean reward");
    Charts.line(chart, "reward", xs, ys);
    double span = high > low ? high - low : 1.0;
    Charts.bands(chart, verdicts, low - 0.08 * span);
    Charts.save(chart, png);
    return true;
  }

  private static boolean entropyChart(Path png, List<TrainingStep> steps, TriageConfig config) {
    List<Double> xs = new ArrayList<>();
    List<Double> ys = new ArrayList<>();
    List<EntropyPoint> trace = new ArrayList<>();
    for (TrainingStep s : steps) {
      if (s.entropy().isPresent()) {
        xs.add((double) s.step());
        ys.add(s.entropy().getAsDouble());
        trace.add(EntropyPoint.of(s.step(), s.entropy().getAsDouble()));
      }
    }
    if (xs.isEmpty()) {
      return false;
    }
    XYChart chart = Charts.chart("Policy entropy", "step", "entropy (nats)");
    Charts.line(chart, "entropy", xs, ys);
    double x0 = xs.get(0);
    double x1 = xs.get(xs.size() - 1);
    Charts.guide(chart, "tau = " + Output.number(config.tau()), x0, config.tau(), x1, config.tau(), TAU);
    OptionalDouble reference = io.github.rlvrdiagnostics.core.diagnostic.Ladders.readingAt(trace, config.referenceStep());
    if (reference.isPresent()) {
      double level = config.stage2FlagLevel(reference.getAsDouble());
      Charts.guide(chart, "flag level (1 - delta) * H(" + config.referenceStep() + ")",
          config.referenceStep(), level, config.checkStep(), level, WINDOW);
    }
    Charts.save(chart, png);
    return true;
  }

  private static boolean degenerateChart(Path png, List<TrainingStep> steps, Integer groupSize, boolean binary,
      double threshold) {
    List<Double> xs = new ArrayList<>();
    List<Double> observed = new ArrayList<>();
    List<Double> px = new ArrayList<>();
    List<Double> predicted = new ArrayList<>();
    List<Double> bx = new ArrayList<>();
    List<Double> bound = new ArrayList<>();
    for (TrainingStep s : steps) {
      if (s.degenerateFraction().isPresent()) {
        xs.add((double) s.step());
        observed.add(s.degenerateFraction().getAsDouble());
      }
      if (s.predictedDegenerateFraction().isPresent()) {
        px.add((double) s.step());
        predicted.add(s.predictedDegenerateFraction().getAsDouble());
      }
      OptionalDouble lower = MonitorReport.lowerBound(s, binary, groupSize);
      if (lower.isPresent()) {
        bx.add((double) s.step());
        bound.add(lower.getAsDouble());
      }
    }
    if (xs.isEmpty()) {
      return false;
    }
    XYChart chart = Charts.chart("Degenerate groups (zero advantage, zero gradient)", "step", "fraction of groups");
    chart.getStyler().setYAxisMin(0.0);
    chart.getStyler().setYAxisMax(1.0);
    Charts.line(chart, "observed", xs, observed);
    if (!px.isEmpty()) {
      Charts.line(chart, "predicted from pass rates", px, predicted);
    }
    if (!bx.isEmpty()) {
      Charts.line(chart, "lower bound P_deg(mean reward, G=" + groupSize + ")", bx, bound);
    }
    Charts.guide(chart, "threshold " + Output.number(threshold), xs.get(0), threshold, xs.get(xs.size() - 1), threshold, TAU);
    Charts.save(chart, png);
    return true;
  }

  static void triage(Path dir, Path file, List<Checkpoint> ladder, LadderReport report) {
    create(dir);
    TriageConfig config = report.config();
    StringBuilder md = new StringBuilder("# Checkpoint ladder report\n\n");
    md.append(String.format(Locale.ROOT, "`%s`: %d checkpoints. Stage 1 flags entropy < tau = %s nats; Stage 2 flags a "
        + "worst-token entropy drop > delta = %s between steps %d and %d.%n%n", file.getFileName(), ladder.size(),
        Output.number(config.tau()), Output.number(config.delta()), config.referenceStep(), config.checkStep()));
    md.append("| checkpoint | seed | entropy | pass@1 | stage 1 | stage 2 drop | stage 2 |\n|---|---|---|---|---|---|---|\n");
    for (int i = 0; i < ladder.size(); i++) {
      Checkpoint c = ladder.get(i);
      CheckpointVerdict v = report.checkpoints().get(i);
      md.append(String.format(Locale.ROOT, "| %s | %d | %s | %s | %s | %s | %s |%n", c.name(), c.seed(),
          Output.number(c.entropy()), Output.number(c.passAt1()), v.stage1Flag() ? "**flag**" : "ok",
          v.stage2Drop().isPresent() ? String.format(Locale.ROOT, "%.1f%%", 100 * v.stage2Drop().getAsDouble()) : "-",
          v.stage2Drop().isEmpty() ? "-" : v.stage2Flag() ? "**flag**" : "ok"));
    }
    md.append(String.format(Locale.ROOT, "%nStandard pick (highest pass@1): **%s**. Triage pick: **%s**. Stopping a "
        + "Stage 2-flagged run at step %d of %d saves %.1f%% of its RL compute (%.1f%% of this ladder's).%n",
        report.standardPick(), report.triagePick().orElse("none"), config.checkStep(), config.plannedSteps(),
        100 * report.computeSavedFraction(), 100 * report.ladderComputeSavedFraction()));
    if (traceChart(dir.resolve("traces.png"), ladder, config)) {
      md.append("\n![entropy traces](traces.png)\n");
    }
    if (report.outcomes().isPresent()) {
      OutcomeAnalysis a = report.outcomes().get();
      md.append(String.format(Locale.ROOT, "%n## Outcomes%n%nRank inversion: **%s**. Standard pick's outcome %s, triage "
          + "pick's %s, best %s (%s).%n%n", a.rankInversion() ? "yes" : "no", Output.number(a.standardPickOutcome()),
          a.triagePickOutcome().map(Output::number).orElse("-"), Output.number(a.bestOutcome()), a.bestName()));
      md.append("| predictor | n | Spearman | permutation p | seed-demeaned | Kendall | R² |\n|---|---|---|---|---|---|---|\n");
      for (Correlation c : a.correlations()) {
        md.append(String.format(Locale.ROOT, "| %s | %d | %s | %s | %s | %s | %s |%n", c.predictor(), c.n(),
            Output.number(c.spearman()), Output.number(c.spearmanPValue()),
            c.spearmanSeedDemeaned().isPresent() ? Output.number(c.spearmanSeedDemeaned().getAsDouble()) : "-",
            Output.number(c.kendallTau()), Output.number(c.rSquared())));
        String png = "scatter-" + c.predictor() + ".png";
        scatter(dir.resolve(png), ladder, c.predictor(), config);
      }
      md.append('\n');
      for (Correlation c : a.correlations()) {
        md.append("![").append(c.predictor()).append(" vs outcome](scatter-").append(c.predictor()).append(".png)\n");
      }
    }
    write(dir.resolve("report.md"), md.toString());
  }

  private static boolean traceChart(Path png, List<Checkpoint> ladder, TriageConfig config) {
    if (ladder.stream().allMatch(c -> c.entropyTrace().isEmpty())) {
      return false;
    }
    XYChart chart = Charts.chart("Early-GRPO worst-token entropy per checkpoint", "GRPO step", "entropy (nats)");
    long maxStep = config.checkStep();
    for (Checkpoint c : ladder) {
      if (c.entropyTrace().isEmpty()) {
        continue;
      }
      List<Double> xs = new ArrayList<>();
      List<Double> ys = new ArrayList<>();
      for (EntropyPoint p : c.entropyTrace()) {
        xs.add((double) p.step());
        ys.add(p.entropy());
        maxStep = Math.max(maxStep, p.step());
      }
      Charts.line(chart, c.name() + " (seed " + c.seed() + ")", xs, ys);
    }
    Charts.guide(chart, "reference step", config.referenceStep(), 0, config.referenceStep(), maxY(ladder), WINDOW);
    Charts.guide(chart, "check step", config.checkStep(), 0, config.checkStep(), maxY(ladder), WINDOW);
    Charts.save(chart, png);
    return true;
  }

  private static double maxY(List<Checkpoint> ladder) {
    return ladder.stream().flatMap(c -> c.entropyTrace().stream()).mapToDouble(EntropyPoint::entropy).max().orElse(1.0);
  }

  private static void scatter(Path png, List<Checkpoint> ladder, String predictor, TriageConfig config) {
    // The values the correlation used, by its own name: no name is parsed back into a rule.
    double[] values = Ladders.predictors(ladder, config).get(predictor);
    if (values == null) {
      throw new IllegalStateException("no values for predictor " + predictor);
    }
    XYChart chart = Charts.chart(predictor + " before RL vs GRPO outcome", predictor, "outcome");
    List<Double> xs = new ArrayList<>();
    List<Double> ys = new ArrayList<>();
    for (int i = 0; i < ladder.size(); i++) {
      if (Double.isFinite(values[i])) {
        xs.add(values[i]);
        ys.add(ladder.get(i).outcome().getAsDouble());
      }
    }
    Charts.points(chart, "checkpoints", xs, ys);
    Charts.save(chart, png);
  }

  private static void create(Path dir) {
    try {
      Files.createDirectories(dir);
    } catch (IOException e) {
      throw new InputException("cannot create report directory " + dir + ": " + e.getMessage(), e);
    }
  }

  private static void write(Path file, String text) {
    try {
      Files.writeString(file, text, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new InputException("cannot write " + file + ": " + e.getMessage(), e);
    }
  }
}
