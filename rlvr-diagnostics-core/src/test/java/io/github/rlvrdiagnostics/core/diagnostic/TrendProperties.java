package io.github.rlvrdiagnostics.core.diagnostic;

import static io.github.rlvrdiagnostics.core.Theories.qt;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.MathContext;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.quicktheories.core.Gen;
import org.quicktheories.generators.Generate;

/**
 * Laws of the robust trend (docs/MATH.md §7): agreement with a slow exact reference, invariance to
 * adding a constant and to positive scaling, sign symmetry, and its direction on clear trends.
 */
class TrendProperties {

  /** A seeded series of 3 to 60 rewards on a grid of 1/8 (sums and differences exact), some ties. */
  private static Gen<double[]> series() {
    return Generate.longRange(1, Long.MAX_VALUE).zip(Generate.range(3, 60), (seed, n) -> {
      Random r = new Random(seed);
      double[] y = new double[n];
      double slope = r.nextInt(5) - 2;
      for (int i = 0; i < n; i++) {
        y[i] = Math.round(8 * (slope * i / 10.0 + r.nextGaussian() * 2)) / 8.0;
      }
      return y;
    });
  }

  private static double[] steps(int n) {
    double[] x = new double[n];
    for (int i = 0; i < n; i++) {
      x[i] = 10 + 5 * i;
    }
    return x;
  }

  /** The median of pairwise slopes by sorting every one, S by counting pairs, Var S from tie groups in BigInteger. */
  private static double[] slowReference(double[] x, double[] y) {
    int n = y.length;
    List<BigDecimal> slopes = new ArrayList<>();
    BigInteger s = BigInteger.ZERO;
    for (int i = 0; i < n; i++) {
      for (int j = i + 1; j < n; j++) {
        BigDecimal dy = new BigDecimal(y[j]).subtract(new BigDecimal(y[i]));
        slopes.add(dy.divide(new BigDecimal(x[j] - x[i]), MathContext.DECIMAL128));
        s = s.add(BigInteger.valueOf(dy.signum()));
      }
    }
    slopes.sort(null);
    int m = slopes.size();
    BigDecimal median = m % 2 == 1 ? slopes.get(m / 2)
        : slopes.get(m / 2 - 1).add(slopes.get(m / 2)).divide(BigDecimal.valueOf(2), MathContext.DECIMAL128);
    TreeMap<Double, Long> ties = new TreeMap<>();
    for (double v : y) {
      ties.merge(v, 1L, Long::sum);
    }
    BigInteger bn = BigInteger.valueOf(n);
    BigInteger variance18 = bn.multiply(bn.subtract(BigInteger.ONE)).multiply(bn.multiply(BigInteger.TWO).add(BigInteger.valueOf(5)));
    for (long t : ties.values()) {
      BigInteger bt = BigInteger.valueOf(t);
      variance18 = variance18.subtract(bt.multiply(bt.subtract(BigInteger.ONE)).multiply(bt.multiply(BigInteger.TWO)
          .add(BigInteger.valueOf(5))));
    }
    double z = s.signum() == 0 || variance18.signum() == 0 ? 0.0
        : (s.doubleValue() - s.signum()) / Math.sqrt(variance18.doubleValue() / 18.0);
    return new double[] {median.doubleValue(), z};
  }

  @Test
  void agreesWithASlowExactReference() {
    qt().forAll(series()).checkAssert(y -> {
      double[] x = steps(y.length);
      Trend t = Trend.of(x, y);
      double[] ref = slowReference(x, y);
      assertEquals(ref[0], t.slope(), 1e-12 * Math.max(1, Math.abs(ref[0])), Arrays.toString(y));
      assertEquals(ref[1], t.z(), 1e-12 * Math.max(1, Math.abs(ref[1])), Arrays.toString(y));
      assertEquals(t.slope() * (x[x.length - 1] - x[0]), t.change(), 1e-12 * Math.max(1, Math.abs(t.change())));
      assertTrue(t.noise() >= 0);
      assertEquals(y.length, t.readings());
    });
  }

  @Test
  void invariantToAddingAConstant() {
    qt().forAll(series(), Generate.range(-1000, 1000)).checkAssert((y, c) -> {
      double[] x = steps(y.length);
      double[] shifted = Arrays.stream(y).map(v -> v + c).toArray();
      Trend a = Trend.of(x, y);
      Trend b = Trend.of(x, shifted);
      assertEquals(a.slope(), b.slope(), 0.0);
      assertEquals(a.z(), b.z(), 0.0);
      assertEquals(a.noise(), b.noise(), 1e-9);
    });
  }

  @Test
  void scalesWithThePositiveScaleOfTheReward() {
    qt().forAll(series(), Generate.range(-3000, 3000).map(e -> Math.pow(10, e / 1000.0))).checkAssert((y, a) -> {
      double[] x = steps(y.length);
      double[] scaled = Arrays.stream(y).map(v -> v * a).toArray();
      Trend t = Trend.of(x, y);
      Trend u = Trend.of(x, scaled);
      assertEquals(t.z(), u.z(), 0.0, "the rank score ignores the scale");
      assertEquals(a * t.slope(), u.slope(), 1e-12 * Math.max(1, Math.abs(a * t.slope())));
      assertEquals(a * t.noise(), u.noise(), 1e-9 * Math.max(1, a * t.noise()));
    });
  }

  @Test
  void negatingTheRewardNegatesTheTrend() {
    qt().forAll(series()).checkAssert(y -> {
      double[] x = steps(y.length);
      Trend t = Trend.of(x, y);
      Trend u = Trend.of(x, Arrays.stream(y).map(v -> -v).toArray());
      assertEquals(-t.slope(), u.slope(), 0.0);
      assertEquals(-t.z(), u.z(), 0.0);
      assertEquals(t.noise(), u.noise(), 0.0);
    });
  }

  @Test
  void clearTrendsAreSignificantAndFlatNoiseIsNot() {
    double[] x = steps(40);
    double[] up = new double[40];
    double[] flat = new double[40];
    Random r = new Random(7);
    for (int i = 0; i < 40; i++) {
      up[i] = 0.02 * i + 0.05 * r.nextGaussian();
      flat[i] = 0.5 + 0.05 * r.nextGaussian();
    }
    Trend rising = Trend.of(x, up);
    assertTrue(rising.z() > 5, "z " + rising.z());
    assertEquals(0.02 / 5, rising.slope(), 0.001);
    assertEquals(0.05, rising.noise(), 0.02);
    assertTrue(Math.abs(Trend.of(x, flat).z()) < 2.58, "z " + Trend.of(x, flat).z());
    // Every value equal: no trend, no noise.
    Trend constant = Trend.of(steps(5), new double[] {1, 1, 1, 1, 1});
    assertEquals(0.0, constant.z());
    assertEquals(0.0, constant.slope());
    assertEquals(0.0, constant.noise());
  }

  @Test
  void badInputIsRefused() {
    assertThrows(IllegalArgumentException.class, () -> Trend.of(new double[] {1, 2}, new double[] {1, 2}));
    assertThrows(IllegalArgumentException.class, () -> Trend.of(new double[] {1, 2, 2}, new double[] {1, 2, 3}));
    assertThrows(IllegalArgumentException.class, () -> Trend.of(new double[] {1, 2, 3}, new double[] {1, Double.NaN, 3}));
  }
}
