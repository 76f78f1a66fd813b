package io.github.rlvrdiagnostics.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.rlvrdiagnostics.api.EntropySummary;
import io.github.rlvrdiagnostics.api.SamplingConfig;
import io.github.rlvrdiagnostics.core.entropy.Entropies;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code entropy}: token entropy of logits from a file (docs/MATH.md §3). */
@Command(name = "entropy", mixinStandardHelpOptions = true,
    description = "Entropy in nats of each row of logits (.npy float32/float64, 1-D or 2-D, or a JSON array), "
        + "at a temperature, optionally after top-k / top-p truncation.")
final class EntropyCommand implements Runnable {
  @Spec CommandSpec spec;

  @Option(names = "--logits", required = true, description = "A .npy file or a JSON array (of arrays) of logits.")
  Path logits;

  @Option(names = {"-t", "--temperature"}, description = "Sampling temperature T > 0 (default: ${DEFAULT-VALUE}).")
  double temperature = SamplingConfig.DEFAULT.temperature();

  @Option(names = "--top-k", description = "Keep the k most probable tokens; 0 keeps all (default: ${DEFAULT-VALUE}).")
  int topK = SamplingConfig.DEFAULT.topK();

  @Option(names = "--top-p", description = "Nucleus mass in (0, 1]; 1 keeps all (default: ${DEFAULT-VALUE}).")
  double topP = SamplingConfig.DEFAULT.topP();

  @Option(names = "--json", description = "Print JSON instead of a table.")
  boolean json;

  @Override
  public void run() {
    SamplingConfig sampling = Options.named(Map.of("temperature", "--temperature", "topK", "--top-k", "topP", "--top-p"),
        () -> new SamplingConfig(temperature, topK, topP));
    LogitsReader.Logits read = LogitsReader.read(logits);
    double[] entropies;
    try {
      entropies = read.floats() != null
          ? Entropies.rows(read.floats(), sampling)
          : Entropies.rows(read.doubles(), sampling);
    } catch (IllegalArgumentException e) {
      throw new InputException(logits + ": " + e.getMessage(), e);
    }
    EntropySummary summary = EntropySummary.of(entropies);
    PrintWriter out = spec.commandLine().getOut();
    if (json) {
      ObjectNode node = Output.object();
      node.put("rows", summary.rows());
      ArrayNode values = node.putArray("entropies");
      for (double h : entropies) {
        values.add(h);
      }
      node.put("mean", summary.mean());
      node.put("min", summary.min());
      node.put("temperature", temperature);
      node.put("topK", topK);
      node.put("topP", topP);
      Output.json(out, node);
      return;
    }
    Output.Table table = new Output.Table("row", "entropy (nats)");
    for (int r = 0; r < entropies.length; r++) {
      table.row(r, entropies[r]);
    }
    table.print(out);
    out.println();
    Output.keyValues().row("rows", summary.rows()).row("mean", summary.mean()).row("min (worst token)", summary.min()).print(out);
  }
}
