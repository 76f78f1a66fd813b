package io.github.rlvrdiagnostics.core.entropy;

import io.github.rlvrdiagnostics.api.SamplingConfig;
import java.util.Arrays;

/**
 * Top-k / top-p truncation of a next-token distribution: which tokens a sampler keeps, on host
 * arrays of logits. It is the one rule shared by the entropy probes of {@link Entropies} and the
 * sampler of the reference GRPO loop.
 *
 * <p><b>Definition.</b> With {@code x = z/T} the logits at the temperature, rank the tokens most
 * probable first. Keep the first {@code k} of them ({@code topK = 0}: all). Of those, keep the
 * smallest prefix whose probability, renormalised over the top-k set, reaches {@code topP}: a
 * token is kept while the mass of the tokens ranked before it is below {@code topP}, so the most
 * probable token is always kept. {@code topP = 1} turns top-p off entirely (no token is dropped
 * because rounding made the mass before it reach 1). This is Hugging Face's and vLLM's order:
 * top-k first, then top-p.
 *
 * <p><b>Ties.</b> Tokens with equal logits are ranked by token id, lower id first; so when the
 * cut falls inside a run of equal logits, the lower ids are kept. The entropy of the kept set
 * depends only on the kept values and so not on this rule; which ids a sampler may draw does.
 *
 * <p><b>Special cases.</b> A {@code −∞} logit (a masked token) has probability 0 and is never
 * kept, even when {@code topK} exceeds the number of finite logits. A NaN or {@code +∞} logit, a
 * finite logit whose quotient by {@code T} overflows, an empty array, or an array whose logits
 * are all {@code −∞} is bad input ({@link IllegalArgumentException} naming the position).
 *
 * <p><b>Cost.</b> One sort of a copy of the finite logits: {@code O(V log V)} time and
 * {@code O(V)} memory. The DJL module's on-device probe applies the same rule to
 * {@code NDArray}s without leaving the device. All methods are static and thread-safe; arrays
 * are read, never modified.
 */
public final class Truncation {
  private Truncation() {}

  /**
   * The ids of the tokens the sampler keeps, in increasing id order.
   *
   * @param logits one row of next-token logits (not divided by the temperature)
   * @param sampling the temperature, {@code topK} and {@code topP}; without truncation every
   *     token with a logit above {@code −∞} is kept
   * @return a new array of at least one token id
   * @throws IllegalArgumentException on bad logits (see the class documentation)
   */
  public static int[] keptTokens(double[] logits, SamplingConfig sampling) {
    double inverseT = 1.0 / sampling.temperature();
    double[] x = new double[logits.length];
    for (int i = 0; i < logits.length; i++) {
      x[i] = scaled(logits[i], inverseT, i);
    }
    return kept(x, sampling);
  }

  /**
   * The ids of the tokens the sampler keeps, in increasing id order, of float logits (widened to
   * double before dividing by the temperature).
   *
   * @param logits one row of next-token logits (not divided by the temperature)
   * @param sampling the temperature, {@code topK} and {@code topP}
   * @return a new array of at least one token id
   * @throws IllegalArgumentException on bad logits (see the class documentation)
   */
  public static int[] keptTokens(float[] logits, SamplingConfig sampling) {
    double inverseT = 1.0 / sampling.temperature();
    double[] x = new double[logits.length];
    for (int i = 0; i < logits.length; i++) {
      x[i] = scaled(logits[i], inverseT, i);
    }
    return kept(x, sampling);
  }

  /**
   * Where the kept tokens start in the first {@code n} entries of {@code ascending}: the scaled
   * finite logits sorted in ascending order, so the most probable token is {@code ascending[n − 1]}
   * and the kept set is {@code ascending[from .. n)}, at least one token. The masses are summed
   * from the least probable kept candidate upwards.
   */
  static int keptFrom(double[] ascending, int n, int topK, double topP) {
    int count = topK > 0 ? Math.min(topK, n) : n;
    int from = n - count;
    if (topP < 1.0) {
      double max = ascending[n - 1];
      double total = 0.0;
      for (int i = from; i < n; i++) {
        total += Math.exp(ascending[i] - max);
      }
      double before = 0.0;
      int i = n - 1;
      while (i >= from && before < topP) {
        before += Math.exp(ascending[i] - max) / total;
        i--;
      }
      from = i + 1;
    }
    return from;
  }

  private static int[] kept(double[] x, SamplingConfig sampling) {
    if (x.length == 0) {
      throw new IllegalArgumentException("logits must not be empty, was length 0");
    }
    double[] sorted = new double[x.length];
    int n = 0;
    for (double v : x) {
      if (v != Double.NEGATIVE_INFINITY) {
        sorted[n++] = v;
      }
    }
    if (n == 0) {
      throw new IllegalArgumentException("logits must hold a finite logit, all are -Infinity");
    }
    Arrays.sort(sorted, 0, n);
    int from = keptFrom(sorted, n, sampling.topK(), sampling.topP());
    double threshold = sorted[from];
    int above = n - from;
    for (int i = from; i < n && sorted[i] == threshold; i++) {
      above--;
    }
    // Every token above the threshold is kept; of the tokens at it, the lowest ids fill the rest.
    int ties = n - from - above;
    int[] kept = new int[n - from];
    int k = 0;
    for (int i = 0; i < x.length; i++) {
      if (x[i] > threshold) {
        kept[k++] = i;
      } else if (x[i] == threshold && ties > 0) {
        kept[k++] = i;
        ties--;
      }
    }
    return kept;
  }

  private static double scaled(double z, double inverseT, int index) {
    if (Double.isNaN(z) || z == Double.POSITIVE_INFINITY) {
      throw new IllegalArgumentException("logits[" + index + "] must be finite or -Infinity, was " + z);
    }
    double x = z == 0.0 ? 0.0 : z * inverseT; // 0 stays 0 when 1/T overflows
    if (Double.isInfinite(x) && z != Double.NEGATIVE_INFINITY) {
      throw new IllegalArgumentException("logits[" + index + "] / temperature overflows: "
          + z + " * (1 / temperature) = " + z + " * " + inverseT);
    }
    return x;
  }
}
