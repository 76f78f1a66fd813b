package io.github.rlvrdiagnostics.bench;

import java.util.stream.IntStream;

/**
 * The plain-Java entropy pass as it was before the fast paths ({@code Entropies.rows} on
 * a JVM without the Vector API, special-value checks included), kept here only so that one JMH run
 * can show the new default path is not slower, short rows included.
 */
final class PreviousEntropy {
  private PreviousEntropy() {}

  private static final long PARALLEL_THRESHOLD = 1L << 20;

  static double[] rows(float[][] logits, double inverseT) {
    long total = 0;
    for (float[] row : logits) {
      total += row.length;
    }
    double[] entropies = new double[logits.length];
    IntStream indices = IntStream.range(0, logits.length);
    if (logits.length > 1 && total >= PARALLEL_THRESHOLD) {
      indices = indices.parallel();
    }
    // The old code built each row's name for its error messages up front, as the new code does.
    indices.forEach(r -> entropies[r] = entropy(logits[r], inverseT, "logits[" + r + "]"));
    return entropies;
  }

  private static double entropy(float[] row, double inverseT, String name) {
    double max = Double.NEGATIVE_INFINITY;
    double sum = 0.0;
    double weighted = 0.0;
    for (int i = 0; i < row.length; i++) {
      double z = row[i];
      if (z == Double.NEGATIVE_INFINITY) {
        continue;
      }
      double x = z == 0.0 ? 0.0 : z * inverseT;
      if (Double.isNaN(z) || z == Double.POSITIVE_INFINITY || Double.isInfinite(x)) {
        throw new IllegalArgumentException(name + "[" + i + "] must be finite or -Infinity, was " + z);
      }
      if (x > max) {
        if (sum > 0.0) {
          double shift = max - x;
          double factor = Math.exp(shift);
          weighted = factor == 0.0 ? 0.0 : factor * (weighted + shift * sum);
          sum = factor * sum;
        }
        max = x;
        sum += 1.0;
      } else {
        double d = x - max;
        double e = Math.exp(d);
        sum += e;
        if (e != 0.0) {
          weighted += e * d;
        }
      }
    }
    return Math.max(0.0, Math.log(sum) - weighted / sum);
  }
}
