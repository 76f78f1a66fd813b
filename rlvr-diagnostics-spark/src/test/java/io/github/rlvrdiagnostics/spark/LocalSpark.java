package io.github.rlvrdiagnostics.spark;

import org.apache.spark.sql.SparkSession;

/**
 * The test session: {@code local[2]}, few shuffle partitions, no UI. One per test class
 * (started in {@code @BeforeAll}, stopped in {@code @AfterAll}), since starting Spark costs seconds.
 */
public final class LocalSpark {
  private LocalSpark() {}

  public static SparkSession start() {
    return SparkSession.builder()
        .appName("rlvr-diagnostics-spark tests")
        .master("local[2]")
        .config("spark.ui.enabled", "false")
        .config("spark.sql.shuffle.partitions", "3")
        .config("spark.driver.host", "127.0.0.1")
        .getOrCreate();
  }
}
