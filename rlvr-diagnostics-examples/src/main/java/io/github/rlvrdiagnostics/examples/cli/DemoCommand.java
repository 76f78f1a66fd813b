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

/**
 * {@code demo}: the SFT-ladder experiment on the built-in task (docs/MATH.md §4), comparing the
 * standard rule, the paper's entropy triage and this library's signal rule by their regret.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
    description = {"The reference experiment: trains SFT checkpoints of several depths and seeds on the built-in "
        + "digit-sum task, estimates every pre-RL quantity from samples, runs GRPO from each checkpoint with the Stage 2 "
        + "monitor, and compares the standard pick (highest pass@1), the entropy triage and the signal rule by their "
        + "regret per seed."})
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

  @Option(names = "--first-seed", paramLabel = "N", defaultValue = "1",
      description = "Number the seeds from N on (default: ${DEFAULT-VALUE}): the same experiment on seeds it has not run.")
  long firstSeed;

  @Option(names = "--write-ladder", paramLabel = "FILE",
      description = "Also write the ladder as a triage file (entropy, pass@1, pass@k, traces, outcomes, per-prompt samples).")
  Path ladderFile;

  @Override
  public void run() {
    Options.outputDirectory("--report", report);
    Options.outputFile("--write-ladder", ladderFile);
    LadderExperiment.Settings base = quick ? LadderExperiment.Settings.quick() : LadderExperiment.Settings.defaults();
    LadderExperiment.Settings settings;
    try {
      settings = base.withFirstSeed(firstSeed);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("--first-seed" + e.getMessage().substring("first".length()), e);
    }
    TorchThreads.singleThreaded();
    List<CheckpointResult> results;
    SftAdvice.Advisors advisors = SftAdvice.advisors(settings); // the SFT stop advisor rides on each seed's deepest SFT run
    if (noProgress || json) {
      results = LadderExperiment.run(settings, done -> { }, advisors::listeners);
    } else {
      try (ProgressBar bar = new ProgressBarBuilder().setTaskName("ladder").setInitialMax(LadderExperiment.workUnits(settings))
          .setStyle(ProgressBarStyle.ASCII).setConsumer(new ConsoleProgressBarConsumer(new PrintStream(System.err, true)))
          .build()) {
        results = LadderExperiment.run(settings, bar::stepBy, advisors::listeners);
      }
    }
    TriageConfig triage = settings.triage();
    List<Checkpoint> ladder = new ArrayList<>();
    for (CheckpointResult r : results) {
      ladder.add(r.checkpoint(settings.k()));
    }
    Demo demo = new Demo(settings, results, Ladders.analyze(ladder, triage), RuleComparison.of(ladder, triage),
        advisors.judge(results));
    PrintWriter out = spec.commandLine().getOut();
    if (json) {
      Output.json(out, DemoReport.toJson(demo));
    } else {
      DemoReport.print(out, demo);
    }
    if (report != null) {
      DemoReport.report(demo, report);
    }
    if (ladderFile != null) {
      DemoReport.writeLadder(demo, ladderFile, quick);
    }
  }

  /** Everything one run produced. */
  record Demo(LadderExperiment.Settings s, List<CheckpointResult> results, LadderReport analysis,
      RuleComparison rules, SftAdvice advice) {
    TriageConfig triage() {
      return s.triage();
    }

    /** The SFT depth of the checkpoint named {@code name}, looked up among the results (names are not parsed). */
    int depthOf(String name) {
      return results.stream().filter(r -> r.checkpointName().equals(name)).findFirst().orElseThrow().depth();
    }

    /** Every stop rule's stops, run by run (docs/MATH.md §7). */
    java.util.Map<StopRule, List<StopRuleEvaluation.RunStop>> stops() {
      boolean[] entropy = new boolean[results.size()];
      boolean[] signal = new boolean[results.size()];
      for (int i = 0; i < results.size(); i++) {
        entropy[i] = analysis.checkpoints().get(i).stage2Flag();
        signal[i] = triage().signalStage2Flag(windowMean(results.get(i)));
      }
      return StopRuleEvaluation.stops(results, entropy, signal, triage());
    }

    /**
     * The mean observed degenerate fraction over the Stage 2 window of one run, as the training
     * monitor computes it for the signal rule's Stage 2 (the run replayed through it).
     */
    OptionalDouble windowMean(CheckpointResult r) {
      TrainingMonitor monitor = TrainingMonitor.create(triage());
      for (int step = 1; step <= r.observedDegenerate().length; step++) {
        monitor.accept(TrainingStep.builder(step).degenerateFraction(r.observedDegenerate()[step - 1]).build());
      }
      return monitor.stage2DegenerateMean();
    }
  }
}
