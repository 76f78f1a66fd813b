package io.github.rlvrdiagnostics.spark;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.covar_pop;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.min;
import static org.apache.spark.sql.functions.not;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.var_pop;
import static org.apache.spark.sql.functions.when;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import scala.Tuple2;

/**
 * The aggregate path of the rollout reduction, for records without tokens (nothing then needs a
 * group's records themselves, only their counts, sums, ranges and centred moments):
 *
 * <ol>
 *   <li>each record gets its code ({@link RecordRules#code}): usable, or the reason it is skipped;
 *   <li>Spark SQL's built-in aggregates reduce the records by (step, group, code) with code
 *       generation and a map-side partial aggregation, so the shuffle carries one partial row per
 *       key and input partition, not every record. The moments the covariance needs come from
 *       {@code var_pop} and {@code covar_pop}, which centre as they go (no difference of raw sums);
 *   <li>each row of usable records is one group, folded into its step's {@link StepState} by the
 *       core accumulators' group-level methods; each row of skipped records is a count.
 * </ol>
 */
final class GroupAggregates {
  private GroupAggregates() {}

  /**
   * The partial states, one per step and partition, of the records (columns step, group, reward,
   * logprob, pass_rate and reason as {@link RolloutReduction} selects them).
   */
  static Dataset<Tuple2<Long, byte[]>> partialStates(Dataset<Row> records, boolean logProbs) {
    Column reward = col("reward");
    Column logProb = col("logprob");
    Column passRate = RecordRules.passRate(col("pass_rate"));
    List<Column> aggregates = new ArrayList<>(List.of(
        sum(reward), min(reward), max(reward),
        max(when(RecordRules.isBinary(reward), lit(0)).otherwise(lit(1))), // 1: some reward is not 0 or 1
        min(passRate), max(passRate)));
    if (logProbs) {
      Column correct = RecordRules.isCorrect(reward);
      // Plain sums where a mean is a sum over a count the row already has (what avg would compute).
      aggregates.addAll(List.of(
          var_pop(reward), covar_pop(reward, logProb), sum(logProb),
          count(when(correct, lit(1))), sum(when(correct, logProb)), sum(when(not(correct), logProb))));
    }
    Column code = RecordRules.code(col("step"), col("group"), reward, logProb, col("pass_rate"), col("reason"),
        logProbs);
    return records
        .withColumn("code", code)
        .groupBy(col("step"), col("group"), col("code"))
        .agg(count(lit(1)), aggregates.toArray(new Column[0]))
        .mapPartitions(new FoldGroups(logProbs), Encoders.tuple(Encoders.LONG(), Encoders.BINARY()));
  }

  /** Folds the aggregated rows of one partition into one state per step. */
  static final class FoldGroups implements MapPartitionsFunction<Row, Tuple2<Long, byte[]>> {
    private static final long serialVersionUID = 1L;
    // The columns of an aggregated row, in the order partialStates selects them.
    private static final int STEP = 0;
    private static final int CODE = 2;
    private static final int COUNT = 3;
    private static final int SUM = 4;
    private static final int MIN = 5;
    private static final int MAX = 6;
    private static final int NON_BINARY = 7;
    private static final int PASS_MIN = 8;
    private static final int PASS_MAX = 9;
    private static final int VAR_POP = 10;
    private static final int COVAR_POP = 11;
    private static final int LOGPROB_SUM = 12;
    private static final int CORRECT = 13;
    private static final int CORRECT_SUM = 14;
    private static final int INCORRECT_SUM = 15;

    private final boolean logProbs;

    FoldGroups(boolean logProbs) {
      this.logProbs = logProbs;
    }

    @Override
    public Iterator<Tuple2<Long, byte[]>> call(Iterator<Row> rows) {
      Map<Long, StepState> states = new HashMap<>();
      while (rows.hasNext()) {
        fold(states, rows.next());
      }
      return RolloutReduction.serialized(states);
    }

    private void fold(Map<Long, StepState> states, Row row) {
      long step = row.isNullAt(STEP) ? RolloutReduction.NO_STEP : row.getLong(STEP);
      StepState state = states.computeIfAbsent(step, k -> StepState.empty());
      int code = row.getInt(CODE);
      long n = row.getLong(COUNT);
      if (code == RecordRules.NO_STEP) {
        state.nullSteps += n;
        return;
      }
      if (code != RecordRules.GOOD) {
        state.skipped[code] += n;
        return;
      }
      double passMin = orNaN(row, PASS_MIN);
      if (passMin != orNaN(row, PASS_MAX) && !Double.isNaN(passMin)) {
        // The pass rate belongs to the prompt: records that disagree on it cannot say which is right.
        state.skipped[SkipReason.PASS_RATES_DISAGREE.ordinal()] += n;
        return;
      }
      state.acceptSummary(Math.toIntExact(n), row.getDouble(SUM), row.getDouble(MIN), row.getDouble(MAX),
          row.getInt(NON_BINARY) == 0, passMin, logProbs ? moments(row, n) : null);
    }

    private static StepState.LogProbMoments moments(Row row, long n) {
      long correct = row.getLong(CORRECT);
      long incorrect = n - correct;
      return new StepState.LogProbMoments(row.getDouble(VAR_POP) * n, row.getDouble(LOGPROB_SUM) / n,
          row.getDouble(COVAR_POP) * n, correct, correct == 0 ? 0.0 : row.getDouble(CORRECT_SUM) / correct,
          incorrect == 0 ? 0.0 : row.getDouble(INCORRECT_SUM) / incorrect);
    }

    private static double orNaN(Row row, int i) {
      return row.isNullAt(i) ? Double.NaN : row.getDouble(i);
    }
  }
}
