package io.github.rlvrdiagnostics.core.estimate;

import io.github.rlvrdiagnostics.core.RlvrDiagnostics;

import static io.github.rlvrdiagnostics.core.Theories.groupSizes;
import static io.github.rlvrdiagnostics.core.Theories.probabilities;
import static io.github.rlvrdiagnostics.core.Theories.qt;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.rlvrdiagnostics.api.PassAtK;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.MathContext;
import java.math.RoundingMode;
import org.apache.commons.math3.util.CombinatoricsUtils;
import org.junit.jupiter.api.Test;
import org.quicktheories.core.Gen;
import org.quicktheories.generators.Generate;

/**
 * The unbiased estimators of docs/MATH.md §2 against exact {@link BigInteger} combinatorics and against
 * exact enumeration of the binomial expectation.
 */
class PassAtKProperties {
  private static final MathContext MC = new MathContext(50, RoundingMode.HALF_EVEN);
  private final PassAtK passAtK = RlvrDiagnostics.passAtK();

  /** {@code (n, c, k)} with {@code n} up to 1e6 and {@code min(c, k) ≤ 300}, so exact products stay cheap. */
  private static Gen<int[]> triples() {
    Gen<Integer> sizes = Generate.range(1, 50).mix(Generate.range(51, 1_000_000), 50);
    return sizes.flatMap(n -> Generate.range(0, n).flatMap(c -> Generate.range(1, n).map(k -> {
      // Keep one of c and k small so that the exact product has at most 300 factors.
      if (Math.min(c, k) > 300) {
        return new int[] {n, c % 301, k};
      }
      return new int[] {n, c, k};
    }))).describedAs(java.util.Arrays::toString);
  }

  /** {@code 1 − C(n−c, k)/C(n, k)} exactly: the ratio as a fraction of BigInteger products. */
  private static BigDecimal exactPassAtK(int n, int c, int k) {
    if (n - c < k) {
      return BigDecimal.ONE;
    }
    BigInteger numerator = BigInteger.ONE;
    BigInteger denominator = BigInteger.ONE;
    if (k <= c) {
      for (int i = 0; i < k; i++) {
        numerator = numerator.multiply(BigInteger.valueOf(n - c - i));
        denominator = denominator.multiply(BigInteger.valueOf(n - i));
      }
    } else {
      for (int i = n - c + 1; i <= n; i++) {
        numerator = numerator.multiply(BigInteger.valueOf(i - k));
        denominator = denominator.multiply(BigInteger.valueOf(i));
      }
    }
    BigInteger gap = denominator.subtract(numerator);
    return new BigDecimal(gap).divide(new BigDecimal(denominator), MC);
  }

  @Test
  void passAtKAgreesWithExactBigIntegerCombinatorics() {
    qt(1000).forAll(triples()).checkAssert(t -> {
      int n = t[0], c = t[1], k = t[2];
      double exact = exactPassAtK(n, c, k).doubleValue();
      double ours = passAtK.estimate(n, c, k);
      // Documented accuracy: a few ulps times min(c, k), relative.
      double tolerance = (8 + 4.0 * Math.min(c, k)) * Math.ulp(1.0) * exact;
      assertEquals(exact, ours, tolerance, "n=" + n + " c=" + c + " k=" + k);
    });
  }

  @Test
  void smallCasesAgreeWithBigIntegerBinomials() {
    qt(500).forAll(Generate.range(1, 60).flatMap(n -> Generate.range(0, n).zip(
            Generate.range(1, n), (c, k) -> new int[] {n, c, k})))
        .checkAssert(t -> {
          int n = t[0], c = t[1], k = t[2];
          BigInteger all = binomial(n, k);
          BigInteger fail = n - c >= k ? binomial(n - c, k) : BigInteger.ZERO;
          double exact = new BigDecimal(all.subtract(fail)).divide(new BigDecimal(all), MC).doubleValue();
          assertEquals(exact, passAtK.estimate(n, c, k), 1e-14 * exact);
        });
  }

  @Test
  void largeCountsAgreeWithLogBinomialsOfCommonsMath() {
    qt(200).forAll(Generate.range(1000, 1_000_000).flatMap(n -> Generate.range(0, n).zip(
            Generate.range(1, n), (c, k) -> new int[] {n, c, k})))
        .checkAssert(t -> {
          int n = t[0], c = t[1], k = t[2];
          double expected = n - c < k ? 1.0
              : -Math.expm1(CombinatoricsUtils.binomialCoefficientLog(n - c, k)
                  - CombinatoricsUtils.binomialCoefficientLog(n, k));
          // Commons Math's log-binomial carries absolute errors of ~1e-9 at these sizes.
          assertEquals(expected, passAtK.estimate(n, c, k), 1e-7 * expected + 1e-12);
        });
  }

  @Test
  void curveMatchesPointEstimatesAndIsMonotone() {
    qt(300).forAll(Generate.range(1, 3000).flatMap(n -> Generate.range(0, n).map(c -> new int[] {n, c})))
        .checkAssert(t -> {
          int n = t[0], c = t[1];
          double[] curve = passAtK.curve(n, c);
          assertEquals(n, curve.length);
          for (int k = 1; k <= n; k++) {
            double point = passAtK.estimate(n, c, k);
            assertEquals(point, curve[k - 1], 1e-13 * point + 1e-300, "n=" + n + " c=" + c + " k=" + k);
            if (k > 1) {
              assertTrue(curve[k - 1] >= curve[k - 2]);
            }
          }
          assertEquals(c == 0 ? 0.0 : 1.0, curve[n - 1]);
        });
  }

  @Test
  void passAtKIncreasesWithPasses() {
    qt().forAll(triples()).checkAssert(t -> {
      int n = t[0], c = t[1], k = t[2];
      if (c < n) {
        assertTrue(passAtK.estimate(n, c + 1, k) >= passAtK.estimate(n, c, k));
      }
    });
  }

  /**
   * Unbiasedness: {@code Σ_c Bin(c; n, p) · estimate(n, c)} equals the population quantity, for
   * every estimator, by exact enumeration of the binomial expectation.
   */
  @Test
  void estimatorsAreUnbiasedByExactEnumeration() {
    qt(500).forAll(Generate.range(2, 14), probabilities(), Generate.range(1, 14))
        .checkAssert((n, p, j) -> {
          int k = Math.min(j, n);
          double passK = 0.0;
          double degenerate = 0.0;
          double variance = 0.0;
          for (int c = 0; c <= n; c++) {
            double weight = CombinatoricsUtils.binomialCoefficientDouble(n, c)
                * Math.pow(p, c) * Math.pow(1 - p, n - c);
            passK += weight * passAtK.estimate(n, c, k);
            degenerate += weight * passAtK.degenerateProbabilityEstimate(n, c, k);
            variance += weight * passAtK.advantageVarianceEstimate(n, c, k);
          }
          assertEquals(passAtK.population(p, k), passK, 1e-12);
          assertEquals(RlvrDiagnostics.degenerateThreshold().degenerateProbability(p, k), degenerate, 1e-12);
          assertEquals(RlvrDiagnostics.advantageVariance().expectedVariance(p, k), variance, 1e-12);
        });
  }

  @Test
  void degenerateEstimateAgreesWithBigIntegerBinomials() {
    qt(500).forAll(Generate.range(1, 200).flatMap(n -> Generate.range(0, n).zip(
            Generate.range(1, n), (c, g) -> new int[] {n, c, g})))
        .checkAssert(t -> {
          int n = t[0], c = t[1], g = t[2];
          BigInteger sum = binomial(c, g).add(binomial(n - c, g));
          double exact = new BigDecimal(sum).divide(new BigDecimal(binomial(n, g)), MC).doubleValue();
          assertEquals(exact, passAtK.degenerateProbabilityEstimate(n, c, g), 1e-13 * exact + 1e-300);
        });
  }

  @Test
  void populationPassAtKIsOneMinusFailurePower() {
    qt().forAll(probabilities(), groupSizes()).checkAssert((p, k) -> {
      if (k <= 5000) {
        int digits = 40 + (p > 0 ? (int) Math.ceil(-Math.log10(p)) : 0);
        MathContext wide = new MathContext(digits, RoundingMode.HALF_EVEN);
        double exact = BigDecimal.ONE.subtract(BigDecimal.ONE.subtract(new BigDecimal(p)).pow(k, wide)).doubleValue();
        assertEquals(exact, passAtK.population(p, k), 1e-13 * exact + 1e-300);
      }
    });
  }

  private static BigInteger binomial(int n, int k) {
    if (k < 0 || k > n) {
      return BigInteger.ZERO;
    }
    BigInteger result = BigInteger.ONE;
    for (int i = 0; i < k; i++) {
      result = result.multiply(BigInteger.valueOf(n - i)).divide(BigInteger.valueOf(i + 1));
    }
    return result;
  }
}
