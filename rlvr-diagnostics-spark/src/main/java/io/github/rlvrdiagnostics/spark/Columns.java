package io.github.rlvrdiagnostics.spark;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.when;

import java.util.Arrays;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.NumericType;
import org.apache.spark.sql.types.StructType;

/**
 * The input columns and their type rules, checked on the schema before any job runs so that a
 * missing column or a wrong type is one message naming the column, not a failed task.
 */
final class Columns {
  private Columns() {}

  static final String STEP = "step";
  static final String PROMPT_ID = "prompt_id";
  static final String GROUP_ID = "group_id";
  static final String REWARD = "reward";
  static final String TOKENS = "tokens";
  static final String LOGPROB = "logprob";
  static final String PASS_RATE = "pass_rate";
  static final String TASK_ID = "task_id";
  static final String PASSED = "passed";
  static final String N = "n";
  static final String C = "c";
  /** Where Spark's JSON reader puts a line it cannot parse (PERMISSIVE mode). */
  static final String CORRUPT = "_corrupt_record";

  /**
   * Why {@link SparkDiagnostics#read} left a record out, as the text of its {@link SkipReason}:
   * a line Spark could not parse, or a line read marked (a duplicate key); null for the others.
   */
  static Column skipReason(StructType schema) {
    Column reason = has(schema, SkipReason.COLUMN) ? col(SkipReason.COLUMN) : lit(null).cast(DataTypes.StringType);
    return has(schema, CORRUPT) ? when(col(CORRUPT).isNotNull(), lit(SkipReason.MALFORMED_JSON.text())).otherwise(reason)
        : reason;
  }

  static boolean has(StructType schema, String name) {
    return Arrays.asList(schema.fieldNames()).contains(name);
  }

  /** Requires a column; {@code what} names the input ("rollouts", "samples"). */
  static DataType require(StructType schema, String what, String name, String kind) {
    if (!has(schema, name)) {
      throw new IllegalArgumentException(what + " must have a column '" + name + "' (" + kind + "); the columns are "
          + Arrays.toString(schema.fieldNames()));
    }
    return schema.apply(name).dataType();
  }

  static boolean integral(DataType type) {
    return type.equals(DataTypes.LongType) || type.equals(DataTypes.IntegerType)
        || type.equals(DataTypes.ShortType) || type.equals(DataTypes.ByteType);
  }

  /** Checks an integer column (long, int, short or byte). */
  static void integer(StructType schema, String name) {
    check(schema, name, integral(schema.apply(name).dataType()), "integers (long)");
  }

  /** Checks a number column (any numeric type; read as double). */
  static void number(StructType schema, String name) {
    check(schema, name, schema.apply(name).dataType() instanceof NumericType, "numbers (double)");
  }

  /** Checks an id column: strings, or integers read as their decimal strings. */
  static void id(StructType schema, String name) {
    DataType type = schema.apply(name).dataType();
    check(schema, name, type.equals(DataTypes.StringType) || integral(type), "strings");
  }

  /** Checks a boolean column: booleans, or integers 0 and 1. */
  static void bool(StructType schema, String name) {
    DataType type = schema.apply(name).dataType();
    check(schema, name, type.equals(DataTypes.BooleanType) || integral(type), "booleans");
  }

  /** Checks an array-of-integers column. */
  static void tokens(StructType schema, String name) {
    DataType type = schema.apply(name).dataType();
    boolean ok = type instanceof ArrayType array && integral(array.elementType());
    check(schema, name, ok, "arrays of integers (array<int>)");
  }

  private static void check(StructType schema, String name, boolean ok, String kind) {
    if (!ok) {
      throw new IllegalArgumentException("column '" + name + "' must hold " + kind + ", holds "
          + schema.apply(name).dataType().simpleString());
    }
  }
}
