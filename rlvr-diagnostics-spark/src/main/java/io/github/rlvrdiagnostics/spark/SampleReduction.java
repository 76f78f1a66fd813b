package io.github.rlvrdiagnostics.spark;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.sum;

import io.github.rlvrdiagnostics.api.Checks;
import io.github.rlvrdiagnostics.api.DatasetPassAtK;
import io.github.rlvrdiagnostics.api.PassAtK;
import io.github.rlvrdiagnostics.api.ProblemSamples;
import io.github.rlvrdiagnostics.api.SignalProfile;
import io.github.rlvrdiagnostics.core.RlvrDiagnostics;
import io.github.rlvrdiagnostics.core.estimate.SignalProfiles;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.jspecify.annotations.Nullable;
import scala.Tuple4;

/**
 * Per-sample results or per-problem counts to pass@k. The samples (up to billions) are pooled by
 * task in Spark: each partition adds up {@code n} and {@code c} per task after checking each record,
 * and the partial counts are summed by task (exact long sums). The problems (one {@code (n, c)}
 * pair per task, far fewer than the samples) then come to the driver, where the core's estimators
 * ({@code PassAtK.aggregate}, {@code SignalProfiles.of}) compute exactly what
 * {@code passk --samples} computes.
 */
final class SampleReduction {
  private SampleReduction() {}

  static SamplesPassAtK reduce(Dataset<Row> input, int[] ks, int groupSize) {
    if (ks.length == 0) {
      throw new IllegalArgumentException("ks must hold at least one k, was empty");
    }
    for (int k : ks) {
      Checks.atLeast("k", k, 1);
    }
    if (groupSize != 0) {
      Checks.groupSize(groupSize);
    }
    StructType schema = input.schema();
    Columns.require(schema, "samples", Columns.TASK_ID, "string");
    Columns.id(schema, Columns.TASK_ID);
    boolean perSample = Columns.has(schema, Columns.PASSED);
    boolean perProblem = Columns.has(schema, Columns.N) || Columns.has(schema, Columns.C);
    if (!perSample && !perProblem) {
      throw new IllegalArgumentException("samples must have a column 'passed' (per-sample results) or columns 'n' "
          + "and 'c' (per-problem counts); the columns are " + Arrays.toString(schema.fieldNames()));
    }
    if (perSample) {
      Columns.bool(schema, Columns.PASSED);
    }
    if (perProblem) {
      Columns.require(schema, "samples", Columns.N, "long");
      Columns.integer(schema, Columns.N);
      Columns.require(schema, "samples", Columns.C, "long");
      Columns.integer(schema, Columns.C);
    }
    Column passed = perSample
        ? col(Columns.PASSED).cast(DataTypes.StringType) // "true"/"false" or "0"/"1": judged per record
        : lit(null).cast(DataTypes.StringType);
    Dataset<Row> records = input.select(
        col(Columns.TASK_ID).cast(DataTypes.StringType).as("task"),
        passed.as("passed"),
        (perProblem ? col(Columns.N).cast(DataTypes.LongType) : lit(null).cast(DataTypes.LongType)).as("n"),
        (perProblem ? col(Columns.C).cast(DataTypes.LongType) : lit(null).cast(DataTypes.LongType)).as("c"),
        Columns.skipReason(schema).as("reason"));
    List<Row> pooled = Failures.reading(() -> records
        .mapPartitions(new PoolPartition(),
            Encoders.tuple(Encoders.STRING(), Encoders.LONG(), Encoders.LONG(), Encoders.LONG()))
        .toDF("task", "n", "c", "key")
        .groupBy("task", "key")
        .agg(sum("n").as("n"), sum("c").as("c"))
        .orderBy("task")
        .collectAsList());
    long[] skipped = new long[SkipReason.values().length];
    long sampleRecords = 0;
    long problemRecords = 0;
    List<ProblemSamples> problems = new ArrayList<>();
    for (Row row : pooled) {
      long key = row.getLong(1);
      if (key == PoolPartition.SAMPLE_RECORDS) {
        sampleRecords += row.getLong(3);
      } else if (key == PoolPartition.PROBLEM_RECORDS) {
        problemRecords += row.getLong(3);
      } else if (key != PoolPartition.TASK) {
        skipped[(int) key - PoolPartition.SKIPPED] += row.getLong(3);
      }
      if (row.isNullAt(0)) {
        continue;
      }
      String task = row.getString(0);
      long n = row.getLong(2);
      if (n > Integer.MAX_VALUE) {
        throw new IllegalArgumentException("task '" + task + "' has " + n + " samples, more than 2^31 - 1");
      }
      problems.add(ProblemSamples.of(task, (int) n, (int) row.getLong(3)));
    }
    if (sampleRecords > 0 && problemRecords > 0) {
      throw new IllegalArgumentException(mixedKinds(sampleRecords, problemRecords));
    }
    long skippedTotal = Arrays.stream(skipped).sum();
    if (problems.isEmpty()) {
      throw new IllegalArgumentException("samples hold no usable record (" + SkipReason.note(skippedTotal,
          SkipReason.map(skipped)) + ")");
    }
    PassAtK estimator = RlvrDiagnostics.passAtK();
    DatasetPassAtK dataset = estimator.aggregate(problems, ks, groupSize);
    Map<Integer, Double> passAll = new TreeMap<>();
    long samples = 0;
    long passes = 0;
    for (ProblemSamples p : problems) {
      samples += p.n();
      passes += p.c();
    }
    for (int k : dataset.passAtK().keySet()) {
      double total = 0;
      for (ProblemSamples p : problems) {
        total += estimator.allPassEstimate(p.n(), p.c(), k);
      }
      passAll.put(k, Math.min(1.0, total / problems.size()));
    }
    Optional<SignalProfile> signal = groupSize > 0 ? Optional.of(SignalProfiles.of(problems, groupSize)) : Optional.empty();
    return new SamplesPassAtK(dataset, passAll, samples, passes, signal, problems, skippedTotal, SkipReason.map(skipped));
  }

  /**
   * The message for an input that mixes per-sample results and per-problem counts: the rule of
   * {@code passk --samples}, which refuses such a file (pooled, the two kinds would count a
   * problem's samples twice or not at all).
   */
  static String mixedKinds(long sampleRecords, long problemRecords) {
    return "samples mix " + sampleRecords + " per-sample records (\"passed\") and " + problemRecords
        + " per-problem records (\"n\", \"c\"): an input must hold one kind (pooled, the two would count a "
        + "problem's samples twice or not at all); split it";
  }

  /**
   * Checks each record and adds up {@code n} and {@code c} per task within one partition. Rows
   * are (task, n, c, key): key {@link #TASK} for a task's counts; the other rows have no task and
   * carry a count in {@code c}: skipped records by reason ({@link #SKIPPED} + the reason's
   * ordinal) and the usable records of each kind.
   */
  static final class PoolPartition implements MapPartitionsFunction<Row, Tuple4<String, Long, Long, Long>> {
    private static final long serialVersionUID = 1L;
    static final long TASK = 0;
    static final long SAMPLE_RECORDS = 1;
    static final long PROBLEM_RECORDS = 2;
    static final int SKIPPED = 3;

    @Override
    public Iterator<Tuple4<String, Long, Long, Long>> call(Iterator<Row> rows) {
      Map<String, long[]> counts = new HashMap<>();
      long[] skipped = new long[SkipReason.values().length];
      long[] kinds = new long[2];
      while (rows.hasNext()) {
        Row row = rows.next();
        SkipReason bad = !row.isNullAt(4) ? SkipReason.ofText(row.getString(4))
            : row.isNullAt(0) ? SkipReason.NO_TASK : null;
        long[] nc = null;
        if (bad == null) {
          boolean problem = !row.isNullAt(2) || !row.isNullAt(3);
          if (problem && !row.isNullAt(1)) {
            bad = SkipReason.BOTH_KINDS;
          } else {
            nc = problem ? problemCounts(row) : sampleCounts(row);
            if (nc == null) {
              bad = problem ? SkipReason.BAD_COUNTS : SkipReason.BAD_PASSED;
            } else {
              kinds[problem ? 1 : 0]++;
            }
          }
        }
        if (bad != null) {
          skipped[bad.ordinal()]++;
          continue;
        }
        long[] total = counts.computeIfAbsent(row.getString(0), k -> new long[2]);
        total[0] += nc[0];
        total[1] += nc[1];
      }
      List<Tuple4<String, Long, Long, Long>> out = new ArrayList<>(counts.size() + 4);
      counts.forEach((task, nc) -> out.add(new Tuple4<>(task, nc[0], nc[1], TASK)));
      for (SkipReason r : SkipReason.values()) {
        if (skipped[r.ordinal()] > 0) {
          out.add(new Tuple4<>(null, 0L, skipped[r.ordinal()], (long) (SKIPPED + r.ordinal())));
        }
      }
      out.add(new Tuple4<>(null, 0L, kinds[0], SAMPLE_RECORDS));
      out.add(new Tuple4<>(null, 0L, kinds[1], PROBLEM_RECORDS));
      return out.iterator();
    }

    /** The record's counts (n, c), or null when they break the counts rule or a count is missing. */
    private static long @Nullable [] problemCounts(Row row) {
      if (row.isNullAt(2) || row.isNullAt(3)) {
        return null;
      }
      long n = row.getLong(2);
      long c = row.getLong(3);
      try {
        Checks.counts(Math.toIntExact(n), Math.toIntExact(c), 1); // the counts rule: n >= 1, 0 <= c <= n
      } catch (IllegalArgumentException | ArithmeticException e) {
        return null;
      }
      return new long[] {n, c};
    }

    /** The record's (1, passed), or null when passed is missing or not a boolean. */
    private static long @Nullable [] sampleCounts(Row row) {
      if (row.isNullAt(1)) {
        return null;
      }
      return switch (row.getString(1)) {
        case "true", "1" -> new long[] {1, 1};
        case "false", "0" -> new long[] {1, 0};
        default -> null;
      };
    }
  }
}
