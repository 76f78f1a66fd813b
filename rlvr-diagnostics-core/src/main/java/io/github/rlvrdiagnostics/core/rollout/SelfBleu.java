package io.github.rlvrdiagnostics.core.rollout;

import io.github.rlvrdiagnostics.api.Accumulator;
import io.github.rlvrdiagnostics.api.Checks;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalDouble;

/**
 * Self-BLEU of a set of token sequences (as <i>Revisiting Entropy in RL for Large Reasoning Models</i> reports it; Zhu et al. 2018): the mean, over the
 * sequences, of the BLEU of each against all the others as references. High Self-BLEU means the
 * rollouts say the same thing.
 *
 * <p><b>Variant</b>, since papers differ: sentence BLEU-4 with uniform weights over 1- to 4-grams,
 * clipped n-gram counts against the per-n-gram maximum over the references, Chen and Cherry's
 * smoothing method 1 (a zero match count becomes 0.1), and the brevity penalty against the
 * reference length closest to the hypothesis (ties to the shorter), as NLTK's
 * {@code sentence_bleu} with {@code SmoothingFunction().method1} computes it. A hypothesis
 * shorter than 4 tokens uses the n-gram orders it has.
 *
 * <p>It keeps the sequences: {@link #value()} costs O(N²·L) for N sequences of length L (each
 * hypothesis is matched against every other sequence, with no per-reference map); for large N,
 * {@link #sampledValue(long, long)} bounds the work to a number of hypothesis-reference pairs and
 * states its error. Mergeable: {@link #combine} appends
 * (associative, {@link #empty()} the identity). Serializable, so partial accumulators can travel between workers (Spark, Flink). Not thread-safe.
 */
public final class SelfBleu implements Accumulator<SelfBleu>, Serializable {
  private static final long serialVersionUID = 1L;

  private static final int MAX_ORDER = 4;
  private static final double SMOOTHING_EPSILON = 0.1;

  private final List<int[]> sequences = new ArrayList<>();

  private SelfBleu() {}

  /** An accumulator of no sequences. */
  public static SelfBleu empty() {
    return new SelfBleu();
  }

  /**
   * Adds a sequence (copied).
   *
   * @throws IllegalArgumentException on an empty sequence
   */
  public SelfBleu accept(int[] tokens) {
    if (tokens.length == 0) {
      throw new IllegalArgumentException("tokens must not be empty, was length 0");
    }
    sequences.add(tokens.clone());
    return this;
  }

  /** Appends another accumulator's sequences to this one and returns this. */
  @Override
  public SelfBleu combine(SelfBleu other) {
    sequences.addAll(other.sequences);
    return this;
  }

  /** The number of sequences accepted. */
  @Override
  public long count() {
    return sequences.size();
  }

  /** The number of sequences. */
  public int size() {
    return sequences.size();
  }

  /** The mean BLEU of each sequence against the others; empty with fewer than two sequences. */
  @Override
  public OptionalDouble value() {
    if (sequences.size() < 2) {
      return OptionalDouble.empty();
    }
    double sum = 0;
    for (int i = 0; i < sequences.size(); i++) {
      List<int[]> references = new ArrayList<>(sequences);
      int[] hypothesis = references.remove(i);
      sum += bleu(hypothesis, references);
    }
    return OptionalDouble.of(sum / sequences.size());
  }

  /**
   * Self-BLEU estimated from at most {@code maxPairs} hypothesis-reference pairs: exactly
   * {@link #value()} when {@code N(N − 1) ≤ maxPairs}; otherwise the mean BLEU of
   * {@code K = max(1, ⌊maxPairs / (N − 1)⌋)} hypotheses drawn without replacement, each against all
   * {@code N − 1} other sequences, so every BLEU in the mean is the one {@link #value()} averages.
   *
   * <p><b>Error.</b> The estimate is unbiased for {@link #value()}. Each BLEU lies in [0, 1], so by
   * Hoeffding's inequality (which holds for sampling without replacement) the estimate is within
   * {@code sqrt(ln(2/δ) / (2K))} of the exact value with probability at least {@code 1 − δ}: at
   * δ = 0.05, 0.19 for K = 50 and 0.096 for K = 200. That is the worst case of values spread over
   * [0, 1]; the typical error is the sampling standard error {@code σ·sqrt((1 − K/N) / K)}, with σ
   * the spread of the per-hypothesis BLEU (0.014 for σ = 0.1 and K = 50).
   *
   * <p>The draw depends on the seed and the sequences' contents, never on the order in which they
   * were accepted or combined: the same sequences and seed give the same value however they were
   * partitioned.
   *
   * @param maxPairs the most hypothesis-reference pairs to evaluate, {@code ≥ 1}
   * @param seed the seed of the draw
   * @return empty with fewer than two sequences
   * @throws IllegalArgumentException if {@code maxPairs < 1}
   */
  public OptionalDouble sampledValue(long maxPairs, long seed) {
    Checks.atLeast("maxPairs", maxPairs, 1L);
    int n = sequences.size();
    if (n < 2) {
      return OptionalDouble.empty();
    }
    if ((long) n * (n - 1) <= maxPairs) {
      return value();
    }
    int k = (int) Math.max(1, Math.min(n, maxPairs / (n - 1)));
    // Rank by a seeded hash of the content (ties by content): an order no partitioning can change.
    Integer[] order = new Integer[n];
    long[] rank = new long[n];
    for (int i = 0; i < n; i++) {
      order[i] = i;
      rank[i] = mix(seed ^ mix(java.util.Arrays.hashCode(sequences.get(i))));
    }
    java.util.Arrays.sort(order, (a, b) -> {
      int c = Long.compare(rank[a], rank[b]);
      return c != 0 ? c : java.util.Arrays.compare(sequences.get(a), sequences.get(b));
    });
    double sum = 0;
    for (int h = 0; h < k; h++) {
      List<int[]> references = new ArrayList<>(sequences);
      int[] hypothesis = references.remove((int) order[h]);
      sum += bleu(hypothesis, references);
    }
    return OptionalDouble.of(sum / k);
  }

  /** SplitMix64's finalizer: a well-spread 64-bit hash. */
  private static long mix(long z) {
    z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
    z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
    return z ^ (z >>> 31);
  }

  /**
   * Sentence BLEU of one hypothesis against references, as described in the class documentation.
   * Each order's clipped count needs, for every n-gram of the hypothesis, its largest count in one
   * reference: the references are scanned position by position against tables of the
   * hypothesis's n-grams (longer n-grams only where the shorter one matched), without building an
   * n-gram map per reference.
   */
  static double bleu(int[] hypothesis, List<int[]> references) {
    int orders = Math.min(MAX_ORDER, hypothesis.length);
    Grams[] grams = new Grams[orders + 1];
    int[][] maxRef = new int[orders + 1][];
    int[][] current = new int[orders + 1][];
    int[][] touched = new int[orders + 1][];
    int[] touchedCount = new int[orders + 1];
    for (int n = 1; n <= orders; n++) {
      grams[n] = new Grams(hypothesis, n);
      maxRef[n] = new int[grams[n].size];
      current[n] = new int[grams[n].size];
      touched[n] = new int[grams[n].size];
    }
    for (int[] ref : references) {
      for (int i = 0; i < ref.length; i++) {
        // An n-gram of the hypothesis starts with an (n-1)-gram of it: stop at the first order not found.
        for (int n = 1; n <= orders && i + n <= ref.length; n++) {
          int g = grams[n].find(ref, i);
          if (g < 0) {
            break;
          }
          if (current[n][g]++ == 0) {
            touched[n][touchedCount[n]++] = g;
          }
        }
      }
      for (int n = 1; n <= orders; n++) {
        for (int t = 0; t < touchedCount[n]; t++) {
          int g = touched[n][t];
          maxRef[n][g] = Math.max(maxRef[n][g], current[n][g]);
          current[n][g] = 0;
        }
        touchedCount[n] = 0;
      }
    }
    double logPrecision = 0;
    for (int n = 1; n <= orders; n++) {
      int matched = 0;
      int total = 0;
      for (int g = 0; g < grams[n].size; g++) {
        matched += Math.min(grams[n].count[g], maxRef[n][g]);
        total += grams[n].count[g];
      }
      double precision = matched == 0 ? SMOOTHING_EPSILON / total : (double) matched / total;
      logPrecision += Math.log(precision) / orders;
    }
    int closest = references.get(0).length;
    for (int[] ref : references) {
      int d = Math.abs(ref.length - hypothesis.length);
      int best = Math.abs(closest - hypothesis.length);
      if (d < best || (d == best && ref.length < closest)) {
        closest = ref.length;
      }
    }
    double brevity = hypothesis.length >= closest ? 1.0 : Math.exp(1.0 - (double) closest / hypothesis.length);
    return brevity * Math.exp(logPrecision);
  }

  /**
   * The distinct n-grams of one sequence with their counts, in an open-addressing table keyed by
   * a hash of the n tokens; a lookup compares the tokens themselves, so a hash collision never
   * counts a wrong n-gram.
   */
  private static final class Grams {
    final int[] tokens;
    final int n;
    int size;
    final int[] start;
    final int[] count;
    private final int[] slots; // gram index + 1, 0 for empty
    private final int mask;
    private final int shift;

    Grams(int[] tokens, int n) {
      this.tokens = tokens;
      this.n = n;
      int grams = tokens.length - n + 1;
      start = new int[grams];
      count = new int[grams];
      int capacity = Integer.highestOneBit(Math.max(4, grams * 2 - 1)) << 1;
      slots = new int[capacity];
      mask = capacity - 1;
      shift = 64 - Integer.numberOfTrailingZeros(capacity);
      for (int i = 0; i < grams; i++) {
        int slot = slot(tokens, i);
        while (true) {
          int g = slots[slot] - 1;
          if (g < 0) {
            start[size] = i;
            count[size] = 1;
            slots[slot] = ++size;
            break;
          }
          if (same(tokens, i, start[g])) {
            count[g]++;
            break;
          }
          slot = (slot + 1) & mask;
        }
      }
    }

    /** The index of the n-gram at {@code other[at..at+n)}, or -1 when the sequence does not hold it. */
    int find(int[] other, int at) {
      int slot = slot(other, at);
      while (true) {
        int g = slots[slot] - 1;
        if (g < 0) {
          return -1;
        }
        if (same(other, at, start[g])) {
          return g;
        }
        slot = (slot + 1) & mask;
      }
    }

    private boolean same(int[] other, int at, int own) {
      for (int j = 0; j < n; j++) {
        if (other[at + j] != tokens[own + j]) {
          return false;
        }
      }
      return true;
    }

    private int slot(int[] seq, int at) {
      long h = n;
      for (int j = 0; j < n; j++) {
        h = h * 0x9E3779B97F4A7C15L + seq[at + j];
      }
      return (int) ((h * 0x9E3779B97F4A7C15L) >>> shift); // Fibonacci hashing: the top bits
    }
  }
}
