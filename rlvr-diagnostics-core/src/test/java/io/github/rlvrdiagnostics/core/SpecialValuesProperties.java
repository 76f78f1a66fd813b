package io.github.rlvrdiagnostics.core;

import static io.github.rlvrdiagnostics.core.Theories.qt;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.github.rlvrdiagnostics.api.AdvantageEstimator;
import io.github.rlvrdiagnostics.api.DegenerateThreshold;
import io.github.rlvrdiagnostics.api.PassAtK;
import io.github.rlvrdiagnostics.api.SamplingConfig;
import io.github.rlvrdiagnostics.core.entropy.Entropies;
import io.github.rlvrdiagnostics.core.rollout.Advantages;
import io.github.rlvrdiagnostics.core.rollout.CalibrationGap;
import io.github.rlvrdiagnostics.core.rollout.LogProbAdvantageCovariance;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.OptionalDouble;
import java.util.function.Supplier;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Test;
import org.quicktheories.core.Gen;
import org.quicktheories.generators.Generate;

/**
 * The public API at the special values: NaN, ±∞, −0, subnormals, ±1e308, ±MAX_VALUE,
 * and counts at 0, ±1 and {@code Integer.MAX_VALUE}. Every call either returns a finite result
 * in its documented range or throws an {@link IllegalArgumentException} whose message starts with
 * the name of a parameter — never NaN, never ±∞, never another exception, never a hang.
 */
class SpecialValuesProperties {
  private static final List<Double> DOUBLES = List.of(Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY,
      -0.0, 0.0, Double.MIN_VALUE, Double.MIN_NORMAL, 1e-300, 1e-170, 0.5, 1.0, -1.0, 2.0, 1.0 - 1e-16, 1e308,
      -1e308, Double.MAX_VALUE, -Double.MAX_VALUE, 2000.0, 0.1);
  private static final List<Integer> INTS = List.of(Integer.MIN_VALUE, -1, 0, 1, 2, 3, 8, 1000,
      Integer.MAX_VALUE - 1, Integer.MAX_VALUE, PassAtK.MAX_CURVE_N + 1);

  private static Gen<Double> doubles() {
    return Generate.pick(DOUBLES).mix(org.quicktheories.generators.SourceDSL.doubles().any(), 20);
  }

  private static Gen<Integer> ints() {
    return Generate.pick(INTS);
  }

  private static Gen<double[]> arrays() {
    return Generate.range(1, 4).flatMap(n -> Generate.pick(DOUBLES).zip(Generate.pick(DOUBLES),
        Generate.pick(DOUBLES), Generate.pick(DOUBLES), (a, b, c, d) -> Arrays.copyOf(new double[] {a, b, c, d}, n)))
        .describedAs(Arrays::toString);
  }

  /** The result of {@code call}, or empty when it threw an IllegalArgumentException naming one of {@code names}. */
  private static <T> java.util.Optional<T> call(Supplier<T> call, String... names) {
    try {
      return java.util.Optional.of(Assertions.assertTimeoutPreemptively(Duration.ofSeconds(5), call::get));
    } catch (IllegalArgumentException e) {
      String message = String.valueOf(e.getMessage());
      for (String name : names) {
        if (message.startsWith(name)) {
          return java.util.Optional.empty();
        }
      }
      return fail("'" + message + "' names none of " + Arrays.toString(names), e);
    }
  }

  private static void inRange(double value, double low, double high, String what) {
    assertTrue(value >= low && value <= high, what + " = " + value + " is outside [" + low + ", " + high + "]");
  }

  private static void finite(double value, String what) {
    assertTrue(Double.isFinite(value), what + " = " + value);
  }

  @Test
  void degenerateThreshold() {
    DegenerateThreshold t = RlvrDiagnostics.degenerateThreshold();
    qt(400).forAll(doubles(), ints()).checkAssert((p, g) -> {
      call(() -> t.degenerateProbability(p, g), "p", "groupSize").ifPresent(v -> inRange(v, 0, 1, "P_deg"));
      call(() -> t.nonDegenerateProbability(p, g), "p", "groupSize").ifPresent(v -> inRange(v, 0, 1, "1 - P_deg"));
      call(() -> t.pStar(g), "groupSize").ifPresent(v -> inRange(v, 0, 0.5, "p*"));
      call(() -> t.group(p, g), "p", "groupSize").ifPresent(s -> {
        inRange(s.degenerateProbability(), 0, 1, "group P_deg");
        inRange(s.expectedAdvantageVariance(), 0, 0.25, "group variance");
      });
      call(() -> t.smallestGroupSize(p, p), "p", "target");
    });
  }

  @Test
  void passAtK() {
    PassAtK e = RlvrDiagnostics.passAtK();
    qt(400).forAll(ints(), ints(), ints()).checkAssert((n, c, k) -> {
      call(() -> e.estimate(n, c, k), "n", "c", "k").ifPresent(v -> inRange(v, 0, 1, "pass@k"));
      call(() -> e.degenerateProbabilityEstimate(n, c, k), "n", "c", "groupSize").ifPresent(v -> inRange(v, 0, 1, "P_deg"));
      call(() -> e.allPassEstimate(n, c, k), "n", "c", "k").ifPresent(v -> inRange(v, 0, 1, "all pass"));
      call(() -> e.allFailEstimate(n, c, k), "n", "c", "k").ifPresent(v -> inRange(v, 0, 1, "all fail"));
      call(() -> e.successVarianceEstimate(n, c), "n", "c").ifPresent(v -> inRange(v, 0, 0.5, "variance"));
      call(() -> e.advantageVarianceEstimate(n, c, k), "n", "c", "groupSize").ifPresent(v -> inRange(v, 0, 0.5, "A variance"));
      if (n <= 1000) { // larger curves are arrays of 2^24 doubles: covered by PassAtKExtremeCountsTest
        call(() -> e.curve(n, c), "n", "c").ifPresent(curve -> {
          for (double v : curve) {
            inRange(v, 0, 1, "curve");
          }
        });
      } else if (n > PassAtK.MAX_CURVE_N) {
        call(() -> e.curve(n, c), "n", "c").ifPresent(curve -> fail("curve of n = " + n + " was accepted"));
      }
    });
    qt(200).forAll(doubles(), ints()).checkAssert((p, k) ->
        call(() -> e.population(p, k), "p", "k").ifPresent(v -> inRange(v, 0, 1, "population pass@k")));
  }

  @Test
  void entropy() {
    qt(400).forAll(arrays(), doubles()).checkAssert((logits, temperature) -> {
      java.util.Optional<SamplingConfig> sampling = call(() -> SamplingConfig.ofTemperature(temperature), "temperature");
      sampling.ifPresent(s -> {
        call(() -> Entropies.entropy(logits, s), "logits")
            .ifPresent(h -> inRange(h, 0, Math.log(logits.length) + 1e-12, "entropy of " + Arrays.toString(logits)));
        float[] floats = new float[logits.length];
        for (int i = 0; i < floats.length; i++) {
          floats[i] = (float) logits[i];
        }
        call(() -> Entropies.entropy(floats, s), "logits")
            .ifPresent(h -> inRange(h, 0, Math.log(floats.length) + 1e-6, "entropy of " + Arrays.toString(floats)));
      });
    });
  }

  @Test
  void advantages() {
    qt(400).forAll(arrays(), arrays(), doubles(), Generate.enumValues(AdvantageEstimator.class))
        .checkAssert((rewards, other, epsilon, estimator) -> {
          double[][] groups = {rewards, other};
          call(() -> Advantages.compute(estimator, groups, epsilon), "groupRewards", "epsilon").ifPresent(a -> {
            for (double[] group : a) {
              for (double v : group) {
                finite(v, estimator + " advantage of " + Arrays.deepToString(groups));
              }
            }
          });
          double[][] advantages = {rewards};
          double[][] passes = {other.length == rewards.length ? other : rewards};
          call(() -> Advantages.inverseSuccessCalibration(advantages, passes, epsilon), "alpha", "advantages", "groupRewards")
              .ifPresent(a -> {
                for (double v : a[0]) {
                  finite(v, "IAC advantage");
                }
              });
        });
  }

  @Test
  void accumulators() {
    qt(300).forAll(arrays(), arrays()).checkAssert((x, y) -> {
      CalibrationGap gap = CalibrationGap.empty();
      LogProbAdvantageCovariance cov = LogProbAdvantageCovariance.empty();
      for (int i = 0; i < x.length; i++) {
        double lp = x[i];
        double a = y[i % y.length];
        int index = i;
        call(() -> gap.accept(lp, index % 2 == 0), "meanTokenLogProb");
        call(() -> cov.accept(lp, a), "logProb", "advantage");
      }
      LogProbAdvantageCovariance other = LogProbAdvantageCovariance.empty();
      call(() -> other.accept(y[0], x[0]), "logProb", "advantage");
      call(() -> cov.combine(other), "logProb");
      CalibrationGap more = CalibrationGap.empty();
      call(() -> more.accept(y[0], false), "meanTokenLogProb");
      gap.combine(more);
      OptionalDouble g = gap.value();
      g.ifPresent(v -> finite(v, "calibration gap"));
      cov.value().ifPresent(v -> finite(v, "covariance"));
      finite(cov.meanLogProb(), "mean log-probability");
      finite(cov.meanAdvantage(), "mean advantage");
    });
  }
}
