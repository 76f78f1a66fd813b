package io.github.rlvrdiagnostics.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.rlvrdiagnostics.api.Checkpoint;
import io.github.rlvrdiagnostics.api.CheckpointVerdict;
import io.github.rlvrdiagnostics.api.Correlation;
import io.github.rlvrdiagnostics.api.DegenerateAdvice;
import io.github.rlvrdiagnostics.api.LadderReport;
import io.github.rlvrdiagnostics.api.OutcomeAnalysis;
import io.github.rlvrdiagnostics.api.TriageCalibration;
import io.github.rlvrdiagnostics.core.diagnostic.LadderCalibration;
import io.github.rlvrdiagnostics.core.diagnostic.Ladders;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code triage}: the checkpoint diagnostic on a ladder, entropy and signal rules (docs/MATH.md §4). */
@Command(name = "triage", mixinStandardHelpOptions = true,
    description = "Which SFT checkpoint to hand to GRPO: Stage 1 (pre-RL entropy < tau) and Stage 2 "
        + "(early-GRPO worst-token entropy drop > delta) flags, and, for checkpoints with pre-RL samples, the "
        + "signal profile at group size G and the signal flag (predicted degenerate fraction > 1/2) with the side it "
        + "comes from (all-pass, all-fail, mixed) and what to do; the standard, "
        + "triage and signal picks, and with outcomes the rank-inversion verdict, predictor correlations and "
        + "thresholds fitted to this ladder.")
final class TriageCommand implements Runnable {
  @Spec CommandSpec spec;

  @Option(names = "--ladder", required = true, description = "Ladder JSON: {\"checkpoints\":[{name, seed, entropy, passAt1, "
      + "..., samples: [{n, c}, ...] or samplesFile: PATH (cColumn: the CSV's pass-count column)}]}; a checkpoint with "
      + "samples may omit entropy (Stage 1 unknown) and passAt1 (the samples' mean pass rate).")
  Path ladder;

  @Mixin TriageOptions triage;

  @Option(names = "--report", paramLabel = "DIR", description = "Also write DIR/report.md with entropy-trace and predictor-vs-outcome charts.")
  Path report;

  @Option(names = "--json", description = "Print JSON instead of a table.")
  boolean json;

  @Override
  public void run() {
    Options.outputDirectory("--report", report);
    var config = triage.config();
    List<Checkpoint> checkpoints = LadderReader.read(ladder, config.groupSize());
    LadderReport report;
    try {
      report = Ladders.analyze(checkpoints, config);
    } catch (IllegalArgumentException e) {
      throw new InputException(ladder + ": " + e.getMessage(), e);
    }
    Optional<TriageCalibration> calibration = Optional.empty();
    if (report.outcomes().isPresent()) {
      try {
        calibration = Optional.of(LadderCalibration.calibrate(checkpoints, config));
      } catch (IllegalArgumentException tooFewOrUniform) {
        // Calibration needs >= 4 outcomes of both kinds; the report says so by leaving it out.
      }
    }
    if (this.report != null) {
      Reports.triage(this.report, ladder, checkpoints, report);
    }
    PrintWriter out = spec.commandLine().getOut();
    if (json) {
      Output.json(out, toJson(report, checkpoints, calibration));
    } else {
      print(out, report, checkpoints, calibration);
    }
  }

  private static ObjectNode toJson(LadderReport report, List<Checkpoint> ladder, Optional<TriageCalibration> calibration) {
    ObjectNode node = Output.object();
    ObjectNode config = node.putObject("config");
    config.put("tau", report.config().tau());
    config.put("delta", report.config().delta());
    config.put("referenceStep", report.config().referenceStep());
    config.put("checkStep", report.config().checkStep());
    config.put("plannedSteps", report.config().plannedSteps());
    config.put("groupSize", report.config().groupSize());
    config.put("maxDegenerateFraction", report.config().maxDegenerateFraction());
    ArrayNode checkpoints = node.putArray("checkpoints");
    for (int i = 0; i < report.checkpoints().size(); i++) {
      CheckpointVerdict v = report.checkpoints().get(i);
      ObjectNode c = checkpoints.addObject();
      c.put("name", v.name());
      c.put("seed", v.seed());
      if (v.stage1Known()) {
        c.put("stage1Flag", v.stage1Flag());
      } else {
        c.putNull("stage1Flag"); // unknown: the ladder gave no pre-RL entropy
      }
      c.put("stage2Flag", v.stage2Flag());
      Output.put(c, "stage2Drop", v.stage2Drop());
      if (v.diversityRatio().isPresent()) {
        c.put("diversityRatio", v.diversityRatio().getAsDouble());
      }
      ladder.get(i).signal().ifPresent(profile -> SignalJson.put(c.putObject("signal"), profile));
      c.put("signalFlag", v.signalFlag());
      c.put("side", v.signalAdvice().map(a -> a.side().name()).orElse(null));
      c.put("action", v.signalAdvice().map(DegenerateAdvice::action).orElse(null));
    }
    node.put("standardPick", report.standardPick());
    if (report.triagePick().isPresent()) {
      node.put("triagePick", report.triagePick().get());
    } else {
      node.putNull("triagePick");
    }
    if (report.signalPick().isPresent()) {
      node.put("signalPick", report.signalPick().get());
    } else {
      node.putNull("signalPick");
    }
    node.put("computeSavedFraction", report.computeSavedFraction());
    node.put("ladderComputeSavedFraction", report.ladderComputeSavedFraction());
    if (report.outcomes().isPresent()) {
      OutcomeAnalysis a = report.outcomes().get();
      node.put("rankInversion", a.rankInversion());
      node.put("standardPickOutcome", a.standardPickOutcome());
      if (a.triagePickOutcome().isPresent()) {
        node.put("triagePickOutcome", a.triagePickOutcome().get());
      } else {
        node.putNull("triagePickOutcome");
      }
      node.put("standardTiesWorst", a.standardTiesWorst());
      if (a.signalPickOutcome().isPresent()) {
        node.put("signalPickOutcome", a.signalPickOutcome().get());
      } else {
        node.putNull("signalPickOutcome");
      }
      node.put("bestOutcomeName", a.bestName());
      node.put("bestOutcome", a.bestOutcome());
      node.put("worstOutcome", a.worstOutcome());
      ArrayNode correlations = node.putArray("correlations");
      for (Correlation c : a.correlations()) {
        ObjectNode o = correlations.addObject();
        o.put("predictor", c.predictor());
        o.put("n", c.n());
        o.put("spearman", c.spearman());
        o.put("spearmanPValue", c.spearmanPValue());
        Output.put(o, "spearmanSeedDemeaned", c.spearmanSeedDemeaned());
        o.put("kendallTau", c.kendallTau());
        o.put("rSquared", c.rSquared());
      }
    }
    calibration.ifPresent(cal -> {
      ObjectNode o = node.putObject("calibration");
      o.put("tau", cal.tau());
      o.put("tauBalancedAccuracy", cal.tauBalancedAccuracy());
      if (cal.delta().isPresent()) {
        o.put("delta", cal.delta().getAsDouble());
        o.put("deltaBalancedAccuracy", cal.deltaBalancedAccuracy().getAsDouble());
      } else {
        o.putNull("delta");
      }
      o.put("poorOutcomeBelow", cal.poorOutcomeBelow());
      o.put("checkpoints", cal.checkpoints());
    });
    return node;
  }

  private static void print(PrintWriter out, LadderReport report, List<Checkpoint> ladder,
      Optional<TriageCalibration> calibration) {
    var config = report.config();
    boolean entropies = ladder.stream().allMatch(Checkpoint::hasEntropy);
    out.printf(Locale.ROOT, "Stage 1: entropy < tau = %s nats%s.  Stage 2: worst-token entropy drop from step %d to %d > delta = %s.%n",
        Output.number(config.tau()), entropies ? "" : " (unknown where the ladder gives no pre-RL entropy)",
        config.referenceStep(), config.checkStep(), Output.number(config.delta()));
    boolean signals = ladder.stream().anyMatch(c -> c.signal().isPresent());
    if (signals) {
      out.printf(Locale.ROOT, "Signal: predicted degenerate fraction at G = %d (from pre-RL samples) > %s.%n",
          config.groupSize(), Output.number(config.maxDegenerateFraction()));
    }
    out.println();
    Output.Table table = signals
        ? new Output.Table("checkpoint", "seed", "stage 1", "stage 2 drop", "stage 2", "P_deg", "all pass", "all fail",
            "groups/informative", "signal")
        : new Output.Table("checkpoint", "seed", "stage 1", "stage 2 drop", "stage 2");
    for (int i = 0; i < report.checkpoints().size(); i++) {
      CheckpointVerdict v = report.checkpoints().get(i);
      List<Object> row = new java.util.ArrayList<>(List.of(v.name(), v.seed(),
          !v.stage1Known() ? "unknown" : v.stage1Flag() ? "FLAG" : "ok",
          v.stage2Drop().isPresent() ? String.format(java.util.Locale.ROOT, "%.1f%%", 100 * v.stage2Drop().getAsDouble()) : "-",
          v.stage2Drop().isEmpty() ? "-" : v.stage2Flag() ? "FLAG" : "ok"));
      if (signals) {
        var profile = ladder.get(i).signal();
        row.add(profile.map(p -> Output.number(p.predictedDegenerateFraction())).orElse("-"));
        row.add(profile.map(p -> Output.number(p.allPassFraction())).orElse("-"));
        row.add(profile.map(p -> Output.number(p.allFailFraction())).orElse("-"));
        row.add(profile.map(p -> p.expectedSamplingCost().isPresent() ? Output.number(p.expectedSamplingCost().getAsDouble())
            : "inf").orElse("-"));
        row.add(profile.isEmpty() ? "-" : v.signalFlag() ? "FLAG" : "ok");
      }
      table.row(row.toArray());
    }
    table.print(out);
    if (report.checkpoints().stream().anyMatch(v -> v.signalAdvice().isPresent())) {
      out.println();
      out.println("signal flags, the side they come from and what to do:");
      for (CheckpointVerdict v : report.checkpoints()) {
        v.signalAdvice().ifPresent(a -> out.printf(Locale.ROOT, "  %s (seed %d), %s: %s%n", v.name(), v.seed(),
            a.side().name(), a.action()));
      }
    }
    out.println();
    out.printf(Locale.ROOT, "standard pick (highest pass@1): %s%n", report.standardPick());
    out.printf(Locale.ROOT, "triage pick (highest pass@1 among unflagged): %s%n", report.triagePick().orElse(
        entropies ? "none: every checkpoint is flagged" : "unknown: some checkpoint has no pre-RL entropy"));
    if (signals) {
      out.printf(Locale.ROOT, "signal pick (highest pass@1 with predicted degenerate fraction <= %s, else the lowest fraction): %s%n",
          Output.number(config.maxDegenerateFraction()),
          report.signalPick().orElse("none: some checkpoint has no samples"));
    }
    out.printf(Locale.ROOT, "stopping a Stage 2-flagged run at step %d of %d saves %.1f%% of its RL compute (%.1f%% of this ladder's)%n",
        config.checkStep(), config.plannedSteps(), 100 * report.computeSavedFraction(), 100 * report.ladderComputeSavedFraction());
    if (report.outcomes().isPresent()) {
      OutcomeAnalysis a = report.outcomes().get();
      out.println();
      out.printf(Locale.ROOT, "rank inversion: %s (standard pick's outcome %s; best %s at %s; worst %s; triage pick's %s%s)%n",
          a.rankInversion() ? "YES, the standard rule picked the worst initialiser"
              : a.standardTiesWorst() ? "TIE: the standard pick ties the worst outcome within "
                  + Output.number(OutcomeAnalysis.TIE_TOLERANCE) : "no",
          Output.number(a.standardPickOutcome()), a.bestName(), Output.number(a.bestOutcome()),
          Output.number(a.worstOutcome()), a.triagePickOutcome().map(Output::number).orElse("-"),
          a.signalPickOutcome().map(o -> "; signal pick's " + Output.number(o)).orElse(""));
      if (!a.correlations().isEmpty()) {
        out.println();
        Output.Table c = new Output.Table("predictor", "n", "Spearman", "perm. p", "seed-demeaned", "Kendall", "R^2");
        for (Correlation r : a.correlations()) {
          c.row(r.predictor(), r.n(), r.spearman(), r.spearmanPValue(),
              r.spearmanSeedDemeaned().isPresent() ? Output.number(r.spearmanSeedDemeaned().getAsDouble()) : "-",
              r.kendallTau(), r.rSquared());
        }
        c.print(out);
      }
    }
    calibration.ifPresent(cal -> {
      out.println();
      out.printf(Locale.ROOT, "fitted to this ladder (poor = outcome below median %s): tau = %s (balanced accuracy %s)%s%n",
          Output.number(cal.poorOutcomeBelow()), Output.number(cal.tau()), Output.number(cal.tauBalancedAccuracy()),
          cal.delta().isPresent() ? ", delta = " + Output.number(cal.delta().getAsDouble()) + " (balanced accuracy "
              + Output.number(cal.deltaBalancedAccuracy().getAsDouble()) + ")" : "");
    });
  }
}
