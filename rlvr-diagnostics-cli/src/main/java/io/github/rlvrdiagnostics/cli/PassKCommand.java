package io.github.rlvrdiagnostics.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.rlvrdiagnostics.api.Checks;
import io.github.rlvrdiagnostics.api.DatasetPassAtK;
import io.github.rlvrdiagnostics.api.PassAtK;
import io.github.rlvrdiagnostics.api.ProblemSamples;
import io.github.rlvrdiagnostics.api.SignalProfile;
import io.github.rlvrdiagnostics.core.RlvrDiagnostics;
import io.github.rlvrdiagnostics.core.estimate.SignalProfiles;
import io.github.rlvrdiagnostics.logs.Numbers;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.TreeSet;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code passk}: unbiased pass@k and degenerate-group estimates from samples (docs/MATH.md §2). */
@Command(name = "passk", mixinStandardHelpOptions = true,
    description = {"Unbiased pass@k, and with --group-size the unbiased degenerate-group probability and "
        + "advantage variance at G, for one problem (--n, --c) or a dataset (--samples).",
        "Without --k a dataset reports k = 1, 10, 100, ... up to the smallest n, and that n."})
final class PassKCommand implements Runnable {
  @Spec CommandSpec spec;

  @Option(names = "--n", description = "Completions sampled for one problem.")
  Integer n;

  @Option(names = "--c", description = "How many of them passed.")
  Integer c;

  @Option(names = "--k", description = "k values, comma separated, each in [1, n].")
  List<String> kLists;

  /** The k values of every --k, read with the number grammar (an empty item such as "1," is refused). */
  private int @org.jspecify.annotations.Nullable [] ks;

  @Option(names = {"-g", "--group-size"}, description = "GRPO group size G for the degenerate estimates.")
  Integer groupSize;

  @Option(names = "--samples", description = "JSON lines (per problem {task_id,n,c} or per sample "
      + "{task_id,passed}) or CSV with columns n and the pass count.")
  Path samples;

  @Option(names = "--c-column", defaultValue = "c", description = "CSV column holding the pass count (default: ${DEFAULT-VALUE}).")
  String countColumn;

  @Option(names = "--dynamic-sampling-batch", paramLabel = "B", description = "With --group-size: also the expected "
      + "generation rounds of B groups that dynamic sampling (DAPO filter_groups) needs to fill B informative groups.")
  Integer dynamicBatch;

  @Option(names = "--json", description = "Print JSON instead of a table.")
  boolean json;

  @Override
  public void run() {
    if (kLists != null) {
      ks = kLists.stream().flatMap(list -> Numbers.parseIntList(list, "--k").stream()).mapToInt(Integer::intValue).toArray();
    }
    if (groupSize != null) {
      Checks.atLeast("--group-size", groupSize, Checks.MIN_GROUP_SIZE);
    }
    if (ks != null) {
      for (int k : ks) {
        Checks.atLeast("--k", k, 1);
      }
    }
    if (dynamicBatch != null) {
      Checks.atLeast("--dynamic-sampling-batch", dynamicBatch, 1);
      if (groupSize == null) {
        throw new InputException("--dynamic-sampling-batch needs --group-size");
      }
    }
    if (samples == null && spec.commandLine().getParseResult().hasMatchedOption("--c-column")) {
      throw new InputException("--c-column needs --samples (it names a column of a CSV samples file)");
    }
    if (samples != null) {
      if (n != null || c != null) {
        throw new InputException("--samples cannot be combined with --n or --c");
      }
      dataset();
    } else {
      if (n == null || c == null || ks == null) {
        throw new InputException("give --n, --c and --k for one problem, or --samples FILE for a dataset");
      }
      single();
    }
  }

  private void single() {
    Options.named(Map.of("n", "--n", "c", "--c"), () -> {
      Checks.counts(n, c, 1);
      return null;
    });
    for (int k : ks) {
      if (k > n) {
        throw new InputException("--k must be <= n = " + n + ", was " + k);
      }
    }
    if (groupSize != null && (groupSize > n || n < 2)) {
      throw new InputException("--group-size must be in [1, n] = [1, " + n + "] with n >= 2 for unbiased estimates, was " + groupSize);
    }
    PassAtK estimator = RlvrDiagnostics.passAtK();
    TreeSet<Integer> sorted = new TreeSet<>();
    for (int k : ks) {
      sorted.add(k);
    }
    PrintWriter out = spec.commandLine().getOut();
    if (json) {
      ObjectNode node = Output.object();
      node.put("n", n);
      node.put("c", c);
      ObjectNode pass = node.putObject("passAtK");
      ObjectNode all = node.putObject("passAllK");
      for (int k : sorted) {
        pass.put(String.valueOf(k), estimator.estimate(n, c, k));
        all.put(String.valueOf(k), estimator.allPassEstimate(n, c, k));
      }
      if (groupSize != null) {
        node.put("groupSize", groupSize);
        node.put("degenerateProbabilityEstimate", estimator.degenerateProbabilityEstimate(n, c, groupSize));
        node.put("advantageVarianceEstimate", estimator.advantageVarianceEstimate(n, c, groupSize));
        putSignal(node, SignalProfiles.of(List.of(ProblemSamples.of(n, c)), groupSize));
      }
      Output.json(out, node);
      return;
    }
    Output.Table table = new Output.Table("k", "pass@k", "pass^k");
    for (int k : sorted) {
      table.row(k, estimator.estimate(n, c, k), estimator.allPassEstimate(n, c, k));
    }
    out.printf(Locale.ROOT, "n = %d samples, c = %d passed (unbiased estimates)%n%n", n, c);
    table.print(out);
    if (groupSize != null) {
      out.println();
      Output.Table rows = Output.keyValues()
          .row("group size G", groupSize)
          .row("P_deg estimate", estimator.degenerateProbabilityEstimate(n, c, groupSize))
          .row("E[var A] estimate", estimator.advantageVarianceEstimate(n, c, groupSize));
      signalRows(rows, SignalProfiles.of(List.of(ProblemSamples.of(n, c)), groupSize));
      rows.print(out);
    }
  }

  private void dataset() {
    // Lenient: bad lines are skipped and listed on stderr once the command is sure to succeed.
    SamplesReader.Samples read = SamplesReader.readLenient(samples, countColumn);
    List<ProblemSamples> problems = read.problems();
    int minN = Integer.MAX_VALUE;
    ProblemSamples fewest = problems.get(0);
    for (ProblemSamples p : problems) {
      if (p.n() < minN) {
        minN = p.n();
        fewest = p;
      }
    }
    String fewestName = fewest.id().isEmpty() ? "" : ", task '" + fewest.id() + "'";
    int[] chosen = ks != null ? ks : defaultKs(minN);
    for (int k : chosen) {
      if (k > minN) {
        throw new InputException("--k must be <= the smallest n in " + samples + " (" + minN + fewestName + "), was " + k);
      }
    }
    int g = groupSize == null ? 0 : groupSize;
    if (g > 0 && (g > minN || minN < 2)) {
      throw new InputException("--group-size must be <= the smallest n in " + samples + " (" + minN + fewestName
          + "; an unbiased estimate at G needs n >= max(2, G)), was " + g);
    }
    DatasetPassAtK result = RlvrDiagnostics.passAtK().aggregate(problems, chosen, g);
    PrintWriter err = spec.commandLine().getErr();
    read.warnings().forEach(w -> err.println(Numbers.escape(w)));
    err.flush();
    long totalSamples = 0;
    long totalPassed = 0;
    for (ProblemSamples p : problems) {
      totalSamples += p.n();
      totalPassed += p.c();
    }
    PrintWriter out = spec.commandLine().getOut();
    if (json) {
      ObjectNode node = Output.object();
      node.put("problems", result.problems());
      node.put("samples", totalSamples);
      node.put("passed", totalPassed);
      ObjectNode pass = node.putObject("passAtK");
      for (Map.Entry<Integer, Double> e : result.passAtK().entrySet()) {
        pass.put(String.valueOf(e.getKey()), e.getValue());
      }
      ObjectNode all = node.putObject("passAllK");
      for (int k : result.passAtK().keySet()) {
        all.put(String.valueOf(k), meanPassAll(problems, k));
      }
      if (g > 0) {
        node.put("groupSize", g);
        node.put("degenerateFraction", result.degenerateFraction().getAsDouble());
        node.put("advantageVariance", result.advantageVariance().getAsDouble());
        putSignal(node, SignalProfiles.of(problems, g));
      }
      Output.json(out, node);
      return;
    }
    out.printf(Locale.ROOT, "%d problems, %d samples, %d passed (mean of per-problem unbiased estimates)%n%n",
        result.problems(), totalSamples, totalPassed);
    Output.Table table = new Output.Table("k", "pass@k", "pass^k");
    result.passAtK().forEach((k, v) -> table.row(k, v, meanPassAll(problems, k)));
    table.print(out);
    if (g > 0) {
      out.println();
      Output.Table rows = Output.keyValues()
          .row("group size G", g)
          .row("predicted degenerate fraction", result.degenerateFraction().getAsDouble())
          .row("E[var A] estimate", result.advantageVariance().getAsDouble());
      signalRows(rows, SignalProfiles.of(problems, g));
      rows.print(out);
    }
  }

  /** The mean over problems of the unbiased pass^k, {@code C(c, k)/C(n, k)}. */
  private static double meanPassAll(List<ProblemSamples> problems, int k) {
    PassAtK estimator = RlvrDiagnostics.passAtK();
    double sum = 0;
    for (ProblemSamples p : problems) {
      sum += estimator.allPassEstimate(p.n(), p.c(), k);
    }
    return Math.min(1.0, sum / problems.size());
  }

  /** The signal profile's fields beside the degenerate estimate, and the dynamic-sampling rounds when asked. */
  private void putSignal(ObjectNode node, SignalProfile profile) {
    node.put("allPassFraction", profile.allPassFraction());
    node.put("allFailFraction", profile.allFailFraction());
    Output.put(node, "expectedSamplingCost", profile.expectedSamplingCost());
    if (dynamicBatch != null) {
      node.put("dynamicSamplingBatch", dynamicBatch);
      Output.put(node, "expectedGenerationRounds",
          SignalProfiles.expectedGenerationRounds(profile.predictedDegenerateFraction(), dynamicBatch));
    }
  }


  private void signalRows(Output.Table rows, SignalProfile profile) {
    rows.row("  all pass (too easy)", profile.allPassFraction())
        .row("  all fail (too hard)", profile.allFailFraction())
        .row("groups generated per informative one", profile.expectedSamplingCost().isPresent()
            ? Output.number(profile.expectedSamplingCost().getAsDouble()) : "none: every group is degenerate");
    if (dynamicBatch != null) {
      OptionalDouble rounds = SignalProfiles.expectedGenerationRounds(profile.predictedDegenerateFraction(), dynamicBatch);
      rows.row("rounds of " + dynamicBatch + " groups to fill " + dynamicBatch + " informative",
          rounds.isPresent() ? Output.number(rounds.getAsDouble()) : "never");
    }
  }

  private static int[] defaultKs(int minN) {
    TreeSet<Integer> ks = new TreeSet<>();
    for (long k = 1; k <= minN; k *= 10) {
      ks.add((int) k);
    }
    ks.add(minN);
    return ks.stream().mapToInt(Integer::intValue).toArray();
  }
}
