package io.github.rlvrdiagnostics.djl;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Model;
import ai.djl.ndarray.BaseNDManager;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.LambdaBlock;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;
import ai.djl.training.initializer.NormalInitializer;
import io.github.rlvrdiagnostics.api.AdvantageEstimator;
import io.github.rlvrdiagnostics.api.TrainingLog;
import io.github.rlvrdiagnostics.core.diagnostic.TrainingMonitor;
import io.github.rlvrdiagnostics.logs.TrainingLogs;
import java.lang.reflect.Field;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A tiny policy learns a trivial verifiable task under the reference loop. */
class GrpoTrainerTest {
  private static final int VOCAB = 8;

  @TempDir Path dir;

  /** Bigram policy: the one-hot of each token through a dense layer gives the next-token logits. */
  static Block bigram() {
    SequentialBlock block = new SequentialBlock();
    block.add(new LambdaBlock(list -> new NDList(list.head().oneHot(VOCAB))));
    block.add(Linear.builder().setUnits(VOCAB).build());
    block.setInitializer(new NormalInitializer(0.01f), ai.djl.nn.Parameter.Type.WEIGHT);
    return block;
  }

  static Model model(String name) {
    // The initial weights come from the engine's global generator: seeded here, so that what other
    // tests in the same JVM drew before does not decide whether this run learns.
    ai.djl.engine.Engine.getInstance().setRandomSeed(11);
    Model model = Model.newInstance(name);
    model.setBlock(bigram());
    model.getBlock().initialize(model.getNDManager(), DataType.FLOAT32, new Shape(1, 1));
    return model;
  }

  /** Reward 1 when the first generated token is the prompt's token plus one (mod V). */
  static final Verifier SUCCESSOR = (prompt, completion) -> completion[0] == (prompt[0] + 1) % VOCAB ? 1.0 : 0.0;
  static final PromptSource PROMPTS = index -> new int[] {(int) (index * 5 % VOCAB)};

  /** One 60-step GRPO run from a fresh policy, with its metrics file. */
  private List<GrpoStepMetrics> train(long seed, Path metricsFile, List<GrpoStepMetrics> heard) {
    GrpoConfig config = GrpoConfig.builder().groupSize(8).promptsPerStep(8).maxNewTokens(2)
        .learningRate(0.1).plannedSteps(60).seed(seed).build();
    try (Model model = model("policy-" + seed);
        GrpoTrainer trainer = GrpoTrainer.builder(model, config, SUCCESSOR, PROMPTS)
            .passRates(prompt -> 1.0 / VOCAB) // only right for the untrained policy; used to exercise the field
            .listener(heard::add).metricsFile(metricsFile).build()) {
      List<GrpoStepMetrics> steps = trainer.train(60);
      assertEquals(60, trainer.stepsTaken());
      return steps;
    }
  }

  private static double meanReward(List<GrpoStepMetrics> steps, int from, int to) {
    return steps.subList(from, to).stream().mapToDouble(GrpoStepMetrics::reward).average().orElseThrow();
  }

  @Test
  void rewardRisesAndTheMetricsFileIsWritten() {
    // RL from one seed can stall (a group that never finds the successor token early); the loop is
    // judged on three seeds, of which at least two must solve the task, as a bigram can exactly.
    int solved = 0;
    StringBuilder seen = new StringBuilder();
    for (long seed = 7; seed <= 9; seed++) {
      Path metricsFile = dir.resolve("metrics-" + seed + ".jsonl");
      List<GrpoStepMetrics> heard = new ArrayList<>();
      List<GrpoStepMetrics> steps = train(seed, metricsFile, heard);
      double first = meanReward(steps, 0, 5);
      double last = meanReward(steps, 55, 60);
      seen.append(String.format(java.util.Locale.ROOT, " seed %d: %.3f -> %.3f;", seed, first, last));
      assertTrue(first < 0.35, "first steps' reward " + first + " (chance is 1/8)");
      assertEquals(steps, heard);
      if (last > 0.8) {
        solved++;
        assertTrue(steps.get(59).entropy() < steps.get(0).entropy(), "entropy should fall as the policy sharpens");
      }
      TrainingLog log = TrainingLogs.read(metricsFile);
      assertEquals(60, log.steps().size());
      assertTrue(log.steps().get(0).entropy().isPresent() && log.steps().get(0).degenerateFraction().isPresent());
      assertTrue(log.steps().get(0).predictedDegenerateFraction().isPresent());
      assertEquals(8, log.steps().get(0).groups().getAsInt());
    }
    assertTrue(solved >= 2, "at least two of three seeds should solve the task:" + seen);
  }

  @Test
  void everyOptionRunsTogether() throws Exception {
    GrpoConfig config = GrpoConfig.builder().groupSize(4).promptsPerStep(4).maxNewTokens(3).learningRate(0.02)
        .plannedSteps(6).updatesPerBatch(2).advantage(AdvantageEstimator.RLOO, 0).clip(GrpoConfig.ClipPreset.HIGHER)
        .aggregation(GrpoConfig.LossAggregation.SEQ_MEAN_TOKEN_MEAN).klBeta(0.05)
        .adaptiveEntropy(0.01, 5.0, 0.005, 0.0, 0.05)
        .positiveAdvantageReweighting(GrpoConfig.ParSchedule.STAGE, 4, 0.2, 0.05)
        .randPosClip(0.1).clipCov(0.2, -10, 10).klCov(0.2, 1.0).inverseSuccessCalibration(1.0)
        .optimizer(GrpoConfig.OptimizerKind.MOMENTUM).topP(0.95).seed(3).build();
    try (Model reference = model("reference"); Model model = model("policy");
        GrpoTrainer trainer = GrpoTrainer.builder(model, config, SUCCESSOR, PROMPTS).reference(reference.getBlock()).build()) {
      List<GrpoStepMetrics> steps = trainer.train(6);
      assertEquals(0.0, steps.get(0).parLambda()); // stage-based: λ = 0 in the first half
      assertTrue(steps.get(5).parLambda() > 0);
      assertTrue(steps.get(0).entropyCoefficient() > 0); // entropy below the target 5.0: the bonus applies
      assertTrue(steps.stream().allMatch(s -> Double.isFinite(s.kl()) && s.kl() >= 0));
    }
  }

  @Test
  void distributionCalibrationTrainsTheMemoryAndFeedsTheMonitor() {
    GrpoConfig config = GrpoConfig.builder().groupSize(4).promptsPerStep(4).maxNewTokens(2).learningRate(0.05)
        .plannedSteps(5).seed(11).build();
    io.github.rlvrdiagnostics.core.diagnostic.TrainingMonitor monitor = io.github.rlvrdiagnostics.core.diagnostic.TrainingMonitor.create(
        io.github.rlvrdiagnostics.api.TriageConfig.DEFAULT.withTau(10.0));
    try (Model memory = model("memory"); Model model = model("policy")) {
      float[] before = memory.getBlock().getParameters().valueAt(0).getArray().toFloatArray();
      try (GrpoTrainer trainer = GrpoTrainer.builder(model, config, SUCCESSOR, PROMPTS)
          .distributionCalibration(memory, 1.0, 0.05).monitor(monitor).build()) {
        trainer.train(5);
      }
      float[] after = memory.getBlock().getParameters().valueAt(0).getArray().toFloatArray();
      assertTrue(!java.util.Arrays.equals(before, after), "the memory model was not trained");
    }
    // tau = 10 nats is above any 8-token entropy (ln 8 = 2.08): the monitor saw the first step's entropy.
    assertEquals(io.github.rlvrdiagnostics.api.AlertKind.ENTROPY_BELOW_TAU, monitor.alerts().get(0).kind());
    assertEquals(1, monitor.alerts().get(0).step());
  }

  @Test
  void allDegenerateStepsLeaveThePolicyUntouched() {
    GrpoConfig config = GrpoConfig.builder().groupSize(4).promptsPerStep(2).maxNewTokens(2).seed(5).build();
    try (Model model = model("policy");
        GrpoTrainer trainer = GrpoTrainer.builder(model, config, (p, c) -> 0.0, PROMPTS).build()) {
      float[] before = model.getBlock().getParameters().valueAt(0).getArray().toFloatArray();
      List<GrpoStepMetrics> steps = trainer.train(3);
      assertTrue(steps.stream().allMatch(s -> s.degenerateFraction() == 1.0));
      assertTrue(java.util.Arrays.equals(before, model.getBlock().getParameters().valueAt(0).getArray().toFloatArray()));
    }
  }

  /**
   * A metrics file that cannot be opened (here a directory) fails the build and leaves no DJL
   * trainer open on either model: neither the policy's nor the DLC memory model's.
   */
  @Test
  void aMetricsFileThatCannotBeOpenedLeavesNoTrainerOpen() throws Exception {
    GrpoConfig config = GrpoConfig.builder().groupSize(4).promptsPerStep(2).maxNewTokens(2).seed(5).build();
    try (Model memory = model("memory"); Model model = model("policy")) {
      int policyBefore = openSubManagers(model.getNDManager());
      int memoryBefore = openSubManagers(memory.getNDManager());
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
          () -> GrpoTrainer.builder(model, config, SUCCESSOR, PROMPTS).distributionCalibration(memory, 1.0, 0.05)
              .metricsFile(dir).build());
      assertTrue(e.getMessage().contains(dir.toString()), e.getMessage());
      assertEquals(policyBefore, openSubManagers(model.getNDManager()), "the policy's trainer was left open");
      assertEquals(memoryBefore, openSubManagers(memory.getNDManager()), "the memory model's trainer was left open");
    }
  }

  /** close() closes the DJL trainers, the DLC memory and every listener once, even when a listener's close fails. */
  @Test
  void closeClosesEveryPartOnceEvenWhenOneFails() throws Exception {
    GrpoConfig config = GrpoConfig.builder().groupSize(4).promptsPerStep(2).maxNewTokens(2).seed(5).build();
    Path metricsFile = dir.resolve("metrics.jsonl");
    AtomicInteger closes = new AtomicInteger();
    GrpoListener counting = new GrpoListener() {
      @Override
      public void onStep(GrpoStepMetrics metrics) {}

      @Override
      public void close() {
        closes.incrementAndGet();
      }
    };
    GrpoListener failing = new GrpoListener() {
      @Override
      public void onStep(GrpoStepMetrics metrics) {}

      @Override
      public void close() {
        throw new IllegalStateException("listener cannot close");
      }
    };
    try (Model memory = model("memory"); Model model = model("policy")) {
      int policyBefore = openSubManagers(model.getNDManager());
      int memoryBefore = openSubManagers(memory.getNDManager());
      GrpoTrainer trainer = GrpoTrainer.builder(model, config, SUCCESSOR, PROMPTS)
          .distributionCalibration(memory, 1.0, 0.05).listener(counting).listener(failing).metricsFile(metricsFile)
          .build();
      assertEquals(policyBefore + 1, openSubManagers(model.getNDManager()));
      assertEquals(memoryBefore + 1, openSubManagers(memory.getNDManager()));
      trainer.step();
      IllegalStateException e = assertThrows(IllegalStateException.class, trainer::close);
      assertEquals("listener cannot close", e.getMessage());
      assertEquals(1, closes.get());
      assertEquals(policyBefore, openSubManagers(model.getNDManager()), "the policy's trainer was left open");
      assertEquals(memoryBefore, openSubManagers(memory.getNDManager()), "the memory model's trainer was left open");
      trainer.close();
      assertEquals(1, closes.get(), "close must be idempotent");
      assertEquals(1, Files.readAllLines(metricsFile).size());
      assertThrows(IllegalStateException.class, trainer::step);
    }
  }

  @Test
  void theMetricsFileRefusesAStepAfterClose() {
    Path metricsFile = dir.resolve("closed.jsonl");
    JsonlMetricsListener listener = JsonlMetricsListener.open(metricsFile);
    GrpoStepMetrics m = new GrpoStepMetrics(1, 0.5, 0.25, OptionalDouble.empty(), OptionalDouble.empty(), 4, 1.0, 0.9, 0, 0, 0, 0,
        OptionalDouble.of(-0.1), OptionalDouble.empty(), 0, 1);
    listener.onStep(m);
    listener.close();
    listener.close();
    assertThrows(IllegalStateException.class, () -> listener.onStep(m));
    TrainingLog log = TrainingLogs.read(metricsFile);
    assertEquals(1, log.steps().size());
    assertEquals(0.25, log.steps().get(0).degenerateFraction().getAsDouble());
  }

  @Test
  void theDlcMemoryClosesItsTrainerOnce() throws Exception {
    try (Model memory = model("memory")) {
      int before = openSubManagers(memory.getNDManager());
      DlcMemory dlc = new DlcMemory(memory, 1.0, 0.05);
      assertEquals(before + 1, openSubManagers(memory.getNDManager()));
      assertArrayEquals(new float[] {0.5f, 0.5f}, dlc.calibrate(new float[] {2, 0}, new float[] {1.5f, -0.5f}), 1e-6f);
      dlc.close();
      dlc.close();
      assertEquals(before, openSubManagers(memory.getNDManager()));
      try (NDManager scope = memory.getNDManager().newSubManager()) {
        NDArray tokens = scope.zeros(new Shape(1, 2), DataType.INT64);
        assertThrows(IllegalStateException.class, () -> dlc.train(tokens, tokens.get(":, 1:"), 1));
      }
    }
  }

  /** The open child managers of {@code manager}: every DJL trainer holds one of its model's. */
  private static int openSubManagers(NDManager manager) throws ReflectiveOperationException {
    Field resources = BaseNDManager.class.getDeclaredField("resources");
    resources.setAccessible(true);
    Map<?, ?> children = (Map<?, ?>) resources.get(manager);
    int open = 0;
    for (Object child : children.values()) {
      if (child instanceof NDManager m && m.isOpen()) {
        open++;
      }
    }
    return open;
  }

  @Test
  void misuseIsRejected() {
    try (Model model = model("policy")) {
      GrpoConfig kl = GrpoConfig.builder().klBeta(0.1).build();
      assertThrows(IllegalArgumentException.class, () -> GrpoTrainer.builder(model, kl, SUCCESSOR, PROMPTS).build());
      GrpoTrainer trainer = GrpoTrainer.builder(model, GrpoConfig.builder().groupSize(2).promptsPerStep(2).build(),
          SUCCESSOR, index -> new int[(int) (index % 2) + 1]).build();
      assertThrows(IllegalArgumentException.class, trainer::step);
      trainer.close();
      trainer.close();
      assertThrows(IllegalStateException.class, trainer::step);
    }
    try (Model empty = Model.newInstance("empty")) {
      empty.setBlock(bigram());
      assertThrows(IllegalArgumentException.class,
          () -> GrpoTrainer.builder(empty, GrpoConfig.builder().build(), SUCCESSOR, PROMPTS));
    }
  }

  /**
   * Pre-RL counts per prompt give each step the unbiased prediction from samples: here prompts
   * with token 0 had 3 of 16 samples pass and every other prompt 16 of 16, so a step's prediction
   * is the mean of P̂_deg(16, 3, 4) = C(13,4)/C(16,4) = 715/1820 and P̂_deg(16, 16, 4) = 1.
   */
  @Test
  void preRlSamplesGiveEachStepItsPredictionFromSamples() {
    GrpoConfig config = GrpoConfig.builder().groupSize(4).promptsPerStep(8).maxNewTokens(1)
        .learningRate(0.1).plannedSteps(3).seed(3).build();
    java.util.function.Function<int[], java.util.Optional<io.github.rlvrdiagnostics.api.ProblemSamples>> counts =
        prompt -> java.util.Optional.of(io.github.rlvrdiagnostics.api.ProblemSamples.of(16, prompt[0] == 0 ? 3 : 16));
    try (Model model = model("policy");
        GrpoTrainer trainer = GrpoTrainer.builder(model, config, SUCCESSOR, PROMPTS).preRlSamples(counts).build()) {
      for (GrpoStepMetrics m : trainer.train(3)) {
        long zeros = 0;
        for (int j = 0; j < 8; j++) {
          zeros += PROMPTS.prompt((m.step() - 1) * 8 + j)[0] == 0 ? 1 : 0;
        }
        double expected = (zeros * (715.0 / 1820) + (8 - zeros) * 1.0) / 8;
        assertEquals(expected, m.preRlPredictedDegenerateFraction().getAsDouble(), 1e-12);
      }
    }
    try (Model model = model("policy2");
        GrpoTrainer trainer = GrpoTrainer.builder(model, config, SUCCESSOR, PROMPTS)
            .preRlSamples(prompt -> java.util.Optional.empty()).build()) {
      assertTrue(trainer.step().preRlPredictedDegenerateFraction().isEmpty());
    }
  }
}
