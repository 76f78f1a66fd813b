package io.github.rlvrdiagnostics.core.rollout;

import static io.github.rlvrdiagnostics.core.Theories.qt;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.rlvrdiagnostics.api.AdvantageEstimator;
import java.util.OptionalDouble;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.quicktheories.generators.Generate;

/**
 * The group-level methods ({@code acceptSummary}, {@code ofGroup}, {@code acceptMeans}) give the
 * state that accepting the group's records one by one gives: exactly for the counts and the
 * predicted fraction, to 1e-12 relative to {@code max(1, |value|)} for the means and covariances.
 */
class GroupSummaryProperties {
  private static final double TOLERANCE = 1e-12;

  /** A group of rollouts: binary rewards, partial credit, or arbitrary shaped rewards. */
  private record Group(double[] rewards, double[] logProbs, double passRate) {
    static Group random(long seed, int size, int kind) {
      Random random = new Random(seed);
      double passRate = random.nextDouble();
      double[] rewards = new double[size];
      double[] logProbs = new double[size];
      for (int i = 0; i < size; i++) {
        rewards[i] = switch (kind) {
          case 0 -> random.nextDouble() < passRate ? 1.0 : 0.0;
          case 1 -> random.nextInt(5) / 4.0;
          default -> 3 * random.nextGaussian();
        };
        logProbs[i] = -50 * random.nextDouble();
      }
      return new Group(rewards, logProbs, passRate);
    }

    double min() {
      return java.util.Arrays.stream(rewards).min().getAsDouble();
    }

    double max() {
      return java.util.Arrays.stream(rewards).max().getAsDouble();
    }

    boolean binary() {
      return java.util.Arrays.stream(rewards).allMatch(r -> r == 0.0 || r == 1.0);
    }

    static double mean(double[] values) {
      double mean = 0;
      for (int i = 0; i < values.length; i++) {
        mean += (values[i] - mean) / (i + 1);
      }
      return mean;
    }

    /** Σ (x_i − x̄)(y_i − ȳ), centred as Welford's updates centre it. */
    static double coMoment(double[] x, double[] y) {
      double mx = 0;
      double my = 0;
      double c = 0;
      for (int i = 0; i < x.length; i++) {
        double dx = x[i] - mx;
        mx += dx / (i + 1);
        my += (y[i] - my) / (i + 1);
        c += dx * (y[i] - my);
      }
      return c;
    }
  }

  private static void assertClose(double expected, double actual, String what) {
    assertTrue(Math.abs(expected - actual) <= TOLERANCE * Math.max(1, Math.abs(expected)),
        what + ": expected " + expected + ", was " + actual);
  }

  private static void assertClose(OptionalDouble expected, OptionalDouble actual, String what) {
    assertEquals(expected.isPresent(), actual.isPresent(), what);
    if (expected.isPresent()) {
      assertClose(expected.getAsDouble(), actual.getAsDouble(), what);
    }
  }

  @Test
  void aDegenerateGroupsSummaryCountsAsItsRewards() {
    qt(300).forAll(Generate.longRange(0, Long.MAX_VALUE), Generate.range(1, 40), Generate.range(0, 2), Generate.booleans())
        .checkAssert((seed, size, kind, withRate) -> {
          DegenerateGroups records = DegenerateGroups.empty();
          DegenerateGroups summaries = DegenerateGroups.empty();
          for (int g = 0; g < 5; g++) {
            Group group = Group.random(seed + g, size, g % 2 == 0 ? 0 : kind);
            if (withRate) {
              records.accept(group.rewards(), group.passRate());
              summaries.acceptSummary(size, group.min(), group.max(), group.binary(), group.passRate());
            } else {
              records.accept(group.rewards());
              summaries.acceptSummary(size, group.min(), group.max(), group.binary());
            }
          }
          assertEquals(records.groups(), summaries.groups());
          assertEquals(records.observedFraction(), summaries.observedFraction());
          assertEquals(records.allPassFraction(), summaries.allPassFraction());
          assertEquals(records.allFailFraction(), summaries.allFailFraction());
          assertEquals(records.predictedFraction(), summaries.predictedFraction());
          assertEquals(records.binaryRewards(), summaries.binaryRewards());
        });
  }

  @Test
  void aGrpoGroupsMomentsGiveTheCovarianceOfItsAdvantages() {
    for (AdvantageEstimator estimator : new AdvantageEstimator[] {
        AdvantageEstimator.GRPO_SAMPLE_STD, AdvantageEstimator.GRPO_POPULATION_STD}) {
      qt(300).forAll(Generate.longRange(0, Long.MAX_VALUE), Generate.range(1, 40), Generate.range(0, 2))
          .checkAssert((seed, size, kind) -> {
            LogProbAdvantageCovariance records = LogProbAdvantageCovariance.empty();
            LogProbAdvantageCovariance summaries = LogProbAdvantageCovariance.empty();
            for (int g = 0; g < 5; g++) {
              Group group = Group.random(seed + g, size + g, kind);
              double[] advantages = Advantages.compute(estimator, new double[][] {group.rewards()},
                  Advantages.DEFAULT_EPSILON)[0];
              LogProbAdvantageCovariance one = LogProbAdvantageCovariance.empty();
              for (int i = 0; i < advantages.length; i++) {
                one.accept(group.logProbs()[i], advantages[i]);
              }
              LogProbAdvantageCovariance summary = LogProbAdvantageCovariance.ofGroup(estimator, size + g,
                  group.min(), group.max(), Group.coMoment(group.rewards(), group.rewards()),
                  Group.mean(group.logProbs()), Group.coMoment(group.rewards(), group.logProbs()),
                  Advantages.DEFAULT_EPSILON);
              assertEquals(one.count(), summary.count());
              assertClose(one.meanLogProb(), summary.meanLogProb(), "group mean logprob");
              assertClose(one.meanAdvantage(), summary.meanAdvantage(), "group mean advantage");
              assertClose(one.value(), summary.value(), "group covariance");
              records.combine(one);
              summaries.combine(summary);
            }
            assertClose(records.value(), summaries.value(), "covariance of the groups");
          });
    }
  }

  @Test
  void aGroupsCountsAndMeansGiveTheCalibrationGap() {
    qt(300).forAll(Generate.longRange(0, Long.MAX_VALUE), Generate.range(1, 40), Generate.range(0, 2))
        .checkAssert((seed, size, kind) -> {
          CalibrationGap records = CalibrationGap.empty();
          CalibrationGap summaries = CalibrationGap.empty();
          for (int g = 0; g < 5; g++) {
            Group group = Group.random(seed + g, size, kind);
            long correct = 0;
            double correctSum = 0;
            double incorrectSum = 0;
            for (int i = 0; i < size; i++) {
              boolean isCorrect = CalibrationGap.isCorrect(group.rewards()[i]);
              records.accept(group.logProbs()[i], isCorrect);
              correct += isCorrect ? 1 : 0;
              correctSum += isCorrect ? group.logProbs()[i] : 0;
              incorrectSum += isCorrect ? 0 : group.logProbs()[i];
            }
            long incorrect = size - correct;
            // Means as a SQL avg forms them: the sum over the count.
            summaries.acceptMeans(correct, correct == 0 ? 0 : correctSum / correct,
                incorrect, incorrect == 0 ? 0 : incorrectSum / incorrect);
          }
          assertEquals(records.count(), summaries.count());
          assertClose(records.value(), summaries.value(), "calibration gap");
        });
  }

  @Test
  void badSummariesAreRejectedNamingTheParameter() {
    DegenerateGroups groups = DegenerateGroups.empty();
    assertRejects("size", () -> groups.acceptSummary(0, 0, 0, true));
    assertRejects("min", () -> groups.acceptSummary(2, Double.NaN, 1, false));
    assertRejects("max", () -> groups.acceptSummary(2, 1, 0.5, false));
    assertRejects("max", () -> groups.acceptSummary(1, 0, 1, true));
    assertRejects("min and max", () -> groups.acceptSummary(2, 0, 0.5, true));
    assertRejects("passRate", () -> groups.acceptSummary(2, 0, 1, true, Double.NaN));
    assertEquals(0, groups.groups()); // a rejected summary changes nothing
    AdvantageEstimator grpo = AdvantageEstimator.GRPO_SAMPLE_STD;
    assertRejects("estimator", () -> Advantages.stdDivisor(AdvantageEstimator.RLOO, 2, 0, 1, 0.5, 0));
    assertRejects("squaredDeviations", () -> Advantages.stdDivisor(grpo, 2, 0, 1, Double.NaN, 0));
    assertRejects("epsilon", () -> Advantages.stdDivisor(grpo, 2, 0, 1, 0.5, -1));
    assertRejects("rewardLogProbCoMoment",
        () -> LogProbAdvantageCovariance.ofGroup(grpo, 2, 0, 1, 0.5, -1, Double.NaN, 1e-6));
    assertRejects("n", () -> LogProbAdvantageCovariance.ofMoments(0, 0, 0, 0));
    assertRejects("coMoment", () -> LogProbAdvantageCovariance.ofMoments(1, 0, 0, Double.POSITIVE_INFINITY));
    CalibrationGap gap = CalibrationGap.empty();
    assertRejects("correct", () -> gap.acceptMeans(-1, 0, 0, 0));
    assertRejects("incorrectMean", () -> gap.acceptMeans(1, -1, 1, Double.NaN));
    assertRejects("correctMean", () -> gap.acceptMeans(1, 0.5, 1, -1));
    assertEquals(0, gap.count());
    // Degenerate groups and a lone sample-std rollout have no advantage: the divisor is +∞.
    assertEquals(Double.POSITIVE_INFINITY, Advantages.stdDivisor(grpo, 3, 0.5, 0.5 + 1e-7, 0, 1e-6));
    assertEquals(Double.POSITIVE_INFINITY, Advantages.stdDivisor(grpo, 1, 2, 2, 0, 1e-6));
    assertEquals(Math.sqrt(0.5) + 1e-6, Advantages.stdDivisor(grpo, 2, 0, 1, 0.5, 1e-6));
  }

  private static void assertRejects(String parameter, Executable call) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call::run);
    assertTrue(e.getMessage().startsWith(parameter), e.getMessage());
  }

  /** A call that throws. */
  @FunctionalInterface
  private interface Executable {
    void run();
  }
}
