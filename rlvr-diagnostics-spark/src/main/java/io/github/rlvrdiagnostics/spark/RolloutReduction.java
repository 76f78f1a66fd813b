package io.github.rlvrdiagnostics.spark;

import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;

import io.github.rlvrdiagnostics.api.Checks;
import io.github.rlvrdiagnostics.core.rollout.SelfBleu;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.apache.spark.api.java.function.MapFunction;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.api.java.function.ReduceFunction;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.jspecify.annotations.Nullable;
import scala.Tuple2;

/**
 * Rollout records to the per-step table in one Spark job of two shuffles:
 *
 * <ol>
 *   <li>the partial states, one {@link StepState} per step and partition, come from one of two
 *       paths. With tokens (Self-BLEU and distinct-n need the sequences) the record path: the
 *       records are hash-partitioned by (step, group) and sorted within each partition, so that
 *       every group's records arrive together, and one pass over each partition folds every group
 *       into its step's state (the core accumulators' {@code accept}). Without tokens the aggregate
 *       path ({@link GroupAggregates}): Spark SQL's built-in aggregates reduce each group to its
 *       counts, sums, ranges and centred moments with a map-side partial aggregation, and the
 *       group rows are folded with the accumulators' group-level methods;
 *   <li>the partial states are merged by step with the accumulators' own {@code combine} (a
 *       map-side combine first), and each step's values are computed where its state is;
 *   <li>only the values, a few hundred bytes per step, reach the driver.
 * </ol>
 *
 * The per-record rules (which records are skipped, and why) are those of {@link RecordRules} on
 * both paths.
 */
final class RolloutReduction {
  private RolloutReduction() {}

  /** The key under which records without a step are counted: real steps are {@code ≥ 0}. */
  static final long NO_STEP = -1;

  static RolloutTable reduce(Dataset<Row> input, long selfBleuPairs, long seed) {
    Checks.atLeast("selfBleuPairs", selfBleuPairs, 1L);
    StructType schema = input.schema();
    Columns.require(schema, "rollouts", Columns.STEP, "long");
    Columns.integer(schema, Columns.STEP);
    Columns.require(schema, "rollouts", Columns.PROMPT_ID, "string");
    Columns.id(schema, Columns.PROMPT_ID);
    Columns.require(schema, "rollouts", Columns.REWARD, "double");
    Columns.number(schema, Columns.REWARD);
    boolean groupIds = Columns.has(schema, Columns.GROUP_ID);
    if (groupIds) {
      Columns.id(schema, Columns.GROUP_ID);
    }
    boolean passRates = Columns.has(schema, Columns.PASS_RATE);
    if (passRates) {
      Columns.number(schema, Columns.PASS_RATE);
    }
    boolean tokens = Columns.has(schema, Columns.TOKENS);
    if (tokens) {
      Columns.tokens(schema, Columns.TOKENS);
    }
    boolean logProbs = Columns.has(schema, Columns.LOGPROB);
    if (logProbs) {
      Columns.number(schema, Columns.LOGPROB);
    }
    Dataset<Row> records = input.select(
        col(Columns.STEP).cast(DataTypes.LongType).as("step"),
        groupKey(schema, groupIds, tokens).as("group"),
        col(Columns.REWARD).cast(DataTypes.DoubleType).as("reward"),
        tokens ? col(Columns.TOKENS).cast(DataTypes.createArrayType(DataTypes.LongType)).as("tokens")
            : lit(null).cast(DataTypes.createArrayType(DataTypes.LongType)).as("tokens"),
        (logProbs ? col(Columns.LOGPROB).cast(DataTypes.DoubleType) : lit(null).cast(DataTypes.DoubleType)).as("logprob"),
        (passRates ? col(Columns.PASS_RATE).cast(DataTypes.DoubleType) : lit(null).cast(DataTypes.DoubleType))
            .as("pass_rate"),
        Columns.skipReason(schema).as("reason"));
    Dataset<Tuple2<Long, byte[]>> partial = !tokens ? GroupAggregates.partialStates(records, logProbs)
        : records
            .repartition(col("step"), col("group"))
            .sortWithinPartitions("step", "group")
            .mapPartitions(new FoldPartition(tokens, logProbs), Encoders.tuple(Encoders.LONG(), Encoders.BINARY()));
    Dataset<Tuple2<Long, Tuple2<Long, byte[]>>> merged = partial
        .groupByKey((MapFunction<Tuple2<Long, byte[]>, Long>) Tuple2::_1, Encoders.LONG())
        .reduceGroups((ReduceFunction<Tuple2<Long, byte[]>>) RolloutReduction::merge);
    if (tokens) {
      // Self-BLEU is the costly part of a step's values: spread the steps over every core of the
      // session, where adaptive execution would gather the small merged states into one task.
      merged = merged.repartition(Math.max(1, input.sparkSession().sparkContext().defaultParallelism()));
    }
    Dataset<Tuple2<Long, Tuple2<Long, byte[]>>> steps = merged;
    List<byte[]> results = Failures.reading(() -> steps
        .map((MapFunction<Tuple2<Long, Tuple2<Long, byte[]>>, byte[]>) t -> Bytes.of(Bytes.read(t._2()._2(),
            StepState.class).result(t._1(), tokens, logProbs, selfBleuPairs, seed)), Encoders.BINARY())
        .collectAsList());
    return table(results, passRates, tokens, logProbs);
  }

  /**
   * A record's group: its group_id, else its prompt_id. As text for the record path (which reads
   * it as a string); on the aggregate path as a long where both id columns are integers (equal ids
   * are equal numbers, and no string is made per record), else as text.
   */
  private static Column groupKey(StructType schema, boolean groupIds, boolean text) {
    boolean integers = Columns.integral(schema.apply(Columns.PROMPT_ID).dataType())
        && (!groupIds || Columns.integral(schema.apply(Columns.GROUP_ID).dataType()));
    DataType type = integers && !text ? DataTypes.LongType : DataTypes.StringType;
    Column prompt = col(Columns.PROMPT_ID).cast(type);
    return groupIds ? coalesce(col(Columns.GROUP_ID).cast(type), prompt) : prompt;
  }

  /** One partition's states as the (step, serialized state) pairs both paths hand on. */
  static Iterator<Tuple2<Long, byte[]>> serialized(Map<Long, StepState> states) {
    List<Tuple2<Long, byte[]>> out = new ArrayList<>(states.size());
    states.forEach((key, state) -> out.add(new Tuple2<>(key, Bytes.of(state))));
    return out.iterator();
  }

  private static Tuple2<Long, byte[]> merge(Tuple2<Long, byte[]> a, Tuple2<Long, byte[]> b) {
    StepState merged = Bytes.read(a._2(), StepState.class).combine(Bytes.read(b._2(), StepState.class));
    return new Tuple2<>(a._1(), Bytes.of(merged));
  }

  private static RolloutTable table(List<byte[]> results, boolean passRates, boolean tokens, boolean logProbs) {
    List<StepState.StepResult> values = new ArrayList<>();
    for (byte[] bytes : results) {
      values.add(Bytes.read(bytes, StepState.StepResult.class));
    }
    values.sort(Comparator.comparingLong(StepState.StepResult::step));
    long[] skipped = new long[SkipReason.values().length];
    long nullSteps = 0;
    List<RolloutStep> steps = new ArrayList<>();
    for (StepState.StepResult v : values) {
      for (int i = 0; i < skipped.length; i++) {
        skipped[i] += v.skipped()[i];
      }
      nullSteps += v.nullSteps();
      if (v.step() != NO_STEP && v.groups() > 0) {
        steps.add(v.row());
      }
    }
    if (nullSteps > 0) {
      throw new IllegalArgumentException("column 'step' must not be null, but " + nullSteps + " records have no step");
    }
    return new RolloutTable(steps, Arrays.stream(skipped).sum(), passRates, tokens, logProbs, SkipReason.map(skipped));
  }

  /** One record, copied out of Spark's row. */
  private record Rec(double reward, long @Nullable [] tokens, double logProb, double passRate,
      @Nullable SkipReason bad) {}

  /** Folds the groups of one sorted partition into one state per step. */
  static final class FoldPartition implements MapPartitionsFunction<Row, Tuple2<Long, byte[]>> {
    private static final long serialVersionUID = 1L;
    private final boolean tokens;
    private final boolean logProbs;

    FoldPartition(boolean tokens, boolean logProbs) {
      this.tokens = tokens;
      this.logProbs = logProbs;
    }

    @Override
    public Iterator<Tuple2<Long, byte[]>> call(Iterator<Row> rows) {
      Map<Long, StepState> states = new HashMap<>();
      List<Rec> group = new ArrayList<>();
      @Nullable Long step = null;
      @Nullable String id = null;
      boolean started = false;
      while (rows.hasNext()) {
        Row row = rows.next();
        @Nullable Long rowStep = row.isNullAt(0) ? null : row.getLong(0);
        @Nullable String rowId = row.isNullAt(1) ? null : row.getString(1);
        if (started && !(Objects.equals(step, rowStep) && Objects.equals(id, rowId))) {
          fold(states, step, id, group);
          group.clear();
        }
        started = true;
        step = rowStep;
        id = rowId;
        group.add(record(row));
      }
      if (started) {
        fold(states, step, id, group);
      }
      return serialized(states);
    }

    private static Rec record(Row row) {
      long @Nullable [] tokens = null;
      if (!row.isNullAt(3)) {
        List<Object> list = row.getList(3);
        tokens = new long[list.size()];
        for (int i = 0; i < tokens.length; i++) {
          Object token = list.get(i);
          if (token == null) {
            tokens = null; // a sequence with a hole is not a sequence: the record is skipped
            break;
          }
          tokens[i] = (Long) token;
        }
      }
      return new Rec(row.isNullAt(2) ? Double.NaN : row.getDouble(2), tokens,
          row.isNullAt(4) ? Double.NaN : row.getDouble(4), row.isNullAt(5) ? Double.NaN : row.getDouble(5),
          row.isNullAt(6) ? null : SkipReason.ofText(row.getString(6)));
    }

    private void fold(Map<Long, StepState> states, @Nullable Long step, @Nullable String id, List<Rec> group) {
      if (step == null) {
        StepState state = states.computeIfAbsent(NO_STEP, k -> StepState.empty());
        for (Rec r : group) {
          // A line Spark could not parse has no step either; it is one bad record, not a bad input.
          if (r.bad() != null) {
            state.skipped[r.bad().ordinal()]++;
          } else {
            state.nullSteps++;
          }
        }
        return;
      }
      StepState state = states.computeIfAbsent(step, k -> StepState.empty());
      if (step < 0 || id == null) {
        state.skipped[(step < 0 ? SkipReason.NEGATIVE_STEP : SkipReason.NO_GROUP).ordinal()] += group.size();
        return;
      }
      List<Rec> kept = new ArrayList<>(group.size());
      List<int[]> sequences = new ArrayList<>(group.size());
      List<Double> means = new ArrayList<>(group.size());
      double passRate = Double.NaN;
      boolean disagree = false;
      for (Rec r : group) {
        int @Nullable [] sequence = tokens ? sequence(r) : null;
        double mean = logProbs ? RecordRules.meanTokenLogProb(r.logProb(), sequence == null ? 0 : sequence.length) : 0;
        @Nullable SkipReason bad = r.bad() != null ? r.bad()
            : !RecordRules.rewardOk(r.reward()) ? SkipReason.BAD_REWARD
            : tokens && sequence == null ? SkipReason.BAD_TOKENS
            : Double.isNaN(mean) ? SkipReason.BAD_LOGPROB
            : !RecordRules.passRateOk(r.passRate()) ? SkipReason.BAD_PASS_RATE
            : null;
        if (bad != null) {
          state.skipped[bad.ordinal()]++;
          continue;
        }
        if (!Double.isNaN(r.passRate())) {
          disagree |= !Double.isNaN(passRate) && passRate != r.passRate();
          passRate = r.passRate();
        }
        kept.add(r);
        if (sequence != null) {
          sequences.add(sequence);
        }
        means.add(mean);
      }
      if (disagree) {
        // The pass rate belongs to the prompt: records that disagree on it cannot say which is right.
        state.skipped[SkipReason.PASS_RATES_DISAGREE.ordinal()] += kept.size();
        return;
      }
      if (kept.isEmpty()) {
        return;
      }
      double[] rewards = new double[kept.size()];
      double[] sums = new double[kept.size()];
      double[] meanLogProbs = new double[kept.size()];
      for (int i = 0; i < rewards.length; i++) {
        rewards[i] = kept.get(i).reward();
        sums[i] = kept.get(i).logProb();
        meanLogProbs[i] = means.get(i);
      }
      state.acceptGroup(rewards, passRate, tokens ? sequences.toArray(new int[0][]) : null,
          logProbs ? sums : null, logProbs ? meanLogProbs : null);
    }

    /** The record's tokens as ints, or null when missing, out of int range or not accepted by Self-BLEU. */
    private static int @Nullable [] sequence(Rec r) {
      long[] tokens = r.tokens();
      if (tokens == null) {
        return null;
      }
      int[] sequence = new int[tokens.length];
      for (int i = 0; i < tokens.length; i++) {
        if (tokens[i] != (int) tokens[i]) {
          return null;
        }
        sequence[i] = (int) tokens[i];
      }
      try {
        SelfBleu.empty().accept(sequence); // asks the accumulator's rule (no empty sequence)
      } catch (IllegalArgumentException e) {
        return null;
      }
      return sequence;
    }
  }
}
