package io.github.rlvrdiagnostics.spark;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.apache.spark.sql.SparkSession;

/**
 * Records per second of the rollout reduction on the benchmark's generated input
 * ({@link RolloutReductionBenchmark#generate}), in one run: the single-JVM reduction, Spark
 * {@code local[1]} and {@code local[2]}, and a standalone cluster of two one-core Workers with one
 * and with two single-core executors (each executor its own JVM; the driver is this JVM). Each
 * row is the median of {@value #TIMED} calls after {@value #WARM_UP} warm-up calls on 10^6 records
 * in the same session (the JIT and Spark's generated code are compiled by then; one call after one
 * warm-up measured compilation as much as the reduction), and each table is checked against the
 * single-JVM reduction. The load average is printed beside every row: on a
 * shared machine it says how much of the second core there was to use. A plain main, not a test.
 * Run it with {@code rlvr-diagnostics-spark-cli/run-benchmark.sh [COUNT...]} (default 3·10^6).
 */
public final class ScalingBenchmark {
  private ScalingBenchmark() {}

  static final int WARM_UP = 3;
  static final int TIMED = 3;

  public static void main(String[] args) throws IOException {
    long[] counts = args.length == 0 ? new long[] {3_000_000L} : Arrays.stream(args).mapToLong(Long::parseLong).toArray();
    Path build = Path.of(System.getProperty("rlvr.build.directory", "rlvr-diagnostics-spark-cli/target")).toAbsolutePath();
    Path appJar = build.resolve("rlvr-diag-spark.jar");
    List<String> opens = Arrays.asList(System.getProperty("spark.jvm.opens", "").trim().split("\\s+"));
    Path dir = Files.createTempDirectory("rlvr-scaling-benchmark");
    System.out.printf(Locale.ROOT, "# %d prompts x %d rollouts per step; Java %s; %d processors%n",
        RolloutReductionBenchmark.PROMPTS, RolloutReductionBenchmark.GROUP, System.getProperty("java.version"),
        Runtime.getRuntime().availableProcessors());
    System.out.println("records,engine,cores,median_seconds,min_seconds,records_per_second_median,load_before,load_after");
    for (int i = 0; i < WARM_UP; i++) {
      RolloutReductionBenchmark.singleJvm(1_000_000); // JIT warm-up, not reported
    }
    try (StandaloneCluster cluster = StandaloneCluster.start(dir, build.resolve("spark-provided.classpath"), opens, 2, "2g")) {
      for (long count : counts) {
        String load = load();
        double[] seconds = new double[TIMED];
        StepState[] reference = null;
        for (int i = 0; i < TIMED; i++) {
          long t0 = System.nanoTime();
          reference = RolloutReductionBenchmark.singleJvm(count);
          seconds[i] = (System.nanoTime() - t0) / 1e9;
        }
        row(count, "single-jvm", 1, seconds, load);
        for (int cores = 1; cores <= 2; cores++) {
          time(count, "spark-local", cores, reference, SparkSession.builder().master("local[" + cores + "]"));
        }
        for (int executors = 1; executors <= 2; executors++) {
          time(count, "standalone-executors", executors, reference, SparkSession.builder()
              .master(cluster.masterUrl())
              .config("spark.jars", appJar.toString())
              .config("spark.cores.max", executors)
              .config("spark.executor.cores", 1)
              .config("spark.executor.memory", "1g"));
        }
      }
    }
  }

  private static void time(long count, String engine, int cores, StepState[] reference, SparkSession.Builder builder) {
    SparkSession spark = builder.appName("rollout reduction benchmark")
        .config("spark.ui.enabled", "false")
        .config("spark.driver.host", "127.0.0.1")
        .getOrCreate();
    try {
      for (int i = 0; i < WARM_UP; i++) {
        SparkDiagnostics.rolloutTable(RolloutReductionBenchmark.generate(spark, 1_000_000, cores * 4));
      }
      String load = load();
      double[] seconds = new double[TIMED];
      for (int i = 0; i < TIMED; i++) {
        long t0 = System.nanoTime();
        RolloutTable table = SparkDiagnostics.rolloutTable(RolloutReductionBenchmark.generate(spark, count, cores * 4));
        seconds[i] = (System.nanoTime() - t0) / 1e9;
        RolloutReductionBenchmark.check(reference, table);
      }
      row(count, engine, cores, seconds, load);
    } finally {
      spark.stop();
    }
  }

  private static void row(long count, String engine, int cores, double[] seconds, String loadBefore) {
    double[] sorted = seconds.clone();
    Arrays.sort(sorted);
    double median = sorted[sorted.length / 2];
    System.out.printf(Locale.ROOT, "%d,%s,%d,%.2f,%.2f,%.0f,%s,%s%n", count, engine, cores, median, sorted[0],
        count / median, loadBefore, load());
  }

  /** The one-minute load average, or "?" where /proc is not there. */
  private static String load() {
    try {
      return Files.readString(Path.of("/proc/loadavg")).split(" ")[0];
    } catch (IOException | RuntimeException e) {
      return "?";
    }
  }
}
