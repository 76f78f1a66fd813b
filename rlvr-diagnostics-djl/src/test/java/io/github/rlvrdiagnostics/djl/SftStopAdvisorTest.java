package io.github.rlvrdiagnostics.djl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import io.github.rlvrdiagnostics.api.Aggregation;
import io.github.rlvrdiagnostics.api.SamplingConfig;
import io.github.rlvrdiagnostics.api.TriageConfig;
import io.github.rlvrdiagnostics.core.diagnostic.Ladders;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The advisor's probe, its checks, and the entropy evaluator, on the bigram policy of the GRPO tests. */
class SftStopAdvisorTest {
  private static final List<int[]> PROMPTS = List.of(new int[] {0}, new int[] {3}, new int[] {5});
  private static final CompletionSampler SAMPLER = CompletionSampler.autoregressive(SamplingConfig.ofTemperature(1.0), 1, 3);

  @TempDir Path dir;

  @Test
  void aProbeMeasuresTheModelAndWritesTheLadder() throws Exception {
    Path ladder = dir.resolve("ladder.json");
    SftStopAdvisor advisor = SftStopAdvisor.builder(PROMPTS, GrpoTrainerTest.SUCCESSOR, SAMPLER)
        .triage(TriageConfig.DEFAULT.withGroupSize(4)).samplesPerPrompt(6).ladderFile(ladder).seed(11).build();
    assertTrue(advisor.recommendation().isEmpty());
    try (Model model = GrpoTrainerTest.model("advisor")) {
      SftProbe probe = advisor.probeNow(model);
      assertEquals("epoch-1", probe.name());
      assertEquals(DjlPromptEntropyProbe.of(model, SamplingConfig.ofTemperature(1.0)).aggregate(PROMPTS, Aggregation.MEAN),
          probe.entropy(), 0.0);
      assertEquals(3, probe.samples().size());
      probe.samples().forEach(s -> assertEquals(6, s.n()));
      assertEquals(4, probe.signal().groupSize());
      assertEquals(probe.signal().meanPassRate(), probe.passAt1(), 0.0);
      assertEquals("epoch-2", advisor.probeNow(model).name());
    }
    SftRecommendation r = advisor.recommendation().orElseThrow();
    assertEquals(Ladders.analyze(advisor.ladder(), TriageConfig.DEFAULT.withGroupSize(4)).signalPick().orElseThrow(),
        r.signalPick().name());
    assertEquals(11, advisor.ladder().get(0).seed());
    String text = Files.readString(ladder);
    assertTrue(text.contains("\"name\" : \"epoch-2\"") && text.contains("\"samples\""), text);
  }

  @Test
  void badSettingsAndABadVerifierAreNamed() throws Exception {
    assertThrows(IllegalArgumentException.class, () -> SftStopAdvisor.builder(List.of(), GrpoTrainerTest.SUCCESSOR, SAMPLER));
    assertThrows(IllegalArgumentException.class,
        () -> SftStopAdvisor.builder(List.of(new int[0]), GrpoTrainerTest.SUCCESSOR, SAMPLER));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> SftStopAdvisor.builder(PROMPTS, GrpoTrainerTest.SUCCESSOR, SAMPLER).samplesPerPrompt(4).build());
    assertTrue(e.getMessage().contains("samplesPerPrompt must be >= groupSize = 8"), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> SftStopAdvisor.builder(PROMPTS, GrpoTrainerTest.SUCCESSOR, SAMPLER)
        .atEpochs(0));
    assertThrows(IllegalArgumentException.class, () -> SftStopAdvisor.builder(PROMPTS, GrpoTrainerTest.SUCCESSOR, SAMPLER)
        .everySteps(-1));
    SftStopAdvisor halfReward = SftStopAdvisor.builder(PROMPTS, (p, c) -> 0.5, SAMPLER).build();
    SftStopAdvisor shortSampler = SftStopAdvisor.builder(PROMPTS, GrpoTrainerTest.SUCCESSOR, (m, p, n) -> new int[1][1]).build();
    try (Model model = GrpoTrainerTest.model("bad")) {
      e = assertThrows(IllegalArgumentException.class, () -> halfReward.probeNow(model));
      assertTrue(e.getMessage().contains("verifier must return 0 or 1"), e.getMessage());
      assertThrows(IllegalStateException.class, () -> shortSampler.probeNow(model));
    }
  }

  @Test
  void theEvaluatorAveragesTheProbesEntropiesOverEveryPosition() throws Exception {
    DjlEntropyEvaluator evaluator = DjlEntropyEvaluator.of(SamplingConfig.ofTemperature(1.0));
    assertEquals("entropy", evaluator.getName());
    try (Model model = GrpoTrainerTest.model("evaluator")) {
      NDArray logits = model.getNDManager().randomNormal(new ai.djl.ndarray.types.Shape(2, 3, 8));
      double[] h = DjlEntropyProbe.ofTemperature(1.0).entropies(logits);
      double mean = java.util.Arrays.stream(h).average().orElseThrow();
      assertEquals(mean, evaluator.evaluate(new NDList(), new NDList(logits)).getFloat(), 1e-6);
      evaluator.addAccumulator("train");
      assertTrue(Float.isNaN(evaluator.getAccumulator("train")));
      evaluator.updateAccumulators(new String[] {"train"}, new NDList(), new NDList(logits));
      evaluator.updateAccumulator("train", new NDList(), new NDList(logits.get("0")));
      double expected = (java.util.Arrays.stream(h).sum() + h[0] + h[1] + h[2]) / 9;
      assertEquals(expected, evaluator.getAccumulator("train"), 1e-6);
      evaluator.resetAccumulator("train");
      assertTrue(Float.isNaN(evaluator.getAccumulator("train")));
      assertThrows(IllegalArgumentException.class, () -> evaluator.getAccumulator("validate"));
    }
  }
}
