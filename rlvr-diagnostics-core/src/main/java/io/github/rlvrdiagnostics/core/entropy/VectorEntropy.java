package io.github.rlvrdiagnostics.core.entropy;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.LongVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;

/**
 * The Vector API entropy path: the sums of {@link EntropySums}, with a polynomial {@code exp} on
 * SIMD double lanes. Loaded only when {@code jdk.incubator.vector} is in the boot layer (the JVM
 * was started with {@code --add-modules jdk.incubator.vector}); see {@link Entropies}.
 *
 * <p><b>Algorithm.</b> The row is cut into blocks of {@value #BLOCK} logits (8 KiB, so the second
 * look at a block comes from the L1 cache and the row is read from memory once). For each block:
 * the maximum {@code m} of the float logits on float lanes, then on double lanes
 * {@code d = z·(1/T) − m} (computed as the plain pass does, so the maximum gets exactly
 * {@code d = 0}), {@code e = exp(d)}, and per-lane sums {@code Σ e} and {@code Σ e·d} in double.
 * The lanes are added in a fixed order (not with {@code reduceLanes}, whose order is unspecified)
 * and the block is merged with the exact {@code Math.exp} rescaling of {@link EntropySums}, so a
 * result is bit-for-bit the same for a given row and lane count. A per-lane running maximum was
 * rejected: every rescaling of a lane would need an exact {@code exp}, and an ascending row would
 * need one per logit.
 *
 * <p><b>Why double lanes and not float {@code exp}.</b> A float {@code exp} on 8 lanes is fast
 * ({@code FloatVector.lanewise(EXP)} alone costs 2.6× the read floor in the README's benchmark
 * run), but its argument {@code d} in
 * float carries a rounding error of {@code 2^-24·|d|}, so a token at {@code d = −80} has its
 * probability off by 5e-6 relative; in a nearly one-hot row such tokens carry the whole entropy
 * and the 1e-6 contract breaks. Computing {@code d} and the range reduction in double removes that
 * error; then 4 double lanes with a short polynomial cost no more than float {@code exp} alone
 * (measured: this whole path 0.75–1.0× the cost of the JDK's float {@code exp} over the same
 * logits).
 *
 * <p><b>The exp and its error.</b> {@code exp(d) = 2^k · p(r)}, {@code k = round(d / ln 2)},
 * {@code r = d − k·ln 2} with {@code |r| ≤ ln 2 / 2}, {@code p} the Taylor polynomial of degree 7.
 * Its truncation error is at most {@code (ln 2/2)^8/8! · e^{ln 2}} ≈ 1.03e-8 relative; rounding
 * adds about 1e-15. {@code d} is clamped at {@value #FLOOR}, where {@code e^d} is exactly 0 in
 * double: a {@code −∞} logit contributes exactly 0. The scale is built as {@code 2^{k+60}} from
 * the exponent bits and multiplied by {@code 2^-60}, so results between {@code 2^-1074} and
 * {@code 2^-1022} are subnormal with one rounding, as {@code Math.exp} gives them. A relative
 * error {@code δ_i} in each term moves {@code H} by {@code −Σ p_i δ_i (log p_i + H)}, at most
 * {@code 2·max δ · H}: at most 2.1e-8 of {@code H}. Measured against the exact {@code BigDecimal}
 * reference over the adversarial rows of {@code FastEntropyAccuracyTest} (ties at the maximum,
 * spreads up to the double range, nearly uniform and nearly one-hot rows, 99% masked, ascending
 * rows, vocabularies up to 262,144, four temperatures): worst relative error 4.6e-10 where
 * {@code H ≥ 1e-8}; below that (nearly one-hot rows) every path, the plain pass included, keeps
 * the absolute error of rounding {@code S ≈ 1} to a double, here at most 2.5e-16 nats.
 *
 * <p>Rows with NaN, {@code +∞} or no finite logit are handed back (NaN result) so the plain pass
 * can judge them.
 */
final class VectorEntropy {
  private VectorEntropy() {}

  private static final VectorSpecies<Double> DOUBLES = DoubleVector.SPECIES_PREFERRED;
  /** Floats with as many lanes as {@link #DOUBLES}: one load converts to one double vector. */
  private static final VectorSpecies<Float> FLOATS =
      VectorSpecies.of(float.class, VectorShape.forBitSize(DOUBLES.vectorBitSize() / 2));
  private static final VectorSpecies<Float> WIDE_FLOATS = FloatVector.SPECIES_PREFERRED;

  /** Logits per block. */
  static final int BLOCK = 2048;
  /** Below this, {@code e^d} is 0 in double ({@code e^-745.2} rounds to 0). */
  static final double FLOOR = -750.0;

  private static final double LOG2E = 1.4426950408889634;
  private static final double LN2 = 0.6931471805599453;
  /** {@code 1.5·2^52}: adding it rounds to an integer and leaves that integer in the low bits. */
  private static final double ROUNDER = 0x1.8p52;
  /** The scale is built as {@code 2^{k+60}}, normal for every {@code k ≥ −1082}, then scaled down. */
  private static final int SCALE_BIAS = 60;
  private static final double UNSCALE = 0x1p-60;

  /**
   * The entropy of {@code row[offset .. offset + length)} at {@code 1/T}, or NaN for a row the plain
   * pass must judge; {@code 1/T} at most {@link Entropies#FAST_MAX_INVERSE_T}.
   */
  static double entropy(float[] row, int offset, int length, double inverseT) {
    EntropySums sums = new EntropySums();
    return sum(row, offset, offset + length, inverseT, sums) && !sums.isEmpty() ? sums.entropy() : Double.NaN;
  }

  /**
   * Merges the sums of {@code row[from .. to)} into {@code sums}; false for a range the plain pass
   * must judge (NaN or {@code +∞}).
   */
  static boolean sum(float[] row, int from, int end, double inverseT, EntropySums sums) {
    double[] lanes = new double[DOUBLES.length()];
    for (int start = from; start < end; start += BLOCK) {
      int stop = Math.min(end, start + BLOCK);
      float top = blockMax(row, start, stop);
      if (Float.isNaN(top) || top == Float.POSITIVE_INFINITY) {
        return false;
      }
      if (top == Float.NEGATIVE_INFINITY) {
        continue; // every logit of the block is masked
      }
      double max = top * inverseT;
      if (!blockSums(row, start, stop, inverseT, max, sums, lanes)) {
        return false;
      }
    }
    return true;
  }

  /** The largest float of the block; NaN if it holds a NaN (the lanewise maximum is {@code Math.max}'s). */
  private static float blockMax(float[] row, int start, int stop) {
    int lanes = WIDE_FLOATS.length();
    FloatVector top = FloatVector.broadcast(WIDE_FLOATS, Float.NEGATIVE_INFINITY);
    int i = start;
    for (; i + lanes <= stop; i += lanes) {
      top = top.max(FloatVector.fromArray(WIDE_FLOATS, row, i));
    }
    float max = top.reduceLanes(VectorOperators.MAX);
    for (; i < stop; i++) {
      max = Math.max(max, row[i]);
    }
    return max;
  }

  /**
   * Merges the block's sums into {@code sums}; false if they came out NaN (a NaN the maximum
   * missed). One method on purpose, with {@code d}, {@code e^d} and the lane sums written out
   * rather than in helpers: a helper that takes or returns a vector and is not inlined makes C2
   * allocate a box per vector (measured: 16 KB per 1,000-logit row, three times slower), and this
   * method, too big to be inlined into its callers, always compiles with its vector operations at
   * the shallow inlining depth that keeps them intrinsics.
   */
  private static boolean blockSums(float[] row, int start, int stop, double inverseT, double max,
      EntropySums sums, double[] lanes) {
    int width = DOUBLES.length();
    DoubleVector scale = DoubleVector.broadcast(DOUBLES, inverseT);
    DoubleVector floor = DoubleVector.broadcast(DOUBLES, FLOOR);
    DoubleVector log2e = DoubleVector.broadcast(DOUBLES, LOG2E);
    DoubleVector rounder = DoubleVector.broadcast(DOUBLES, ROUNDER);
    DoubleVector minusLn2 = DoubleVector.broadcast(DOUBLES, -LN2);
    DoubleVector sumLanes = DoubleVector.zero(DOUBLES);
    DoubleVector weightedLanes = DoubleVector.zero(DOUBLES);
    int i = start;
    for (; i + width <= stop; i += width) {
      // d = z·(1/T) − max, clamped below at FLOOR with a compare and blend, not max(): NaN stays
      // NaN (the block is then handed back), and it is cheaper.
      DoubleVector x = (DoubleVector) FloatVector.fromArray(FLOATS, row, i)
          .convertShape(VectorOperators.F2D, DOUBLES, 0);
      DoubleVector d = x.mul(scale).sub(max);
      d = d.blend(floor, d.compare(VectorOperators.LT, floor));
      // e^d = 2^k·p(r): k = round(d/ln 2) (adding 1.5·2^52 rounds, and leaves k in the low bits),
      // r = d − k·ln 2, p the Taylor polynomial of degree 7 by Horner's rule.
      DoubleVector rounded = d.fma(log2e, rounder);
      DoubleVector r = rounded.sub(rounder).fma(minusLn2, d);
      DoubleVector p = r.fma(DoubleVector.broadcast(DOUBLES, 1.0 / 5040), DoubleVector.broadcast(DOUBLES, 1.0 / 720))
          .fma(r, DoubleVector.broadcast(DOUBLES, 1.0 / 120))
          .fma(r, DoubleVector.broadcast(DOUBLES, 1.0 / 24))
          .fma(r, DoubleVector.broadcast(DOUBLES, 1.0 / 6))
          .fma(r, DoubleVector.broadcast(DOUBLES, 0.5))
          .fma(r, DoubleVector.broadcast(DOUBLES, 1.0))
          .fma(r, DoubleVector.broadcast(DOUBLES, 1.0));
      // 2^{k+60} from the exponent bits (bias 1023 + 60), then 2^-60: one rounding for subnormals.
      LongVector bits = rounded.reinterpretAsLongs().add(1023L + SCALE_BIAS).lanewise(VectorOperators.LSHL, 52);
      DoubleVector e = p.mul(bits.reinterpretAsDoubles()).mul(UNSCALE);
      sumLanes = sumLanes.add(e);
      weightedLanes = e.fma(d, weightedLanes);
    }
    // The lanes added left to right: a fixed order, unlike reduceLanes.
    sumLanes.intoArray(lanes, 0);
    double sum = 0.0;
    for (double lane : lanes) {
      sum += lane;
    }
    weightedLanes.intoArray(lanes, 0);
    double weighted = 0.0;
    for (double lane : lanes) {
      weighted += lane;
    }
    for (; i < stop; i++) {
      double d = row[i] * inverseT - max;
      double e = Math.exp(d);
      sum += e;
      if (e != 0.0) { // a masked token adds 0, not 0 · (−∞) = NaN
        weighted += e * d;
      }
    }
    if (Double.isNaN(sum + weighted)) {
      return false;
    }
    sums.merge(max, sum, weighted);
    return true;
  }
}
