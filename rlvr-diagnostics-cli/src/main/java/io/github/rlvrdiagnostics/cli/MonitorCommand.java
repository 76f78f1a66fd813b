package io.github.rlvrdiagnostics.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.rlvrdiagnostics.api.AlertListener;
import io.github.rlvrdiagnostics.api.Checks;
import io.github.rlvrdiagnostics.api.MonitorConfig;
import io.github.rlvrdiagnostics.api.TrainingLog;
import io.github.rlvrdiagnostics.api.TriageConfig;
import io.github.rlvrdiagnostics.core.diagnostic.GenerationRounds;
import io.github.rlvrdiagnostics.core.diagnostic.TrainingMonitor;
import io.github.rlvrdiagnostics.logs.LogWatcher;
import io.github.rlvrdiagnostics.logs.TrainingLogs;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code monitor}: is this GRPO run still learning? Reads a real training log, replays it through
 * the training monitor (docs/MATH.md §4–§5), follows it with {@link FollowLoop} and delivers what
 * it finds ({@link Delivery}); {@link MonitorReport} formats the text and JSON.
 */
@Command(name = "monitor", mixinStandardHelpOptions = true,
    description = {"Is this GRPO run still learning? Reads its training log (TRL, verl, OpenRLHF, NeMo-RL, prime-rl, "
        + "slime, SkyRL, rllm, Tinker, TensorBoard event files, generic JSONL/CSV) and gives a verdict (the run's state, "
        + "why, what to do, stop advice), with the entropy, the degenerate groups, both Stage 2 rules and alerts.",
        "With --follow it keeps reading a log that is still being written and prints alerts as they happen."})
final class MonitorCommand implements Runnable, picocli.CommandLine.IExitCodeGenerator {
  @Spec CommandSpec spec;

  @Parameters(index = "0", paramLabel = "FILE", description = "The training log (or a directory of TensorBoard event files).")
  Path file;

  @Mixin TriageOptions triage;

  @Option(names = "--field", paramLabel = "NAME=LOGFIELD",
      description = "Map one of our fields (step, entropy, degenerateFraction, reward, rewardStd, ...) to the log's name for it.")
  Map<String, String> fields = new LinkedHashMap<>();

  @Option(names = "--groups-per-step", description = "Groups (prompts) per logged step, when you know it.")
  Integer groupsPerStep;

  @Option(names = "--max-gen-batches", paramLabel = "N",
      description = "DAPO's max_num_gen_batches: warn when the mean generation rounds (train/num_gen_batches) of the "
          + "last " + GenerationRounds.WINDOW + " steps exceed half of it (default: none; the rounds are still reported against 1/(1 - degenerate fraction)).")
  Integer maxGenBatches;

  @Option(names = "--follow", description = "Keep reading the log as it grows; print alerts as they happen.")
  boolean follow;

  @Option(names = "--poll-ms", defaultValue = "1000", description = "With --follow: how often to look at the file (default: ${DEFAULT-VALUE} ms).")
  long pollMillis;

  @Option(names = "--idle-exit", description = "With --follow: stop after this many seconds without a new step, >= 0 (default: never).")
  Long idleExitSeconds;

  @Option(names = "--report", paramLabel = "DIR", description = "Also write DIR/report.md with entropy.png and degenerate.png.")
  Path report;

  @Option(names = "--hysteresis", paramLabel = "K",
      description = "Logged steps a state or alert condition must hold before it is reported, and must stop holding "
          + "before an alert closes (default: 3; 1 reports every step's reading, for sparse logs).")
  Integer hysteresis;

  @Option(names = "--json", description = "Print JSON instead of text (with --follow: one JSON object per alert or verdict change, its \"event\" saying which).")
  boolean json;

  @Option(names = "--notify", paramLabel = "URL",
      description = "POST each alert episode onset, verdict change (escalations included) and the stop advice to this "
          + "webhook as JSON (repeatable; the environment variable RLVR_NOTIFY_URL adds more; addresses are never printed).")
  List<String> notify = new ArrayList<>();

  @Option(names = "--notify-format", paramLabel = "FORMAT", defaultValue = "generic",
      description = "generic (the event object of --follow --json), slack ({\"text\": ...}) or discord ({\"content\": ...}) "
          + "(default: ${DEFAULT-VALUE}).")
  String notifyFormat;

  @Option(names = "--exit-code", description = "Exit with 0 when the final verdict is fine, 3 on a warning, 4 on a critical "
      + "verdict or stop advice (bad input stays 2).")
  boolean exitCodeWanted;

  @Option(names = "--on-critical", paramLabel = "CMD",
      description = "Run CMD (with sh -c) once, when the monitor first advises stopping, with the stop advice as JSON on its "
          + "stdin; its failure is reported, never fatal.")
  String onCritical;

  @Option(names = "--serve", paramLabel = "[HOST:]PORT",
      description = "With --follow: serve Prometheus metrics on http://HOST:PORT/metrics (PORT alone: every interface; 0: any free port).")
  String serve;

  @Option(names = "--rules", paramLabel = "FILE",
      description = "A YAML file of monitor rules (monitor: hysteresis, zCritical, patience, ...; triage: tau, delta, ...); "
          + "options on the command line win.")
  Path rulesFile;

  @Option(names = "--stall-after", paramLabel = "MINUTES",
      description = "With --follow: warn (and notify) when the log has not grown for this many minutes (> 0; fractions allowed).")
  Double stallAfterMinutes;

  /** The status for {@code --exit-code}, set at the end of a run. */
  private int exitCode;

  /** The rules file, read once at the start of a run. */
  private @Nullable RulesFile rulesRead;

  @Override
  public int getExitCode() {
    return exitCode;
  }

  /** The verdict rules: the defaults or the rules file's, with the hysteresis the user asked for. */
  private MonitorConfig rules() {
    MonitorConfig d = rulesRead == null ? MonitorConfig.DEFAULT : rulesRead.monitor(MonitorConfig.DEFAULT);
    if (hysteresis == null) {
      return d;
    }
    Checks.atLeast("--hysteresis", hysteresis, 1);
    return d.withHysteresis(hysteresis, hysteresis);
  }

  @Override
  public void run() {
    rulesRead = rulesFile == null ? null : RulesFile.read(rulesFile);
    if (rulesRead != null && triage.groupSize == null) {
      triage.groupSize = rulesRead.groupSize();
    }
    TriageConfig config = triage.config();
    if (rulesRead != null) {
      config = rulesRead.triage(config, option -> spec.commandLine().getParseResult().hasMatchedOption(option));
    }
    rules(); // the rules file's errors before any reading
    if (groupsPerStep != null) {
      Checks.atLeast("--groups-per-step", groupsPerStep, 1);
    }
    OptionalInt groups = groupsPerStep == null ? OptionalInt.empty() : OptionalInt.of(groupsPerStep);
    if (maxGenBatches != null) {
      Checks.atLeast("--max-gen-batches", maxGenBatches, 1);
    }
    Options.outputDirectory("--report", report);
    Options.onlyWith(spec, "--follow", follow, "--idle-exit", "--poll-ms");
    if (!follow && (serve != null || stallAfterMinutes != null)) {
      throw new InputException((serve != null ? "--serve" : "--stall-after") + " needs --follow");
    }
    if (follow) {
      checkFollowOptions();
      try (Delivery delivery = delivery()) {
        follow(config, groups, delivery);
      }
      return;
    }
    if (!Files.exists(file)) {
      throw new InputException(file + ": no such file");
    }
    try (Delivery delivery = delivery()) {
      batch(config, groups, delivery);
    }
  }

  /** The delivery parts the options ask for; bad options are bad input before any reading. */
  private Delivery delivery() {
    PrintWriter err = spec.commandLine().getErr();
    Notifier.Format format = switch (notifyFormat.toLowerCase(java.util.Locale.ROOT)) {
      case "generic" -> Notifier.Format.GENERIC;
      case "slack" -> Notifier.Format.SLACK;
      case "discord" -> Notifier.Format.DISCORD;
      default -> throw new InputException("--notify-format must be generic, slack or discord, was '" + notifyFormat + "'");
    };
    if (stallAfterMinutes != null) {
      Checks.positive("--stall-after", stallAfterMinutes);
    }
    List<Notifier.Endpoint> endpoints = Notifier.endpoints(notify, System.getenv("RLVR_NOTIFY_URL"));
    if (onCritical != null && onCritical.isBlank()) {
      throw new InputException("--on-critical must not be empty");
    }
    MetricsServer metrics = null;
    if (serve != null) {
      int colon = serve.lastIndexOf(':');
      String host = colon < 0 ? null : serve.substring(0, colon);
      if (host != null && host.startsWith("[") && host.endsWith("]")) {
        host = host.substring(1, host.length() - 1); // an IPv6 address written as in a URL
      }
      int port;
      try {
        port = Integer.parseInt(serve.substring(colon + 1));
      } catch (NumberFormatException e) {
        throw new InputException("--serve must be PORT or HOST:PORT, was '" + serve + "'");
      }
      if (!(port >= 0 && port <= 65535) || (host != null && host.isEmpty())) {
        throw new InputException("--serve must be PORT or HOST:PORT with a port in [0, 65535], was '" + serve + "'");
      }
      metrics = new MetricsServer(host, port);
      err.printf(java.util.Locale.ROOT, "note: serving Prometheus metrics on http://%s:%d/metrics%n",
          host == null ? "localhost" : host, metrics.port());
      err.flush();
    }
    Notifier notifier = endpoints.isEmpty() ? null
        : new Notifier(endpoints, format, file.getFileName() == null ? file.toString() : file.getFileName().toString(),
            Notifier.Timing.DEFAULT, err);
    return new Delivery(notifier, onCritical == null ? null : new CriticalHook(onCritical, err), metrics, err);
  }

  private void batch(TriageConfig config, OptionalInt groups, Delivery delivery) {
    TrainingLog log = TrainingLogs.read(file, fields, groups);
    Analysis analysis = analyse(log, config, delivery);
    config = analysis.config();
    Integer groupSize = analysis.groupSize();
    boolean binary = analysis.binary();
    TrainingMonitor monitor = analysis.monitor();
    List<String> settingNotes = analysis.settingNotes();
    if (report != null) {
      Reports.monitor(report, file, log, monitor, config, groupSize, binary);
    }
    PrintWriter out = spec.commandLine().getOut();
    MonitorReport printed = new MonitorReport(file, maxGenBatches);
    if (json) {
      // The series is written step by step: a log of half a million steps never becomes one JSON tree.
      Integer g = groupSize;
      Output.json(out, printed.toJson(log, monitor, config, groupSize, binary, settingNotes), "series",
          () -> log.steps().stream().<JsonNode>map(s -> MonitorReport.seriesEntry(s, binary, g)).iterator());
    } else {
      printed.print(out, log, monitor, config, settingNotes);
    }
    if (exitCodeWanted) {
      exitCode = Delivery.exitCode(monitor.verdict(), monitor.stopAdvice(), false);
    }
  }

  /**
   * What batch mode and {@code --follow} both make of a whole log: the settings it states (group
   * size, {@code max_steps}) unless overridden, whether its rewards are binary, and the monitor
   * that replayed its steps.
   */
  record Analysis(TriageConfig config, @Nullable Integer groupSize, boolean binary, TrainingMonitor monitor,
      List<String> settingNotes) {}

  /**
   * Analyses a whole log, the one way batch mode and {@code --follow} both do. Batch mode hands
   * the monitor's alerts and verdicts to {@code delivery} as they are raised; {@code --follow}
   * passes null (it re-analyses the whole log at each change, and its loop delivers each event once).
   */
  Analysis analyse(TrainingLog log, TriageConfig baseConfig, @Nullable Delivery delivery) {
    TriageConfig config = baseConfig;
    List<String> settingNotes = new ArrayList<>();
    // The group size for the bound P_deg(mean reward, G): the user's, else the one the log states.
    Integer groupSize = triage.groupSize;
    if (groupSize == null && log.groupSize().isPresent()) {
      int g = log.groupSize().getAsInt();
      try {
        config = config.withGroupSize(g);
        groupSize = g;
        settingNotes.add("group size G = " + g + " taken from the log (--group-size overrides)");
      } catch (IllegalArgumentException e) {
        settingNotes.add("the log's group size " + g + " is not used: " + e.getMessage());
      }
    }
    if (!spec.commandLine().getParseResult().hasMatchedOption("--planned-steps") && log.plannedSteps().isPresent()) {
      long planned = log.plannedSteps().getAsLong();
      if (planned >= config.checkStep()) {
        config = config.withSteps(config.referenceStep(), config.checkStep(), planned);
        settingNotes.add("planned steps " + planned + " taken from the log's max_steps (--planned-steps overrides)");
      } else {
        settingNotes.add("the log's max_steps " + planned + " is before the check step " + config.checkStep()
            + ": planned steps stay " + config.plannedSteps());
      }
    }
    // Whether the binary closed forms may apply: asked once, as each ask reads every step again.
    boolean binary = TrainingLogs.rewardsBinary(log);
    // With binary rewards and a known G, steps without an observed degenerate fraction are judged
    // by the lower bound P_deg(mean reward, G); the rule lives in TrainingMonitor.
    AlertListener listener = delivery == null ? alert -> { } : delivery;
    TrainingMonitor monitor = groupSize != null && binary
        ? TrainingMonitor.createForBinaryRewards(config, rules(), listener)
        : TrainingMonitor.create(config, rules(), listener);
    if (delivery != null) {
      delivery.attach(monitor);
    }
    log.steps().forEach(monitor::accept);
    return new Analysis(config, groupSize, binary, monitor, settingNotes);
  }

  /** The options of {@code --follow}, checked before anything starts (a metrics server, a note on stderr). */
  private void checkFollowOptions() {
    Checks.atLeast("--poll-ms", pollMillis, 10L);
    if (idleExitSeconds != null) {
      Checks.atLeast("--idle-exit", idleExitSeconds, 0L);
    }
    if (report != null) {
      throw new InputException("--report cannot be combined with --follow: run monitor --report on the log once it is written");
    }
  }

  /**
   * Follows a log being written: each change is read whole and analysed exactly as batch mode
   * would ({@link FollowLoop}); new alerts and verdict changes are printed and delivered as they
   * appear. Stops after {@code --idle-exit} seconds without a new step, or when standard output is
   * closed (a reader such as {@code head} went away).
   */
  private void follow(TriageConfig config, OptionalInt groups, Delivery delivery) {
    PrintWriter out = spec.commandLine().getOut();
    FollowLoop loop = new FollowLoop(LogWatcher.of(file, fields, groups), log -> analyse(log, config, null), out,
        spec.commandLine().getErr(), json, delivery);
    if (stallAfterMinutes != null) {
      delivery.watchStall(file, java.time.Duration.ofMillis(Math.max(1L, Math.round(stallAfterMinutes * 60_000))),
          Math.min(pollMillis, 1000L));
    }
    long idleSince = System.nanoTime();
    long readerChecked = System.nanoTime();
    while (!Thread.currentThread().isInterrupted()) {
      if (loop.pollOnce()) {
        idleSince = System.nanoTime();
      }
      if (out.checkError()) {
        break; // standard output closed: nothing more can be delivered
      }
      // A reader that went away while there was nothing to write (| head -1): looked for every 2 s.
      if (System.nanoTime() - readerChecked >= 2_000_000_000L) {
        readerChecked = System.nanoTime();
        if (StdoutReader.gone()) {
          break;
        }
      }
      // Compared in whole seconds: no overflow however large --idle-exit is.
      if (idleExitSeconds != null && (System.nanoTime() - idleSince) / 1_000_000_000L >= idleExitSeconds) {
        TrainingMonitor monitor = loop.monitor();
        if (!json && monitor != null) {
          MonitorReport.printSummary(out, monitor);
          out.flush();
        }
        break;
      }
      try {
        Thread.sleep(pollMillis);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    TrainingMonitor last = loop.monitor();
    if (exitCodeWanted && last != null) {
      exitCode = Delivery.exitCode(last.verdict(), last.stopAdvice(), delivery.stalled());
    } else if (exitCodeWanted) {
      exitCode = delivery.stalled() ? Main.WARNING : 0;
    }
  }
}
