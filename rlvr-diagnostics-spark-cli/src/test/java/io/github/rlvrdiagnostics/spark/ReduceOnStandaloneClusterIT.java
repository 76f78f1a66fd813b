package io.github.rlvrdiagnostics.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code reduce rollouts} on a Spark standalone cluster of a Master and two one-core Workers, each its
 * own JVM started from Spark's jars alone: through {@code ./rlvr-diag reduce --master spark://…} and
 * through {@code SparkSubmit} in client and cluster deploy mode, with no flag beyond the documented
 * ones, each table equal to the {@code local[2]} table to 1e-12. Run by {@code mvn -B verify} after
 * {@code package} has built the application jar (failsafe).
 */
class ReduceOnStandaloneClusterIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration RUN = Duration.ofSeconds(240);
  private static final double TOLERANCE = 1e-12;
  private static final String MAIN = "io.github.rlvrdiagnostics.spark.cli.ReduceMain";

  /** target/standalone-cluster: the input, the tables and every process's log stay there for a look after a failure. */
  private static Path dir;
  private static StandaloneCluster cluster;
  private static Path build;
  private static Path root;
  private static Path appJar;
  private static Path rollouts;
  private static List<JsonNode> local;

  @BeforeAll
  static void start() throws IOException, InterruptedException {
    build = Path.of(System.getProperty("rlvr.build.directory", "target")).toAbsolutePath().normalize();
    root = Path.of(System.getProperty("rlvr.root.directory", "..")).toAbsolutePath().normalize();
    appJar = build.resolve("rlvr-diag-spark.jar");
    dir = build.resolve("standalone-cluster");
    deleteRecursively(dir);
    Files.createDirectories(dir);
    assertTrue(Files.isRegularFile(appJar), "the application jar is built by package: " + appJar);
    // ./rlvr-diag rebuilds when a source is newer than its class-path file; the build running this test has
    // just packaged the module, so mark it current as the script itself does after a build.
    Files.setLastModifiedTime(build.resolve("spark-runtime.classpath"), FileTime.from(Instant.now()));
    rollouts = RolloutFiles.jsonLines(dir.resolve("rollouts.jsonl"),
        Rollouts.generate(41, 24, 12, 6, true, true, true, true));
    List<String> opens = Arrays.asList(System.getProperty("spark.jvm.opens", "").trim().split("\\s+"));
    cluster = StandaloneCluster.start(dir, build.resolve("spark-provided.classpath"), opens, 2, "1g");
    local = table(script("local", "--master", "local[2]"));
  }

  @AfterAll
  static void stop() {
    if (cluster != null) {
      cluster.close();
    }
  }

  @Test
  void rlvrDiagReduceOnTheClusterNeedsNoExtraFlag() throws IOException, InterruptedException {
    Path out = script("client", "--master", cluster.masterUrl());
    assertSameTable(local, table(out), "./rlvr-diag reduce --master " + cluster.masterUrl());
    assertExecutorsRanOnWorkers();
  }

  @Test
  void sparkSubmitInClientMode() throws IOException, InterruptedException {
    Path out = dir.resolve("submit-client.jsonl");
    submit("submit-client", "client", out.toString());
    assertSameTable(local, table(out), "spark-submit --deploy-mode client");
  }

  @Test
  void sparkSubmitInClusterModeWritesToAFileUrl() throws IOException, InterruptedException {
    Path out = dir.resolve("submit-cluster.jsonl");
    // One machine: every "node" mounts this disk, which is what a file: URL written out asserts.
    submit("submit-cluster", "cluster", out.toUri().toString());
    assertTrue(Files.isRegularFile(out), "cluster mode wrote no table; driver stderr:\n" + cluster.driverErrors()
        + cluster.diagnostics());
    assertSameTable(local, table(out), "spark-submit --deploy-mode cluster");
  }

  @Test
  void clusterModeRefusesAPlainLocalPathInOneLine() throws IOException, InterruptedException {
    Path out = dir.resolve("driver-local.jsonl");
    submit("submit-cluster-plain-path", "cluster", out.toString());
    assertFalse(Files.exists(out), "a driver-local --out must be refused before any job");
    String errors = cluster.driverErrors();
    assertTrue(errors.contains("--out " + out + " is a file of the driver's machine"),
        "driver stderr:\n" + errors + cluster.diagnostics());
  }

  private static void submit(String name, String deployMode, String out) throws IOException, InterruptedException {
    int status = cluster.submit(name, RUN, "--master", cluster.masterUrl(), "--deploy-mode", deployMode,
        // Cluster mode: spark-submit waits for the driver instead of returning once it is accepted.
        "--conf", "spark.standalone.submit.waitAppCompletion=true",
        "--class", MAIN, appJar.toString(), "rollouts", rollouts.toString(), "--out", out);
    if (status != 0) {
      fail("spark-submit " + name + " ended with " + status + ":\n" + tail(cluster.log(name)) + cluster.diagnostics());
    }
  }

  /** Runs {@code ./rlvr-diag reduce rollouts ROLLOUTS --out NAME.jsonl ARGS} and returns the table file. */
  private static Path script(String name, String... args) throws IOException, InterruptedException {
    Path out = dir.resolve(name + ".jsonl");
    List<String> command = new ArrayList<>(List.of("bash", root.resolve("rlvr-diag").toString(), "reduce", "rollouts",
        rollouts.toString(), "--out", out.toString()));
    command.addAll(Arrays.asList(args));
    int status = cluster.run(name, command, RUN);
    if (status != 0) {
      fail("./rlvr-diag reduce " + String.join(" ", args) + " ended with " + status + ":\n" + tail(cluster.log(name))
          + cluster.diagnostics());
    }
    return out;
  }

  private static void assertExecutorsRanOnWorkers() {
    String workers = cluster.log("worker-1") + cluster.log("worker-2");
    assertTrue(workers.contains("Asked to launch executor"), "no Worker launched an executor" + cluster.diagnostics());
  }

  private static List<JsonNode> table(Path file) throws IOException {
    List<JsonNode> rows = new ArrayList<>();
    for (String line : Files.readAllLines(file)) {
      rows.add(JSON.readTree(line));
    }
    assertFalse(rows.isEmpty(), file + " holds no rows");
    return rows;
  }

  /** Same rows, same fields; numbers equal to {@link #TOLERANCE} relative, everything else exactly. */
  static void assertSameTable(List<JsonNode> expected, List<JsonNode> actual, String what) {
    assertEquals(expected.size(), actual.size(), what + ": rows");
    for (int i = 0; i < expected.size(); i++) {
      assertSameValue(expected.get(i), actual.get(i), what + ", row " + i);
    }
  }

  private static void assertSameValue(JsonNode expected, JsonNode actual, String where) {
    if (expected.isNumber() && actual.isNumber()) {
      double e = expected.asDouble();
      double a = actual.asDouble();
      assertTrue(Math.abs(e - a) <= TOLERANCE * Math.max(1, Math.abs(e)), where + ": " + e + " vs " + a);
    } else if (expected.isObject() && actual.isObject()) {
      List<String> names = new ArrayList<>();
      expected.fieldNames().forEachRemaining(names::add);
      List<String> actualNames = new ArrayList<>();
      actual.fieldNames().forEachRemaining(actualNames::add);
      assertEquals(names, actualNames, where + ": fields");
      for (String name : names) {
        assertSameValue(expected.get(name), actual.get(name), where + "." + name);
      }
    } else if (expected.isArray() && actual.isArray()) {
      assertEquals(expected.size(), actual.size(), where + ": length");
      Iterator<JsonNode> e = expected.elements();
      Iterator<JsonNode> a = actual.elements();
      for (int i = 0; e.hasNext(); i++) {
        assertSameValue(e.next(), a.next(), where + "[" + i + "]");
      }
    } else {
      assertEquals(expected, actual, where);
    }
  }

  private static void deleteRecursively(Path path) throws IOException {
    if (!Files.exists(path, LinkOption.NOFOLLOW_LINKS)) {
      return;
    }
    try (var paths = Files.walk(path)) { // walk does not follow the Spark home's links into the Maven cache
      for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }

  private static String tail(String text) {
    return text.substring(Math.max(0, text.length() - 4000));
  }
}
