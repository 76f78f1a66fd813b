package io.github.rlvrdiagnostics.djl;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import io.github.rlvrdiagnostics.api.Aggregation;
import io.github.rlvrdiagnostics.api.EntropyProbe;
import io.github.rlvrdiagnostics.api.SamplingConfig;

/**
 * The token entropy, in nats, of DJL {@code NDArray} logits at a temperature, with optional
 * top-k / top-p truncation (docs/MATH.md §3 (entropy probes)), computed on the array's device.
 *
 * <p>The probe reads logits of shape {@code [vocab]}, {@code [batch, vocab]} or
 * {@code [batch, seq, vocab]}; every leading position is one next-token distribution and
 * {@link #entropies} returns one entropy per position in row-major order. Only those numbers
 * travel to the host. {@link #maskedAggregate} reduces the positions of each sequence selected
 * by a mask (response tokens, say) to one number per sequence, on the device too.
 *
 * <p>The computation is {@code H = −Σ p_i log p_i} with {@code log p = logSoftmax(z / T)}, in
 * float64 on the device: float32 sums over a 152k vocabulary drift by 1e-4 nats, which the
 * contract with the core probe (1e-5) does not allow. {@code −∞} logits give {@code p = 0} and
 * contribute exactly 0. A NaN or {@code +∞} logit, or a row whose logits are all {@code −∞}, is
 * bad input: an {@link IllegalArgumentException} naming the position.
 *
 * <p>Every call opens a child {@code NDManager} of the logits' manager and closes it before
 * returning, so repeated calls leave no native memory behind. Instances are immutable and
 * thread-safe (DJL arrays themselves are not: do not share one array between threads).
 */
public final class DjlEntropyProbe implements EntropyProbe<NDArray> {
  private final SamplingConfig sampling;

  private DjlEntropyProbe(SamplingConfig sampling) {
    this.sampling = sampling;
  }

  /** A probe of the given sampler. */
  public static DjlEntropyProbe of(SamplingConfig sampling) {
    return new DjlEntropyProbe(sampling);
  }

  /** A probe at the given temperature without truncation. */
  public static DjlEntropyProbe ofTemperature(double temperature) {
    return new DjlEntropyProbe(SamplingConfig.ofTemperature(temperature));
  }

  @Override
  public SamplingConfig sampling() {
    return sampling;
  }

  /**
   * The entropy of every next-token distribution in {@code logits}, in row-major order of the
   * leading dimensions.
   *
   * @param logits {@code [vocab]}, {@code [batch, vocab]} or {@code [batch, seq, vocab]}, of a
   *     floating-point type; not modified
   * @throws IllegalArgumentException on another rank, an empty dimension, a non-float type, or
   *     bad logits (see the class documentation)
   */
  @Override
  public double[] entropies(NDArray logits) {
    checkShape(logits, 1, 3);
    try (NDManager scope = NDManager.subManagerOf(logits)) {
      scope.tempAttachAll(logits);
      NDArray scaled = scaled(logits);
      checkValues(scaled, null);
      return entropyPerPosition(scaled).toDoubleArray();
    }
  }

  /**
   * The entropies of the positions of each sequence selected by {@code mask}, reduced to one
   * number per sequence: {@link Aggregation#MEAN} is the response entropy of
   * <em>Revisiting Entropy in Reinforcement Learning for Large Reasoning Models</em>,
   * {@link Aggregation#MIN} the worst token. Unselected positions are ignored entirely (padding
   * may hold any value, NaN included).
   *
   * @param logits {@code [batch, seq, vocab]}
   * @param mask {@code [batch, seq]}, boolean or numeric (non-zero selects), on any device
   * @throws IllegalArgumentException on mismatched shapes, a sequence with no selected position
   *     (naming it), or bad logits at a selected position
   */
  public double[] maskedAggregate(NDArray logits, NDArray mask, Aggregation aggregation) {
    checkShape(logits, 3, 3);
    Shape shape = logits.getShape();
    Shape expected = new Shape(shape.get(0), shape.get(1));
    if (!mask.getShape().equals(expected)) {
      throw new IllegalArgumentException(
          "mask must have shape " + expected + " to match logits " + shape + ", was " + mask.getShape());
    }
    try (NDManager scope = NDManager.subManagerOf(logits)) {
      scope.tempAttachAll(logits, mask);
      NDArray selected = mask.toDevice(logits.getDevice(), false).toType(DataType.BOOLEAN, false);
      long[] counts = selected.toType(DataType.INT64, false).sum(new int[] {1}).toLongArray();
      for (int b = 0; b < counts.length; b++) {
        if (counts[b] <= 0) {
          throw new IllegalArgumentException(
              "mask must select at least one position of every sequence, selects none of sequence " + b);
        }
      }
      NDArray scaled = scaled(logits);
      checkValues(scaled, selected);
      NDArray perPosition = entropyPerPosition(scaled);
      NDArray reduced;
      if (aggregation == Aggregation.MEAN) {
        NDArray zeros = perPosition.zerosLike();
        reduced = NDArrays.where(selected, perPosition, zeros).sum(new int[] {1})
            .div(selected.toType(DataType.FLOAT64, false).sum(new int[] {1}));
      } else {
        NDArray infinity = perPosition.onesLike().mul(Double.POSITIVE_INFINITY);
        reduced = NDArrays.where(selected, perPosition, infinity).min(new int[] {1});
      }
      return reduced.toDoubleArray();
    }
  }

  /**
   * The logits divided by T in float64, truncated to what the sampler keeps.
   *
   * <p>This mirrors the rule of the core {@code Truncation} class (top-k first, then a token is
   * kept while the mass before it is below {@code topP}) on {@code NDArray}s, on the logits'
   * device. It is a separate implementation on purpose: calling the host routine would copy the
   * whole {@code [batch, seq, vocab]} logits to the host, the very transfer this probe exists to
   * avoid on a GPU. Ties may be ordered differently from {@code Truncation}'s lower-id-first rule,
   * which does not change the entropy (it depends only on the kept values). The contract test
   * ({@code DjlEntropyProbeContractTest}) holds the two to the same results.
   */
  private NDArray scaled(NDArray logits) {
    NDArray x = logits.toType(DataType.FLOAT64, false).div(sampling.temperature());
    if (!sampling.truncates()) {
      return x;
    }
    // Truncation works on the sorted row: the entropy depends only on the multiset of kept logits.
    NDArray sorted = x.sort(-1).flip(-1);
    long vocab = sorted.getShape().get(sorted.getShape().dimension() - 1);
    if (sampling.topK() > 0 && sampling.topK() < vocab) {
      sorted = sorted.get("..., :" + sampling.topK());
    }
    if (sampling.topP() < 1.0) {
      NDArray p = sorted.softmax(-1);
      // Keep a token while the mass before it is below topP: the first token is always kept.
      NDArray before = p.cumSum(-1).sub(p);
      NDArray keep = before.lt(sampling.topP());
      NDArray minusInf = sorted.onesLike().mul(Double.NEGATIVE_INFINITY);
      sorted = NDArrays.where(keep, sorted, minusInf);
    }
    return sorted;
  }

  /** {@code −Σ p log p} over the last axis, with {@code 0 · log 0 = 0}. */
  private static NDArray entropyPerPosition(NDArray scaled) {
    NDArray logP = scaled.logSoftmax(-1);
    NDArray p = logP.exp();
    // Clipping −∞ to the lowest double keeps 0 · log 0 at 0 instead of NaN.
    return p.mul(logP.clip(-Double.MAX_VALUE, 0.0)).sum(new int[] {-1}).neg().maximum(0.0);
  }

  /** Rejects NaN, +∞ and overflowed logits, and all-(−∞) rows, at the selected positions. */
  private static void checkValues(NDArray scaled, NDArray selected) {
    NDArray badValue = scaled.isNaN().logicalOr(scaled.eq(Double.POSITIVE_INFINITY));
    NDArray badPosition = badValue.toType(DataType.FLOAT32, false).max(new int[] {-1}).gt(0f);
    NDArray emptyRow = scaled.max(new int[] {-1}).eq(Double.NEGATIVE_INFINITY);
    NDArray bad = badPosition.logicalOr(emptyRow);
    if (selected != null) {
      bad = bad.logicalAnd(selected);
    }
    if (bad.any().getBoolean()) {
      throw describeBadPosition(bad, badPosition);
    }
  }

  private static IllegalArgumentException describeBadPosition(NDArray bad, NDArray badValue) {
    // The error path may copy to the host: it runs once.
    boolean[] flags = bad.flatten().toBooleanArray();
    boolean[] valueFlags = badValue.flatten().toBooleanArray();
    long[] dims = bad.getShape().getShape();
    for (int i = 0; i < flags.length; i++) {
      if (flags[i]) {
        String where = position(i, dims);
        if (valueFlags[i]) {
          return new IllegalArgumentException("logits" + where
              + " must be finite or -Infinity after division by the temperature, holds NaN or +Infinity");
        }
        return new IllegalArgumentException("logits" + where + " must hold a finite logit, all are -Infinity");
      }
    }
    return new IllegalArgumentException("logits hold a bad value");
  }

  private static String position(int flatIndex, long[] dims) {
    StringBuilder sb = new StringBuilder();
    long rest = flatIndex;
    long[] index = new long[dims.length];
    for (int d = dims.length - 1; d >= 0; d--) {
      index[d] = rest % dims[d];
      rest /= dims[d];
    }
    for (long i : index) {
      sb.append('[').append(i).append(']');
    }
    return sb.toString();
  }

  private static void checkShape(NDArray logits, int minRank, int maxRank) {
    int rank = logits.getShape().dimension();
    if (!(rank >= minRank && rank <= maxRank)) {
      throw new IllegalArgumentException("logits must have rank in [" + minRank + ", " + maxRank
          + "], was shape " + logits.getShape());
    }
    for (long d : logits.getShape().getShape()) {
      if (!(d > 0)) {
        throw new IllegalArgumentException("logits must have no empty dimension, was shape " + logits.getShape());
      }
    }
    if (!logits.getDataType().isFloating()) {
      throw new IllegalArgumentException("logits must be a floating-point array, was " + logits.getDataType());
    }
  }

  @Override
  public String toString() {
    return "DjlEntropyProbe{" + sampling + "}";
  }
}
