package io.github.rlvrdiagnostics.cli;

import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.ServiceLoader;
import picocli.CommandLine.Command;
import picocli.CommandLine;

/**
 * The {@code rlvr-diag} command: exit status 0 on success, 2 on bad input (one line on stderr,
 * nothing on stdout), 1 on an internal error.
 */
@Command(
    name = "rlvr-diag",
    mixinStandardHelpOptions = true,
    versionProvider = Main.Version.class,
    description = "Exploration diagnostics for GRPO under verifiable rewards: "
        + "closed forms, unbiased estimators and entropy probes.",
    subcommands = {
      ThresholdCommand.class,
      GroupCommand.class,
      PassKCommand.class,
      EntropyCommand.class,
      TriageCommand.class,
      MonitorCommand.class,
      CommandLine.HelpCommand.class
    })
public final class Main implements Runnable {

  /** Exit status for bad input. */
  public static final int BAD_INPUT = 2;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  /** Without a subcommand: print the usage. */
  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  /** Runs the command line and exits with its status. */
  public static void main(String[] args) {
    PrintWriter out = new PrintWriter(System.out, true, StandardCharsets.UTF_8);
    PrintWriter err = new PrintWriter(System.err, true, StandardCharsets.UTF_8);
    int status = run(args, out, err);
    out.flush();
    err.flush();
    System.exit(status);
  }

  /**
   * Runs the command line with the given streams and returns the exit status. The subcommands
   * are this module's own plus every {@link ExtensionCommand} on the class path.
   */
  public static int run(String[] args, PrintWriter out, PrintWriter err) {
    // Charts are drawn off-screen; there may be no display at all.
    System.setProperty("java.awt.headless", "true");
    // Extension commands that run DJL do so offline from the natives in their jar, quietly.
    System.setProperty("ai.djl.offline", "true");
    System.setProperty("OPT_OUT_TRACKING", "true");
    System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "error");
    CommandLine commandLine = new CommandLine(new Main());
    for (ExtensionCommand extension : ServiceLoader.load(ExtensionCommand.class)) {
      commandLine.addSubcommand(extension);
    }
    commandLine.setOut(out);
    commandLine.setErr(err);
    commandLine.setParameterExceptionHandler((e, arguments) -> {
      err.println(prefix(e.getCommandLine()) + e.getMessage());
      return BAD_INPUT;
    });
    commandLine.setExecutionExceptionHandler((e, cl, parseResult) -> {
      if (e instanceof InputException || e instanceof IllegalArgumentException) {
        err.println(prefix(cl) + oneLine(e.getMessage()));
        return BAD_INPUT;
      }
      err.println(prefix(cl) + "internal error: " + e);
      return 1;
    });
    int status = commandLine.execute(args);
    out.flush();
    err.flush();
    return status;
  }

  private static String prefix(CommandLine commandLine) {
    return commandLine.getCommandSpec().qualifiedName() + ": ";
  }

  private static String oneLine(String message) {
    return message == null ? "bad input" : message.replace('\n', ' ').replace('\r', ' ');
  }

  /** The version from the jar manifest, or "development" when run from classes. */
  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      String version = Main.class.getPackage().getImplementationVersion();
      return new String[] {"rlvr-diag " + (version == null ? "development" : version)};
    }
  }
}
