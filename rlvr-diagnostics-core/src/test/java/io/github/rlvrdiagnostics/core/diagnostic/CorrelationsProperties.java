package io.github.rlvrdiagnostics.core.diagnostic;

import static io.github.rlvrdiagnostics.core.Theories.qt;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.rlvrdiagnostics.api.Correlation;
import java.util.Random;
import org.apache.commons.math3.stat.correlation.KendallsCorrelation;
import org.apache.commons.math3.stat.correlation.SpearmansCorrelation;
import org.apache.commons.math3.stat.regression.SimpleRegression;
import org.junit.jupiter.api.Test;
import org.quicktheories.generators.Generate;

/** Correlations against Commons Math on random data, invariances, and seed-demeaning. */
class CorrelationsProperties {

  private static double[][] data(long seed, int n) {
    Random random = new Random(seed);
    double[] x = new double[n];
    double[] y = new double[n];
    long[] seeds = new long[n];
    for (int i = 0; i < n; i++) {
      x[i] = random.nextInt(4) == 0 ? Math.floor(random.nextGaussian() * 2) : random.nextGaussian(); // some ties
      y[i] = 0.5 * x[i] + random.nextGaussian();
      seeds[i] = i % 3;
    }
    double[] s = new double[n];
    for (int i = 0; i < n; i++) {
      s[i] = seeds[i];
    }
    return new double[][] {x, y, s};
  }

  private static long[] seeds(double[] s) {
    long[] out = new long[s.length];
    for (int i = 0; i < s.length; i++) {
      out[i] = (long) s[i];
    }
    return out;
  }

  @Test
  void agreesWithCommonsMathOnRandomData() {
    qt(200).forAll(Generate.longRange(0, Long.MAX_VALUE), Generate.range(3, 40)).checkAssert((seed, n) -> {
      double[][] d = data(seed, n);
      if (new SpearmansCorrelation().correlation(d[0], d[1]) != new SpearmansCorrelation().correlation(d[0], d[1])) {
        return; // constant column: no ranking
      }
      Correlation c = Correlations.of("x", d[0], d[1], seeds(d[2]), 199, 7);
      assertEquals(new SpearmansCorrelation().correlation(d[0], d[1]), c.spearman(), 1e-12);
      assertEquals(new KendallsCorrelation().correlation(d[0], d[1]), c.kendallTau(), 1e-12);
      SimpleRegression r = new SimpleRegression();
      for (int i = 0; i < n; i++) {
        r.addData(d[0][i], d[1][i]);
      }
      assertEquals(r.getRSquare(), c.rSquared(), 1e-12);
      assertTrue(c.spearmanPValue() > 0 && c.spearmanPValue() <= 1);
    });
  }

  @Test
  void monotoneTransformsLeaveRankStatisticsUnchanged() {
    qt(200).forAll(Generate.longRange(0, Long.MAX_VALUE), Generate.range(3, 30)).checkAssert((seed, n) -> {
      double[][] d = data(seed, n);
      double[] transformed = new double[n];
      for (int i = 0; i < n; i++) {
        transformed[i] = Math.exp(d[0][i]) * 3 + 1;
      }
      try {
        Correlation a = Correlations.of("x", d[0], d[1], seeds(d[2]), 99, 1);
        Correlation b = Correlations.of("x", transformed, d[1], seeds(d[2]), 99, 1);
        assertEquals(a.spearman(), b.spearman(), 1e-12);
        assertEquals(a.kendallTau(), b.kendallTau(), 1e-12);
        assertEquals(a.spearmanPValue(), b.spearmanPValue(), 1e-12);
      } catch (IllegalArgumentException constant) {
        // a constant column has no ranking; nothing to compare
      }
    });
  }

  @Test
  void seedDemeaningCanReverseTheSign() {
    // Within each seed the outcome falls as the predictor rises; across seeds both rise together.
    double[] x = {1, 2, 3, 11, 12, 13, 21, 22, 23};
    double[] y = {10, 9, 8, 20, 19, 18, 30, 29, 28};
    long[] seeds = {1, 1, 1, 2, 2, 2, 3, 3, 3};
    Correlation c = Correlations.of("x", x, y, seeds, 999, 3);
    assertTrue(c.spearman() > 0.5, "pooled rho " + c.spearman());
    assertEquals(-1.0, c.spearmanSeedDemeaned().getAsDouble(), 1e-12);
  }

  @Test
  void handCheckedSmallCase() {
    // x = (1, 2, 3, 4), y = (1, 3, 2, 4): d = (0, 1, 1, 0), ρ = 1 − 6·2/(4·15) = 0.8.
    Correlation c = Correlations.of("x", new double[] {1, 2, 3, 4}, new double[] {1, 3, 2, 4}, new long[] {0, 0, 0, 0}, 1, 0);
    assertEquals(0.8, c.spearman(), 1e-12);
    // Kendall: 5 concordant, 1 discordant of 6 pairs → 4/6.
    assertEquals(4.0 / 6, c.kendallTau(), 1e-12);
    // Exact permutations of 4: |ρ| ≥ 0.8 for ρ ∈ {1, 0.8 (×3), −0.8 (×3), −1}: 8 of 24.
    assertEquals(8.0 / 24, c.spearmanPValue(), 1e-12);
  }
}
