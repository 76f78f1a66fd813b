package io.github.rlvrdiagnostics.spark;

import org.apache.spark.sql.SparkSession;

/**
 * The test session: {@code local[2]}, few shuffle partitions, no UI. One for all test classes of
 * the module (starting Spark costs seconds); Spark's shutdown hook stops it when the test JVM ends.
 */
public final class LocalSpark {
  private LocalSpark() {}

  private static SparkSession session;

  public static synchronized SparkSession session() {
    if (session == null) {
      session = SparkSession.builder()
          .appName("rlvr-diagnostics-spark tests")
          .master("local[2]")
          .config("spark.ui.enabled", "false")
          .config("spark.sql.shuffle.partitions", "3")
          .config("spark.driver.host", "127.0.0.1")
          .getOrCreate();
    }
    return session;
  }
}
