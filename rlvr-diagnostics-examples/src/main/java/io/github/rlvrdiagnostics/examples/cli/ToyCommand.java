package io.github.rlvrdiagnostics.examples.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.rlvrdiagnostics.api.Checks;
import io.github.rlvrdiagnostics.cli.Charts;
import io.github.rlvrdiagnostics.cli.ExtensionCommand;
import io.github.rlvrdiagnostics.cli.InputException;
import io.github.rlvrdiagnostics.cli.Options;
import io.github.rlvrdiagnostics.cli.Output;
import io.github.rlvrdiagnostics.examples.OverSharpeningToy.Run;
import io.github.rlvrdiagnostics.examples.OverSharpeningToy.Variant;
import io.github.rlvrdiagnostics.examples.OverSharpeningToy;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.knowm.xchart.XYChart;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code toy}: the over-sharpening toy of <i>When Sharpening Becomes Collapse: Sampling Bias and
 * Semantic Coupling in RL with Verifiable Rewards</i> (docs/MATH.md §6) through the reference GRPO loop.
 */
@Command(name = "toy", mixinStandardHelpOptions = true,
    description = {"The over-sharpening toy of 'When Sharpening Becomes Collapse': a softmax policy over {Cat, Dog, Persian, Siamese} trained by "
        + "GRPO on a Persian input where Cat and Persian are both correct. Collapse onto one correct label vs group "
        + "size, advantage estimator, optimiser, IAC and IAC+DLC, over several seeds, and the accuracy of held-out "
        + "Siamese inputs of high, mid and low similarity."})
public final class ToyCommand implements Runnable, ExtensionCommand {
  /** The most GRPO steps per run {@code --steps} accepts: the trajectories are kept in memory. */
  public static final int MAX_STEPS = 1_000_000;

  /** The most seeds per variant {@code --seeds} accepts. */
  public static final int MAX_SEEDS = 10_000;

  @Spec CommandSpec spec;

  @Option(names = "--steps", description = "GRPO steps per run, 1 to 1000000 (default: 300, or 60 with --quick).")
  Integer steps;

  @Option(names = "--seeds", description = "Seeds per variant, 1 to 10000 (default: 5, or 2 with --quick).")
  Integer seeds;

  @Option(names = "--learning-rate", defaultValue = "0.5", description = "Learning rate (default: ${DEFAULT-VALUE}).")
  double learningRate;

  @Option(names = "--quick", description = "A fast check: 60 steps and 2 seeds, unless --steps or --seeds say otherwise.")
  boolean quick;

  @Option(names = "--report", paramLabel = "DIR", description = "Also write DIR/report.md and probability-trajectory PNGs.")
  Path report;

  @Option(names = "--json", description = "Print JSON instead of a table.")
  boolean json;

  @Override
  public void run() {
    TorchThreads.singleThreaded();
    // --quick changes the defaults only: explicit --steps and --seeds always win.
    int steps = this.steps != null ? this.steps : quick ? 60 : 300;
    int seeds = this.seeds != null ? this.seeds : quick ? 2 : 5;
    Checks.atLeast("--steps", steps, 1);
    atMost("--steps", steps, MAX_STEPS);
    Checks.atLeast("--seeds", seeds, 1);
    atMost("--seeds", seeds, MAX_SEEDS);
    Checks.positive("--learning-rate", learningRate);
    Options.outputDirectory("--report", report);
    Map<Variant, List<Run>> runs = new LinkedHashMap<>();
    for (Variant v : OverSharpeningToy.standardVariants()) {
      List<Run> list = new ArrayList<>();
      for (int s = 0; s < seeds; s++) {
        try {
          list.add(OverSharpeningToy.run(v, 1000 + s, steps, learningRate));
        } catch (IllegalArgumentException e) {
          // The inputs were checked above; what fails now is training blown up by the step size.
          throw new InputException("training diverged with --learning-rate " + learningRate + " (variant " + v.name()
              + ", seed " + (1000 + s) + ": " + e.getMessage() + "); try a smaller learning rate", e);
        }
      }
      runs.put(v, list);
    }
    PrintWriter out = spec.commandLine().getOut();
    if (json) {
      ObjectNode node = Output.object();
      node.put("steps", steps);
      node.put("seeds", seeds);
      node.put("learningRate", learningRate);
      ArrayNode variants = node.putArray("variants");
      runs.forEach((v, list) -> {
        ObjectNode o = variants.addObject();
        o.put("name", v.name());
        o.put("collapsedRuns", collapsed(list));
        o.put("medianCollapseStep", medianCollapse(list));
        o.put("meanFinalMinority", meanFinalMinority(list));
        ArrayNode held = o.putArray("meanFinalHeldOutAccuracy");
        for (double a : meanFinalHeldOut(list)) {
          held.add(a);
        }
      });
      Output.json(out, node);
    } else {
      out.printf(Locale.ROOT, "%d GRPO steps per run, %d seeds, learning rate %s; collapsed = min(s, 1 - s) < %s, "
          + "s = p(Persian)/(p(Cat) + p(Persian)) on the training input.%n%n", steps, seeds, Output.number(learningRate),
          Output.number(OverSharpeningToy.COLLAPSED));
      Output.Table table = new Output.Table("variant", "collapsed", "median step", "final min(s,1-s)",
          "held-out acc high", "mid", "low");
      runs.forEach((v, list) -> {
        double[] held = meanFinalHeldOut(list);
        table.row(v.name(), collapsed(list) + "/" + list.size(), medianCollapse(list) < 0 ? "-" : String.valueOf(medianCollapse(list)),
            meanFinalMinority(list), held[0], held[1], held[2]);
      });
      table.print(out);
      out.println();
      out.println("Held-out accuracy is p(Cat) + p(Siamese) on a Siamese input of high/mid/low feature similarity to Persian; "
          + "it starts at 0.5. \"median step\" counts collapsed runs only.");
    }
    if (report != null) {
      writeReport(runs, steps, seeds);
    }
  }

  private static void atMost(String option, int value, int max) {
    if (!(value <= max)) {
      throw new InputException(option + " must be <= " + max + ", was " + value);
    }
  }

  private static int collapsed(List<Run> runs) {
    return (int) runs.stream().filter(r -> r.collapseStep() >= 0).count();
  }

  private static int medianCollapse(List<Run> runs) {
    int[] steps = runs.stream().mapToInt(Run::collapseStep).filter(s -> s >= 0).sorted().toArray();
    return steps.length == 0 ? -1 : steps[steps.length / 2];
  }

  private static double meanFinalMinority(List<Run> runs) {
    return runs.stream().mapToDouble(Run::finalMinority).average().orElseThrow();
  }

  private static double[] meanFinalHeldOut(List<Run> runs) {
    double[] mean = new double[3];
    for (Run r : runs) {
      double[] last = r.heldOutAccuracy()[r.heldOutAccuracy().length - 1];
      for (int i = 0; i < 3; i++) {
        mean[i] += last[i] / runs.size();
      }
    }
    return mean;
  }

  private void writeReport(Map<Variant, List<Run>> runs, int steps, int seeds) {
    try {
      java.nio.file.Files.createDirectories(report);
    } catch (java.io.IOException ex) {
      throw new InputException("cannot create " + report + ": " + ex.getMessage(), ex);
    }
    StringBuilder md = new StringBuilder("# Over-sharpening toy\n\n");
    md.append(String.format(Locale.ROOT, "%d steps, %d seeds, learning rate %s. Each chart shows the Persian share "
        + "s = p(Persian)/(p(Cat) + p(Persian)) per seed.%n%n", steps, seeds, Output.number(learningRate)));
    int i = 0;
    for (Map.Entry<Variant, List<Run>> e : runs.entrySet()) {
      XYChart chart = Charts.chart(e.getKey().name(), "GRPO step", "Persian share s");
      chart.getStyler().setYAxisMin(0.0);
      chart.getStyler().setYAxisMax(1.0);
      chart.getStyler().setMarkerSize(0);
      for (Run r : e.getValue()) {
        List<Double> xs = new ArrayList<>();
        List<Double> ys = new ArrayList<>();
        for (int s = 0; s < r.persianShare().length; s++) {
          xs.add((double) s);
          ys.add(r.persianShare()[s]);
        }
        Charts.line(chart, "seed " + r.seed(), xs, ys);
      }
      String png = String.format(Locale.ROOT, "toy-%02d.png", i++);
      Charts.save(chart, report.resolve(png));
      md.append("![").append(e.getKey().name()).append("](").append(png).append(")\n");
    }
    // Semantic coupling: held-out accuracy of the three Siamese inputs under the baseline variant.
    List<Run> baseline = runs.values().iterator().next();
    XYChart coupling = Charts.chart("Held-out Siamese accuracy (" + runs.keySet().iterator().next().name() + ", seed "
        + baseline.get(0).seed() + ")", "GRPO step", "p(Cat) + p(Siamese)");
    coupling.getStyler().setMarkerSize(0);
    String[] names = {"high similarity", "mid similarity", "low similarity"};
    for (int k = 0; k < 3; k++) {
      List<Double> xs = new ArrayList<>();
      List<Double> ys = new ArrayList<>();
      double[][] acc = baseline.get(0).heldOutAccuracy();
      for (int s = 0; s < acc.length; s++) {
        xs.add((double) s);
        ys.add(acc[s][k]);
      }
      Charts.line(coupling, names[k], xs, ys);
    }
    Charts.save(coupling, report.resolve("toy-coupling.png"));
    md.append("\n![semantic coupling](toy-coupling.png)\n");
    try {
      java.nio.file.Files.writeString(report.resolve("report.md"), md.toString());
    } catch (java.io.IOException ex) {
      throw new InputException("cannot write the report: " + ex.getMessage(), ex);
    }
  }
}
