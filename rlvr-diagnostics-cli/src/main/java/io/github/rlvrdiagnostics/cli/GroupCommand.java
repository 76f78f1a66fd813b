package io.github.rlvrdiagnostics.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.rlvrdiagnostics.api.Checks;
import io.github.rlvrdiagnostics.api.DegenerateThreshold;
import io.github.rlvrdiagnostics.api.GroupSignal;
import io.github.rlvrdiagnostics.core.RlvrDiagnostics;
import java.io.PrintWriter;
import java.util.OptionalInt;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code group}: the signal of one prompt at pass rate p and group size G (docs/MATH.md §1). */
@Command(name = "group", mixinStandardHelpOptions = true,
    description = "Expected advantage variance and degenerate-group probability of a prompt with pass rate p.")
final class GroupCommand implements Runnable {
  @Spec CommandSpec spec;

  @Option(names = {"-p", "--p"}, required = true, description = "Per-rollout pass probability, in [0, 1].")
  double p;

  @Option(names = {"-g", "--group-size"}, required = true, description = "Rollouts per prompt G (>= 1).")
  int groupSize;

  @Option(names = "--json", description = "Print JSON instead of a table.")
  boolean json;

  @Override
  public void run() {
    Checks.probability("--p", p);
    double p = this.p + 0.0; // −0 is 0: print it so
    Checks.atLeast("--group-size", groupSize, Checks.MIN_GROUP_SIZE);
    DegenerateThreshold threshold = RlvrDiagnostics.degenerateThreshold();
    GroupSignal signal = threshold.group(p, groupSize);
    double pStar = threshold.pStar(groupSize);
    OptionalInt minority = threshold.smallestGroupSize(p, 0.5);
    PrintWriter out = spec.commandLine().getOut();
    if (json) {
      ObjectNode node = Output.object();
      node.put("p", signal.p());
      node.put("groupSize", signal.groupSize());
      node.put("expectedAdvantageVariance", signal.expectedAdvantageVariance());
      node.put("degenerateProbability", signal.degenerateProbability());
      node.put("majorityDegenerate", signal.majorityDegenerate());
      node.put("nonDegenerateProbability", threshold.nonDegenerateProbability(p, groupSize));
      node.put("pStar", pStar);
      if (minority.isPresent()) {
        node.put("smallestGroupSizeBelowHalf", minority.getAsInt());
      } else {
        node.putNull("smallestGroupSizeBelowHalf");
      }
      Output.json(out, node);
      return;
    }
    Output.keyValues()
        .row("pass rate p", p)
        .row("group size G", groupSize)
        .row("E[var A] = p(1-p)(G-1)/G", signal.expectedAdvantageVariance())
        .row("P_deg = p^G + (1-p)^G", signal.degenerateProbability())
        .row("majority degenerate", signal.majorityDegenerate() ? "yes" : "no")
        .row("p*(G)", pStar)
        .row("smallest G with P_deg <= 1/2", minority.isPresent() ? String.valueOf(minority.getAsInt()) : "none")
        .print(out);
  }
}
