package io.github.rlvrdiagnostics.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.rlvrdiagnostics.api.Checks;
import io.github.rlvrdiagnostics.api.ThresholdPoint;
import io.github.rlvrdiagnostics.core.RlvrDiagnostics;
import java.io.PrintWriter;
import java.util.Locale;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code threshold}: the majority-degenerate pass rate {@code p*(G)} (docs/MATH.md §1). */
@Command(name = "threshold", mixinStandardHelpOptions = true,
    description = "The pass rate p*(G) below which (or above 1 - p*) most GRPO groups of size G carry no gradient.")
final class ThresholdCommand implements Runnable {
  @Spec CommandSpec spec;

  @Option(names = {"-g", "--group-size"}, required = true, description = "Rollouts per prompt G (>= 1).")
  int groupSize;

  @Option(names = "--json", description = "Print JSON instead of a table.")
  boolean json;

  @Override
  public void run() {
    Checks.atLeast("--group-size", groupSize, Checks.MIN_GROUP_SIZE);
    ThresholdPoint point = RlvrDiagnostics.degenerateThreshold().threshold(groupSize);
    PrintWriter out = spec.commandLine().getOut();
    if (json) {
      ObjectNode node = Output.object();
      node.put("groupSize", point.groupSize());
      node.put("pStar", point.pStar());
      node.put("advantageVarianceAtPStar", point.advantageVarianceAtPStar());
      node.put("lnTwoOverG", point.lnTwoOverG());
      Output.json(out, node);
      return;
    }
    Output.keyValues()
        .row("group size G", point.groupSize())
        .row("p*(G)", point.pStar())
        .row("1 - p*(G)", oneMinus(point.pStar()))
        .row("E[var A] at p*", point.advantageVarianceAtPStar())
        .row("ln 2 / G", point.lnTwoOverG())
        .print(out);
    if (groupSize >= 3) {
      out.println();
      out.printf(Locale.ROOT, "More than half of all groups are degenerate when p < %s or p > %s.%n",
          Output.number(point.pStar()), oneMinus(point.pStar()));
    } else {
      out.println();
      out.println("With G <= 2 at least half of all groups are degenerate at every pass rate.");
    }
  }

  /** {@code 1 − p*}; for a huge G it rounds to "1" at six digits ("p > 1" is false), so say "1 - p*". */
  private static String oneMinus(double pStar) {
    String upper = Output.number(1.0 - pStar);
    return upper.equals("1") && pStar > 0 ? "1 - " + Output.number(pStar) : upper;
  }
}
