package io.github.rlvrdiagnostics.spark.cli;

import io.github.rlvrdiagnostics.cli.ExtensionCommand;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * {@code reduce}: rollout records or evaluation samples, as many as Spark can read, reduced to the
 * diagnostic table or to pass@k on a Spark session (local mode unless {@code --master} or
 * {@code spark-submit} says otherwise). Added to {@code rlvr-diag} through
 * {@link ExtensionCommand}; {@code ./rlvr-diag reduce} runs it with Spark on the class path.
 */
@Command(name = "reduce", mixinStandardHelpOptions = true,
    description = "Reduce rollout records (reduce rollouts) or evaluation samples (reduce samples) on Apache Spark "
        + "with the library's mergeable accumulators and estimators.",
    subcommands = {RolloutsCommand.class, SamplesCommand.class})
public final class ReduceCommand implements Runnable, ExtensionCommand {
  @Spec CommandSpec spec;

  /** Creates the command (for {@link java.util.ServiceLoader}). */
  public ReduceCommand() {}

  /** Without a subcommand: print the usage. */
  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }
}
