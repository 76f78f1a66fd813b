package io.github.rlvrdiagnostics.cli;

import io.github.rlvrdiagnostics.logs.Numbers;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceLoader;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine;

/**
 * The {@code rlvr-diag} command: exit status 0 on success, 2 on bad input (one line on stderr,
 * nothing on stdout), 1 on an internal error; {@code monitor --exit-code} adds 3 (the run's final
 * verdict is a warning) and 4 (a critical verdict or stop advice).
 *
 * <p>Two failures that are not bugs get one line on stderr too:
 *
 * <ul>
 *   <li>Standard output that cannot be written (a full disk, {@code /dev/full}, a closed stream):
 *       "cannot write to standard output", exit status 1 — the input was fine, the environment
 *       failed, and the output is lost, so a script must not take it as success. A pipe whose
 *       reader went away ({@code | head -1}, seen on Linux in {@code /proc}) is not a failure of
 *       the environment: nothing is printed and the status is {@link #READER_GONE} (141), as for
 *       a Unix tool ended by SIGPIPE.
 *   <li>{@link OutOfMemoryError}: "out of memory: …", exit status 2 — every input the commands
 *       read has a documented size limit, so the heap can only run out on input too large for
 *       the heap the JVM was given; the remedy is on the caller's side (a smaller input, or a
 *       larger {@code -Xmx} through {@code RLVR_DIAG_JAVA_OPTS}), which is what 2 means.
 * </ul>
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

  /** Exit status for an internal error or output that could not be written. */
  public static final int INTERNAL_ERROR = 1;

  /**
   * Exit status when standard output is a pipe whose reader went away ({@code | head -1}): 128 +
   * 13 (SIGPIPE), what a shell reports for a Unix tool ended that way; nothing is printed.
   */
  public static final int READER_GONE = 141;

  /** Exit status of {@code monitor --exit-code} when the run's final verdict is a warning. */
  public static final int WARNING = 3;

  /** Exit status of {@code monitor --exit-code} on a critical verdict or stop advice. */
  public static final int CRITICAL = 4;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  /** Without a subcommand: print the usage. */
  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  /** Runs the command line and exits with its status. */
  public static void main(String[] args) {
    // Straight onto the file descriptors: System.out would swallow write errors in its own flag.
    PrintWriter out = new PrintWriter(new FileOutputStream(FileDescriptor.out), true, StandardCharsets.UTF_8);
    PrintWriter err = new PrintWriter(new FileOutputStream(FileDescriptor.err), true, StandardCharsets.UTF_8);
    int status = run(args, out, err);
    out.flush();
    err.flush();
    System.exit(status);
  }

  /**
   * Runs the command line with the given streams and returns the exit status. The subcommands
   * are this module's own plus every {@link ExtensionCommand} on the class path. After the
   * command, {@code out} is flushed and its error state checked ({@link PrintWriter#checkError}):
   * output that could not be written turns any status into 1 with one line on {@code err}.
   */
  public static int run(String[] args, PrintWriter out, PrintWriter err) {
    // Charts are drawn off-screen; there may be no display at all.
    System.setProperty("java.awt.headless", "true");
    // Extension commands that run DJL do so offline from the natives in their jar, quietly.
    System.setProperty("ai.djl.offline", "true");
    System.setProperty("OPT_OUT_TRACKING", "true");
    System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "error");
    return execute(commandLine(out, err, ServiceLoader.load(ExtensionCommand.class)), args, out, err);
  }

  /**
   * The command line with this module's subcommands and {@code extensions}, streams and exception
   * handlers (picocli gives settings only to the subcommands present when they are set, so the
   * extensions are added first).
   */
  static CommandLine commandLine(PrintWriter out, PrintWriter err, Iterable<?> extensions) {
    CommandLine commandLine = new CommandLine(new Main());
    for (Object extension : extensions) {
      commandLine.addSubcommand(extension);
    }
    String elsewhere = elsewhere(commandLine);
    if (!elsewhere.isEmpty()) {
      commandLine.getCommandSpec().usageMessage().footer("%nIn other modules (./rlvr-diag runs each from its own jar):%n"
          + elsewhere);
    }
    commandLine.setOut(out);
    commandLine.setErr(err);
    registerNumberConverters(commandLine);
    commandLine.setParameterExceptionHandler((e, arguments) -> {
      err.println(prefix(e.getCommandLine()) + oneLine(unknownCommand(e).orElseGet(() -> withoutExceptionName(e.getMessage()))));
      return BAD_INPUT;
    });
    commandLine.setExecutionExceptionHandler((e, cl, parseResult) -> {
      if (e instanceof InputException || e instanceof IllegalArgumentException) {
        err.println(prefix(cl) + oneLine(e.getMessage()));
        return BAD_INPUT;
      }
      OutOfMemoryError oom = outOfMemory(e);
      if (oom != null) {
        err.println(prefix(cl) + outOfMemoryMessage(oom));
        return BAD_INPUT;
      }
      err.println(prefix(cl) + "internal error: " + e);
      return INTERNAL_ERROR;
    });
    return commandLine;
  }

  /**
   * The commands that {@code ./rlvr-diag} runs from another module's jar, with what they do: listed
   * under the usage where this class path lacks them, and named when asked for here.
   */
  private static final Map<String, String> OTHER_MODULES = otherModules();

  private static Map<String, String> otherModules() {
    Map<String, String> commands = new LinkedHashMap<>(); // in the README's order
    commands.put("demo", "the reference experiment (rlvr-diagnostics-examples)");
    commands.put("toy", "the over-sharpening toy (rlvr-diagnostics-examples)");
    commands.put("reduce", "Spark reductions to per-step tables (rlvr-diagnostics-spark-cli)");
    return Collections.unmodifiableMap(commands);
  }

  /** The usage footer's lines for the commands of other modules this command line lacks. */
  private static String elsewhere(CommandLine commandLine) {
    StringBuilder lines = new StringBuilder();
    OTHER_MODULES.forEach((name, what) -> {
      if (!commandLine.getSubcommands().containsKey(name)) {
        lines.append(String.format(Locale.ROOT, "  %-9s  %s%%n", name, what));
      }
    });
    return lines.toString();
  }

  /**
   * An unknown command named as such, or where the command lives when it is one of another
   * module's; empty for any other parameter error.
   */
  private static Optional<String> unknownCommand(CommandLine.ParameterException e) {
    if (!(e instanceof CommandLine.UnmatchedArgumentException unmatched) || e.getCommandLine().getParent() != null
        || unmatched.getUnmatched().isEmpty() || unmatched.getUnmatched().get(0).startsWith("-")) {
      return Optional.empty();
    }
    String name = unmatched.getUnmatched().get(0);
    if (OTHER_MODULES.containsKey(name)) {
      return Optional.of("'" + Numbers.escape(name) + "' is " + OTHER_MODULES.get(name)
          + ", not in this jar: run it as ./rlvr-diag " + Numbers.escape(name) + " from the repository");
    }
    return Optional.of("unknown command '" + Numbers.escape(name) + "': rlvr-diag --help lists the commands");
  }

  /**
   * Makes every numeric option of every subcommand read its value with {@link Numbers}' grammar
   * (ASCII digits, no suffix or hexadecimal, integers exact, no overflow or underflow) instead of
   * picocli's {@code Integer.valueOf} and {@code Double.valueOf}, which accept {@code ٨},
   * {@code 0x1p-2}, {@code 0.5d} and read {@code 1e-400} as 0.
   */
  static void registerNumberConverters(CommandLine commandLine) {
    CommandLine.ITypeConverter<Integer> ints = text -> convert(() -> Numbers.parseInt(text, "the value"));
    CommandLine.ITypeConverter<Long> longs = text -> convert(() -> Numbers.parseLong(text, "the value"));
    CommandLine.ITypeConverter<Double> doubles = text -> convert(() -> Numbers.parseOption(text, "the value"));
    commandLine.registerConverter(Integer.class, ints);
    commandLine.registerConverter(int.class, ints);
    commandLine.registerConverter(Long.class, longs);
    commandLine.registerConverter(long.class, longs);
    commandLine.registerConverter(Double.class, doubles);
    commandLine.registerConverter(double.class, doubles);
  }

  private static <T> T convert(java.util.function.Supplier<T> parse) {
    try {
      return parse.get();
    } catch (IllegalArgumentException e) {
      throw new CommandLine.TypeConversionException(e.getMessage());
    }
  }

  /**
   * Executes {@code args} on a command line from {@link #commandLine}: an {@link OutOfMemoryError}
   * becomes one line and status 2, and output that could not be written status 1.
   */
  static int execute(CommandLine commandLine, String[] args, PrintWriter out, PrintWriter err) {
    int status;
    try {
      status = commandLine.execute(args);
    } catch (OutOfMemoryError e) {
      err.println(prefix(commandLine) + outOfMemoryMessage(e));
      status = BAD_INPUT;
    }
    if (out.checkError()) { // flushes, then reports any failed write so far
      if (StdoutReader.gone()) {
        // The reader of the pipe went away (| head -1): what it wanted it got. Quiet, with the
        // status of a Unix tool ended by SIGPIPE.
        status = READER_GONE;
      } else {
        err.println(prefix(commandLine) + "cannot write to standard output (disk full or stream closed)");
        status = INTERNAL_ERROR;
      }
    }
    err.flush();
    return status;
  }

  private static @Nullable OutOfMemoryError outOfMemory(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof OutOfMemoryError oom) {
        return oom;
      }
    }
    return null;
  }

  private static String outOfMemoryMessage(OutOfMemoryError e) {
    return "out of memory: " + oneLine(e.getMessage())
        + "; the input is too large for this heap (give a smaller input or a larger -Xmx in RLVR_DIAG_JAVA_OPTS)";
  }

  private static String prefix(CommandLine commandLine) {
    return commandLine.getCommandSpec().qualifiedName() + ": ";
  }

  private static final java.util.regex.Pattern EXCEPTION_NAME =
      java.util.regex.Pattern.compile("\\((?:[\\w$]+\\.)*\\w+(?:Exception|Error): ");

  /**
   * picocli's conversion messages end in "(java.nio.file.InvalidPathException: reason)": keep the
   * reason, drop the class name, which means nothing to a user and looks like a stack trace.
   */
  private static @Nullable String withoutExceptionName(@Nullable String message) {
    return message == null ? null : EXCEPTION_NAME.matcher(message).replaceAll("(");
  }

  /** The message on one line and at most 1000 characters, however much input it quotes. */
  private static String oneLine(@Nullable String message) {
    if (message == null) {
      return "bad input";
    }
    // Escaped, so that a file name or value with ANSI escapes or bidirectional overrides cannot
    // repaint the terminal; the line breaks become spaces first, to keep one line readable.
    String line = Numbers.escape(message.replace('\n', ' ').replace('\r', ' '));
    return line.length() <= 1000 ? line : line.substring(0, 1000) + "… (" + (line.length() - 1000) + " more characters)";
  }

  /**
   * The project version, from {@code version.properties} (filtered by Maven at build time, so
   * it is right in the jars and when run from classes), else the jar manifest's
   * {@code Implementation-Version}, else "development".
   */
  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      return new String[] {"rlvr-diag " + version()};
    }

    static String version() {
      try (java.io.InputStream in = Main.class.getResourceAsStream("version.properties")) {
        if (in != null) {
          java.util.Properties properties = new java.util.Properties();
          properties.load(in);
          String version = properties.getProperty("version", "");
          if (!version.isEmpty() && !version.startsWith("${")) {
            return version;
          }
        }
      } catch (java.io.IOException e) {
        // fall back to the manifest
      }
      String version = Main.class.getPackage().getImplementationVersion();
      return version == null ? "development" : version;
    }
  }
}
