package io.github.rlvrdiagnostics.examples;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Initial weights depend on the seed alone: the ladder experiment used to set DJL's global random
 * seed instead, which any other DJL user in the same JVM could disturb.
 */
class CausalWindowPolicyTest {

  private static List<float[]> weights(long seed, int globalSeed) {
    Engine.getInstance().setRandomSeed(globalSeed); // whatever the rest of the JVM did last
    try (Model model = Model.newInstance("policy")) {
      model.setBlock(CausalWindowPolicy.create(DigitSumTask.VOCAB, 6, 16));
      CausalWindowPolicy.initialize(model.getBlock(), model.getNDManager(), 3, seed);
      List<float[]> out = new ArrayList<>();
      for (Pair<String, Parameter> p : model.getBlock().getParameters()) {
        out.add(p.getValue().getArray().toFloatArray());
      }
      return out;
    }
  }

  @Test
  void theSeedAloneDecidesTheInitialWeights() {
    List<float[]> a = weights(5, 1);
    List<float[]> b = weights(5, 999);
    for (int i = 0; i < a.size(); i++) {
      assertArrayEquals(a.get(i), b.get(i));
    }
    List<float[]> c = weights(6, 1);
    assertFalse(Arrays.equals(a.get(0), c.get(0)));
  }
}
