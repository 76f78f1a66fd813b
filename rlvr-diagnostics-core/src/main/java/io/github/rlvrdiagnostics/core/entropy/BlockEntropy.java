package io.github.rlvrdiagnostics.core.entropy;

/**
 * The default fast entropy path, plain Java with no JVM flags: the sums of {@link EntropySums}
 * over blocks of {@value #BLOCK} logits, with an {@code exp} written as simple counted loops over
 * arrays (no calls, no branches, no bit tricks), which C2 compiles to SIMD instructions.
 *
 * <p><b>Algorithm.</b> For each block: the largest and smallest float logit, then
 * {@code d = z·(1/T) − m} relative to the block's maximum (as the plain pass computes it, so the
 * maximum gets exactly {@code d = 0}), {@code e = exp(d)} into a buffer, the sums {@code Σ e} and
 * {@code Σ e·d} with four accumulators each in a fixed order, and the block merged with the exact
 * {@code Math.exp} rescaling of {@link EntropySums}. Results are bit-for-bit repeatable.
 *
 * <p><b>The exp and its error.</b> {@code e^d = q(d/1024)^1024}: {@code q} is the Taylor
 * polynomial of degree 9 of {@code e^y} on {@code −1/4 ≤ y ≤ 0}, then ten squarings. The
 * truncation error of {@code q} is at most {@code (1/4)^10/10! · e^{1/4}} ≈ 3.4e-13 relative;
 * squaring multiplies a relative error by 2 each time, so with rounding the term is within about
 * 1024 · 4.5e-13 ≈ 4.6e-10 of {@code e^d}. The reduction {@code d/1024} is exact (a power of two),
 * and no exponent bits are built, which is what lets C2 vectorise the loop; the price is the
 * range: a block whose logits span more than {@value #SPAN}·T, or that holds a masked token, is
 * summed with {@code Math.exp} instead. A relative error {@code δ} in each term moves {@code H} by
 * at most {@code 2δH}, so at most 1e-9 of {@code H}. Measured against the exact {@code BigDecimal}
 * reference over the adversarial rows of {@code FastEntropyAccuracyTest}: worst relative error
 * 1.3e-10 where {@code H ≥ 1e-8}, and at most 8.0e-16 nats absolute below (the rounding of
 * {@code S ≈ 1} to a double, as in the plain pass).
 *
 * <p>Rows with NaN, {@code +∞} or no finite logit are handed back (NaN result) so the plain pass
 * can judge them.
 */
final class BlockEntropy {
  private BlockEntropy() {}

  /** Logits per block: the two double buffers (16 KiB) and the block stay in the L1 cache. */
  static final int BLOCK = 1024;
  /** The widest {@code m − d} the polynomial covers: {@code 1024 · 1/4}. */
  static final double SPAN = 256.0;
  private static final double SQUARINGS_SCALE = 1.0 / 1024; // 2^-10, undone by ten squarings

  /** Per-thread buffers for {@code d} and {@code e^d}: a row allocates nothing. */
  private static final ThreadLocal<double[][]> BUFFERS = ThreadLocal.withInitial(() -> new double[2][BLOCK]);

  /**
   * The entropy of {@code row[offset .. offset + length)} at {@code 1/T}, or NaN for a row the plain
   * pass must judge; {@code 1/T} at most {@link Entropies#FAST_MAX_INVERSE_T}.
   */
  static double entropy(float[] row, int offset, int length, double inverseT) {
    EntropySums sums = new EntropySums();
    return sum(row, offset, offset + length, inverseT, sums) && !sums.isEmpty() ? sums.entropy() : Double.NaN;
  }

  /**
   * Merges the sums of {@code row[from .. end)} into {@code sums}; false for a range the plain pass
   * must judge (NaN or {@code +∞}).
   */
  static boolean sum(float[] row, int from, int end, double inverseT, EntropySums sums) {
    double[][] buffers = BUFFERS.get();
    double[] offsets = buffers[0];
    double[] terms = buffers[1];
    for (int start = from; start < end; start += BLOCK) {
      int n = Math.min(BLOCK, end - start);
      float top = Float.NEGATIVE_INFINITY;
      float bottom = Float.POSITIVE_INFINITY;
      for (int j = 0; j < n; j++) {
        top = Math.max(top, row[start + j]);
        bottom = Math.min(bottom, row[start + j]);
      }
      if (Float.isNaN(top) || top == Float.POSITIVE_INFINITY) {
        return false;
      }
      if (top == Float.NEGATIVE_INFINITY) {
        continue; // every logit of the block is masked
      }
      double max = top * inverseT;
      if (bottom * inverseT - max >= -SPAN) {
        polynomialBlock(row, start, n, inverseT, max, offsets, terms, sums);
      } else {
        exactBlock(row, start, n, inverseT, max, sums);
      }
    }
    return true;
  }

  /**
   * One block by the polynomial. The {@code exp} is written out in the loop, not called: C2 does
   * not always inline a 175-byte helper, and a loop with a call is not vectorised (measured: half
   * the speed in some JVM runs); written out, this method is also too big to be inlined into its
   * callers, so it always compiles as itself.
   */
  private static void polynomialBlock(float[] row, int start, int n, double inverseT, double max,
      double[] offsets, double[] terms, EntropySums sums) {
    // Three loops, not one: C2 vectorises each of them, but not the three fused.
    for (int j = 0; j < n; j++) {
      offsets[j] = row[start + j] * inverseT - max;
    }
    for (int j = 0; j < n; j++) {
      double y = offsets[j] * SQUARINGS_SCALE;
      // e^d = q(d/1024)^1024: q has the Taylor coefficients 1/n!, n = 9 down to 0, by Horner's
      // rule, then ten squarings, written out (a loop here would stop C2 vectorising this one).
      double q = Math.fma(y, 1.0 / 362880, 1.0 / 40320);
      q = Math.fma(q, y, 1.0 / 5040);
      q = Math.fma(q, y, 1.0 / 720);
      q = Math.fma(q, y, 1.0 / 120);
      q = Math.fma(q, y, 1.0 / 24);
      q = Math.fma(q, y, 1.0 / 6);
      q = Math.fma(q, y, 0.5);
      q = Math.fma(q, y, 1.0);
      q = Math.fma(q, y, 1.0);
      q *= q;
      q *= q;
      q *= q;
      q *= q;
      q *= q;
      q *= q;
      q *= q;
      q *= q;
      q *= q;
      q *= q;
      terms[j] = q;
    }
    double s0 = 0.0;
    double s1 = 0.0;
    double s2 = 0.0;
    double s3 = 0.0;
    double w0 = 0.0;
    double w1 = 0.0;
    double w2 = 0.0;
    double w3 = 0.0;
    int j = 0;
    for (; j + 3 < n; j += 4) {
      s0 += terms[j];
      s1 += terms[j + 1];
      s2 += terms[j + 2];
      s3 += terms[j + 3];
      w0 = Math.fma(terms[j], offsets[j], w0);
      w1 = Math.fma(terms[j + 1], offsets[j + 1], w1);
      w2 = Math.fma(terms[j + 2], offsets[j + 2], w2);
      w3 = Math.fma(terms[j + 3], offsets[j + 3], w3);
    }
    for (; j < n; j++) {
      s0 += terms[j];
      w0 = Math.fma(terms[j], offsets[j], w0);
    }
    sums.merge(max, (s0 + s1) + (s2 + s3), (w0 + w1) + (w2 + w3));
  }

  /** A block with masked tokens or a span the polynomial does not cover: {@code Math.exp} per logit. */
  private static void exactBlock(float[] row, int start, int n, double inverseT, double max, EntropySums sums) {
    double sum = 0.0;
    double weighted = 0.0;
    for (int j = 0; j < n; j++) {
      double d = row[start + j] * inverseT - max;
      double e = Math.exp(d);
      sum += e;
      if (e != 0.0) { // a masked token adds 0, not 0 · (−∞) = NaN
        weighted += e * d;
      }
    }
    sums.merge(max, sum, weighted);
  }
}
