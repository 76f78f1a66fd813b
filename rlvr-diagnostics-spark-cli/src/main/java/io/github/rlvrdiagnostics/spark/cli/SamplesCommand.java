package io.github.rlvrdiagnostics.spark.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.rlvrdiagnostics.api.Checks;
import io.github.rlvrdiagnostics.api.ProblemSamples;
import io.github.rlvrdiagnostics.api.SignalProfile;
import io.github.rlvrdiagnostics.cli.Output;
import io.github.rlvrdiagnostics.spark.SamplesPassAtK;
import io.github.rlvrdiagnostics.spark.SparkDiagnostics;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code reduce samples}: per-sample results or per-problem counts to pass@k, as {@code passk --samples}. */
@Command(name = "samples", mixinStandardHelpOptions = true,
    description = {"Pools per-sample results (task_id, passed) or per-problem counts (task_id, n, c) by task and "
        + "reports the mean unbiased pass@k and pass^k, and with --group-size the predicted degenerate fraction and "
        + "its all-pass/all-fail parts: the numbers of 'rlvr-diag passk --samples', for inputs of any size."})
final class SamplesCommand implements Runnable {
  @Spec CommandSpec spec;

  @Parameters(arity = "1..*", paramLabel = "PATH", description = "Files, directories or globs of sample records.")
  List<String> paths = new ArrayList<>();

  @Option(names = "--k", split = ",", required = true, description = "k values, comma separated, each in [1, n].")
  int[] ks;

  @Option(names = {"-g", "--group-size"}, description = "GRPO group size G for the degenerate estimates.")
  Integer groupSize;

  @Option(names = "--per-problem", description = "Also list every problem's n and c (under 'perProblem' with --json).")
  boolean perProblem;

  @Option(names = "--master", paramLabel = "URL",
      description = "Spark master (default: the one spark-submit gives, else " + Sessions.LOCAL + ").")
  String master;

  @Option(names = "--json", description = "Print JSON (the keys of passk --samples --json) instead of a table.")
  boolean json;

  @Override
  public void run() {
    for (int k : ks) {
      Checks.atLeast("--k", k, 1);
    }
    int g = groupSize == null ? 0 : Checks.atLeast("--group-size", groupSize, Checks.MIN_GROUP_SIZE);
    SamplesPassAtK result = Sessions.run(master, spark -> {
      try {
        return SparkDiagnostics.passAtK(SparkDiagnostics.read(spark, paths), ks, g);
      } catch (IllegalArgumentException e) {
        // Mixed kinds: name the first line of the other kind, as passk --samples does (read again, on this error only).
        throw MixedKinds.isMixed(e) ? MixedKinds.named(spark, paths, e) : e;
      }
    });
    PrintWriter out = spec.commandLine().getOut();
    if (json) {
      Output.json(out, toJson(result, perProblem));
      return;
    }
    out.printf(Locale.ROOT, "%d problems, %d samples, %d passed (mean of per-problem unbiased estimates)%n%n",
        result.dataset().problems(), result.samples(), result.passed());
    Output.Table table = new Output.Table("k", "pass@k", "pass^k");
    result.dataset().passAtK().forEach((k, v) -> table.row(k, v, result.passAllK().get(k)));
    table.print(out);
    if (result.signal().isPresent()) {
      SignalProfile profile = result.signal().get();
      out.println();
      Output.keyValues()
          .row("group size G", g)
          .row("predicted degenerate fraction", result.dataset().degenerateFraction().getAsDouble())
          .row("E[var A] estimate", result.dataset().advantageVariance().getAsDouble())
          .row("  all pass (too easy)", profile.allPassFraction())
          .row("  all fail (too hard)", profile.allFailFraction())
          .row("groups generated per informative one", profile.expectedSamplingCost().isPresent()
              ? Output.number(profile.expectedSamplingCost().getAsDouble()) : "none: every group is degenerate")
          .print(out);
    }
    if (perProblem) {
      out.println();
      Output.Table rows = new Output.Table("task_id", "n", "c");
      result.problems().forEach(p -> rows.row(p.id(), p.n(), p.c()));
      rows.print(out);
    }
    out.println();
    out.println(result.skippedNote());
  }

  /** The keys of {@code passk --samples --json}, then the skipped count and, when asked, the problems. */
  static ObjectNode toJson(SamplesPassAtK result, boolean perProblem) {
    ObjectNode node = Output.object();
    node.put("problems", result.dataset().problems());
    node.put("samples", result.samples());
    node.put("passed", result.passed());
    ObjectNode pass = node.putObject("passAtK");
    for (Map.Entry<Integer, Double> e : result.dataset().passAtK().entrySet()) {
      pass.put(String.valueOf(e.getKey()), e.getValue());
    }
    ObjectNode all = node.putObject("passAllK");
    result.passAllK().forEach((k, v) -> all.put(String.valueOf(k), v));
    if (result.signal().isPresent()) {
      SignalProfile profile = result.signal().get();
      node.put("groupSize", result.dataset().groupSize());
      node.put("degenerateFraction", result.dataset().degenerateFraction().getAsDouble());
      node.put("advantageVariance", result.dataset().advantageVariance().getAsDouble());
      node.put("allPassFraction", profile.allPassFraction());
      node.put("allFailFraction", profile.allFailFraction());
      Output.put(node, "expectedSamplingCost", profile.expectedSamplingCost());
    }
    node.put("skippedRecords", result.skippedRecords());
    ObjectNode reasons = node.putObject("skippedReasons");
    result.skippedReasons().forEach(reasons::put);
    if (perProblem) {
      ArrayNode rows = node.putArray("perProblem");
      for (ProblemSamples p : result.problems()) {
        rows.addObject().put("task_id", p.id()).put("n", p.n()).put("c", p.c());
      }
    }
    return node;
  }
}
