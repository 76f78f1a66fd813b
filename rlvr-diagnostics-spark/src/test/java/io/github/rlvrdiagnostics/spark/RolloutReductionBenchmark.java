package io.github.rlvrdiagnostics.spark;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.hash;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.pmod;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;

import java.util.Locale;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.unsafe.hash.Murmur3_x86_32;

/**
 * Records per second of the rollout reduction: Spark in local mode with 1 and 2 cores, and the
 * single-JVM reduction of the same records with the same accumulators, for each record count
 * given. A plain main, not a test (timings are not assertions). Run it with
 * {@code rlvr-diagnostics-spark/run-benchmark.sh [COUNT...]} (default 10^7 and 10^8).
 *
 * <p>The records are generated inside Spark with {@code spark.range} (no disk): a GRPO run of 1,024
 * prompts × 16 rollouts per step, binary rewards drawn with the prompt's pass rate, a pass rate and
 * a summed log-probability per record (no tokens: the benchmark measures the record path, not Self-BLEU).
 * The single-JVM loop computes the same records with the same hash (Spark's Murmur3, seed 42), and
 * the two tables are compared at the end. With one core it also times two floors on the same
 * records: generating and counting them, and one plain sum over them.
 */
public final class RolloutReductionBenchmark {
  private RolloutReductionBenchmark() {}

  static final int PROMPTS = 1024;
  static final int GROUP = 16;
  private static final int SEED = 42; // Spark's hash() seed

  /** The generated rollouts of ids {@code [0, count)}. */
  static Dataset<Row> generate(SparkSession spark, long count, int partitions) {
    long perStep = (long) PROMPTS * GROUP;
    return spark.range(0, count, 1, partitions).select(
        col("id").divide(perStep).cast("long").as("step"),
        col("id").divide(GROUP).cast("long").as("prompt_key"),
        col("id"))
        .select(
            col("step"),
            pmod(col("prompt_key"), lit(PROMPTS)).as("prompt_id"),
            pmod(hash(col("prompt_key")), lit(1000)).divide(1000.0).as("pass_rate"),
            pmod(hash(col("id")), lit(10_000)).divide(10_000.0).as("u"),
            pmod(hash(col("id").plus(7)), lit(1000)).divide(-100.0).as("logprob"))
        .select(col("step"), col("prompt_id"), when(col("u").lt(col("pass_rate")), 1.0).otherwise(0.0).as("reward"),
            col("pass_rate"), col("logprob"));
  }

  /** The same records reduced in one JVM, group by group, with the accumulators of {@link StepState}. */
  static StepState[] singleJvm(long count) {
    long perStep = (long) PROMPTS * GROUP;
    int steps = (int) ((count + perStep - 1) / perStep);
    StepState[] states = new StepState[steps];
    double[] rewards = new double[GROUP];
    double[] logProbs = new double[GROUP];
    for (long start = 0; start < count; start += GROUP) {
      long promptKey = start / GROUP;
      double passRate = Math.floorMod(Murmur3_x86_32.hashLong(promptKey, SEED), 1000) / 1000.0;
      int size = (int) Math.min(GROUP, count - start);
      double[] r = size == GROUP ? rewards : new double[size];
      double[] lp = size == GROUP ? logProbs : new double[size];
      for (int i = 0; i < size; i++) {
        long id = start + i;
        double u = Math.floorMod(Murmur3_x86_32.hashLong(id, SEED), 10_000) / 10_000.0;
        r[i] = u < passRate ? 1.0 : 0.0;
        lp[i] = Math.floorMod(Murmur3_x86_32.hashLong(id + 7, SEED), 1000) / -100.0;
      }
      int step = (int) (start / perStep);
      if (states[step] == null) {
        states[step] = StepState.empty();
      }
      states[step].acceptGroup(r, passRate, null, lp, lp);
    }
    return states;
  }

  private static SparkSession session(int cores) {
    return SparkSession.builder()
        .appName("rollout reduction benchmark")
        .master("local[" + cores + "]")
        .config("spark.ui.enabled", "false")
        .config("spark.driver.host", "127.0.0.1")
        .getOrCreate();
  }

  public static void main(String[] args) {
    long[] counts = args.length == 0 ? new long[] {10_000_000L, 100_000_000L}
        : java.util.Arrays.stream(args).mapToLong(Long::parseLong).toArray();
    System.out.printf(Locale.ROOT, "# %d prompts x %d rollouts per step; Java %s; %d processors%n", PROMPTS, GROUP,
        System.getProperty("java.version"), Runtime.getRuntime().availableProcessors());
    System.out.println("records,engine,cores,seconds,records_per_second");
    // Warm-up of the JIT and of Spark's code generation on a small count, not reported.
    singleJvm(1_000_000);
    for (long count : counts) {
      long t0 = System.nanoTime();
      StepState[] reference = singleJvm(count);
      report(count, "single-jvm", 1, t0);
      for (int cores = 1; cores <= 2; cores++) {
        SparkSession spark = session(cores);
        try {
          SparkDiagnostics.rolloutTable(generate(spark, 1_000_000, cores * 4));
          long t1 = System.nanoTime();
          RolloutTable table = SparkDiagnostics.rolloutTable(generate(spark, count, cores * 4));
          report(count, "spark-local", cores, t1);
          check(reference, table);
          if (cores == 1) {
            floors(spark, count);
          }
        } finally {
          spark.stop();
        }
      }
    }
  }

  /**
   * What Spark spends before any reduction, on the same records: generating and counting them, and
   * one plain {@code sum} aggregate over them (no grouping, no shuffle of records).
   */
  private static void floors(SparkSession spark, long count) {
    long t0 = System.nanoTime();
    generate(spark, count, 4).count();
    report(count, "spark-generate-count", 1, t0);
    long t1 = System.nanoTime();
    generate(spark, count, 4).agg(sum("reward"), sum("logprob")).collectAsList();
    report(count, "spark-generate-sum", 1, t1);
  }

  private static void report(long count, String engine, int cores, long startNanos) {
    double seconds = (System.nanoTime() - startNanos) / 1e9;
    System.out.printf(Locale.ROOT, "%d,%s,%d,%.2f,%.0f%n", count, engine, cores, seconds, count / seconds);
  }

  /** The Spark table must be the single-JVM reduction (else the rates compare different work). */
  static void check(StepState[] reference, RolloutTable table) {
    if (table.steps().size() != reference.length) {
      throw new IllegalStateException("steps: single JVM " + reference.length + ", Spark " + table.steps().size());
    }
    for (RolloutStep s : table.steps()) {
      RolloutStep expected = reference[(int) s.step()].result(s.step(), false, true, SparkDiagnostics.SELF_BLEU_PAIRS, SparkDiagnostics.SELF_BLEU_SEED).row();
      if (expected.groups() != s.groups() || expected.degenerateFraction() != s.degenerateFraction()
          || Math.abs(expected.logProbAdvantageCovariance().getAsDouble() - s.logProbAdvantageCovariance().getAsDouble())
              > 1e-12 * Math.max(1, Math.abs(expected.logProbAdvantageCovariance().getAsDouble()))
          || Math.abs(expected.predictedDegenerateFraction().getAsDouble() - s.predictedDegenerateFraction().getAsDouble())
              > 1e-12) {
        throw new IllegalStateException("step " + s.step() + " differs: single JVM " + expected + ", Spark " + s);
      }
    }
  }
}
