package io.github.rlvrdiagnostics.spark;

import static org.apache.spark.sql.functions.col;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.github.rlvrdiagnostics.core.rollout.CalibrationGap;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.junit.jupiter.api.Test;

/** Each per-record rule's SQL form agrees with its Java form (the home) on the edge values. */
class RecordRulesTest {
  private static final Double[] VALUES = {null, Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, 0.0,
      -0.0, 1.0, -1.0, 0.5, 1.5, 1.0 + Math.ulp(1.0), -Double.MIN_VALUE, Double.MIN_VALUE, -1e-300,
      Double.MAX_VALUE, -Double.MAX_VALUE};

  /** The SQL rule over every value, null read as NaN as the record path reads it. */
  private static List<Boolean> sql(Column rule) {
    SparkSession spark = LocalSpark.session();
    List<Row> rows = new ArrayList<>();
    for (Double v : VALUES) {
      rows.add(RowFactory.create(v));
    }
    Dataset<Row> frame = spark.createDataFrame(rows,
        DataTypes.createStructType(List.of(DataTypes.createStructField("x", DataTypes.DoubleType, true))))
        .coalesce(1);
    return frame.select(rule).collectAsList().stream().map(r -> r.isNullAt(0) ? null : r.getBoolean(0)).toList();
  }

  private static double javaValue(Double v) {
    return v == null ? Double.NaN : v;
  }

  @Test
  void rewardRule() {
    assertEquals(Arrays.stream(VALUES).map(v -> RecordRules.rewardOk(javaValue(v))).toList(),
        sql(RecordRules.rewardOk(col("x"))));
  }

  @Test
  void logProbRuleWithoutTokens() {
    assertEquals(Arrays.stream(VALUES).map(v -> !Double.isNaN(RecordRules.meanTokenLogProb(javaValue(v), 0))).toList(),
        sql(RecordRules.logProbOk(col("x"))));
  }

  @Test
  void passRateRule() {
    assertEquals(Arrays.stream(VALUES).map(v -> RecordRules.passRateOk(javaValue(v))).toList(),
        sql(RecordRules.passRateOk(col("x"))));
  }

  @Test
  void correctAndBinaryForFiniteRewards() {
    List<Boolean> correct = sql(RecordRules.isCorrect(col("x")));
    List<Boolean> binary = sql(RecordRules.isBinary(col("x")));
    for (int i = 0; i < VALUES.length; i++) {
      if (VALUES[i] != null && Double.isFinite(VALUES[i])) {
        assertEquals(CalibrationGap.isCorrect(VALUES[i]), correct.get(i), "isCorrect " + VALUES[i]);
        assertEquals(VALUES[i] == 0.0 || VALUES[i] == 1.0, binary.get(i), "isBinary " + VALUES[i]);
      }
    }
  }
}
