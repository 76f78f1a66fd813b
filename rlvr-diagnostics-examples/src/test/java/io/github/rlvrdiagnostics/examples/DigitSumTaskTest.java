package io.github.rlvrdiagnostics.examples;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.ConstantInitializer;
import io.github.rlvrdiagnostics.api.Aggregation;
import io.github.rlvrdiagnostics.api.SamplingConfig;
import io.github.rlvrdiagnostics.djl.DjlPromptEntropyProbe;
import io.github.rlvrdiagnostics.djl.SftTrainer;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The built-in task, its policy and SFT: the pieces of the ladder experiment. */
class DigitSumTaskTest {

  @Test
  void verifierTeacherAndAnswerCounts() {
    int[] prompt = DigitSumTask.prompt(3, 13);
    assertArrayEquals(new int[] {DigitSumTask.K3, 1, 3}, prompt);
    assertArrayEquals(new int[] {9, 4, 0}, DigitSumTask.canonical(prompt));
    assertEquals(1.0, DigitSumTask.VERIFIER.reward(prompt, new int[] {4, 4, 5}));
    assertEquals(0.0, DigitSumTask.VERIFIER.reward(prompt, new int[] {4, 4, 4}));
    assertEquals(0.0, DigitSumTask.VERIFIER.reward(prompt, new int[] {10, 3, 0}));
    // Two digits summing to 9: (0,9) … (9,0); three digits to 0: only 000; to 13: 75.
    assertEquals(10, DigitSumTask.correctAnswers(2, 9));
    assertEquals(1, DigitSumTask.correctAnswers(3, 0));
    assertEquals(75, DigitSumTask.correctAnswers(3, 13));
    assertThrows(IllegalArgumentException.class, () -> DigitSumTask.prompt(2, 19));
    assertThrows(IllegalArgumentException.class, () -> DigitSumTask.prompt(4, 1));
    assertEquals(DigitSumTask.prompts(3, 5, 1).get(4)[2], DigitSumTask.prompts(3, 5, 1).get(4)[2]);
  }

  private static Model policy(String name, boolean zero) {
    Model model = Model.newInstance(name);
    Block block = CausalWindowPolicy.create(DigitSumTask.VOCAB, 5, 64);
    if (zero) {
      block.setInitializer(new ConstantInitializer(0f), p -> true);
    }
    model.setBlock(block);
    block.initialize(model.getNDManager(), DataType.FLOAT32, new Shape(1, 3));
    return model;
  }

  @Test
  void exactPassRateOfAUniformPolicy() {
    try (Model model = policy("uniform", true)) {
      // Zero weights: every token has probability 1/12; 10 correct pairs for t = 9.
      assertEquals(10.0 / 144, DigitSumTask.passRate(model.getBlock(), model.getNDManager(), DigitSumTask.prompt(2, 9), 1.0), 1e-6);
      assertEquals(75.0 / 1728, DigitSumTask.passRate(model.getBlock(), model.getNDManager(), DigitSumTask.prompt(3, 13), 1.0), 1e-6);
    }
  }

  @Test
  void policyIsCausal() {
    try (Model model = policy("causal", false); NDManager scope = model.getNDManager().newSubManager()) {
      NDArray a = scope.create(new long[] {10, 1, 3, 4, 5}, new Shape(1, 5));
      NDArray b = scope.create(new long[] {10, 1, 3, 7, 2}, new Shape(1, 5));
      float[] la = model.getBlock().forward(new ParameterStore(scope, false), new NDList(a), false).head().get(":, :3, :").toFloatArray();
      float[] lb = model.getBlock().forward(new ParameterStore(scope, false), new NDList(b), false).head().get(":, :3, :").toFloatArray();
      assertArrayEquals(la, lb, 0f); // positions 0–2 do not see tokens 3–4
    }
  }

  @Test
  void deeperSftRaisesPassRateAndLowersGenerationStartEntropy() {
    List<int[]> prompts = DigitSumTask.prompts(2, 64, 3);
    SamplingConfig sampling = SamplingConfig.ofTemperature(1.0);
    try (Model shallow = policy("shallow", false); Model deep = policy("deep", false)) {
      SftTrainer.train(shallow, prompts, DigitSumTask::canonical, 1, 16, 0.01, 5);
      SftTrainer.train(deep, prompts, DigitSumTask::canonical, 30, 16, 0.01, 5);
      double shallowPass = 0;
      double deepPass = 0;
      for (int[] p : prompts.subList(0, 16)) {
        shallowPass += DigitSumTask.passRate(shallow.getBlock(), shallow.getNDManager(), p, 1.0) / 16;
        deepPass += DigitSumTask.passRate(deep.getBlock(), deep.getNDManager(), p, 1.0) / 16;
      }
      double shallowEntropy = DjlPromptEntropyProbe.of(shallow, sampling).aggregate(prompts.subList(0, 16), Aggregation.MEAN);
      double deepEntropy = DjlPromptEntropyProbe.of(deep, sampling).aggregate(prompts.subList(0, 16), Aggregation.MEAN);
      assertTrue(deepPass > shallowPass + 0.2, "pass " + shallowPass + " -> " + deepPass);
      assertTrue(deepEntropy < shallowEntropy - 0.3, "entropy " + shallowEntropy + " -> " + deepEntropy);
    }
  }

  /** Malformed prompts are bad input, not an index error from inside the task. */
  @org.junit.jupiter.api.Test
  void malformedPromptsAreRejectedWithAMessage() {
    for (int[] bad : new int[][] {{}, {11}, {11, 1}, {9, 1, 2}, {10, 1, 9}, {11, 2, 8}, {11, -1, 0}}) {
      org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class, () -> DigitSumTask.digits(bad));
      org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class, () -> DigitSumTask.target(bad));
    }
    org.junit.jupiter.api.Assertions.assertEquals(27, DigitSumTask.target(DigitSumTask.prompt(3, 27)));
  }
}
