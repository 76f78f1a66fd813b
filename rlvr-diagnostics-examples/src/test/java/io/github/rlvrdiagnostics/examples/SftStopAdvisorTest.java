package io.github.rlvrdiagnostics.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Model;
import ai.djl.metric.Metrics;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.LambdaBlock;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.EasyTrain;
import ai.djl.training.Trainer;
import ai.djl.training.dataset.ArrayDataset;
import ai.djl.training.initializer.NormalInitializer;
import ai.djl.training.listener.TrainingListener;
import ai.djl.training.loss.Loss;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import com.fasterxml.jackson.databind.JsonNode;
import io.github.rlvrdiagnostics.api.SamplingConfig;
import io.github.rlvrdiagnostics.api.TriageConfig;
import io.github.rlvrdiagnostics.cli.CliRun;
import io.github.rlvrdiagnostics.core.diagnostic.Ladders;
import io.github.rlvrdiagnostics.djl.CompletionSampler;
import io.github.rlvrdiagnostics.djl.DjlEntropyEvaluator;
import io.github.rlvrdiagnostics.djl.SftProbe;
import io.github.rlvrdiagnostics.djl.SftRecommendation;
import io.github.rlvrdiagnostics.djl.SftStopAdvisor;
import io.github.rlvrdiagnostics.djl.Verifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The SFT stop advisor on a DJL training loop it does not know: {@code EasyTrain.fit} on a bigram
 * model learning "next token = token + 1 (mod 8)", the advisor attached as a training listener;
 * its ladder file, read back by {@code rlvr-diag triage}, gives the advisor's own picks.
 */
class SftStopAdvisorTest {
  private static final int VOCAB = 8;
  private static final int G = 4;
  private static final Verifier SUCCESSOR = (prompt, completion) -> completion[0] == (prompt[0] + 1) % VOCAB ? 1.0 : 0.0;

  /** Cross-entropy of the next token, as the examples' SFT trainer computes it. */
  private static final Loss CROSS_ENTROPY = new Loss("loss") {
    @Override
    public NDArray evaluate(NDList labels, NDList predictions) {
      NDArray logP = predictions.singletonOrThrow().logSoftmax(-1);
      NDArray oneHot = labels.singletonOrThrow().oneHot(VOCAB).toType(logP.getDataType(), false);
      return logP.mul(oneHot).sum(new int[] {-1}).mean().neg();
    }
  };

  @TempDir Path dir;

  private record Run(SftStopAdvisor advisor, Metrics metrics, Path ladder, String evaluations) {}

  private Run train(String name) throws Exception {
    List<int[]> probePrompts = new ArrayList<>();
    for (int p = 0; p < VOCAB; p++) {
      probePrompts.add(new int[] {p});
    }
    Path ladder = dir.resolve(name + "-ladder.json");
    TriageConfig triage = TriageConfig.DEFAULT.withGroupSize(G);
    SftStopAdvisor advisor = SftStopAdvisor.builder(probePrompts, SUCCESSOR,
            CompletionSampler.autoregressive(SamplingConfig.ofTemperature(1.0), 1, 7))
        .triage(triage).samplesPerPrompt(8).everySteps(3).ladderFile(ladder).saveTo(dir.resolve(name + "-models")).seed(5)
        .build();
    try (Model model = Model.newInstance(name)) {
      SequentialBlock block = new SequentialBlock();
      block.add(new LambdaBlock(list -> new NDList(list.head().oneHot(VOCAB))));
      block.add(Linear.builder().setUnits(VOCAB).build());
      block.setInitializer(new NormalInitializer(0.01f), ai.djl.nn.Parameter.Type.WEIGHT);
      model.setBlock(block);
      NDManager manager = model.getNDManager();
      long[] x = new long[48];
      long[] y = new long[48];
      for (int i = 0; i < x.length; i++) {
        x[i] = i * 5 % VOCAB;
        y[i] = (x[i] + 1) % VOCAB;
      }
      ArrayDataset data = new ArrayDataset.Builder().setData(manager.create(x, new Shape(x.length, 1)))
          .optLabels(manager.create(y, new Shape(y.length, 1))).setSampling(8, false).build();
      DefaultTrainingConfig config = new DefaultTrainingConfig(CROSS_ENTROPY)
          .optOptimizer(Optimizer.adam().optLearningRateTracker(Tracker.fixed(0.05f)).build())
          .addEvaluator(DjlEntropyEvaluator.of(SamplingConfig.ofTemperature(1.0)))
          .addTrainingListeners(TrainingListener.Defaults.basic())
          .addTrainingListeners(advisor);
      Metrics metrics = new Metrics();
      try (Trainer trainer = model.newTrainer(config)) {
        trainer.setMetrics(metrics);
        trainer.initialize(new Shape(1, 1));
        EasyTrain.fit(trainer, 4, data, null);
        return new Run(advisor, metrics, ladder, trainer.getTrainingResult().getEvaluations().toString());
      }
    }
  }

  @Test
  void easyTrainWithTheAdvisorWritesALadderThatTriagePicksFromAsTheApiDoes() throws Exception {
    Run run = train("bigram");
    SftStopAdvisor advisor = run.advisor();
    List<String> names = advisor.probes().stream().map(SftProbe::name).toList();
    // 6 batches per epoch, a probe every 3 steps: the one on each epoch's last batch is the epoch's point.
    assertEquals(List.of("step-3", "epoch-1", "step-9", "epoch-2", "step-15", "epoch-3", "step-21", "epoch-4"), names);
    SftProbe first = advisor.probes().get(0);
    SftProbe last = advisor.probes().get(advisor.probes().size() - 1);
    assertTrue(last.passAt1() > first.passAt1() && last.entropy() < first.entropy(), first + " -> " + last);
    assertTrue(Files.isDirectory(last.savedTo().orElseThrow()));
    assertEquals(8, run.metrics().getMetric(SftStopAdvisor.ENTROPY_METRIC).size());
    assertTrue(run.evaluations().contains("train_entropy"), run.evaluations());

    SftRecommendation recommendation = advisor.recommendation().orElseThrow();
    assertEquals(Ladders.analyze(advisor.ladder(), TriageConfig.DEFAULT.withGroupSize(G)).signalPick(),
        recommendation.report().signalPick());
    JsonNode triage = CliRun.json("triage", "--ladder", run.ladder().toString(), "-g", String.valueOf(G));
    assertEquals(recommendation.signalPick().name(), triage.get("signalPick").asText());
    assertEquals(recommendation.stage1Pick().map(SftProbe::name).orElse(null),
        triage.get("triagePick").isNull() ? null : triage.get("triagePick").asText());
    JsonNode checkpoints = triage.get("checkpoints");
    assertEquals(names.size(), checkpoints.size());
    for (int i = 0; i < checkpoints.size(); i++) {
      assertEquals(recommendation.report().checkpoints().get(i).signalFlag(), checkpoints.get(i).get("signalFlag").asBoolean());
      assertEquals(5, checkpoints.get(i).get("seed").asLong());
    }
    assertFalse(recommendation.signalPick().signal().predictedDegenerateFraction() > 0.5
        && advisor.probes().stream().anyMatch(p -> p.signal().predictedDegenerateFraction() <= 0.5));

    // Seeded: the same training gives the same ladder file.
    Run again = train("bigram");
    assertEquals(Files.readString(run.ladder()), Files.readString(again.ladder()));
  }
}
