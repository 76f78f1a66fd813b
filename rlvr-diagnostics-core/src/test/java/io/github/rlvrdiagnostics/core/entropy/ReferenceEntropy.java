package io.github.rlvrdiagnostics.core.entropy;

import io.github.rlvrdiagnostics.api.SamplingConfig;
import java.math.BigDecimal;
import java.math.MathContext;
import java.util.Arrays;

/**
 * A slow, plainly correct reference: two passes over the sorted kept logits with exact
 * {@link BigDecimal} sums of the double terms {@code e^{x−m}} and {@code e^{x−m}(x − m)}, and
 * {@code log S} taken from the exact {@code S − 1}: within a few ulps of the entropy of the float
 * logits even when that entropy is 1e-12.
 */
final class ReferenceEntropy {
  private ReferenceEntropy() {}

  static double of(float[] logits, SamplingConfig sampling) {
    double[] x = Arrays.stream(toDoubles(logits))
        .filter(z -> z != Double.NEGATIVE_INFINITY)
        .map(z -> z / sampling.temperature())
        .sorted()
        .toArray();
    int from = 0;
    if (sampling.topK() > 0 && sampling.topK() < x.length) {
      from = x.length - sampling.topK();
    }
    if (sampling.topP() < 1.0) {
      double[] p = probabilities(Arrays.copyOfRange(x, from, x.length));
      double before = 0.0;
      int kept = 0;
      for (int i = p.length - 1; i >= 0 && before < sampling.topP(); i--) {
        before += p[i];
        kept++;
      }
      from = x.length - kept;
    }
    double[] kept = Arrays.copyOfRange(x, from, x.length);
    double max = kept[kept.length - 1];
    BigDecimal sum = BigDecimal.ZERO;
    BigDecimal weighted = BigDecimal.ZERO;
    for (double v : kept) {
      double e = Math.exp(v - max);
      sum = sum.add(new BigDecimal(e));
      weighted = weighted.add(new BigDecimal(e).multiply(new BigDecimal(v - max)));
    }
    // log S from the exact S − 1 (S ≥ 1: the maximum's term is 1), so that a nearly one-hot row,
    // S = 1 + 1e-12, keeps the digits that rounding S to a double would lose.
    double logSum = Math.log1p(sum.subtract(BigDecimal.ONE).doubleValue());
    return Math.max(0.0, logSum - weighted.divide(sum, MathContext.DECIMAL128).doubleValue());
  }

  private static double[] probabilities(double[] x) {
    double max = x[x.length - 1];
    double total = 0.0;
    for (double v : x) {
      total += Math.exp(v - max);
    }
    double[] p = new double[x.length];
    for (int i = 0; i < x.length; i++) {
      p[i] = Math.exp(x[i] - max) / total;
    }
    return p;
  }

  private static double[] toDoubles(float[] logits) {
    double[] d = new double[logits.length];
    for (int i = 0; i < d.length; i++) {
      d[i] = logits[i];
    }
    return d;
  }
}
