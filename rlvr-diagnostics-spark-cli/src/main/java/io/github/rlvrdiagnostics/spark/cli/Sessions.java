package io.github.rlvrdiagnostics.spark.cli;

import java.util.function.Function;
import org.apache.spark.sql.SparkSession;
import org.jspecify.annotations.Nullable;

/** The Spark session a reduce command runs on, and quiet logging for the command line. */
final class Sessions {
  private Sessions() {}

  /** The master without {@code --master} and without {@code spark-submit}: all local cores. */
  static final String LOCAL = "local[*]";

  /**
   * Runs {@code work} on a session: the one already running in this JVM (a test's, or the one
   * {@code spark-submit} started), left running afterwards; else a new one on {@code master}
   * (or {@code spark.master} as {@code spark-submit} sets it, or {@link #LOCAL}), stopped afterwards.
   */
  static <T> T run(@Nullable String master, Function<SparkSession, T> work) {
    if (System.getProperty("log4j2.configurationFile") == null) {
      System.setProperty("log4j2.configurationFile", "classpath:io/github/rlvrdiagnostics/spark/cli/log4j2-quiet.properties");
    }
    SparkSession existing = SparkSession.getActiveSession().isDefined()
        ? SparkSession.getActiveSession().get()
        : SparkSession.getDefaultSession().isDefined() ? SparkSession.getDefaultSession().get() : null;
    if (existing != null && master == null) {
      return work.apply(existing);
    }
    SparkSession spark = SparkSession.builder()
        .appName("rlvr-diag reduce")
        .master(master != null ? master : System.getProperty("spark.master", LOCAL))
        .config("spark.ui.enabled", "false")
        .getOrCreate();
    try {
      return work.apply(spark);
    } finally {
      if (spark != existing) {
        spark.stop();
      }
    }
  }
}
