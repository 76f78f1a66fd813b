package io.github.rlvrdiagnostics.djl;

import java.util.Arrays;

/** A slow, obviously correct double-precision entropy: two passes over the sorted kept logits. */
final class Reference {
  private Reference() {}

  static double entropy(float[] logits, double temperature, int topK, double topP) {
    double[] x = new double[logits.length];
    for (int i = 0; i < x.length; i++) {
      x[i] = logits[i] / temperature;
    }
    Arrays.sort(x);
    // Descending order: the most probable first.
    for (int i = 0, j = x.length - 1; i < j; i++, j--) {
      double t = x[i];
      x[i] = x[j];
      x[j] = t;
    }
    int kept = topK > 0 ? Math.min(topK, x.length) : x.length;
    if (topP < 1.0) {
      double[] p = softmax(Arrays.copyOf(x, kept));
      double before = 0.0;
      int n = 0;
      while (n < kept && before < topP) {
        before += p[n];
        n++;
      }
      kept = n;
    }
    double[] p = softmax(Arrays.copyOf(x, kept));
    double h = 0.0;
    for (double pi : p) {
      if (pi > 0) {
        h -= pi * Math.log(pi);
      }
    }
    return h;
  }

  private static double[] softmax(double[] x) {
    double max = Double.NEGATIVE_INFINITY;
    for (double v : x) {
      max = Math.max(max, v);
    }
    double sum = 0.0;
    double[] p = new double[x.length];
    for (int i = 0; i < x.length; i++) {
      p[i] = Math.exp(x[i] - max);
      sum += p[i];
    }
    for (int i = 0; i < x.length; i++) {
      p[i] /= sum;
    }
    return p;
  }
}
