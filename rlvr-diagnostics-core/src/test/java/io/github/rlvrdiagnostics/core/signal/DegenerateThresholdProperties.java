package io.github.rlvrdiagnostics.core.signal;

import io.github.rlvrdiagnostics.core.RlvrDiagnostics;

import static io.github.rlvrdiagnostics.core.Theories.groupSizes;
import static io.github.rlvrdiagnostics.core.Theories.probabilities;
import static io.github.rlvrdiagnostics.core.Theories.qt;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.rlvrdiagnostics.api.DegenerateThreshold;
import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.util.OptionalInt;
import org.apache.commons.math3.analysis.solvers.BrentSolver;
import org.junit.jupiter.api.Test;
import org.quicktheories.generators.Generate;

/** Laws of {@code P_deg} and {@code p*} (docs/MATH.md §1), against exact and library references. */
class DegenerateThresholdProperties {
  private static final MathContext MC = new MathContext(60, RoundingMode.HALF_EVEN);
  private final DegenerateThreshold threshold = RlvrDiagnostics.degenerateThreshold();

  /** {@code p^G + (1−p)^G} in 60-digit decimal arithmetic. */
  private static BigDecimal exactDegenerate(BigDecimal p, int g) {
    return p.pow(g, MC).add(BigDecimal.ONE.subtract(p).pow(g, MC), MC);
  }

  @Test
  void symmetricAboutOneHalf() {
    qt().forAll(probabilities(), groupSizes())
        .checkAssert((p, g) -> assertEquals(
            threshold.degenerateProbability(p, g),
            threshold.degenerateProbability(1.0 - p, g),
            1e-15 * g));
  }

  @Test
  void agreesWithExactDecimalArithmetic() {
    qt(300).forAll(probabilities(), Generate.range(1, 2000))
        .checkAssert((p, g) -> {
          double exact = exactDegenerate(new BigDecimal(p), g).doubleValue();
          double ours = threshold.degenerateProbability(p, g);
          // The documented accuracy: relative error about (4 + 2·G·|log(1−p)|)·ulp(1).
          double a = Math.min(p, 1.0 - p);
          double tolerance = (4 + 2 * g * -Math.log1p(-a)) * Math.ulp(1.0);
          assertEquals(exact, ours, tolerance * exact + Double.MIN_NORMAL, "p=" + p + " g=" + g);
          double exactComplement = 1.0 - exact;
          if (exactComplement > 1e-3) {
            assertEquals(exactComplement, threshold.nonDegenerateProbability(p, g), 1e-14);
          }
        });
  }

  @Test
  void complementKeepsRelativePrecisionForTinyRates() {
    qt(300).forAll(Generate.range(-300, -3), Generate.range(2, 10_000))
        .checkAssert((e, g) -> {
          double p = Math.pow(10, e);
          MathContext wide = new MathContext(40 - 2 * e, RoundingMode.HALF_EVEN);
          BigDecimal bp = new BigDecimal(p);
          BigDecimal exact = BigDecimal.ONE
              .subtract(bp.pow(g, wide).add(BigDecimal.ONE.subtract(bp).pow(g, wide), wide), wide);
          double ours = threshold.nonDegenerateProbability(p, g);
          assertEquals(exact.doubleValue(), ours, 1e-13 * exact.doubleValue(), "p=" + p + " g=" + g);
        });
  }

  @Test
  void decreasingOnLowerHalfAndInGroupSize() {
    qt().forAll(probabilities(), probabilities(), Generate.range(2, 10_000))
        .checkAssert((a, b, g) -> {
          double lo = Math.min(Math.min(a, b), 0.5);
          double hi = Math.min(Math.max(a, b), 0.5);
          assertTrue(threshold.degenerateProbability(lo, g) >= threshold.degenerateProbability(hi, g));
          assertTrue(threshold.degenerateProbability(a, g + 1) <= threshold.degenerateProbability(a, g));
        });
  }

  @Test
  void pStarIsTheUniqueRootInsideItsBracket() {
    qt(2000).forAll(Generate.range(3, Integer.MAX_VALUE).mix(Generate.range(3, 200), 50))
        .checkAssert(g -> {
          double pStar = threshold.pStar(g);
          double lower = -Math.expm1(-Math.log(2) / g);
          double upper = Math.log(2) / g;
          assertTrue(pStar >= lower && pStar <= upper, "g=" + g + " p*=" + pStar);
          assertEquals(0.5, threshold.degenerateProbability(pStar, g), 1e-14);
          // Unique: majority-degenerate just below the root, minority just above it.
          double step = 1e-9 * pStar;
          assertTrue(threshold.majorityDegenerate(pStar - step, g));
          assertTrue(!threshold.majorityDegenerate(pStar + step, g));
          assertTrue(!threshold.majorityDegenerate(0.5, g));
        });
  }

  @Test
  void pStarStrictlyDecreasesInGroupSize() {
    qt(2000).forAll(Generate.range(1, Integer.MAX_VALUE - 1).mix(Generate.range(1, 300), 50))
        .checkAssert(g -> {
          if (g >= 2) {
            assertTrue(threshold.pStar(g + 1) < threshold.pStar(g), "g=" + g);
          } else {
            assertEquals(threshold.pStar(g + 1), threshold.pStar(g));
          }
        });
  }

  /** The exact root by bisection in 60-digit decimals: the 1e-12 accuracy claim. */
  @Test
  void pStarWithin1e12OfTheExactRoot() {
    qt(60).forAll(Generate.range(3, 3000).mix(Generate.pick(java.util.List.of(3, 4, 8, 16, 32, 64, 1024)), 30))
        .checkAssert(g -> {
          BigDecimal lo = BigDecimal.ZERO;
          BigDecimal hi = new BigDecimal("0.5");
          BigDecimal half = new BigDecimal("0.5");
          for (int i = 0; i < 70; i++) {
            BigDecimal mid = lo.add(hi, MC).multiply(half, MC);
            if (exactDegenerate(mid, g).compareTo(half) > 0) {
              lo = mid;
            } else {
              hi = mid;
            }
          }
          double exact = lo.doubleValue();
          assertEquals(exact, threshold.pStar(g), 1e-14 * exact, "g=" + g);
        });
  }

  @Test
  void pStarAgreesWithCommonsMathBrent() {
    // Brent's own tolerance is 2·ulp(x) + 1e-17 absolute, so agreement is checked to 1e-15.
    BrentSolver brent = new BrentSolver(1e-16, 1e-17);
    qt(500).forAll(Generate.range(3, 1_000_000)).checkAssert(g -> {
      double root = brent.solve(
          10_000, p -> Math.pow(p, g) + Math.exp(g * Math.log1p(-p)) - 0.5, 0.0, 0.5);
      assertEquals(root, threshold.pStar(g), 1e-15, "g=" + g);
    });
  }

  @Test
  void smallestGroupSizeIsTheFirstToReachTheTarget() {
    qt(500).forAll(probabilities(), Generate.range(1, 999).map(i -> i / 1000.0))
        .checkAssert((p, target) -> {
          OptionalInt g = threshold.smallestGroupSize(p, target);
          if (p == 0.0 || p == 1.0) {
            assertTrue(g.isEmpty());
            return;
          }
          if (g.isEmpty()) {
            assertTrue(threshold.degenerateProbability(p, Integer.MAX_VALUE) > target);
            return;
          }
          assertTrue(threshold.degenerateProbability(p, g.getAsInt()) <= target);
          if (g.getAsInt() > 1) {
            assertTrue(threshold.degenerateProbability(p, g.getAsInt() - 1) > target);
          }
        });
  }
}
