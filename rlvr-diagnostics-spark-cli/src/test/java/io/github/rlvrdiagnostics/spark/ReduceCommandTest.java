package io.github.rlvrdiagnostics.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.rlvrdiagnostics.api.Alert;
import io.github.rlvrdiagnostics.api.TriageConfig;
import io.github.rlvrdiagnostics.cli.CliRun;
import io.github.rlvrdiagnostics.core.diagnostic.TrainingMonitor;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code rlvr-diag reduce rollouts}: the rows it prints and writes are the API's, {@code monitor}
 * on the file it writes raises exactly the alerts of {@code TrainingMonitor} fed with
 * {@link SparkDiagnostics#trainingLog}, and bad input ends in one line and status 2.
 */
class ReduceCommandTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static SparkSession spark;
  @TempDir static Path dir;
  private static Path rollouts;
  private static Path nonBinary;

  @BeforeAll
  static void start() throws IOException {
    spark = LocalSpark.session();
    rollouts = write("rollouts.jsonl", Rollouts.generate(31, 30, 8, 4, true, true, true, true));
    nonBinary = write("partial-credit.jsonl", Rollouts.generate(32, 12, 8, 4, false, false, false, true));
  }

  private static Path write(String name, Rollouts data) {
    return RolloutFiles.jsonLines(dir.resolve(name), data);
  }

  @Test
  void monitorOnTheWrittenTableRaisesTheAlertsOfTheTrainingLog() throws IOException {
    Path out = dir.resolve("table.jsonl");
    JsonNode printed = CliRun.json("reduce", "rollouts", rollouts.toString(), "--out", out.toString());
    RolloutTable table = SparkDiagnostics.rolloutTable(spark.read().json(rollouts.toString()));
    assertEquals(table.steps().size(), printed.get("steps").size());
    assertEquals(0, printed.get("skippedRecords").asLong());
    List<String> written = Files.readAllLines(out);
    assertEquals(30, written.size());
    for (int i = 0; i < written.size(); i++) {
      JsonNode row = JSON.readTree(written.get(i));
      assertEquals(printed.get("steps").get(i), row);
      RolloutStep s = table.steps().get(i);
      assertEquals(s.step(), row.get("step").asLong());
      RolloutTableTest.assertClose(s.degenerateFraction(), row.get("degenerateFraction").asDouble(), "degenerate");
      RolloutTableTest.assertClose(s.selfBleu().getAsDouble(), row.get("selfBleu").asDouble(), "selfBleu");
      RolloutTableTest.assertClose(s.logProbAdvantageCovariance().getAsDouble(),
          row.get("logProbAdvantageCovariance").asDouble(), "covariance");
    }

    JsonNode monitor = CliRun.json("monitor", out.toString());
    TrainingMonitor direct = TrainingMonitor.create(TriageConfig.DEFAULT);
    SparkDiagnostics.trainingLog(table).steps().forEach(direct::accept);
    List<Alert> alerts = direct.alerts();
    assertFalse(alerts.isEmpty(), "the generated run should raise signal alerts");
    assertEquals(alerts.size(), monitor.get("alerts").size(), monitor.get("alerts").toString());
    for (int i = 0; i < alerts.size(); i++) {
      JsonNode a = monitor.get("alerts").get(i);
      assertEquals(alerts.get(i).step(), a.get("step").asLong());
      assertEquals(alerts.get(i).kind().name(), a.get("kind").asText());
      assertEquals(alerts.get(i).message(), a.get("message").asText());
    }
    assertEquals(30, monitor.get("steps").asInt());
    // The monitor reads the table's all-pass/all-fail split back under the same names.
    for (int i = 0; i < 30; i++) {
      RolloutStep s = table.steps().get(i);
      JsonNode step = monitor.get("series").get(i);
      assertEquals(s.allPassFraction().getAsDouble(), step.get("allPassFraction").asDouble());
      assertEquals(s.allFailFraction().getAsDouble(), step.get("allFailFraction").asDouble());
    }
  }

  @Test
  void nonBinaryRewardsAreReportedAsSuch() {
    CliRun run = CliRun.assertCleanExit("reduce", "rollouts", nonBinary.toString(), "--out",
        dir.resolve("partial.jsonl").toString());
    assertEquals(0, run.status(), run.err());
    assertTrue(run.out().contains("rewards outside {0, 1}"), run.out());
    assertTrue(run.out().contains("calibration gap"), run.out());
    JsonNode printed = CliRun.json("reduce", "rollouts", nonBinary.toString(), "--out",
        dir.resolve("partial.jsonl").toString());
    JsonNode first = printed.get("steps").get(0);
    assertFalse(first.get("binaryRewards").asBoolean());
    assertFalse(first.has("allPassFraction"));
    assertFalse(first.has("distinct2"));
  }

  @Test
  void badInputIsOneLineNamingTheColumn() throws IOException {
    Path noReward = Files.write(dir.resolve("no-reward.jsonl"),
        List.of("{\"step\": 1, \"prompt_id\": \"a\", \"score\": 1}"));
    String out = dir.resolve("x.jsonl").toString();
    CliRun.assertBadInput("rollouts must have a column 'reward'", "reduce", "rollouts", noReward.toString(), "--out", out);
    Path textStep = Files.write(dir.resolve("text-step.jsonl"),
        List.of("{\"step\": \"one\", \"prompt_id\": \"a\", \"reward\": 1}"));
    CliRun.assertBadInput("column 'step' must hold integers", "reduce", "rollouts", textStep.toString(), "--out", out);
    Path nullStep = Files.write(dir.resolve("null-step.jsonl"),
        List.of("{\"step\": 1, \"prompt_id\": \"a\", \"reward\": 1}", "{\"step\": null, \"prompt_id\": \"a\", \"reward\": 1}"));
    CliRun.assertBadInput("column 'step' must not be null", "reduce", "rollouts", nullStep.toString(), "--out", out);
    CliRun.assertBadInput("does not exist", "reduce", "rollouts", dir.resolve("missing.parquet").toString(), "--out", out);
    CliRun.assertBadInput("--out", "reduce", "rollouts", rollouts.toString());
    CliRun.assertBadInput("--k", "reduce", "samples", rollouts.toString());
  }

  @Test
  void aMalformedLineIsASkippedRecord() throws IOException {
    List<String> lines = new ArrayList<>(Files.readAllLines(rollouts));
    lines.add(3, "{\"step\": 2, \"prompt_id\": ");
    Path broken = Files.write(dir.resolve("broken.jsonl"), lines);
    JsonNode printed = CliRun.json("reduce", "rollouts", broken.toString(), "--out", dir.resolve("b.jsonl").toString());
    assertEquals(1, printed.get("skippedRecords").asLong());
    assertEquals(30, printed.get("steps").size());
  }

  @Test
  void parquetDirectoriesAndJsonLinesGiveTheSameTable() {
    Path parquet = dir.resolve("rollouts.parquet");
    spark.read().json(rollouts.toString()).repartition(4).write().parquet(parquet.toString());
    JsonNode fromJson = CliRun.json("reduce", "rollouts", rollouts.toString(), "--out", dir.resolve("j.jsonl").toString());
    JsonNode fromParquet = CliRun.json("reduce", "rollouts", parquet.toString(), "--out", dir.resolve("p.jsonl").toString());
    assertEquals(fromJson.get("steps").size(), fromParquet.get("steps").size());
    for (int i = 0; i < fromJson.get("steps").size(); i++) {
      JsonNode a = fromJson.get("steps").get(i);
      JsonNode b = fromParquet.get("steps").get(i);
      assertEquals(a.get("step"), b.get("step"));
      assertEquals(a.get("degenerateFraction"), b.get("degenerateFraction"));
      RolloutTableTest.assertClose(a.get("calibrationGap").asDouble(), b.get("calibrationGap").asDouble(), "gap");
      RolloutTableTest.assertClose(a.get("selfBleu").asDouble(), b.get("selfBleu").asDouble(), "selfBleu");
    }
  }

  @Test
  void aDuplicateKeyIsASkippedRecordWithItsReason() throws IOException {
    List<String> lines = new ArrayList<>(Files.readAllLines(rollouts));
    lines.add(5, "{\"step\": 2, \"step\": 3, \"prompt_id\": \"a\", \"reward\": 1}");
    lines.add(9, "{\"step\": 2, \"Step\": 3, \"prompt_id\": \"a\", \"reward\": 1}");
    lines.add(12, "{\"step\": 2, \"prompt_id\": ");
    Path dup = Files.write(dir.resolve("duplicate-key.jsonl"), lines);
    Path out = dir.resolve("d.jsonl");
    JsonNode printed = CliRun.json("reduce", "rollouts", dup.toString(), "--out", out.toString());
    assertEquals(3, printed.get("skippedRecords").asLong());
    assertEquals(2, printed.get("skippedReasons").get("duplicate key in a JSON line").asLong());
    assertEquals(1, printed.get("skippedReasons").get("malformed JSON line").asLong());
    assertEquals(30, printed.get("steps").size());
    CliRun text = CliRun.assertCleanExit("reduce", "rollouts", dup.toString(), "--out", out.toString());
    assertTrue(text.out().contains("3 records skipped: 1 malformed JSON line, 2 duplicate key in a JSON line"),
        text.out());
  }

  @Test
  void unreadableInputIsOneLine() throws IOException {
    String out = dir.resolve("u.jsonl").toString();
    Path parquet = dir.resolve("good.parquet");
    spark.read().json(rollouts.toString()).coalesce(1).write().parquet(parquet.toString());
    Path part;
    try (var files = Files.list(parquet)) {
      part = files.filter(f -> f.getFileName().toString().endsWith(".parquet")).findFirst().orElseThrow();
    }
    byte[] good = Files.readAllBytes(part);
    Path garbage = Files.write(dir.resolve("garbage.parquet"), "not a parquet file at all\n".repeat(10).getBytes());
    CliRun.assertBadInput("input cannot be read", "reduce", "rollouts", garbage.toString(), "--out", out);
    Path truncated = Files.write(dir.resolve("truncated.parquet"), java.util.Arrays.copyOf(good, good.length / 2));
    CliRun.assertBadInput("input cannot be read", "reduce", "rollouts", truncated.toString(), "--out", out);
    Path csv = Files.write(dir.resolve("rollouts.csv"), List.of("step,prompt_id,reward", "1,a,1"));
    CliRun.assertBadInput("input cannot be read", "reduce", "rollouts", csv.toString(), "--out", out);
    // Bytes flipped in the data pages (between the leading magic number and the footer).
    byte[] flipped = good.clone();
    for (int i = 8; i < flipped.length / 2; i += 7) {
      flipped[i] = (byte) ~flipped[i];
    }
    Path damaged = Files.write(dir.resolve("flipped.parquet"), flipped);
    CliRun.assertBadInput("input cannot be read", "reduce", "rollouts", damaged.toString(), "--out", out);
  }

  @Test
  void aMasterSparkRefusesIsOneLine() {
    String out = dir.resolve("m.jsonl").toString();
    CliRun.assertBadInput("--master must be", "reduce", "rollouts", rollouts.toString(), "--out", out,
        "--master", "bogus://x");
    CliRun.assertBadInput("--master must be", "reduce", "rollouts", rollouts.toString(), "--out", out,
        "--master", "local[0]");
    CliRun.assertBadInput("--master must be", "reduce", "samples", rollouts.toString(), "--k", "1",
        "--master", "local[-1]");
  }

  @Test
  void outNeverOverwritesTheInput() throws IOException {
    Path copy = Files.copy(rollouts, dir.resolve("precious.jsonl"));
    byte[] before = Files.readAllBytes(copy);
    CliRun.assertBadInput("is the input", "reduce", "rollouts", copy.toString(), "--out", copy.toString());
    CliRun.assertBadInput("is the input", "reduce", "rollouts", dir.resolve("prec*.jsonl").toString(), "--out",
        dir.resolve(".").resolve("precious.jsonl").toString());
    Path parquet = dir.resolve("in.parquet");
    spark.read().json(rollouts.toString()).write().parquet(parquet.toString());
    CliRun.assertBadInput("inside the input", "reduce", "rollouts", parquet.toString(), "--out",
        parquet.resolve("table.jsonl").toString());
    CliRun.assertBadInput("is a directory", "reduce", "rollouts", rollouts.toString(), "--out", dir.toString());
    assertTrue(java.util.Arrays.equals(before, Files.readAllBytes(copy)));
  }

  @Test
  void reduceWithoutASubcommandPrintsItsUsage() {
    CliRun run = CliRun.of("reduce");
    assertEquals(0, run.status());
    assertTrue(run.out().contains("rollouts") && run.out().contains("samples"), run.out());
  }
}
