package io.github.rlvrdiagnostics.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.rlvrdiagnostics.cli.CliRun;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Pass@k reduced on Spark equals {@code rlvr-diag passk --samples} on the same file (every key of
 * its JSON, to 1e-12), through the API for any partitioning and through {@code reduce samples}.
 */
class SamplesPassAtKTest {
  private static SparkSession spark;
  @TempDir static Path dir;
  private static Path perSample;
  private static Path perProblem;

  @BeforeAll
  static void start() throws IOException {
    spark = LocalSpark.session();
    Random random = new Random(21);
    List<String> samples = new ArrayList<>();
    List<String> problems = new ArrayList<>();
    for (int t = 0; t < 40; t++) {
      double p = t % 7 == 0 ? 0 : t % 5 == 0 ? 1 : random.nextDouble();
      int n = 8 + random.nextInt(9);
      int c = 0;
      for (int i = 0; i < n; i++) {
        boolean passed = random.nextDouble() < p;
        c += passed ? 1 : 0;
        samples.add(String.format(Locale.ROOT, "{\"task_id\": \"task-%d\", \"passed\": %s}", t, passed));
      }
      // Per-problem counts, split into two lines per task (pooled by both tools).
      problems.add(String.format(Locale.ROOT, "{\"task_id\": \"task-%d\", \"n\": %d, \"c\": %d}", t, n - 4, Math.max(0, c - 4)));
      problems.add(String.format(Locale.ROOT, "{\"task_id\": \"task-%d\", \"n\": 4, \"c\": %d}", t, Math.min(4, c)));
    }
    // Bad lines both tools skip: no passed, no task id, not JSON.
    samples.add(5, "{\"task_id\": \"task-1\"}");
    samples.add(17, "{\"passed\": true}");
    samples.add(30, "this is not json");
    perSample = Files.write(dir.resolve("samples.jsonl"), samples);
    perProblem = Files.write(dir.resolve("problems.jsonl"), problems);
  }

  static void assertSameJson(JsonNode expected, JsonNode actual, String path) {
    if (expected.isNumber()) {
      double e = expected.asDouble();
      double a = actual.asDouble();
      assertTrue(actual.isNumber() && Math.abs(e - a) <= 1e-12 * Math.max(1, Math.abs(e)),
          path + ": expected " + expected + ", was " + actual);
      return;
    }
    if (expected.isObject()) {
      for (Iterator<Map.Entry<String, JsonNode>> it = expected.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> e = it.next();
        assertTrue(actual.has(e.getKey()), path + "." + e.getKey() + " is missing in " + actual);
        assertSameJson(e.getValue(), actual.get(e.getKey()), path + "." + e.getKey());
      }
      return;
    }
    assertEquals(expected, actual, path);
  }

  /** The API's result against every number of {@code passk --samples --json}. */
  static void assertSameAsPassk(JsonNode passk, SamplesPassAtK result) {
    assertEquals(passk.get("problems").asInt(), result.dataset().problems());
    assertEquals(passk.get("samples").asLong(), result.samples());
    assertEquals(passk.get("passed").asLong(), result.passed());
    result.dataset().passAtK().forEach((k, v) -> close(passk.get("passAtK").get(String.valueOf(k)), v, "pass@" + k));
    result.passAllK().forEach((k, v) -> close(passk.get("passAllK").get(String.valueOf(k)), v, "pass^" + k));
    assertEquals(passk.get("passAtK").size(), result.dataset().passAtK().size());
    assertEquals(passk.get("groupSize").asInt(), result.dataset().groupSize());
    close(passk.get("degenerateFraction"), result.dataset().degenerateFraction().getAsDouble(), "degenerateFraction");
    close(passk.get("advantageVariance"), result.dataset().advantageVariance().getAsDouble(), "advantageVariance");
    close(passk.get("allPassFraction"), result.signal().orElseThrow().allPassFraction(), "allPassFraction");
    close(passk.get("allFailFraction"), result.signal().orElseThrow().allFailFraction(), "allFailFraction");
    close(passk.get("expectedSamplingCost"), result.signal().orElseThrow().expectedSamplingCost().getAsDouble(),
        "expectedSamplingCost");
  }

  private static void close(JsonNode expected, double actual, String what) {
    assertTrue(expected != null && expected.isNumber(), what + " missing in passk's JSON");
    assertTrue(Math.abs(expected.asDouble() - actual) <= 1e-12 * Math.max(1, Math.abs(actual)),
        what + ": passk " + expected + ", Spark " + actual);
  }

  @ParameterizedTest(name = "{0} partitions")
  @ValueSource(ints = {1, 3, 17})
  void perSampleResultsEqualPasskSamplesForAnyPartitioning(int partitions) {
    JsonNode passk = CliRun.json("passk", "--samples", perSample.toString(), "--k", "1,2,8", "--group-size", "4");
    Dataset<Row> frame = spark.read().json(perSample.toString()).repartition(partitions);
    SamplesPassAtK result = SparkDiagnostics.passAtK(frame, new int[] {1, 2, 8}, 4);
    assertSameAsPassk(passk, result);
    assertEquals(3, result.skippedRecords());
    assertEquals(40, result.problems().size());
  }

  @Test
  void reduceSamplesPrintsTheKeysOfPasskSamples() {
    JsonNode passk = CliRun.json("passk", "--samples", perSample.toString(), "--k", "1,4", "--group-size", "8");
    JsonNode reduce = CliRun.json("reduce", "samples", perSample.toString(), "--k", "1,4", "--group-size", "8",
        "--per-problem");
    assertSameJson(passk, reduce, "$");
    assertEquals(3, reduce.get("skippedRecords").asLong());
    assertEquals(40, reduce.get("perProblem").size());
    assertEquals("task-0", reduce.get("perProblem").get(0).get("task_id").asText());
  }

  @Test
  void perProblemCountsArePooledAsPasskSamplesPoolsThem() {
    JsonNode passk = CliRun.json("passk", "--samples", perProblem.toString(), "--k", "1,2,4", "--group-size", "2");
    JsonNode reduce = CliRun.json("reduce", "samples", perProblem.toString(), "--k", "1,2,4", "--group-size", "2");
    assertSameJson(passk, reduce, "$");
    assertEquals(0, reduce.get("skippedRecords").asLong());
  }

  @Test
  void withoutAGroupSizeOnlyPassAtK() {
    SamplesPassAtK result = SparkDiagnostics.passAtK(spark.read().json(perSample.toString()), 1, 3);
    assertTrue(result.signal().isEmpty());
    assertEquals(List.of(1, 3), List.copyOf(result.dataset().passAtK().keySet()));
  }

  @Test
  void aKAboveSomeProblemsNIsBadInputNamingTheProblem() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> SparkDiagnostics.passAtK(spark.read().json(perSample.toString()), 1, 100));
    assertTrue(e.getMessage().startsWith("k must be <= n of every problem"), e.getMessage());
    CliRun.assertBadInput("k must be <= n", "reduce", "samples", perSample.toString(), "--k", "100");
  }

  @Test
  void mixedKindsAreRefusedNamingTheFirstLineOfTheOtherKind() throws IOException {
    Path mixed = Files.write(dir.resolve("mixed.jsonl"), List.of(
        "{\"task_id\": \"a\", \"passed\": true}",
        "not json",
        "{\"task_id\": \"a\", \"passed\": false}",
        "{\"task_id\": \"b\", \"n\": 4, \"c\": 1}",
        "{\"task_id\": \"c\", \"n\": 4, \"c\": 3}"));
    CliRun.assertBadInput(mixed + ":4: a per-problem line (\"n\", \"c\") in a file of per-sample lines",
        "reduce", "samples", mixed.toString(), "--k", "1");
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> SparkDiagnostics.passAtK(spark.read().json(mixed.toString()), 1));
    assertTrue(e.getMessage().startsWith("samples mix 2 per-sample records"), e.getMessage());
  }

  @Test
  void skippedRecordsAreCountedByReason() {
    JsonNode reduce = CliRun.json("reduce", "samples", perSample.toString(), "--k", "1");
    JsonNode reasons = reduce.get("skippedReasons");
    assertEquals(1, reasons.get("malformed JSON line").asLong(), reasons.toString());
    assertEquals(1, reasons.get("no task_id").asLong(), reasons.toString());
    assertEquals(1, reasons.get("passed missing or not true/false/0/1").asLong(), reasons.toString());
  }

  @Test
  void missingColumnsAreBadInputNamingThem() {
    Dataset<Row> frame = spark.read().json(perSample.toString());
    IllegalArgumentException noResult = assertThrows(IllegalArgumentException.class,
        () -> SparkDiagnostics.passAtK(frame.drop("passed"), 1));
    assertTrue(noResult.getMessage().startsWith("samples must have a column 'passed'"), noResult.getMessage());
    IllegalArgumentException noTask = assertThrows(IllegalArgumentException.class,
        () -> SparkDiagnostics.passAtK(frame.drop("task_id"), 1));
    assertTrue(noTask.getMessage().startsWith("samples must have a column 'task_id'"), noTask.getMessage());
    IllegalArgumentException noK = assertThrows(IllegalArgumentException.class,
        () -> SparkDiagnostics.passAtK(frame, new int[0], 0));
    assertEquals("ks must hold at least one k, was empty", noK.getMessage());
  }
}
