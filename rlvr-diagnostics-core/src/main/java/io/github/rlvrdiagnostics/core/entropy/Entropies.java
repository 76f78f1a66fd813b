package io.github.rlvrdiagnostics.core.entropy;

import io.github.rlvrdiagnostics.api.Aggregation;
import io.github.rlvrdiagnostics.api.EntropyProbe;
import io.github.rlvrdiagnostics.api.SamplingConfig;
import java.util.Arrays;

/**
 * Token entropy, in nats, of the sampling distribution of plain-Java logits (docs/MATH.md §3):
 * <pre>    H = logsumexp(z/T) − Σ_i softmax(z/T)_i · z_i/T</pre>
 *
 * <p><b>Algorithm.</b> The plain pass: one pass over the logits with a running maximum {@code m} of
 * {@code x = z/T}: it keeps {@code S = Σ e^{x−m}} and {@code W = Σ e^{x−m}(x − m)}, rescaling
 * both when the maximum moves, and returns {@code H = log S − W/S}. Everything is accumulated in
 * double, so float logits lose nothing and the result is within a few ulps times
 * {@code log(vocab)} of the exact entropy of the float logits as given. Without truncation the
 * pass allocates nothing.
 *
 * <p><b>Truncation.</b> With top-k and/or top-p the probe measures the distribution the sampler
 * really draws from: the {@code k} largest logits (ties broken arbitrarily: the entropy depends
 * only on the kept values), then the smallest prefix of the remaining tokens, most probable
 * first, whose probability reaches {@code topP} (a token is kept while the mass before it is
 * below {@code topP}, so at least one is), renormalised; {@link Truncation} defines the rule.
 * This path sorts a copy: O(V log V).
 *
 * <p><b>Special cases.</b> A {@code −∞} logit (a masked token) contributes exactly 0 and is never
 * kept by truncation. A NaN or {@code +∞} logit, a finite logit whose quotient by {@code T}
 * overflows ("logits[i] / temperature overflows"; with a subnormal temperature every non-zero
 * logit does), an empty array, or a row whose logits are all {@code −∞} is bad input. A zero
 * logit stays 0 at any temperature, so all-zero logits give {@code log V} even then. Logits so
 * far apart that {@code x − max} overflows ({@code [1e308, −1e308]}) give their tokens
 * probability exactly 0 and contribute 0, so such a row has entropy 0, not NaN. A result that
 * rounding would make negative (a one-hot row) is returned as 0.
 *
 * <p><b>Speed.</b> Untruncated float rows take a fast path when the JVM allows it:
 * <ul>
 *   <li>started with {@code --add-modules jdk.incubator.vector}: {@code VectorEntropy}, SIMD double
 *       lanes with a polynomial {@code exp} (within 2.1e-8 of {@code H}, proven; {@link
 *       #vectorized()} says whether it is in use);
 *   <li>otherwise, for rows of at least {@value #BLOCK_MIN_LENGTH} logits: {@code BlockEntropy},
 *       plain Java loops that C2 vectorises, with a polynomial {@code exp} (within 1e-9 of
 *       {@code H}, proven), and nothing of the Vector API loaded.
 * </ul>
 * Both sum blocks of logits relative to the block's maximum and merge them as the plain pass
 * does ({@code EntropySums}); both hand a row with NaN, {@code +∞} or no finite logit back to the
 * plain pass, which names the bad position. The contract, tested on adversarial rows against the
 * exact reference: within 1e-6 of {@code H}, plus 1e-14 nats for the rounding of the sum
 * {@code S ≈ 1} of a nearly one-hot row, which no double computation of {@code log S} avoids.
 * Rows of at least two segments of {@value #SEGMENT} logits spread the segments over the common
 * fork-join pool, and batches of at least 2^20 logits spread the segments of all their rows as one
 * set of tasks (whole rows, when truncation leaves no segments); the segments are
 * merged left to right either way, so results are bit-for-bit repeatable for a given row and lane
 * count, forked or not.
 *
 * <p>All methods are static, stateless and thread-safe; arrays are read, never modified.
 */
public final class Entropies {
  private Entropies() {}

  /**
   * Whether float rows take the Vector API path: the JVM has {@code jdk.incubator.vector} in its
   * boot layer (started with {@code --add-modules jdk.incubator.vector}) and the system property
   * {@code rlvr.entropy.vector} is not {@code false}. Without the module nothing of it is loaded.
   */
  static final boolean VECTORIZED = ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent()
      && !"false".equals(System.getProperty("rlvr.entropy.vector"));

  /** Rows of at least this many logits in total are spread over the common fork-join pool. */
  private static final long PARALLEL_THRESHOLD = 1L << 20;

  /**
   * The largest {@code 1/T} the fast paths take: {@code |z|/T ≤ 3.4e38 · 2^800} stays far from
   * overflow, so only the plain pass has to judge a quotient that overflows.
   */
  static final double FAST_MAX_INVERSE_T = 0x1p800;

  /**
   * Float rows on a fast path are summed in segments of this many logits, merged left to right, so
   * a row of at least two segments can spread them over the common pool (measured break-even on
   * this project's 2-core machine: see the README's Benchmarks).
   */
  static final int SEGMENT = 1 << 15;

  /** Shorter float rows, without the Vector API, take the plain pass: there is little to vectorise. */
  static final int BLOCK_MIN_LENGTH = 128;


  /**
   * A probe over {@code [rows][vocab]} float logits, one entropy per row, computed as
   * {@link #rows(float[][], SamplingConfig)} does.
   */
  public static EntropyProbe<float[][]> probe(SamplingConfig sampling) {
    return new ArrayEntropyProbe.Floats(sampling);
  }

  /** A probe over {@code [rows][vocab]} double logits, one entropy per row. */
  public static EntropyProbe<double[][]> probeDouble(SamplingConfig sampling) {
    return new ArrayEntropyProbe.Doubles(sampling);
  }

  /** Whether this JVM computes float entropies on the Vector API path (see the class documentation). */
  public static boolean vectorized() {
    return VECTORIZED;
  }

  /**
   * The entropy of one row of float logits.
   *
   * @throws IllegalArgumentException on bad logits (see the class documentation)
   */
  public static double entropy(float[] logits, SamplingConfig sampling) {
    return entropy(logits, 0, logits.length, sampling);
  }

  /**
   * The entropy of the row {@code logits[offset .. offset + length)} of a flat buffer.
   *
   * @throws IllegalArgumentException on a range outside the array or bad logits
   */
  public static double entropy(float[] logits, int offset, int length, SamplingConfig sampling) {
    checkRange(logits.length, offset, length);
    return entropy(FloatRow.of(logits, offset, length), sampling, "logits");
  }

  /**
   * The entropy of {@code logits[offset .. offset + length)} summed into the caller's reusable
   * {@code part} and {@code total}, in one thread: for callers that must not allocate per row (a
   * sampler's per-token hook). Segments are merged left to right as {@link #entropy(float[], int,
   * int, SamplingConfig)} merges them, so the bits are the same. Truncated sampling, rows too short
   * for the fast paths and bad rows take that method instead (which allocates).
   *
   * @throws IllegalArgumentException on a range outside the array or bad logits
   */
  static double entropyReusing(float[] logits, int offset, int length, SamplingConfig sampling, EntropySums part,
      EntropySums total) {
    return entropyReusing(logits, offset, length, sampling, part, total, VECTORIZED);
  }

  /** {@link #entropyReusing} on the Vector API path or not (for tests of both). */
  static double entropyReusing(float[] logits, int offset, int length, SamplingConfig sampling, EntropySums part,
      EntropySums total, boolean vectorized) {
    checkRange(logits.length, offset, length);
    double inverseT = 1.0 / sampling.temperature();
    if (!sampling.truncates() && inverseT <= FAST_MAX_INVERSE_T && (vectorized || length >= BLOCK_MIN_LENGTH)) {
      total.reset();
      int end = offset + length;
      boolean judged = true;
      for (int from = offset; from < end && judged; from += SEGMENT) {
        part.reset();
        int to = Math.min(end, from + SEGMENT);
        judged = vectorized ? VectorEntropy.sum(logits, from, to, inverseT, part)
            : BlockEntropy.sum(logits, from, to, inverseT, part);
        total.merge(part);
      }
      if (judged && !total.isEmpty()) {
        return total.entropy();
      }
    }
    return entropy(FloatRow.of(logits, offset, length), sampling, "logits", vectorized, true);
  }

  /**
   * The entropy of one row of double logits.
   *
   * @throws IllegalArgumentException on bad logits (see the class documentation)
   */
  public static double entropy(double[] logits, SamplingConfig sampling) {
    if (logits.length == 0) {
      throw new IllegalArgumentException("logits must not be empty, was length 0");
    }
    return entropy(DoubleRow.of(logits), sampling, "logits");
  }

  /**
   * The entropy of every row of {@code [rows][vocab]} float logits, in row order.
   *
   * @throws IllegalArgumentException on no rows or bad logits (the message names row and column)
   */
  public static double[] rows(float[][] logits, SamplingConfig sampling) {
    requireRows(logits.length);
    long total = 0;
    for (int r = 0; r < logits.length; r++) {
      if (logits[r].length == 0) {
        throw new IllegalArgumentException("logits[" + r + "] must not be empty, was length 0");
      }
      total += logits[r].length;
    }
    FloatRow[] rows = new FloatRow[logits.length];
    for (int r = 0; r < rows.length; r++) {
      rows[r] = FloatRow.of(logits[r], 0, logits[r].length);
    }
    return floatRows(rows, total, sampling);
  }

  /**
   * The entropies of float rows. A batch of at least {@link #PARALLEL_THRESHOLD} logits spreads
   * the segments of all its rows over the common pool as one set of tasks (a batch of 8 rows on
   * 2 cores then balances its 40-odd segments, not 8 rows), and each row merges its own segments
   * left to right, as {@link #fastEntropy} does one after the other: the same bits as a serial
   * run. Rows the fast paths do not take, and rows a segment hands back, go through the
   * per-row path.
   */
  private static double[] floatRows(FloatRow[] rows, long total, SamplingConfig sampling) {
    double[] entropies = new double[rows.length];
    double inverseT = 1.0 / sampling.temperature();
    boolean spread = rows.length > 1 && total >= PARALLEL_THRESHOLD;
    if (!spread) {
      for (int r = 0; r < rows.length; r++) {
        entropies[r] = entropy(rows[r], sampling, "logits[" + r + "]", VECTORIZED, true);
      }
      return entropies;
    }
    if (sampling.truncates() || !(inverseT <= FAST_MAX_INVERSE_T)) {
      // No segments to spread (truncation sorts whole rows): spread the rows.
      java.util.stream.IntStream.range(0, rows.length).parallel()
          .forEach(r -> entropies[r] = entropy(rows[r], sampling, "logits[" + r + "]", VECTORIZED, false));
      return entropies;
    }
    // Task t of row r is segment t − first[r]; rows off the fast paths get no tasks.
    int[] first = new int[rows.length + 1];
    for (int r = 0; r < rows.length; r++) {
      boolean fast = VECTORIZED || rows[r].length() >= BLOCK_MIN_LENGTH;
      first[r + 1] = first[r] + (fast ? (rows[r].length() + SEGMENT - 1) / SEGMENT : 0);
    }
    int[] rowOfTask = new int[first[rows.length]];
    for (int r = 0; r < rows.length; r++) {
      java.util.Arrays.fill(rowOfTask, first[r], first[r + 1], r);
    }
    EntropySums[] parts = new EntropySums[rowOfTask.length];
    java.util.stream.IntStream.range(0, parts.length).parallel()
        .forEach(t -> parts[t] = segment(rows[rowOfTask[t]], t - first[rowOfTask[t]], inverseT, VECTORIZED));
    for (int r = 0; r < rows.length; r++) {
      double h = Double.NaN;
      if (first[r + 1] > first[r]) {
        EntropySums sums = new EntropySums();
        for (int t = first[r]; t < first[r + 1] && parts[t] != null; t++) {
          sums.merge(parts[t]);
        }
        boolean judged = java.util.Arrays.stream(parts, first[r], first[r + 1]).allMatch(java.util.Objects::nonNull);
        h = judged && !sums.isEmpty() ? sums.entropy() : Double.NaN;
      }
      // NaN: off the fast paths, or a row the plain pass must judge (and name).
      entropies[r] = Double.isNaN(h) ? entropy(rows[r], sampling, "logits[" + r + "]", VECTORIZED, false) : h;
    }
    return entropies;
  }

  /**
   * The entropy of every row of {@code [rows][vocab]} double logits, in row order.
   *
   * @throws IllegalArgumentException on no rows or bad logits (the message names row and column)
   */
  public static double[] rows(double[][] logits, SamplingConfig sampling) {
    requireRows(logits.length);
    double[] entropies = new double[logits.length];
    for (int r = 0; r < logits.length; r++) {
      if (logits[r].length == 0) {
        throw new IllegalArgumentException("logits[" + r + "] must not be empty, was length 0");
      }
      entropies[r] = entropy(DoubleRow.of(logits[r]), sampling, "logits[" + r + "]");
    }
    return entropies;
  }

  /**
   * The entropy of every row of a flat row-major {@code [rows × vocab]} buffer.
   *
   * @throws IllegalArgumentException unless {@code vocab ≥ 1} divides the length, or on bad logits
   */
  public static double[] rows(float[] flat, int vocab, SamplingConfig sampling) {
    if (!(vocab >= 1 && flat.length % vocab == 0 && flat.length > 0)) {
      throw new IllegalArgumentException("flat length must be a positive multiple of vocab, was length "
          + flat.length + ", vocab " + vocab);
    }
    FloatRow[] rows = new FloatRow[flat.length / vocab];
    for (int r = 0; r < rows.length; r++) {
      rows[r] = FloatRow.of(flat, r * vocab, vocab);
    }
    return floatRows(rows, flat.length, sampling);
  }

  /**
   * The entropies of the positions selected by {@code mask}, reduced by {@code aggregation}:
   * {@link Aggregation#MEAN} over response tokens is the response entropy of <i>Revisiting Entropy in Reinforcement Learning for Large Reasoning Models</i>,
   * {@link Aggregation#MIN} the worst token. Unselected positions are not read at all.
   *
   * @param positions {@code [seq][vocab]} logits of one sequence
   * @param mask which positions count, one flag per position
   * @throws IllegalArgumentException if the lengths differ, no position is selected, or a
   *     selected position holds bad logits
   */
  public static double maskedAggregate(
      float[][] positions, boolean[] mask, SamplingConfig sampling, Aggregation aggregation) {
    return maskedAggregate(positions, mask, sampling, aggregation, "logits");
  }

  /**
   * {@link #maskedAggregate} for each sequence of a {@code [batch][seq][vocab]} array with a
   * {@code [batch][seq]} mask: one number per sequence.
   *
   * @throws IllegalArgumentException on mismatched shapes, a sequence with no selected position,
   *     or bad logits at a selected position (the message names the sequence)
   */
  public static double[] perSequence(
      float[][][] logits, boolean[][] mask, SamplingConfig sampling, Aggregation aggregation) {
    requireRows(logits.length);
    if (mask.length != logits.length) {
      throw new IllegalArgumentException("mask must have one row per sequence (" + logits.length
          + "), was " + mask.length);
    }
    double[] result = new double[logits.length];
    for (int b = 0; b < logits.length; b++) {
      result[b] = maskedAggregate(logits[b], mask[b], sampling, aggregation, "logits[" + b + "]");
    }
    return result;
  }

  private static double maskedAggregate(float[][] positions, boolean[] mask, SamplingConfig sampling,
      Aggregation aggregation, String name) {
    if (positions.length != mask.length) {
      throw new IllegalArgumentException("mask of " + name + " must have one flag per position ("
          + positions.length + "), was " + mask.length);
    }
    int selected = 0;
    for (boolean m : mask) {
      selected += m ? 1 : 0;
    }
    if (selected == 0) {
      throw new IllegalArgumentException("mask of " + name + " must select at least one position, selects none");
    }
    double[] values = new double[selected];
    int j = 0;
    for (int t = 0; t < positions.length; t++) {
      if (mask[t]) {
        if (positions[t].length == 0) {
          throw new IllegalArgumentException(name + "[" + t + "] must not be empty, was length 0");
        }
        values[j++] = entropy(FloatRow.of(positions[t], 0, positions[t].length), sampling, name + "[" + t + "]");
      }
    }
    return aggregation.apply(values);
  }

  // ---------------------------------------------------------------------------------------------

  /** Read access to one row of logits, float or double, without copying. */
  private interface Row {
    int length();

    double get(int i);
  }

  private record FloatRow(float[] values, int offset, int length) implements Row {
    static FloatRow of(float[] values, int offset, int length) {
      return new FloatRow(values, offset, length);
    }

    @Override
    public double get(int i) {
      return values[offset + i];
    }
  }

  private record DoubleRow(double[] values) implements Row {
    static DoubleRow of(double[] values) {
      return new DoubleRow(values);
    }

    @Override
    public int length() {
      return values.length;
    }

    @Override
    public double get(int i) {
      return values[i];
    }
  }

  private static double entropy(Row row, SamplingConfig sampling, String name) {
    return entropy(row, sampling, name, VECTORIZED, true);
  }

  /** The entropy of one float row as a JVM without the Vector API computes it (for tests of that path). */
  static double entropyWithoutVectorApi(float[] row, SamplingConfig sampling) {
    return entropy(FloatRow.of(row, 0, row.length), sampling, "logits", false, true);
  }

  /** The entropy of one float row, its segments never forked (for tests of the fork). */
  static double entropyInOneThread(float[] row, SamplingConfig sampling, boolean vectorized) {
    return entropy(FloatRow.of(row, 0, row.length), sampling, "logits", vectorized, false);
  }

  /**
   * @param mayFork whether a long row may spread its segments over the common pool (not when the
   *     caller already spreads rows)
   */
  private static double entropy(Row row, SamplingConfig sampling, String name, boolean vectorized, boolean mayFork) {
    double inverseT = 1.0 / sampling.temperature();
    if (sampling.truncates()) {
      return truncatedEntropy(row, sampling, inverseT, name);
    }
    if (row instanceof FloatRow f && inverseT <= FAST_MAX_INVERSE_T && (vectorized || f.length() >= BLOCK_MIN_LENGTH)) {
      double h = fastEntropy(f, inverseT, vectorized, mayFork);
      if (!Double.isNaN(h)) {
        return h;
      }
      // NaN: a bad row; the plain pass below names the offending position.
    }
    return scalarEntropy(row, inverseT, name);
  }

  /**
   * A fast path over the row in segments of {@link #SEGMENT} logits, merged left to right: the
   * same result whether the segments run one after the other or, when {@code mayFork} and the row
   * has at least two, on the common fork-join pool. NaN for a row to hand back.
   */
  private static double fastEntropy(FloatRow f, double inverseT, boolean vectorized, boolean mayFork) {
    int segments = (f.length() + SEGMENT - 1) / SEGMENT;
    EntropySums[] parts = new EntropySums[segments];
    if (mayFork && segments > 1) {
      java.util.stream.IntStream.range(0, segments).parallel()
          .forEach(s -> parts[s] = segment(f, s, inverseT, vectorized));
    } else {
      for (int s = 0; s < segments; s++) {
        parts[s] = segment(f, s, inverseT, vectorized);
      }
    }
    EntropySums total = new EntropySums();
    for (EntropySums part : parts) {
      if (part == null) {
        return Double.NaN;
      }
      total.merge(part);
    }
    return total.isEmpty() ? Double.NaN : total.entropy();
  }

  /** The sums of segment {@code s} of the row, or null if the plain pass must judge it. */
  private static EntropySums segment(FloatRow f, int s, double inverseT, boolean vectorized) {
    int from = f.offset() + s * SEGMENT;
    int to = Math.min(f.offset() + f.length(), from + SEGMENT);
    EntropySums part = new EntropySums();
    boolean judged = vectorized ? VectorEntropy.sum(f.values(), from, to, inverseT, part)
        : BlockEntropy.sum(f.values(), from, to, inverseT, part);
    return judged ? part : null;
  }

  /** The plain-Java one-pass entropy (see the class documentation). */
  static double scalarEntropy(float[] row, SamplingConfig sampling) {
    return scalarEntropy(FloatRow.of(row, 0, row.length), 1.0 / sampling.temperature(), "logits");
  }

  /**
   * The plain pass, and the judge of bad input: the logits between two new maxima form a block of
   * sums relative to that maximum, merged into {@link EntropySums} when the next maximum comes.
   */
  private static double scalarEntropy(Row row, double inverseT, String name) {
    EntropySums sums = new EntropySums();
    double max = Double.NEGATIVE_INFINITY;
    double sum = 0.0; // Σ e^{x−max} since the last new maximum
    double weighted = 0.0; // Σ e^{x−max}(x − max) since then
    for (int i = 0; i < row.length(); i++) {
      double z = row.get(i);
      if (z == Double.NEGATIVE_INFINITY) {
        continue;
      }
      double x = scaled(z, inverseT, name, i);
      if (x > max) {
        if (sum > 0.0) {
          sums.merge(max, sum, weighted);
        }
        max = x;
        sum = 1.0;
        weighted = 0.0;
      } else {
        double d = x - max; // may be −∞ when x and max are finite but far apart
        double e = Math.exp(d);
        sum += e;
        if (e != 0.0) { // a token of probability 0 adds 0, not 0 · (−∞) = NaN
          weighted += e * d;
        }
      }
    }
    if (sum == 0.0) {
      throw new IllegalArgumentException(name + " must hold a finite logit, all are -Infinity");
    }
    sums.merge(max, sum, weighted);
    return sums.entropy();
  }

  private static double truncatedEntropy(Row row, SamplingConfig sampling, double inverseT, String name) {
    double[] kept = new double[row.length()];
    int n = 0;
    for (int i = 0; i < row.length(); i++) {
      double z = row.get(i);
      if (z != Double.NEGATIVE_INFINITY) {
        kept[n++] = scaled(z, inverseT, name, i);
      }
    }
    if (n == 0) {
      throw new IllegalArgumentException(name + " must hold a finite logit, all are -Infinity");
    }
    Arrays.sort(kept, 0, n); // ascending: the most probable token is kept[n − 1]
    int from = Truncation.keptFrom(kept, n, sampling.topK(), sampling.topP());
    double max = kept[n - 1];
    double sum = 0.0;
    double weighted = 0.0;
    for (int i = from; i < n; i++) {
      double d = kept[i] - max;
      double e = Math.exp(d);
      sum += e;
      if (e != 0.0) {
        weighted += e * d;
      }
    }
    return EntropySums.entropy(sum, weighted);
  }

  private static double scaled(double z, double inverseT, String name, int index) {
    // 0 / T is 0 even when 1/T overflows (a subnormal temperature): not 0 · ∞ = NaN.
    double x = z == 0.0 ? 0.0 : z * inverseT;
    if (Double.isNaN(z) || z == Double.POSITIVE_INFINITY) {
      throw new IllegalArgumentException(name + "[" + index + "] must be finite or -Infinity, was " + z);
    }
    if (Double.isInfinite(x)) {
      throw new IllegalArgumentException(name + "[" + index + "] / temperature overflows: "
          + z + " * (1 / temperature) = " + z + " * " + inverseT);
    }
    return x;
  }

  private static void checkRange(int arrayLength, int offset, int length) {
    if (!(length >= 1 && offset >= 0 && offset <= arrayLength - length)) {
      throw new IllegalArgumentException("offset and length must select a non-empty range of the "
          + arrayLength + " logits, was offset " + offset + ", length " + length);
    }
  }

  private static void requireRows(int rows) {
    if (rows == 0) {
      throw new IllegalArgumentException("logits must hold at least one row, was 0 rows");
    }
  }
}
