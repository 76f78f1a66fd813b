package io.github.rlvrdiagnostics.core.entropy;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * The accelerated entropy path: the same two sums as {@link Entropies}' scalar pass, computed with
 * the incubating Vector API (SIMD {@code exp}). Loaded only when {@code jdk.incubator.vector} is in
 * the boot layer (the JVM was started with {@code --add-modules jdk.incubator.vector}); see
 * {@link Entropies}.
 *
 * <p>Two passes: the maximum of {@code z/T}, then {@code S = Σ e^{d}} and {@code W = Σ e^{d}·d} with
 * {@code d = z/T − max} clamped below at −10,000 (where {@code e^d} is exactly 0 in double, so a
 * {@code −∞} logit contributes exactly 0 and never the NaN of {@code 0·(−∞)}), accumulated in
 * double lanes. Rows with NaN, {@code +∞} or no finite logit are handed back (NaN result) so the
 * scalar path can report them precisely.
 */
final class VectorEntropy {
  private VectorEntropy() {}

  private static final VectorSpecies<Double> DOUBLES = DoubleVector.SPECIES_PREFERRED;
  private static final VectorSpecies<Float> FLOATS = VectorSpecies.of(float.class,
      jdk.incubator.vector.VectorShape.forBitSize(DOUBLES.vectorBitSize() / 2));
  private static final double FLOOR = -10_000.0;

  /** The entropy of {@code row[offset .. offset + length)} at {@code 1/T}, or NaN for a row the scalar path must judge. */
  static double entropy(float[] row, int offset, int length, double inverseT) {
    int lanes = FLOATS.length();
    int end = offset + length;
    int i = offset;
    FloatVector maxVector = FloatVector.broadcast(FLOATS, Float.NEGATIVE_INFINITY);
    jdk.incubator.vector.VectorMask<Float> nan = FLOATS.maskAll(false);
    for (; i + lanes <= end; i += lanes) {
      FloatVector v = FloatVector.fromArray(FLOATS, row, i);
      nan = nan.or(v.test(VectorOperators.IS_NAN));
      maxVector = maxVector.lanewise(VectorOperators.MAX, v);
    }
    float maxLogit = maxVector.reduceLanes(VectorOperators.MAX);
    boolean sawNaN = nan.anyTrue();
    for (int j = i; j < end; j++) {
      sawNaN |= row[j] != row[j];
      maxLogit = Math.max(maxLogit, row[j]);
    }
    double max = maxLogit * inverseT;
    if (sawNaN || !(max > Double.NEGATIVE_INFINITY && max < Double.POSITIVE_INFINITY)) {
      return Double.NaN;
    }
    DoubleVector sum = DoubleVector.zero(DOUBLES);
    DoubleVector weighted = DoubleVector.zero(DOUBLES);
    i = offset;
    for (; i + lanes <= end; i += lanes) {
      DoubleVector x = (DoubleVector) FloatVector.fromArray(FLOATS, row, i).convertShape(VectorOperators.F2D, DOUBLES, 0);
      DoubleVector d = x.mul(inverseT).sub(max).max(FLOOR);
      DoubleVector e = d.lanewise(VectorOperators.EXP);
      sum = sum.add(e);
      weighted = e.fma(d, weighted);
    }
    double s = sum.reduceLanes(VectorOperators.ADD);
    double w = weighted.reduceLanes(VectorOperators.ADD);
    for (; i < end; i++) {
      double d = Math.max(row[i] * inverseT - max, FLOOR);
      double e = Math.exp(d);
      s += e;
      w += e * d;
    }
    return Math.max(0.0, Math.log(s) - w / s);
  }
}
