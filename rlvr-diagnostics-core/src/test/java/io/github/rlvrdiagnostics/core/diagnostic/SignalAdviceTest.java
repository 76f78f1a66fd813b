package io.github.rlvrdiagnostics.core.diagnostic;

import static io.github.rlvrdiagnostics.core.Theories.probabilities;
import static io.github.rlvrdiagnostics.core.Theories.qt;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.rlvrdiagnostics.api.DegenerateAdvice;
import io.github.rlvrdiagnostics.api.DegenerateSide;
import io.github.rlvrdiagnostics.api.ProblemSamples;
import io.github.rlvrdiagnostics.api.SignalProfile;
import io.github.rlvrdiagnostics.api.TriageConfig;
import io.github.rlvrdiagnostics.core.estimate.SignalProfiles;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalDouble;
import org.junit.jupiter.api.Test;

/** Which side a signal flag comes from and what it advises, with the numbers worked out by hand. */
class SignalAdviceTest {
  private static final TriageConfig CONFIG = TriageConfig.DEFAULT;

  @Test
  void tooEasyNamesTheAllPassShare() {
    DegenerateAdvice a = SignalAdvice.advise(0.71, 0.02, 8, OptionalDouble.empty(), CONFIG);
    assertEquals(DegenerateSide.ALL_PASS, a.side());
    assertEquals("71% of groups would be all-pass at G = 8: too easy for RL at this G; use harder prompts", a.action());
  }

  @Test
  void tooHardGivesTheGenerationRoundsOfDynamicSampling() {
    // 1/(1 − 0.64) = 2.78 rounds per batch.
    DegenerateAdvice a = SignalAdvice.advise(0.0, 0.64, 8, OptionalDouble.empty(), CONFIG);
    assertEquals(DegenerateSide.ALL_FAIL, a.side());
    assertEquals("64% of groups would be all-fail at G = 8: too hard; use easier prompts or filter groups with pass "
        + "rate 0 or 1 (dynamic sampling): expect 2.8 generation rounds per batch", a.action());
  }

  @Test
  void mixedFlagsFilterAndRaiseGWhereThatHalvesTheDeadGroups() {
    // 0.31 + 0.31 = 0.62, 1/(1 − 0.62) = 2.63 rounds; at 2G the fraction 0.31 is half of 0.62.
    DegenerateAdvice a = SignalAdvice.advise(0.31, 0.31, 8, OptionalDouble.of(0.31), CONFIG);
    assertEquals(DegenerateSide.MIXED, a.side());
    assertEquals("62% of groups would be degenerate at G = 8 (31% all-pass, 31% all-fail; neither side dominates): "
        + "filter groups with pass rate 0 or 1 (dynamic sampling): expect 2.6 generation rounds per batch; or "
        + "raise G to 16 (twice the rollouts per prompt): the predicted degenerate fraction falls from 0.62 to 0.31",
        a.action());
  }

  @Test
  void raisingGIsRecommendedOnlyWhenItRemovesAQuarterOfTheDeadGroups() {
    // 0.8 · (1 − 1/4) = 0.6: at 0.6 it is recommended, just above it is not.
    assertTrue(SignalAdvice.advise(0.8, 0.0, 8, OptionalDouble.of(0.6), CONFIG).action()
        .endsWith("; or raise G to 16 (twice the rollouts per prompt): the predicted degenerate fraction falls from "
            + "0.80 to 0.60"));
    assertTrue(SignalAdvice.advise(0.8, 0.0, 8, OptionalDouble.of(0.61), CONFIG).action()
        .endsWith("; raising G to 16 barely helps (the predicted degenerate fraction goes from 0.80 to 0.61)"));
  }

  @Test
  void everyGroupDeadHasNoFiniteFilteringCost() {
    assertEquals("100% of groups would be all-fail at G = 4: too hard; use easier prompts; filtering degenerate "
        + "groups (dynamic sampling) cannot fill a batch: every group is degenerate",
        SignalAdvice.advise(0.0, 1.0, 4, OptionalDouble.empty(), CONFIG).action());
    DegenerateAdvice mixed = SignalAdvice.advise(0.5, 0.5, 4, OptionalDouble.empty(), CONFIG);
    assertEquals(DegenerateSide.MIXED, mixed.side());
    assertTrue(mixed.action().endsWith("): change the prompts; filtering degenerate groups (dynamic sampling) cannot "
        + "fill a batch: every group is degenerate"), mixed.action());
  }

  @Test
  void sideIsThePartThatAloneWouldBeFlaggedAndExceedsTheOther() {
    TriageConfig low = CONFIG.withMaxDegenerateFraction(0.2);
    assertEquals(DegenerateSide.ALL_FAIL, SignalAdvice.side(0.3, 0.4, low));
    assertEquals(DegenerateSide.ALL_PASS, SignalAdvice.side(0.4, 0.3, low));
    assertEquals(DegenerateSide.MIXED, SignalAdvice.side(0.4, 0.4, low));
    assertEquals(DegenerateSide.MIXED, SignalAdvice.side(0.45, 0.2, CONFIG));
    // Exactly at the threshold is not above it.
    assertEquals(DegenerateSide.MIXED, SignalAdvice.side(0.5, 0.3, CONFIG));
    assertEquals(DegenerateSide.ALL_PASS, SignalAdvice.side(0.5000001, 0.3, CONFIG));
  }

  @Test
  void sidesMirrorWhenThePartsSwap() {
    qt().forAll(probabilities(), probabilities()).assuming((a, b) -> a + b <= 1.0 && a != b).checkAssert((a, b) -> {
      DegenerateSide side = SignalAdvice.side(a, b, CONFIG);
      DegenerateSide swapped = SignalAdvice.side(b, a, CONFIG);
      assertEquals(side == DegenerateSide.MIXED ? DegenerateSide.MIXED
          : side == DegenerateSide.ALL_PASS ? DegenerateSide.ALL_FAIL : DegenerateSide.ALL_PASS, swapped, a + ", " + b);
    });
  }

  @Test
  void unflaggedOrImpossibleFractionsAreRejected() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> SignalAdvice.advise(0.3, 0.2, 8, OptionalDouble.empty(), CONFIG));
    assertTrue(e.getMessage().startsWith("allPass + allFail must exceed maxDegenerateFraction = 0.5"), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> SignalAdvice.advise(0.7, 0.6, 8, OptionalDouble.empty(), CONFIG));
    assertThrows(IllegalArgumentException.class, () -> SignalAdvice.advise(Double.NaN, 0.6, 8, OptionalDouble.empty(), CONFIG));
    assertThrows(IllegalArgumentException.class, () -> SignalAdvice.advise(0.7, 0.0, 0, OptionalDouble.empty(), CONFIG));
    assertThrows(IllegalArgumentException.class, () -> SignalAdvice.advise(0.7, 0.0, 8, OptionalDouble.of(1.5), CONFIG));
  }

  @Test
  void profileAdviceUsesTheSamplesEstimateAtTwiceG() {
    // Each prompt passes 14 of 16 samples. At G = 8: C(14, 8)/C(16, 8) = 3003/12870 all-pass, no
    // all-fail; at 2G = 16 nothing passes all 16 and nothing fails all 16: the fraction falls to 0.
    List<ProblemSamples> samples = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      samples.add(ProblemSamples.of(16, 14));
    }
    SignalProfile profile = SignalProfiles.of(samples, 8);
    assertEquals(3003.0 / 12870, profile.allPassFraction(), 1e-12);
    // 0.233 is not flagged at 1/2; it is at a threshold of 0.2.
    assertTrue(SignalAdvice.forProfile(profile, CONFIG).isEmpty());
    DegenerateAdvice a = SignalAdvice.forProfile(profile, CONFIG.withMaxDegenerateFraction(0.2)).orElseThrow();
    assertEquals(DegenerateSide.ALL_PASS, a.side());
    assertEquals("23% of groups would be all-pass at G = 8: too easy for RL at this G; use harder prompts; or raise G "
        + "to 16 (twice the rollouts per prompt): the predicted degenerate fraction falls from 0.23 to 0.00", a.action());
  }
}
