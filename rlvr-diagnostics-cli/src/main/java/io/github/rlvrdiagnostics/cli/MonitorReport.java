package io.github.rlvrdiagnostics.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.rlvrdiagnostics.api.Alert;
import io.github.rlvrdiagnostics.api.SkippedLine;
import io.github.rlvrdiagnostics.api.StopAdvice;
import io.github.rlvrdiagnostics.api.TrainingLog;
import io.github.rlvrdiagnostics.api.TrainingStep;
import io.github.rlvrdiagnostics.api.TriageConfig;
import io.github.rlvrdiagnostics.api.Verdict;
import io.github.rlvrdiagnostics.core.diagnostic.GenerationRounds;
import io.github.rlvrdiagnostics.core.diagnostic.TrainingMonitor;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;
import org.jspecify.annotations.Nullable;

/**
 * What {@code monitor} prints of an analysed log: the text report and the JSON object (batch
 * mode), and the episode summary that {@code --follow} prints when it stops. Running and reading
 * stay in {@link MonitorCommand}; this class only formats.
 */
final class MonitorReport {
  private final Path file;
  private final @Nullable Integer maxGenBatches;

  /**
   * @param file the log, as the user named it (the text report's first line)
   * @param maxGenBatches DAPO's {@code max_num_gen_batches} when the user gave it (the stall warning)
   */
  MonitorReport(Path file, @Nullable Integer maxGenBatches) {
    this.file = file;
    this.maxGenBatches = maxGenBatches;
  }

  /**
   * The lower bound {@code P_deg(mean reward, G)} on a step's degenerate fraction (docs/MATH.md
   * §1: P_deg is convex, so P_deg(mean p) ≤ mean P_deg(p_j)), when the rewards are binary, G is
   * known and the step logged its mean reward.
   */
  static OptionalDouble lowerBound(TrainingStep s, boolean binary, @Nullable Integer groupSize) {
    if (!binary || groupSize == null) {
      return OptionalDouble.empty();
    }
    return TrainingMonitor.degenerateLowerBound(s, groupSize);
  }

  /** Why a Stage 2 figure is unknown: the run ended before the check step, or the readings are missing. */
  private static String unknownReason(List<TrainingStep> steps, TriageConfig config, String readings) {
    long last = steps.get(steps.size() - 1).step();
    if (last < config.checkStep()) {
      return "unknown (the log ends at step " + last + ", before the check step " + config.checkStep() + ")";
    }
    return "unknown (the log does not cover both steps with " + readings + ")";
  }

  /** The whole analysis as one JSON object; its {@code series} array is left empty for the caller to stream. */
  ObjectNode toJson(TrainingLog log, TrainingMonitor monitor, TriageConfig config, @Nullable Integer groupSize, boolean binary,
      List<String> settingNotes) {
    ObjectNode node = Output.object();
    node.put("format", log.format());
    node.put("steps", log.steps().size());
    ObjectNode settings = node.putObject("settings");
    if (groupSize == null) {
      settings.putNull("groupSize");
    } else {
      settings.put("groupSize", groupSize);
    }
    settings.put("plannedSteps", config.plannedSteps());
    if (log.loggingSteps().isPresent()) {
      settings.put("loggingSteps", log.loggingSteps().getAsLong());
    } else {
      settings.putNull("loggingSteps");
    }
    node.putArray("series"); // filled step by step as it is written (seriesEntry)
    Optional<Verdict> current = monitor.verdict();
    if (current.isPresent()) {
      node.set("verdict", Reports.verdictJson(current.get(), true));
    } else {
      node.putNull("verdict");
    }
    ArrayNode verdicts = node.putArray("verdicts");
    monitor.verdicts().forEach(v -> verdicts.add(Reports.verdictJson(v, false)));
    Optional<StopAdvice> advice = monitor.stopAdvice();
    if (advice.isPresent()) {
      node.set("stopAdvice", Events.stopAdviceJson(advice.get()));
    } else {
      node.putNull("stopAdvice");
    }
    ArrayNode alerts = node.putArray("alerts");
    for (Alert a : monitor.alerts()) {
      ObjectNode o = alerts.addObject();
      Reports.putAlert(o, a);
      o.put("endStep", a.endStep());
      o.put("steps", a.steps());
    }
    ArrayNode summary = node.putArray("summary");
    for (TrainingMonitor.EpisodeSummary e : monitor.summary()) {
      ObjectNode o = summary.addObject();
      o.put("kind", e.kind().name());
      o.put("steps", e.steps());
      o.put("ofSteps", e.ofSteps());
      o.put("episodes", e.episodes());
      o.put("blips", e.blips());
      o.put("text", summaryLine(e));
    }
    ObjectNode stage2 = node.putObject("stage2");
    stage2.put("referenceStep", config.referenceStep());
    stage2.put("checkStep", config.checkStep());
    Output.put(stage2, "drop", monitor.stage2Drop());
    stage2.put("flagged", monitor.stage2Flag());
    Output.put(stage2, "degenerateMean", monitor.stage2DegenerateMean());
    long[] coverage = monitor.stage2DegenerateCoverage();
    stage2.put("degenerateReported", coverage[0]);
    stage2.put("degenerateOfSteps", coverage[1]);
    stage2.put("signalFlagged", monitor.signalStage2Flag());
    node.put("binaryRewards", binary);
    Optional<GenerationRounds.Window> rounds = GenerationRounds.lastWindow(log.steps());
    if (rounds.isPresent()) {
      GenerationRounds.Window w = rounds.get();
      ObjectNode o = node.putObject("generationRounds");
      o.put("steps", w.steps());
      o.put("firstStep", w.firstStep());
      o.put("lastStep", w.lastStep());
      o.put("meanObserved", w.meanObserved());
      // +∞ (a step with every group degenerate) has no JSON number: null, with expectedUnbounded true.
      boolean unbounded = w.meanExpected().isPresent() && Double.isInfinite(w.meanExpected().getAsDouble());
      Output.put(o, "meanExpected", unbounded ? OptionalDouble.empty() : w.meanExpected());
      o.put("expectedUnbounded", unbounded);
      if (maxGenBatches == null) {
        o.putNull("maxGenBatches");
        o.putNull("nearStall");
      } else {
        o.put("maxGenBatches", maxGenBatches);
        o.put("nearStall", GenerationRounds.nearStall(w, maxGenBatches));
      }
    } else {
      node.putNull("generationRounds");
    }
    ArrayNode notes = node.putArray("notes");
    log.notes().forEach(notes::add);
    settingNotes.forEach(notes::add);
    ArrayNode skipped = node.putArray("skipped");
    for (SkippedLine line : log.skipped()) {
      ObjectNode o = skipped.addObject();
      o.put("line", line.line());
      o.put("reason", line.reason());
    }
    return node;
  }


  /** One step of the JSON series. */
  static ObjectNode seriesEntry(TrainingStep s, boolean binary, @Nullable Integer groupSize) {
    ObjectNode o = Output.object();
    o.put("step", s.step());
    Output.put(o, "entropy", s.entropy());
    Output.put(o, "degenerateFraction", s.degenerateFraction());
    Output.put(o, "reward", s.reward());
    Output.put(o, "predictedDegenerateFraction", s.predictedDegenerateFraction());
    Output.put(o, "degenerateFractionLowerBound", lowerBound(s, binary, groupSize));
    Output.putIfPresent(o, "clipFractionLow", s.clipFractionLow());
    Output.putIfPresent(o, "clipFractionHigh", s.clipFractionHigh());
    Output.putIfPresent(o, "genBatches", s.genBatches());
    Output.putIfPresent(o, "allPassFraction", s.allPassFraction());
    Output.putIfPresent(o, "allFailFraction", s.allFailFraction());
    return o;
  }

  /** The text report: header, verdict paragraph, notes, a sampled table, rounds, both Stage 2 rules and the alerts. */
  void print(PrintWriter out, TrainingLog log, TrainingMonitor monitor, TriageConfig config,
      List<String> settingNotes) {
    List<TrainingStep> steps = log.steps();
    out.printf(java.util.Locale.ROOT, "%s: %s log, %d steps (%d to %d)%n", file, log.format(), steps.size(),
        steps.get(0).step(), steps.get(steps.size() - 1).step());
    printVerdict(out, monitor);
    for (String note : log.notes()) {
      out.println("  note: " + note);
    }
    for (String note : settingNotes) {
      out.println("  note: " + note);
    }
    for (SkippedLine line : log.skipped()) {
      out.printf(java.util.Locale.ROOT, "  skipped line %d: %s%n", line.line(), line.reason());
    }
    out.println();
    // Where the log splits its degenerate groups into all-pass and all-fail, both are shown.
    boolean split = steps.stream().anyMatch(s -> s.allPassFraction().isPresent() || s.allFailFraction().isPresent());
    Output.Table table = split ? new Output.Table("step", "entropy", "degenerate", "all-pass", "all-fail", "reward")
        : new Output.Table("step", "entropy", "degenerate", "reward");
    List<TrainingStep> shown = sample(steps, 12);
    for (TrainingStep s : shown) {
      if (split) {
        table.row(s.step(), cell(s.entropy()), cell(s.degenerateFraction()), cell(s.allPassFraction()),
            cell(s.allFailFraction()), cell(s.reward()));
      } else {
        table.row(s.step(), cell(s.entropy()), cell(s.degenerateFraction()), cell(s.reward()));
      }
    }
    table.print(out);
    if (shown.size() < steps.size()) {
      out.printf(java.util.Locale.ROOT, "(%d of %d steps shown; --json prints them all)%n", shown.size(), steps.size());
    }
    OptionalDouble meanDegenerate = steps.stream().filter(s -> s.degenerateFraction().isPresent())
        .mapToDouble(s -> s.degenerateFraction().getAsDouble()).average();
    if (meanDegenerate.isPresent()) {
      long known = steps.stream().filter(s -> s.degenerateFraction().isPresent()).count();
      out.printf(java.util.Locale.ROOT, "mean degenerate fraction over the %d steps that say: %.3f%n", known, meanDegenerate.getAsDouble());
    }
    GenerationRounds.lastWindow(steps).ifPresent(w -> printRounds(out, w));
    out.println();
    OptionalDouble drop = monitor.stage2Drop();
    out.printf(java.util.Locale.ROOT, "Stage 2 (entropy drop from step %d to %d, delta %s): %s%n", config.referenceStep(), config.checkStep(),
        Output.number(config.delta()), drop.isPresent()
            ? String.format(java.util.Locale.ROOT, "%.1f%% -> %s", 100 * drop.getAsDouble(),
                config.stage2Flag(drop) ? "FLAGGED" : "not flagged")
            : unknownReason(steps, config, "entropy readings"));
    OptionalDouble windowMean = monitor.stage2DegenerateMean();
    out.printf(java.util.Locale.ROOT, "Stage 2 (signal: mean degenerate fraction over steps %d to %d, threshold %s): %s%n",
        config.referenceStep(), config.checkStep(), Output.number(config.maxDegenerateFraction()),
        windowMean.isPresent()
            ? String.format(java.util.Locale.ROOT, "%.3f -> %s", windowMean.getAsDouble(),
                config.signalStage2Flag(windowMean) ? "FLAGGED" : "not flagged")
            : unknownReason(steps, config, "degenerate fractions"));
    if (monitor.alerts().isEmpty()) {
      out.println("alerts: none");
    } else {
      out.println("alerts:");
      for (Alert a : monitor.alerts()) {
        out.printf(java.util.Locale.ROOT, "  step %d  %s  %s  %s%s%n", a.step(), a.severity(), a.kind(), a.message(),
            a.steps() > 1 ? String.format(java.util.Locale.ROOT, " (until step %d, %d logged steps)", a.endStep(), a.steps())
                : "");
        out.println("    -> " + a.action());
      }
      printSummary(out, monitor);
    }
  }

  /** The verdict paragraph: the state now, since when, why, what to do, the stop advice and the stretches. */
  private static void printVerdict(PrintWriter out, TrainingMonitor monitor) {
    Optional<Verdict> current = monitor.verdict();
    if (current.isEmpty()) {
      return;
    }
    Verdict v = current.get();
    out.println();
    out.printf(java.util.Locale.ROOT, "verdict: %s (%s) since step %d%n", v.state(), v.severity(), v.fromStep());
    out.println("  why: " + v.evidence());
    if (!v.action().isEmpty()) {
      out.println("  what to do: " + v.action());
    }
    Optional<StopAdvice> advice = monitor.stopAdvice();
    out.println(advice.isPresent()
        ? String.format(java.util.Locale.ROOT, "  stop advice: at step %d (%s), saving %.1f%% of the planned RL compute",
            advice.get().step(), advice.get().state(), 100 * advice.get().computeSaved())
        : "  stop advice: none (no evidence that the run will not improve on its own)");
    List<Verdict> all = monitor.verdicts();
    if (all.size() > 1) {
      StringBuilder line = new StringBuilder("  stretches:");
      for (Verdict s : all) {
        line.append(String.format(java.util.Locale.ROOT, " %d-%d %s%s;", s.fromStep(), s.toStep(), s.state(),
            s.severity() == io.github.rlvrdiagnostics.api.Severity.CRITICAL ? "!" : ""));
      }
      out.println(line.substring(0, line.length() - 1));
    }
  }

  /** DAPO's generation rounds of the last steps against the expected cost 1/(1 − d), and the stall warning. */
  private void printRounds(PrintWriter out, GenerationRounds.Window w) {
    String expected = w.meanExpected().isEmpty() ? "unknown (no degenerate fraction logged)"
        : Double.isInfinite(w.meanExpected().getAsDouble()) ? "unbounded (a step had every group degenerate)"
        : Output.number(w.meanExpected().getAsDouble());
    out.printf(java.util.Locale.ROOT, "generation rounds (num_gen_batches) over the last %d steps that say (%d to %d): "
        + "mean %s observed, expected 1/(1 - degenerate fraction) = %s%n", w.steps(), w.firstStep(), w.lastStep(),
        Output.number(w.meanObserved()), expected);
    if (maxGenBatches != null && GenerationRounds.nearStall(w, maxGenBatches)) {
      out.printf(java.util.Locale.ROOT, "warning: the mean generation rounds %s exceed half of --max-gen-batches %d: "
          + "a step that needs %d rounds stops the run (max_num_gen_batches)%n", Output.number(w.meanObserved()),
          maxGenBatches, maxGenBatches);
    }
  }

  /** The per-kind episode summary, one line per kind raised. */
  static void printSummary(PrintWriter out, TrainingMonitor monitor) {
    List<TrainingMonitor.EpisodeSummary> summary = monitor.summary();
    if (!summary.isEmpty()) {
      out.println("summary:");
      summary.forEach(e -> out.println("  " + summaryLine(e)));
    }
  }

  /** "MAJORITY_DEGENERATE at 65 of 71 logged steps, in 4 episodes", or the one-time alert's step. */
  static String summaryLine(TrainingMonitor.EpisodeSummary e) {
    return switch (e.kind()) {
      case ENTROPY_DROP, DEGENERATE_OVER_WINDOW -> e.kind() + " once, at the check step";
      default -> String.format(java.util.Locale.ROOT, "%s at %d of %d logged steps, in %d episode%s%s", e.kind(), e.steps(),
          e.ofSteps(), e.episodes(), e.episodes() == 1 ? "" : "s", e.blips() == 0 ? ""
              : String.format(java.util.Locale.ROOT, " (and %d blip%s too short to alert)", e.blips(), e.blips() == 1 ? "" : "s"));
    };
  }

  /** Puts a value only when the log has it: fields that few logs carry do not clutter the series. */
  private static String cell(OptionalDouble value) {
    return value.isPresent() ? Output.number(value.getAsDouble()) : "-";
  }

  /** About {@code n} evenly spread steps, always with the first and the last. */
  private static List<TrainingStep> sample(List<TrainingStep> steps, int n) {
    if (steps.size() <= n) {
      return steps;
    }
    List<TrainingStep> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      out.add(steps.get((int) Math.round((double) i * (steps.size() - 1) / (n - 1))));
    }
    return out;
  }
}
