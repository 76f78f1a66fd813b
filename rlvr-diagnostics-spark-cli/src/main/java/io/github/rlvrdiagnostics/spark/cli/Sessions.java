package io.github.rlvrdiagnostics.spark.cli;

import io.github.rlvrdiagnostics.cli.InputException;
import java.io.File;
import java.util.Locale;
import java.util.function.Function;
import org.apache.spark.SparkConf;
import org.apache.spark.sql.SparkSession;
import org.jspecify.annotations.Nullable;

/**
 * The Spark session a reduce command runs on. Settings given by {@code spark-submit} or
 * {@code --conf} (Spark's system properties) are kept: only in local mode does the command name
 * the application and turn the UI off, and only where nothing set them.
 */
final class Sessions {
  private Sessions() {}

  /** The master without {@code --master} and without {@code spark-submit}: all local cores. */
  static final String LOCAL = "local[*]";

  /**
   * The system property naming the application jar ({@code target/rlvr-diag-spark.jar}), which
   * {@code ./rlvr-diag} sets: with a cluster master the executors need it ({@code spark.jars}).
   */
  static final String APP_JAR = "rlvr.diag.spark.jar";

  /**
   * Runs {@code work} on a session: the one already running in this JVM (a test's, or the one
   * {@code spark-submit} started), left running afterwards; else a new one on {@code master}
   * (or {@code spark.master} as {@code spark-submit} sets it, or {@link #LOCAL}), stopped afterwards.
   * A master Spark refuses is bad input of one line.
   */
  static <T> T run(@Nullable String master, Function<SparkSession, T> work) {
    // Outside spark-submit the command reports Spark's failures itself, in one line: Spark's own log stays off.
    if (System.getProperty("log4j2.configurationFile") == null && System.getProperty("SPARK_SUBMIT") == null) {
      System.setProperty("log4j2.configurationFile", "classpath:io/github/rlvrdiagnostics/spark/cli/log4j2-quiet.properties");
    }
    SparkSession existing = SparkSession.getActiveSession().isDefined()
        ? SparkSession.getActiveSession().get()
        : SparkSession.getDefaultSession().isDefined() ? SparkSession.getDefaultSession().get() : null;
    if (existing != null && master == null) {
      return work.apply(existing);
    }
    SparkSession spark = create(master);
    try {
      return work.apply(spark);
    } finally {
      if (spark != existing) {
        spark.stop();
      }
    }
  }

  private static SparkSession create(@Nullable String master) {
    SparkConf conf = new SparkConf(); // spark.* system properties: spark-submit's settings and --conf
    String url = master != null ? master : conf.get("spark.master", LOCAL);
    checkMaster(url);
    conf.setMaster(url);
    conf.setIfMissing("spark.app.name", "rlvr-diag reduce");
    if (isLocal(url)) {
      conf.setIfMissing("spark.ui.enabled", "false");
    } else {
      String jar = System.getProperty(APP_JAR);
      if (jar != null && !conf.get("spark.jars", "").contains(new File(jar).getName())) {
        if (!new File(jar).isFile()) {
          throw new InputException("--master " + url + ": the application jar " + jar + " is missing; build it "
              + "(mvn -pl rlvr-diagnostics-spark-cli -am package) or run through spark-submit");
        }
        String jars = conf.get("spark.jars", "");
        conf.set("spark.jars", jars.isEmpty() ? jar : jars + "," + jar);
      }
    }
    try {
      return SparkSession.builder().config(conf).getOrCreate();
    } catch (Exception e) { // SparkException is checked in Java's eyes
      // A master URL Spark cannot parse, local[0], an unreachable cluster: the settings are wrong, not the input.
      throw new InputException("--master " + url + ": " + firstLine(e.getMessage()));
    }
  }

  /** The master URLs Spark 4.1 accepts (its SparkContext's forms), so that a typo fails before Spark starts. */
  private static final java.util.regex.Pattern MASTER = java.util.regex.Pattern.compile(
      "local|local\\[(\\*|[1-9][0-9]*)(,[1-9][0-9]*)?]|local-cluster\\[[1-9][0-9]*,\\s*[1-9][0-9]*,\\s*[1-9][0-9]*]"
          + "|spark://.+|yarn|k8s://.+");

  /**
   * Checks a master URL's form (Spark itself still judges the rest, such as whether a cluster
   * answers).
   *
   * @throws InputException naming the forms, for anything else (a bad scheme, {@code local[0]})
   */
  static void checkMaster(String master) {
    if (!MASTER.matcher(master).matches()) {
      throw new InputException("--master must be local, local[N], local[*], local[N,F], spark://HOST:PORT, yarn or "
          + "k8s://URL (N >= 1), was '" + master + "'");
    }
  }

  /** Whether a master URL runs Spark inside this JVM. */
  static boolean isLocal(String master) {
    String m = master.toLowerCase(Locale.ROOT);
    return m.equals("local") || m.startsWith("local["); // local-cluster's executors are other JVMs
  }

  static String firstLine(@Nullable String message) {
    if (message == null) {
      return "refused by Spark";
    }
    String line = message.strip();
    int end = line.indexOf('\n');
    return end < 0 ? line : line.substring(0, end);
  }
}
