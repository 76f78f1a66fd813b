package io.github.rlvrdiagnostics.spark;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;

/**
 * A Spark standalone cluster on this machine for tests: a Master and Workers, each a JVM of its own
 * started from a Spark home whose {@code jars/} holds only what Spark ships (the provided
 * dependencies of this module), as a user's Spark installation would. Workers launch executors
 * and cluster-mode drivers as further JVMs, which {@link #close()} stops with them.
 *
 * <p>Every process runs with {@code SPARK_LOCAL_IP=127.0.0.1}, so that the cluster never depends on
 * what this machine's host name resolves to.
 */
final class StandaloneCluster implements AutoCloseable {
  private static final Duration START = Duration.ofSeconds(90);

  private final Path home;
  private final Path logs;
  private final List<String> jvmOptions;
  private final List<Process> daemons = new ArrayList<>();
  private final List<Path> workDirs = new ArrayList<>();
  private String masterUrl = "";

  private StandaloneCluster(Path home, Path logs, List<String> jvmOptions) {
    this.home = home;
    this.logs = logs;
    this.jvmOptions = jvmOptions;
  }

  /**
   * Builds a Spark home under {@code dir} from the jars listed in {@code sparkClassPath} and starts a
   * Master and {@code workers} Workers of one core and {@code workerMemory} each; returns once every
   * Worker has registered.
   *
   * @param jvmOptions the flags Spark needs on this JDK (the parent pom's {@code spark.jvm.opens})
   */
  static StandaloneCluster start(Path dir, Path sparkClassPath, List<String> jvmOptions, int workers,
      String workerMemory) throws IOException {
    Path home = dir.resolve("spark-home");
    Path jars = Files.createDirectories(home.resolve("jars"));
    for (String jar : Files.readString(sparkClassPath).strip().split(":")) {
      Path source = Path.of(jar);
      Files.createSymbolicLink(jars.resolve(source.getFileName()), source);
    }
    // Spark's launcher takes a home with a RELEASE file for an installation and looks for jars/ there.
    Files.writeString(home.resolve("RELEASE"), "Spark 4.1.1 (jars of the Maven build)\n");
    StandaloneCluster cluster = new StandaloneCluster(home, Files.createDirectories(dir.resolve("logs")), jvmOptions);
    try {
      cluster.startAll(dir, workers, workerMemory);
    } catch (IOException | RuntimeException e) {
      cluster.close();
      throw e;
    }
    return cluster;
  }

  private void startAll(Path dir, int workers, String workerMemory) throws IOException {
    int port = freePort();
    masterUrl = "spark://127.0.0.1:" + port;
    daemons.add(daemon("master", "org.apache.spark.deploy.master.Master", "--host", "127.0.0.1", "--port",
        Integer.toString(port), "--webui-port", Integer.toString(freePort())));
    await("the Master listening on " + port, logs.resolve("master.log"), () -> listening(port));
    for (int i = 1; i <= workers; i++) {
      Path work = Files.createDirectories(dir.resolve("work-" + i));
      workDirs.add(work);
      daemons.add(daemon("worker-" + i, "org.apache.spark.deploy.worker.Worker", masterUrl, "--host", "127.0.0.1",
          "--port", Integer.toString(freePort()), "--webui-port", Integer.toString(freePort()), "--cores", "1",
          "--memory", workerMemory, "--work-dir", work.toString()));
    }
    for (int i = 1; i <= workers; i++) {
      Path log = logs.resolve("worker-" + i + ".log");
      await("worker " + i + " registered", log, () -> read(log).contains("Successfully registered with master"));
    }
  }

  String masterUrl() {
    return masterUrl;
  }

  /** The environment every process of the cluster, and every process that talks to it, runs with. */
  Map<String, String> environment() {
    return Map.of(
        "SPARK_HOME", home.toString(),
        // The Workers' executor launcher needs the Scala version of the jars (a distribution names it in RELEASE's
        // directory layout; a home assembled from Maven's jars does not).
        "SPARK_SCALA_VERSION", "2.13",
        "SPARK_LOCAL_IP", "127.0.0.1",
        "JAVA_HOME", System.getProperty("java.home"));
  }

  /**
   * Runs {@code org.apache.spark.deploy.SparkSubmit ARGS} as {@code spark-submit} would (Spark's jars on the
   * class path) and waits for it; its output goes to {@code logs/NAME.log}.
   *
   * @return the exit status, or -1 when it ran past {@code timeout} (it is then stopped)
   */
  int submit(String name, Duration timeout, String... args) throws IOException, InterruptedException {
    List<String> command = java();
    command.add("org.apache.spark.deploy.SparkSubmit");
    command.addAll(Arrays.asList(args));
    return run(name, command, timeout);
  }

  /** Runs {@code command} with the cluster's environment and waits for it; output to {@code logs/NAME.log}. */
  int run(String name, List<String> command, Duration timeout) throws IOException, InterruptedException {
    Process process = process(name, command);
    if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
      stop(process);
      return -1;
    }
    return process.exitValue();
  }

  /** The log of a process run by this cluster. */
  String log(String name) {
    return read(logs.resolve(name + ".log"));
  }

  /** The standard error of every driver the Workers ran in cluster deploy mode, in no particular order. */
  String driverErrors() throws IOException {
    StringBuilder all = new StringBuilder();
    for (Path work : workDirs) {
      try (Stream<Path> files = Files.walk(work, 2)) {
        for (Path f : files.filter(p -> p.getFileName().toString().equals("stderr")
            && p.getParent().getFileName().toString().startsWith("driver-")).toList()) {
          all.append(read(f));
        }
      }
    }
    return all.toString();
  }

  /** The tail of every daemon's log, for a failure message. */
  String diagnostics() {
    StringBuilder out = new StringBuilder();
    try (Stream<Path> files = Files.list(logs)) {
      for (Path f : files.sorted().toList()) {
        String text = read(f);
        out.append("\n--- ").append(f.getFileName()).append(" ---\n")
            .append(text.substring(Math.max(0, text.length() - 3000)));
      }
    } catch (IOException e) {
      out.append("(logs unreadable: ").append(e.getMessage()).append(')');
    }
    return out.toString();
  }

  private Process daemon(String name, String mainClass, String... args) throws IOException {
    List<String> command = java();
    command.add("-Xmx256m"); // a daemon only keeps books; Spark's own default for daemons is 1 GB
    command.add(mainClass);
    command.addAll(Arrays.asList(args));
    return process(name, command);
  }

  private List<String> java() {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(jvmOptions);
    command.add("-cp");
    command.add(home.resolve("jars") + "/*");
    return command;
  }

  private Process process(String name, List<String> command) throws IOException {
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
        .redirectOutput(logs.resolve(name + ".log").toFile());
    builder.environment().putAll(environment());
    return builder.start();
  }

  private static void await(String what, Path log, BooleanSupplier condition) {
    long deadline = System.nanoTime() + START.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        String text = read(log);
        throw new IllegalStateException("timed out waiting for " + what + "; its log ends:\n"
            + text.substring(Math.max(0, text.length() - 3000)));
      }
      try {
        Thread.sleep(200);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted waiting for " + what, e);
      }
    }
  }

  private static boolean listening(int port) {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress("127.0.0.1", port), 200);
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }

  private static String read(Path file) {
    try {
      return Files.exists(file) ? Files.readString(file, StandardCharsets.UTF_8) : "";
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Stops a process and everything it started (a Worker's executors and drivers). */
  private static void stop(Process process) {
    process.descendants().forEach(ProcessHandle::destroy);
    process.destroy();
    try {
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Stops the Workers (with their executors and drivers), then the Master; idempotent. */
  @Override
  public void close() {
    for (int i = daemons.size() - 1; i >= 0; i--) {
      stop(daemons.get(i));
    }
    daemons.clear();
  }
}
