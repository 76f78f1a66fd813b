package io.github.rlvrdiagnostics.core.rollout;

import static io.github.rlvrdiagnostics.core.Theories.qt;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.OptionalDouble;
import java.util.Random;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.quicktheories.generators.Generate;

/**
 * The rollout accumulators are mergeable: (a ⊕ b) ⊕ c = a ⊕ (b ⊕ c), empty() is the identity,
 * and any split of a stream merges to what the unsplit stream gives.
 */
class AccumulatorsProperties {

  /** One random record of every accumulator's input. */
  private record Item(double[] rewards, double passRate, int[] tokens, double logProb, double advantage, boolean correct) {}

  private static List<Item> items(long seed, int count) {
    Random random = new Random(seed);
    List<Item> items = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      int g = 1 + random.nextInt(6);
      double p = random.nextDouble();
      double[] rewards = new double[g];
      for (int j = 0; j < g; j++) {
        rewards[j] = random.nextDouble() < p ? 1 : 0;
      }
      int[] tokens = new int[1 + random.nextInt(8)];
      for (int j = 0; j < tokens.length; j++) {
        tokens[j] = random.nextInt(5);
      }
      items.add(new Item(rewards, p, tokens, -10 * random.nextDouble(), random.nextGaussian(), random.nextBoolean()));
    }
    return items;
  }

  /** The results of all accumulators over a slice, to compare merged and unmerged streams. */
  private record State(DegenerateGroups degenerate, DistinctN distinct, SelfBleu bleu, CalibrationGap gap,
      LogProbAdvantageCovariance cov) {
    static State empty() {
      return new State(DegenerateGroups.empty(), DistinctN.empty(2), SelfBleu.empty(), CalibrationGap.empty(),
          LogProbAdvantageCovariance.empty());
    }

    static State of(List<Item> items) {
      State s = empty();
      for (Item it : items) {
        s.degenerate.accept(it.rewards, it.passRate);
        s.distinct.accept(it.tokens);
        s.bleu.accept(it.tokens);
        s.gap.accept(it.logProb, it.correct);
        s.cov.accept(it.logProb, it.advantage);
      }
      return s;
    }

    State combine(State o) {
      degenerate.combine(o.degenerate);
      distinct.combine(o.distinct);
      bleu.combine(o.bleu);
      gap.combine(o.gap);
      cov.combine(o.cov);
      return this;
    }

    List<OptionalDouble> results() {
      return List.of(degenerate.observedFraction(), degenerate.predictedFraction(), distinct.value(), bleu.value(),
          gap.value(), cov.value());
    }
  }

  private static void assertSame(List<OptionalDouble> expected, List<OptionalDouble> actual) {
    assertEquals(expected.size(), actual.size());
    for (int i = 0; i < expected.size(); i++) {
      assertEquals(expected.get(i).isPresent(), actual.get(i).isPresent(), "result " + i);
      if (expected.get(i).isPresent()) {
        assertEquals(expected.get(i).getAsDouble(), actual.get(i).getAsDouble(), 1e-12, "result " + i);
      }
    }
  }

  @Test
  void combineIsAssociativeAndSplitsMergeToTheWhole() {
    qt(200).forAll(Generate.longRange(0, Long.MAX_VALUE), Generate.range(0, 30), Generate.range(0, 30), Generate.range(0, 30))
        .checkAssert((seed, a, b, c) -> {
          List<Item> all = items(seed, a + b + c);
          Supplier<State> x = () -> State.of(all.subList(0, a));
          Supplier<State> y = () -> State.of(all.subList(a, a + b));
          Supplier<State> z = () -> State.of(all.subList(a + b, a + b + c));
          List<OptionalDouble> left = x.get().combine(y.get()).combine(z.get()).results();
          List<OptionalDouble> right = x.get().combine(y.get().combine(z.get())).results();
          List<OptionalDouble> whole = State.of(all).results();
          assertSame(left, right);
          // Self-BLEU is order-sensitive only through summation order; everything else is a pure merge.
          assertSame(whole, left);
        });
  }

  @Test
  void emptyIsTheIdentity() {
    qt(100).forAll(Generate.longRange(0, Long.MAX_VALUE), Generate.range(0, 30)).checkAssert((seed, k) -> {
      List<Item> items = items(seed, k);
      List<OptionalDouble> plain = State.of(items).results();
      assertSame(plain, State.empty().combine(State.of(items)).results());
      assertSame(plain, State.of(items).combine(State.empty()).results());
    });
  }

  @Test
  void handComputedValues() {
    DegenerateGroups groups = DegenerateGroups.empty()
        .accept(new double[] {1, 1, 1, 1}, 0.5).accept(new double[] {1, 0, 0, 0}, 0.5);
    assertEquals(0.5, groups.observedFraction().getAsDouble());
    assertEquals(0.125, groups.predictedFraction().getAsDouble(), 1e-15);
    assertTrue(groups.accept(new double[] {0.3, 0.3}).predictedFraction().isEmpty()); // shaped reward
    // Tokens 1 2 1 2 1: bigrams 12, 21, 12, 21 → 2 distinct of 4.
    assertEquals(0.5, DistinctN.empty(2).accept(new int[] {1, 2, 1, 2, 1}).value().getAsDouble());
    assertTrue(DistinctN.empty(3).accept(new int[] {1, 2}).value().isEmpty());
    assertEquals(1.0, SelfBleu.empty().accept(new int[] {1, 2, 3, 4, 5}).accept(new int[] {1, 2, 3, 4, 5}).value().getAsDouble(), 1e-12);
    // Disjoint vocabularies: every precision is smoothed 0.1/count, far below identical texts.
    double disjoint = SelfBleu.empty().accept(new int[] {1, 2, 3, 4}).accept(new int[] {5, 6, 7, 8}).value().getAsDouble();
    assertEquals(Math.exp((Math.log(0.1 / 4) + Math.log(0.1 / 3) + Math.log(0.1 / 2) + Math.log(0.1 / 1)) / 4), disjoint, 1e-12);
    assertEquals(-0.5 - (-2.0), CalibrationGap.empty().accept(-0.5, true).accept(-1.0, false).accept(-3.0, false)
        .value().getAsDouble(), 1e-15);
    // (x, y) = (0, 1), (1, 3), (2, 5): population covariance = 2/3 · 2 = 4/3.
    assertEquals(4.0 / 3, LogProbAdvantageCovariance.empty().accept(0, 1).accept(1, 3).accept(2, 5).value().getAsDouble(), 1e-15);
    assertThrows(IllegalArgumentException.class, () -> CalibrationGap.empty().accept(0.5, true));
    assertThrows(IllegalArgumentException.class, () -> DistinctN.empty(2).combine(DistinctN.empty(3)));
    assertThrows(IllegalArgumentException.class, () -> DegenerateGroups.empty().accept(new double[0]));
    assertThrows(IllegalArgumentException.class, () -> LogProbAdvantageCovariance.empty().accept(Double.NaN, 0));
  }

  /** A rejected group leaves the accumulator as it was (it used to keep the non-binary mark). */
  @org.junit.jupiter.api.Test
  void aRejectedGroupChangesNothing() {
    DegenerateGroups groups = DegenerateGroups.empty().accept(new double[] {1, 1});
    org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
        () -> groups.accept(new double[] {0.5, Double.NaN}));
    org.junit.jupiter.api.Assertions.assertTrue(groups.binaryRewards());
    org.junit.jupiter.api.Assertions.assertEquals(1, groups.count());
    org.junit.jupiter.api.Assertions.assertEquals(1.0, groups.allPassFraction().getAsDouble());
  }

  @org.junit.jupiter.api.Test
  void observedAllPassAndAllFailSplitTheDegenerateGroups() {
    DegenerateGroups groups = DegenerateGroups.empty()
        .accept(new double[] {1, 1, 1}).accept(new double[] {0, 0}).accept(new double[] {0, 0, 0}).accept(new double[] {0, 1});
    org.junit.jupiter.api.Assertions.assertEquals(0.75, groups.value().getAsDouble());
    org.junit.jupiter.api.Assertions.assertEquals(0.25, groups.allPassFraction().getAsDouble());
    org.junit.jupiter.api.Assertions.assertEquals(0.5, groups.allFailFraction().getAsDouble());
    groups.accept(new double[] {0.5, 0.5});
    org.junit.jupiter.api.Assertions.assertTrue(groups.allPassFraction().isEmpty()); // non-binary: no split
    org.junit.jupiter.api.Assertions.assertTrue(DegenerateGroups.isDegenerate(new double[] {2.5, 2.5}));
    org.junit.jupiter.api.Assertions.assertFalse(DegenerateGroups.isDegenerate(new double[] {0, 1e-300}, 0.0));
    // A spread of 1e-300 is below the default floor of 1e-6 (fp32 round-off).
    org.junit.jupiter.api.Assertions.assertTrue(DegenerateGroups.isDegenerate(new double[] {0, 1e-300}));
  }

  /** the spread floor, one rule for non-binary rewards; binary groups are unaffected. */
  @Test
  void spreadFloor() {
    double[] roundOff = {0.5, 0.5 + 1e-7};
    assertTrue(DegenerateGroups.isDegenerate(roundOff));
    assertTrue(DegenerateGroups.isDegenerate(roundOff, DegenerateGroups.DEFAULT_SPREAD_FLOOR));
    org.junit.jupiter.api.Assertions.assertFalse(DegenerateGroups.isDegenerate(roundOff, 0.0));
    org.junit.jupiter.api.Assertions.assertFalse(DegenerateGroups.isDegenerate(new double[] {0.5, 0.5 + 2e-6}));
    org.junit.jupiter.api.Assertions.assertFalse(DegenerateGroups.isDegenerate(new double[] {0, 1}, 0.999));
    org.junit.jupiter.api.Assertions.assertFalse(DegenerateGroups.isDegenerate(
        new double[] {Double.MAX_VALUE, -Double.MAX_VALUE}, Double.MAX_VALUE));
    IllegalArgumentException nan = assertThrows(IllegalArgumentException.class,
        () -> DegenerateGroups.isDegenerate(roundOff, Double.NaN));
    assertTrue(nan.getMessage().startsWith("floor"), nan.getMessage());
    assertThrows(IllegalArgumentException.class, () -> DegenerateGroups.isDegenerate(roundOff, -1e-9));
    assertThrows(IllegalArgumentException.class, () -> DegenerateGroups.empty(Double.NaN));
    assertThrows(IllegalArgumentException.class, () -> DegenerateGroups.empty(-1.0));
    assertThrows(IllegalArgumentException.class, () -> DegenerateGroups.empty(Double.POSITIVE_INFINITY));
    assertEquals(1.0, DegenerateGroups.empty().accept(roundOff).value().getAsDouble());
    assertEquals(0.0, DegenerateGroups.empty(0.0).accept(roundOff).value().getAsDouble());
    assertEquals(DegenerateGroups.DEFAULT_SPREAD_FLOOR, DegenerateGroups.empty().spreadFloor());
    assertThrows(IllegalArgumentException.class, () -> DegenerateGroups.empty(0.0).combine(DegenerateGroups.empty()));
    // Advantages share the rule: a round-off group gets 0, unless the floor is 0.
    double[][] group = {roundOff};
    org.junit.jupiter.api.Assertions.assertArrayEquals(new double[2],
        Advantages.compute(io.github.rlvrdiagnostics.api.AdvantageEstimator.GRPO_POPULATION_STD, group, 0.0)[0], 0.0);
    org.junit.jupiter.api.Assertions.assertArrayEquals(new double[] {-1, 1},
        Advantages.compute(io.github.rlvrdiagnostics.api.AdvantageEstimator.GRPO_POPULATION_STD, group, 0.0, 0.0)[0], 1e-8);
    assertThrows(IllegalArgumentException.class, () -> Advantages.compute(
        io.github.rlvrdiagnostics.api.AdvantageEstimator.GRPO_POPULATION_STD, group, 0.0, Double.NaN));
  }
}
