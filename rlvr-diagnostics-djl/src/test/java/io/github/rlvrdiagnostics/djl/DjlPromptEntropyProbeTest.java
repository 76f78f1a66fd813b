package io.github.rlvrdiagnostics.djl;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.LambdaBlock;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.NormalInitializer;
import io.github.rlvrdiagnostics.api.Aggregation;
import io.github.rlvrdiagnostics.api.SamplingConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The prompt probes on a language model the test builds, saves and loads. */
class DjlPromptEntropyProbeTest {
  private static final int VOCAB = 16;

  /** A bigram model: one-hot of each token through a dense layer gives next-token logits. */
  private static Block bigramModel() {
    SequentialBlock block = new SequentialBlock();
    block.add(new LambdaBlock(list -> new NDList(list.head().oneHot(VOCAB))));
    block.add(Linear.builder().setUnits(VOCAB).build());
    block.setInitializer(new NormalInitializer(2.0f), ai.djl.nn.Parameter.Type.WEIGHT);
    return block;
  }

  private static float[] lastLogits(Block block, NDManager manager, int[] prompt) {
    try (NDManager scope = manager.newSubManager()) {
      long[] ids = java.util.Arrays.stream(prompt).asLongStream().toArray();
      NDArray tokens = scope.create(ids, new Shape(1, ids.length));
      NDArray logits = block.forward(new ParameterStore(scope, false), new NDList(tokens), false).head();
      return logits.get(0, ids.length - 1).toType(DataType.FLOAT32, false).toFloatArray();
    }
  }

  @Test
  void generationStartAndWorstTokenProbesOfAModelSavedAndLoaded() throws Exception {
    Path dir = Files.createTempDirectory("rlvr-probe-model");
    List<int[]> prompts = List.of(new int[] {1, 2, 3}, new int[] {4}, new int[] {5, 6, 7, 8, 9}, new int[] {0, 15});
    SamplingConfig sampling = SamplingConfig.ofTemperature(0.7);
    double[] trained;
    try (Model model = Model.newInstance("bigram")) {
      model.setBlock(bigramModel());
      model.getBlock().initialize(model.getNDManager(), DataType.FLOAT32, new Shape(1, 3));
      DjlPromptEntropyProbe probe = DjlPromptEntropyProbe.of(model, sampling);
      trained = probe.entropies(prompts);
      for (int i = 0; i < prompts.size(); i++) {
        float[] logits = lastLogits(model.getBlock(), model.getNDManager(), prompts.get(i));
        assertEquals(Reference.entropy(logits, 0.7, 0, 1.0), trained[i], 1e-6, "prompt " + i);
      }
      double mean = (trained[0] + trained[1] + trained[2] + trained[3]) / 4;
      assertEquals(mean, probe.aggregate(prompts, Aggregation.MEAN), 1e-12);
      double min = Math.min(Math.min(trained[0], trained[1]), Math.min(trained[2], trained[3]));
      assertEquals(min, probe.aggregate(prompts, Aggregation.MIN), 1e-12);
      assertEquals(4, probe.summarize(prompts).rows());
      model.save(dir, "bigram");
    }
    try (Model loaded = Model.newInstance("bigram")) {
      loaded.setBlock(bigramModel());
      loaded.load(dir, "bigram");
      assertArrayEquals(trained, DjlPromptEntropyProbe.of(loaded, sampling).entropies(prompts), 1e-12);
    }
    try (Model fresh = Model.newInstance("bigram")) {
      fresh.setBlock(bigramModel());
      fresh.getBlock().initialize(fresh.getNDManager(), DataType.FLOAT32, new Shape(1, 3));
      // Different weights, different entropies: the loaded numbers came from the saved weights.
      assertNotEquals(trained[0], DjlPromptEntropyProbe.of(fresh, sampling).entropies(prompts)[0], 1e-6);
    }
  }

  @Test
  void repeatedProbingLeavesTheModelManagerAsItWas() {
    try (Model model = Model.newInstance("bigram")) {
      model.setBlock(bigramModel());
      model.getBlock().initialize(model.getNDManager(), DataType.FLOAT32, new Shape(1, 3));
      DjlPromptEntropyProbe probe = DjlPromptEntropyProbe.of(model, SamplingConfig.DEFAULT);
      probe.entropies(List.of(new int[] {1, 2}));
      int before = model.getNDManager().getManagedArrays().size();
      for (int i = 0; i < 200; i++) {
        probe.entropies(List.of(new int[] {1, 2}, new int[] {3}));
      }
      assertEquals(before, model.getNDManager().getManagedArrays().size());
    }
  }

  @Test
  void badInput() {
    try (NDManager manager = NDManager.newBaseManager()) {
      Block block = bigramModel();
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
          () -> DjlPromptEntropyProbe.of(block, manager, SamplingConfig.DEFAULT));
      assertTrue(e.getMessage().contains("initialized"), e.getMessage());
      block.initialize(manager, DataType.FLOAT32, new Shape(1, 3));
      DjlPromptEntropyProbe probe = DjlPromptEntropyProbe.of(block, manager, SamplingConfig.DEFAULT);
      assertThrows(IllegalArgumentException.class, () -> probe.entropies(List.of()));
      e = assertThrows(IllegalArgumentException.class, () -> probe.entropies(List.of(new int[] {1}, new int[0])));
      assertEquals("prompts[1] must hold at least one token, was empty", e.getMessage());
    }
  }
}
