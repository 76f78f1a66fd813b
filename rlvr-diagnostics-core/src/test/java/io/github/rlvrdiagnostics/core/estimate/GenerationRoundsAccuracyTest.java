package io.github.rlvrdiagnostics.core.estimate;

import static io.github.rlvrdiagnostics.core.Theories.qt;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.apache.commons.math3.distribution.BinomialDistribution;
import org.junit.jupiter.api.Test;
import org.quicktheories.generators.Generate;

/**
 * {@link SignalProfiles#expectedGenerationRounds} against slow references: the series summed
 * round by round with Commons Math's binomial distribution, and for {@code B = 2} the closed form
 * {@code 1/q + P/(1 + P)^2} (the whole-round excess is half the probability that the failures
 * before the second informative group are odd).
 */
class GenerationRoundsAccuracyTest {

  /** Σ_r Pr[Binomial(rB, q) < B], summed until the terms vanish: slow, but exact to rounding. */
  private static double slowSeries(double dead, int batch) {
    double q = 1 - dead;
    double total = 1; // r = 0
    for (int r = 1; ; r++) {
      double term = new BinomialDistribution(null, r * batch, q).cumulativeProbability(batch - 1);
      total += term;
      if (term < 1e-18 * total) {
        return total;
      }
    }
  }

  @Test
  void matchesTheSeriesSummedRoundByRound() {
    qt().withExamples(300).forAll(Generate.range(0, 990).map(i -> i / 1000.0), Generate.range(1, 200))
        .checkAssert((dead, batch) -> {
          double fast = SignalProfiles.expectedGenerationRounds(dead, batch).getAsDouble();
          assertEquals(slowSeries(dead, batch), fast, 1e-9 * fast, dead + ", " + batch);
        });
  }

  @Test
  void matchesTheClosedFormForTwoGroupsUpToPNearOne() {
    qt().withExamples(300).forAll(Generate.range(0, 1_000_000).map(i -> 1 - Math.pow(10, -7 * i / 1e6)))
        .checkAssert(dead -> {
          double q = 1 - dead;
          double exact = 1 / q + dead / ((1 + dead) * (1 + dead));
          double fast = SignalProfiles.expectedGenerationRounds(dead, 2).getAsDouble();
          assertEquals(exact, fast, 1e-6 * exact, "P = " + dead);
        });
  }

  /** One group a round: geometric rounds, 1/(1 − P) however close P is to 1 (no cut at some round). */
  @Test
  void oneGroupIsTheClosedFormNearPOne() {
    double dead = 1 - 2e-6;
    assertEquals(1 / (1 - dead), SignalProfiles.expectedGenerationRounds(dead, 1).getAsDouble(), 1e-9);
  }

  /** Huge batches: never below Wald's 1/(1 − P), and below it plus one whole round. */
  @Test
  void hugeBatchesStayBetweenWaldsBoundAndOneRoundMore() {
    for (double dead : new double[] {0.1, 0.6, 0.9, 0.95, 0.999}) {
      for (int batch : new int[] {1 << 20, 1 << 30, Integer.MAX_VALUE}) {
        double rounds = SignalProfiles.expectedGenerationRounds(dead, batch).getAsDouble();
        double wald = 1 / (1 - dead);
        assertTrue(rounds >= wald && rounds < wald + 1, dead + ", " + batch + ": " + rounds);
      }
    }
    // 1/(1 − P) = 10 exactly at P = 0.9 (to rounding): about half the time the tenth round falls short.
    assertEquals(10.5, SignalProfiles.expectedGenerationRounds(0.9, 1 << 30).getAsDouble(), 0.05);
  }
}
