package io.github.rlvrdiagnostics.spark.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.rlvrdiagnostics.api.Checks;
import io.github.rlvrdiagnostics.cli.InputException;
import io.github.rlvrdiagnostics.cli.Output;
import io.github.rlvrdiagnostics.spark.RolloutStep;
import io.github.rlvrdiagnostics.spark.RolloutTable;
import io.github.rlvrdiagnostics.spark.SparkDiagnostics;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.OptionalDouble;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code reduce rollouts}: rollout records to the per-step table, written as JSON lines. */
@Command(name = "rollouts", mixinStandardHelpOptions = true,
    description = {"Reduces rollout records (Parquet, or JSON lines for .json/.jsonl/.ndjson paths) with columns step, "
        + "prompt_id, reward and optional group_id, tokens, logprob, pass_rate to one row per step: groups, rollouts, "
        + "mean reward, degenerate fraction (all-pass/all-fail), predicted degenerate fraction, distinct-2, Self-BLEU, "
        + "calibration gap, Cov(log pi, A).",
        "The rows go to --out as JSON lines that 'rlvr-diag monitor' reads."})
final class RolloutsCommand implements Runnable {
  @Spec CommandSpec spec;

  @Parameters(arity = "1..*", paramLabel = "PATH", description = "Files, directories or globs of rollout records.")
  List<String> paths = new ArrayList<>();

  @Option(names = "--out", required = true, paramLabel = "FILE",
      description = "Where to write the per-step rows (JSON lines): a path or a Hadoop file system URL (file:, hdfs:, "
          + "s3a: where Spark's Hadoop has it), written by the driver; never an input.")
  String out;

  @Option(names = "--master", paramLabel = "URL",
      description = "Spark master (default: the one spark-submit gives, else " + Sessions.LOCAL + ").")
  String master;

  @Option(names = "--self-bleu-pairs", paramLabel = "M",
      description = "Self-BLEU budget per step: at most M hypothesis-reference pairs (default ${DEFAULT-VALUE}: exact "
          + "up to 1,000 rollouts per step, else a seeded sample of hypotheses, each against all others).")
  long selfBleuPairs = SparkDiagnostics.SELF_BLEU_PAIRS;

  @Option(names = "--seed", description = "Seed of the Self-BLEU sample (default ${DEFAULT-VALUE}).")
  long seed = SparkDiagnostics.SELF_BLEU_SEED;

  @Option(names = "--json", description = "Print JSON (the rows under 'steps') instead of a table.")
  boolean json;

  @Override
  public void run() {
    Checks.atLeast("--self-bleu-pairs", selfBleuPairs, 1);
    RolloutTable table = Sessions.run(master, spark -> {
      org.apache.hadoop.fs.Path target = OutFile.check(spark, out, paths);
      RolloutTable t = SparkDiagnostics.rolloutTable(SparkDiagnostics.read(spark, paths), selfBleuPairs, seed);
      if (t.steps().isEmpty()) {
        throw new InputException("no usable rollout record in " + String.join(" ", paths) + " (" + t.skippedNote() + ")");
      }
      OutFile.write(spark, target, lines(t));
      return t;
    });
    PrintWriter stdout = spec.commandLine().getOut();
    if (json) {
      ObjectNode node = Output.object();
      node.put("out", out);
      node.put("skippedRecords", table.skippedRecords());
      ObjectNode reasons = node.putObject("skippedReasons");
      table.skippedReasons().forEach(reasons::put);
      var steps = node.putArray("steps");
      table.steps().forEach(s -> steps.add(row(s)));
      Output.json(stdout, node);
      return;
    }
    print(stdout, table);
  }

  /** One step as JSON; empty values are left out, so the monitor reads absent, never null. */
  static ObjectNode row(RolloutStep s) {
    ObjectNode o = Output.object();
    o.put("step", s.step());
    o.put("groups", s.groups());
    o.put("rollouts", s.rollouts());
    o.put("meanReward", s.meanReward());
    o.put("rewardMin", s.rewardMin());
    o.put("rewardMax", s.rewardMax());
    o.put("degenerateFraction", s.degenerateFraction());
    Output.putIfPresent(o, "allPassFraction", s.allPassFraction());
    Output.putIfPresent(o, "allFailFraction", s.allFailFraction());
    Output.putIfPresent(o, "predictedDegenerateFraction", s.predictedDegenerateFraction());
    Output.putIfPresent(o, "distinct2", s.distinct2());
    Output.putIfPresent(o, "selfBleu", s.selfBleu());
    Output.putIfPresent(o, "calibrationGap", s.calibrationGap());
    Output.putIfPresent(o, "logProbAdvantageCovariance", s.logProbAdvantageCovariance());
    o.put("binaryRewards", s.binaryRewards());
    return o;
  }

  /** The table as JSON lines, one compact row per step. */
  private static List<String> lines(RolloutTable table) {
    List<String> lines = new ArrayList<>(table.steps().size());
    for (RolloutStep s : table.steps()) {
      lines.add(Output.line(row(s)));
    }
    return lines;
  }

  private void print(PrintWriter stdout, RolloutTable table) {
    List<String> header = new ArrayList<>(List.of("step", "groups", "rollouts", "mean reward", "degenerate",
        "all pass", "all fail"));
    if (table.passRates()) {
      header.add("predicted");
    }
    if (table.tokens()) {
      header.addAll(List.of("distinct-2", "Self-BLEU"));
    }
    if (table.logProbs()) {
      header.addAll(List.of("calibration gap", "Cov(log pi, A)"));
    }
    Output.Table t = new Output.Table(header.toArray(new String[0]));
    boolean nonBinary = false;
    for (RolloutStep s : table.steps()) {
      List<Object> cells = new ArrayList<>(List.of(s.step(), s.groups(), s.rollouts(), s.meanReward(),
          s.degenerateFraction(), cell(s.allPassFraction()), cell(s.allFailFraction())));
      if (table.passRates()) {
        cells.add(cell(s.predictedDegenerateFraction()));
      }
      if (table.tokens()) {
        cells.add(cell(s.distinct2()));
        cells.add(cell(s.selfBleu()));
      }
      if (table.logProbs()) {
        cells.add(cell(s.calibrationGap()));
        cells.add(cell(s.logProbAdvantageCovariance()));
      }
      t.row(cells.toArray());
      nonBinary |= !s.binaryRewards();
    }
    t.print(stdout);
    stdout.println();
    if (nonBinary) {
      stdout.println("note: rewards outside {0, 1}: those steps have no all-pass/all-fail split and no prediction (-)");
    }
    stdout.printf(Locale.ROOT, "%d steps written to %s; %s%n", table.steps().size(), out, table.skippedNote());
  }

  private static Object cell(OptionalDouble value) {
    return value.isPresent() ? (Object) value.getAsDouble() : "-";
  }
}
