package io.github.rlvrdiagnostics.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.rlvrdiagnostics.api.AdvantageEstimator;
import io.github.rlvrdiagnostics.api.TrainingStep;
import io.github.rlvrdiagnostics.core.diagnostic.TrainingMonitor;
import io.github.rlvrdiagnostics.core.rollout.Advantages;
import io.github.rlvrdiagnostics.core.rollout.CalibrationGap;
import io.github.rlvrdiagnostics.core.rollout.DegenerateGroups;
import io.github.rlvrdiagnostics.core.rollout.DistinctN;
import io.github.rlvrdiagnostics.core.rollout.LogProbAdvantageCovariance;
import io.github.rlvrdiagnostics.core.rollout.SelfBleu;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.TreeMap;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The Spark reduction of rollout records equals the single-JVM reduction of the same records with
 * the core accumulators (each group folded into its own accumulators, merged with their
 * {@code combine}) to 1e-12, for binary and non-binary rewards, with and without tokens,
 * log-probabilities and pass rates, whatever the partitioning.
 */
class RolloutTableTest {
  private static final double TOLERANCE = 1e-12;
  private static SparkSession spark;

  @BeforeAll
  static void start() {
    spark = LocalSpark.session();
  }

  /** The same step as the reference reduction computes it. */
  private record Expected(long groups, long rollouts, double meanReward, double min, double max, double degenerate,
      OptionalDouble allPass, OptionalDouble allFail, OptionalDouble predicted, OptionalDouble distinct2,
      OptionalDouble selfBleu, OptionalDouble gap, OptionalDouble covariance, boolean binary,
      double[][] groupRewards, double[] passRates) {}

  /** The single-JVM reduction: groups in first-seen order, each reduced alone, then combined. */
  static Map<Long, Expected> reference(Rollouts data) {
    Map<Long, Map<String, List<Rollouts.Rec>>> steps = new TreeMap<>();
    for (Rollouts.Rec r : data.records()) {
      String group = r.groupId() != null ? r.groupId() : r.promptId();
      steps.computeIfAbsent(r.step(), k -> new LinkedHashMap<>()).computeIfAbsent(group, k -> new ArrayList<>()).add(r);
    }
    Map<Long, Expected> expected = new TreeMap<>();
    steps.forEach((step, groups) -> {
      DegenerateGroups degenerate = DegenerateGroups.empty();
      DistinctN distinct = DistinctN.empty(2);
      SelfBleu bleu = SelfBleu.empty();
      CalibrationGap gap = CalibrationGap.empty();
      LogProbAdvantageCovariance cov = LogProbAdvantageCovariance.empty();
      double sum = 0;
      long count = 0;
      double min = Double.POSITIVE_INFINITY;
      double max = Double.NEGATIVE_INFINITY;
      List<double[]> groupRewards = new ArrayList<>();
      List<Double> passRates = new ArrayList<>();
      for (List<Rollouts.Rec> group : groups.values()) {
        double[] rewards = group.stream().mapToDouble(Rollouts.Rec::reward).toArray();
        groupRewards.add(rewards);
        DegenerateGroups d = DegenerateGroups.empty();
        if (data.passRates()) {
          d.accept(rewards, group.get(0).passRate());
          passRates.add(group.get(0).passRate());
        } else {
          d.accept(rewards);
        }
        degenerate.combine(d);
        for (double r : rewards) {
          sum += r;
          count++;
          min = Math.min(min, r);
          max = Math.max(max, r);
        }
        DistinctN dn = DistinctN.empty(2);
        SelfBleu sb = SelfBleu.empty();
        CalibrationGap g = CalibrationGap.empty();
        LogProbAdvantageCovariance c = LogProbAdvantageCovariance.empty();
        double[] advantages = Advantages.compute(AdvantageEstimator.GRPO_SAMPLE_STD, new double[][] {rewards},
            Advantages.DEFAULT_EPSILON)[0];
        for (int i = 0; i < group.size(); i++) {
          Rollouts.Rec r = group.get(i);
          if (data.tokens()) {
            dn.accept(r.tokens());
            sb.accept(r.tokens());
          }
          if (data.logProbs()) {
            c.accept(r.logProb(), advantages[i]);
            g.accept(data.tokens() ? r.logProb() / r.tokens().length : r.logProb(), CalibrationGap.isCorrect(rewards[i]));
          }
        }
        distinct.combine(dn);
        bleu.combine(sb);
        gap.combine(g);
        cov.combine(c);
      }
      expected.put(step, new Expected(degenerate.groups(), count, sum / count, min, max,
          degenerate.value().getAsDouble(), degenerate.allPassFraction(), degenerate.allFailFraction(),
          degenerate.predictedFraction(), data.tokens() ? distinct.value() : OptionalDouble.empty(),
          data.tokens() ? bleu.value() : OptionalDouble.empty(), data.logProbs() ? gap.value() : OptionalDouble.empty(),
          data.logProbs() ? cov.value() : OptionalDouble.empty(), degenerate.binaryRewards(),
          groupRewards.toArray(new double[0][]), passRates.stream().mapToDouble(Double::doubleValue).toArray()));
    });
    return expected;
  }

  static void assertClose(double expected, double actual, String what) {
    assertTrue(Math.abs(expected - actual) <= TOLERANCE * Math.max(1, Math.abs(expected)),
        what + ": expected " + expected + ", was " + actual);
  }

  static void assertClose(OptionalDouble expected, OptionalDouble actual, String what) {
    assertEquals(expected.isPresent(), actual.isPresent(), what + " present: expected " + expected + ", was " + actual);
    if (expected.isPresent()) {
      assertClose(expected.getAsDouble(), actual.getAsDouble(), what);
    }
  }

  static void assertMatches(Map<Long, Expected> expected, RolloutTable table) {
    assertEquals(expected.keySet(), table.steps().stream().map(RolloutStep::step).collect(java.util.stream.Collectors.toSet()));
    for (RolloutStep s : table.steps()) {
      Expected e = expected.get(s.step());
      String at = "step " + s.step() + " ";
      assertEquals(e.groups(), s.groups(), at + "groups");
      assertEquals(e.rollouts(), s.rollouts(), at + "rollouts");
      assertClose(e.meanReward(), s.meanReward(), at + "meanReward");
      assertEquals(e.min(), s.rewardMin(), at + "rewardMin");
      assertEquals(e.max(), s.rewardMax(), at + "rewardMax");
      assertEquals(e.degenerate(), s.degenerateFraction(), at + "degenerateFraction");
      assertClose(e.allPass(), s.allPassFraction(), at + "allPassFraction");
      assertClose(e.allFail(), s.allFailFraction(), at + "allFailFraction");
      assertClose(e.predicted(), s.predictedDegenerateFraction(), at + "predictedDegenerateFraction");
      assertClose(e.distinct2(), s.distinct2(), at + "distinct2");
      assertClose(e.selfBleu(), s.selfBleu(), at + "selfBleu");
      assertClose(e.gap(), s.calibrationGap(), at + "calibrationGap");
      assertClose(e.covariance(), s.logProbAdvantageCovariance(), at + "logProbAdvantageCovariance");
      assertEquals(e.binary(), s.binaryRewards(), at + "binaryRewards");
      // The monitor's own step builder agrees on what it computes from the same groups.
      TrainingStep fromGroups = TrainingMonitor.stepFromGroups(s.step(), e.groupRewards(), e.passRates()).build();
      assertEquals(fromGroups.degenerateFraction().getAsDouble(), s.degenerateFraction(), at + "monitor degenerate");
      assertClose(fromGroups.reward().getAsDouble(), s.meanReward(), at + "monitor reward");
      assertClose(fromGroups.predictedDegenerateFraction(), s.predictedDegenerateFraction(), at + "monitor predicted");
    }
  }

  private static RolloutTable reduce(Rollouts data, int partitions) {
    spark.conf().set("spark.sql.shuffle.partitions", String.valueOf(partitions));
    try {
      return SparkDiagnostics.rolloutTable(data.frame(spark, partitions));
    } finally {
      spark.conf().set("spark.sql.shuffle.partitions", "3");
    }
  }

  @ParameterizedTest(name = "binary={0}, optional columns={1}, {2} partitions")
  @CsvSource({
    "true, true, 1", "true, true, 3", "true, true, 17",
    "false, true, 1", "false, true, 3", "false, true, 17",
    "true, false, 1", "true, false, 3", "true, false, 17",
    "false, false, 1", "false, false, 3", "false, false, 17"})
  void equalsTheSingleJvmReduction(boolean binary, boolean optional, int partitions) {
    Rollouts data = Rollouts.generate(7, 6, 9, 4, binary, optional, optional, optional);
    RolloutTable table = reduce(data, partitions);
    assertEquals(6, table.steps().size());
    assertEquals(0, table.skippedRecords());
    assertEquals(optional, table.tokens());
    assertMatches(reference(data), table);
    if (!binary) {
      assertTrue(table.steps().stream().anyMatch(s -> !s.binaryRewards()), "partial credit must show");
      table.steps().stream().filter(s -> !s.binaryRewards())
          .forEach(s -> assertTrue(s.allPassFraction().isEmpty() && s.predictedDegenerateFraction().isEmpty()));
    }
  }

  @Test
  void tokensWithoutLogProbsAndLogProbsWithoutTokens() {
    Rollouts tokensOnly = Rollouts.generate(8, 3, 5, 3, true, false, true, false);
    assertMatches(reference(tokensOnly), reduce(tokensOnly, 3));
    Rollouts logProbsOnly = Rollouts.generate(9, 3, 5, 3, true, true, false, true);
    RolloutTable table = reduce(logProbsOnly, 3);
    assertMatches(reference(logProbsOnly), table);
    assertTrue(table.steps().get(0).distinct2().isEmpty());
    assertTrue(table.steps().get(0).logProbAdvantageCovariance().isPresent());
  }

  @Test
  void groupIdSplitsAPromptIntoGroupsAndDefaultsToThePrompt() {
    List<Rollouts.Rec> records = new ArrayList<>();
    // prompt a: two groups of two (one all-pass, one mixed); prompt b: one group without group_id (all fail).
    records.add(new Rollouts.Rec(3L, "a", "a-1", 1.0, null, null, null));
    records.add(new Rollouts.Rec(3L, "a", "a-1", 1.0, null, null, null));
    records.add(new Rollouts.Rec(3L, "a", "a-2", 1.0, null, null, null));
    records.add(new Rollouts.Rec(3L, "a", "a-2", 0.0, null, null, null));
    records.add(new Rollouts.Rec(3L, "b", null, 0.0, null, null, null));
    records.add(new Rollouts.Rec(3L, "b", null, 0.0, null, null, null));
    RolloutTable table = reduce(new Rollouts(records, false, false, false), 3);
    RolloutStep step = table.steps().get(0);
    assertEquals(3, step.groups());
    assertEquals(2.0 / 3, step.degenerateFraction());
    assertEquals(OptionalDouble.of(1.0 / 3), step.allPassFraction());
    assertEquals(OptionalDouble.of(1.0 / 3), step.allFailFraction());
  }

  @Test
  void badRecordsAreSkippedAndCounted() {
    Rollouts good = Rollouts.generate(11, 4, 6, 4, true, true, true, true);
    Rollouts.Rec[] bad = {
      new Rollouts.Rec(1L, "prompt-0", null, null, new int[] {1, 2}, -1.0, 0.5), // no reward
      new Rollouts.Rec(1L, "prompt-0", null, Double.NaN, new int[] {1, 2}, -1.0, null), // NaN reward
      new Rollouts.Rec(1L, "prompt-x", null, 1.0, new int[] {1, 2}, 0.5, 0.5), // positive log-probability
      new Rollouts.Rec(2L, "prompt-x", null, 1.0, new int[] {1, 2}, null, 0.5), // no log-probability
      new Rollouts.Rec(2L, "prompt-y", null, 1.0, new int[0], -1.0, 0.5), // empty tokens
      new Rollouts.Rec(2L, "prompt-y", null, 1.0, null, -1.0, 0.5), // no tokens
      new Rollouts.Rec(2L, "prompt-z", null, 1.0, new int[] {1}, -1.0, 1.5), // pass rate above 1
      new Rollouts.Rec(2L, null, null, 1.0, new int[] {1}, -1.0, 0.5), // no prompt
      new Rollouts.Rec(-4L, "prompt-0", null, 1.0, new int[] {1}, -1.0, 0.5), // negative step
    };
    RolloutTable table = reduce(good.with(bad), 3);
    assertEquals(bad.length, table.skippedRecords());
    Map<String, Long> reasons = new LinkedHashMap<>();
    reasons.put("negative step", 1L);
    reasons.put("no prompt_id (nor group_id)", 1L);
    reasons.put("reward missing or not finite", 2L);
    reasons.put("tokens missing, empty, with a null or beyond int range", 2L);
    reasons.put("logprob missing, positive or not finite", 2L);
    reasons.put("pass_rate outside [0, 1]", 1L);
    assertEquals(reasons, table.skippedReasons());
    assertEquals(List.copyOf(reasons.keySet()), List.copyOf(table.skippedReasons().keySet()), "in the report's order");
    assertMatches(reference(good), table);
  }

  /** Without tokens the aggregate path checks the records: the same rules, reasons and order. */
  @Test
  void badRecordsWithoutTokensAreSkippedAndCounted() {
    Rollouts good = Rollouts.generate(15, 4, 6, 4, true, true, false, true);
    Rollouts.Rec[] bad = {
      new Rollouts.Rec(1L, "prompt-0", null, null, null, -1.0, 0.5), // no reward
      new Rollouts.Rec(1L, "prompt-0", null, Double.POSITIVE_INFINITY, null, -1.0, null), // infinite reward
      new Rollouts.Rec(1L, "prompt-x", null, 1.0, null, 0.5, 0.5), // positive log-probability
      new Rollouts.Rec(2L, "prompt-x", null, 1.0, null, null, 0.5), // no log-probability
      new Rollouts.Rec(2L, "prompt-x", null, 0.0, null, Double.NEGATIVE_INFINITY, 0.5), // infinite log-probability
      new Rollouts.Rec(2L, "prompt-z", null, 1.0, null, -1.0, -0.5), // pass rate below 0
      new Rollouts.Rec(2L, null, null, 1.0, null, Double.NaN, 0.5), // no prompt (before the log-probability)
      new Rollouts.Rec(-4L, "prompt-0", null, Double.NaN, null, -1.0, 0.5), // negative step (before the reward)
    };
    RolloutTable table = reduce(good.with(bad), 3);
    assertEquals(bad.length, table.skippedRecords());
    Map<String, Long> reasons = new LinkedHashMap<>();
    reasons.put("negative step", 1L);
    reasons.put("no prompt_id (nor group_id)", 1L);
    reasons.put("reward missing or not finite", 2L);
    reasons.put("logprob missing, positive or not finite", 3L);
    reasons.put("pass_rate outside [0, 1]", 1L);
    assertEquals(reasons, table.skippedReasons());
    assertMatches(reference(good), table);
  }

  /** Integer prompt ids group as their decimal strings do (the aggregate path keeps them as longs). */
  @Test
  void integerPromptIdsGroupAsTheirText() {
    Rollouts data = Rollouts.generate(16, 3, 7, 5, false, true, false, true);
    Dataset<Row> numbered = data.frame(spark, 3).drop("group_id")
        .withColumn("prompt_id", functions.substring_index(functions.col("prompt_id"), "-", -1).cast("int"));
    assertMatches(reference(data), SparkDiagnostics.rolloutTable(numbered));
  }

  @Test
  void aLargeStepsSelfBleuIsTheSeededSampleWhateverThePartitioning() {
    List<Rollouts.Rec> records = new ArrayList<>();
    java.util.Random random = new java.util.Random(5);
    SelfBleu local = SelfBleu.empty();
    for (int i = 0; i < 1_100; i++) {
      int[] tokens = new int[2 + random.nextInt(6)];
      for (int j = 0; j < tokens.length; j++) {
        tokens[j] = random.nextInt(12);
      }
      local.accept(tokens);
      records.add(new Rollouts.Rec(3L, "p" + (i / 8), null, (double) random.nextInt(2), tokens, null, null));
    }
    Rollouts data = new Rollouts(records, false, true, false);
    double expected = local.sampledValue(SparkDiagnostics.SELF_BLEU_PAIRS, SparkDiagnostics.SELF_BLEU_SEED).getAsDouble();
    for (int partitions : new int[] {1, 5}) {
      RolloutTable table = reduce(data, partitions);
      assertClose(expected, table.steps().get(0).selfBleu().getAsDouble(), "sampled Self-BLEU, " + partitions);
    }
    RolloutTable small = SparkDiagnostics.rolloutTable(data.frame(spark, 2), 1_100L * 1_099, 1);
    assertClose(local.value().getAsDouble(), small.steps().get(0).selfBleu().getAsDouble(), "exact within the budget");
    assertThrows(IllegalArgumentException.class, () -> SparkDiagnostics.rolloutTable(data.frame(spark, 1), 0, 1));
  }

  /**
   * With tokens, the stage that computes each step's values (Self-BLEU is quadratic in a step's
   * rollouts) runs as at least as many tasks as the session has cores, rather than the one task
   * that adaptive execution makes of a few small merged states. Seen through a listener: the
   * reduction's last stage (its result stage) and its task count.
   */
  @Test
  void theTokenStageRunsOnEveryCore() throws InterruptedException {
    int cores = spark.sparkContext().defaultParallelism();
    assertTrue(cores >= 2, "the test session has " + cores + " cores");
    Rollouts data = Rollouts.generate(12, 6, 4, 4, true, false, true, false);
    StageTasks listener = new StageTasks();
    Dataset<Row> frame = data.frame(spark, 3);
    spark.sparkContext().addSparkListener(listener);
    try {
      spark.sparkContext().setJobGroup(StageTasks.REDUCTION, "the reduction", false);
      assertEquals(6, SparkDiagnostics.rolloutTable(frame).steps().size());
      // Listener events arrive after the action returns, in order: once a later marker job has
      // ended on the listener's queue, every job of the reduction has been seen.
      spark.sparkContext().setJobGroup(StageTasks.MARKER, "marker", false);
      spark.range(1).count();
      assertTrue(listener.markerEnded.await(60, java.util.concurrent.TimeUnit.SECONDS), "the marker job was not seen");
      assertFalse(listener.stages.isEmpty(), "no stage of the reduction was seen");
      int resultTasks = listener.stages.lastEntry().getValue(); // the highest stage id
      assertTrue(resultTasks >= cores,
          "the token stage ran as " + resultTasks + " tasks on " + cores + " cores: " + listener.stages);
    } finally {
      spark.sparkContext().clearJobGroup();
      spark.sparkContext().removeSparkListener(listener);
    }
  }

  /**
   * The task count of each stage of the jobs in one job group (adaptive execution carries the
   * group to the jobs it submits from its own threads), and the end of a marker job.
   */
  private static final class StageTasks extends org.apache.spark.scheduler.SparkListener {
    static final String REDUCTION = "reduction";
    static final String MARKER = "marker";
    final java.util.concurrent.ConcurrentSkipListMap<Integer, Integer> stages = new java.util.concurrent.ConcurrentSkipListMap<>();
    final java.util.concurrent.CountDownLatch markerEnded = new java.util.concurrent.CountDownLatch(1);
    private final java.util.Set<Integer> markerJobs = java.util.concurrent.ConcurrentHashMap.newKeySet();

    @Override
    public void onJobStart(org.apache.spark.scheduler.SparkListenerJobStart start) {
      String group = start.properties() == null ? null : start.properties().getProperty("spark.jobGroup.id");
      if (REDUCTION.equals(group)) {
        scala.jdk.javaapi.CollectionConverters.asJava(start.stageInfos())
            .forEach(info -> stages.put(info.stageId(), info.numTasks()));
      } else if (MARKER.equals(group)) {
        markerJobs.add(start.jobId());
      }
    }

    @Override
    public void onJobEnd(org.apache.spark.scheduler.SparkListenerJobEnd end) {
      if (markerJobs.contains(end.jobId())) {
        markerEnded.countDown();
      }
    }
  }

  @Test
  void recordsThatDisagreeOnTheirPromptsPassRateAreSkipped() {
    List<Rollouts.Rec> records = new ArrayList<>();
    records.add(new Rollouts.Rec(0L, "a", null, 1.0, null, null, 0.2));
    records.add(new Rollouts.Rec(0L, "a", null, 0.0, null, null, 0.3));
    records.add(new Rollouts.Rec(0L, "b", null, 1.0, null, null, 0.4));
    RolloutTable table = reduce(new Rollouts(records, true, false, false), 1);
    assertEquals(2, table.skippedRecords());
    assertEquals(Map.of("a group's records disagree on pass_rate", 2L), table.skippedReasons());
    assertEquals(1, table.steps().get(0).groups());
  }

  @Test
  void aRecordWithoutAStepIsBadInputNamingTheColumn() {
    Rollouts data = Rollouts.generate(12, 2, 2, 2, true, false, false, false)
        .with(new Rollouts.Rec(null, "p", null, 1.0, null, null, null));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> reduce(data, 3));
    assertTrue(e.getMessage().contains("'step'") && e.getMessage().contains("1 records"), e.getMessage());
  }

  @Test
  void missingColumnsAndWrongTypesAreBadInputNamingTheColumn() {
    Dataset<Row> frame = Rollouts.generate(13, 2, 2, 2, true, false, false, false).frame(spark, 1);
    IllegalArgumentException missing = assertThrows(IllegalArgumentException.class,
        () -> SparkDiagnostics.rolloutTable(frame.drop("reward")));
    assertTrue(missing.getMessage().startsWith("rollouts must have a column 'reward'"), missing.getMessage());
    IllegalArgumentException text = assertThrows(IllegalArgumentException.class,
        () -> SparkDiagnostics.rolloutTable(frame.withColumn("reward", functions.lit("high"))));
    assertEquals("column 'reward' must hold numbers (double), holds string", text.getMessage());
    IllegalArgumentException fractional = assertThrows(IllegalArgumentException.class,
        () -> SparkDiagnostics.rolloutTable(frame.withColumn("step", functions.lit(1.5))));
    assertTrue(fractional.getMessage().startsWith("column 'step' must hold integers"), fractional.getMessage());
    IllegalArgumentException tokens = assertThrows(IllegalArgumentException.class,
        () -> SparkDiagnostics.rolloutTable(frame.withColumn("tokens", functions.lit("a b c"))));
    assertTrue(tokens.getMessage().startsWith("column 'tokens' must hold arrays of integers"), tokens.getMessage());
  }

  @Test
  void theTrainingLogCarriesTheTable() {
    Rollouts data = Rollouts.generate(14, 5, 6, 4, true, true, false, false);
    RolloutTable table = reduce(data, 3);
    var log = SparkDiagnostics.trainingLog(table);
    assertEquals(5, log.steps().size());
    for (int i = 0; i < 5; i++) {
      TrainingStep step = log.steps().get(i);
      RolloutStep row = table.steps().get(i);
      assertEquals(row.step(), step.step());
      assertEquals(row.degenerateFraction(), step.degenerateFraction().getAsDouble());
      assertEquals(row.predictedDegenerateFraction(), step.predictedDegenerateFraction());
      assertEquals(row.meanReward(), step.reward().getAsDouble());
      assertEquals((int) row.groups(), step.groups().getAsInt());
      assertEquals(row.allPassFraction(), step.allPassFraction());
      assertEquals(row.allFailFraction(), step.allFailFraction());
      assertTrue(step.allPassFraction().isPresent()); // binary rewards: the split is known
    }
    assertFalse(log.groupSize().isPresent());
  }
}
