package io.github.rlvrdiagnostics.examples;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.rlvrdiagnostics.examples.LadderExperiment.CheckpointResult;
import io.github.rlvrdiagnostics.examples.LadderExperiment.Settings;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The SFT stop advisor in the ladder experiment: it changes no checkpoint, and its regret is the outcomes'. */
class SftAdviceTest {
  private static final Settings TINY = new Settings(new int[] {1, 3, 2}, new long[] {4, 9}, 16, 4, 4, 2, 4, 4, 2, 2, 4, 4,
      0.01, 0.01, 16);

  @Test
  void advisorsLeaveTheLadderAsItIsAndTheirRegretComesFromItsOutcomes() {
    List<CheckpointResult> plain = LadderExperiment.run(TINY, done -> { });
    SftAdvice.Advisors advisors = SftAdvice.advisors(TINY);
    List<CheckpointResult> advised = LadderExperiment.run(TINY, done -> { }, advisors::listeners);
    assertEquals(plain.size(), advised.size());
    for (int i = 0; i < plain.size(); i++) {
      CheckpointResult a = plain.get(i);
      CheckpointResult b = advised.get(i);
      assertEquals(a.entropy(), b.entropy(), 0.0);
      assertEquals(a.passAt1(), b.passAt1(), 0.0);
      assertEquals(a.samples(), b.samples());
      assertArrayEquals(a.passAtKCurve(), b.passAtKCurve(), 0.0);
      assertArrayEquals(a.observedDegenerate(), b.observedDegenerate(), 0.0);
    }
    SftAdvice advice = advisors.judge(advised);
    assertArrayEquals(new int[] {1, 2, 3}, advice.probedDepths());
    assertEquals(2, advice.perSeed().size());
    for (SftAdvice.Seed s : advice.perSeed()) {
      double best = advised.stream().filter(r -> r.seed() == s.seed()).mapToDouble(CheckpointResult::peakPassAtK).max()
          .orElseThrow();
      double picked = advised.stream().filter(r -> r.seed() == s.seed() && r.depth() == s.recommendedEpochs())
          .findFirst().orElseThrow().peakPassAtK();
      assertEquals(best - picked, s.regret(), 1e-15);
      assertTrue(s.regret() >= 0);
      ObjectNode json = advice.json(s.seed()).orElseThrow();
      assertEquals(s.recommendedEpochs(), json.get("recommendedEpochs").asInt());
      assertEquals(s.regret(), json.get("regret").asDouble(), 0.0);
    }
    // Seeded: the same run advises the same.
    SftAdvice.Advisors again = SftAdvice.advisors(TINY);
    assertEquals(advice.perSeed(), again.judge(LadderExperiment.run(TINY, done -> { }, again::listeners)).perSeed());
  }
}
