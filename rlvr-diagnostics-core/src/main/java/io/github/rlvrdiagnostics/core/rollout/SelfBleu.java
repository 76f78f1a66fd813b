package io.github.rlvrdiagnostics.core.rollout;

import io.github.rlvrdiagnostics.api.Accumulator;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
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
 * <p>It keeps the sequences: {@link #value()} costs O(N²·L). Mergeable: {@link #combine} appends
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

  /** Sentence BLEU of one hypothesis against references, as described in the class documentation. */
  static double bleu(int[] hypothesis, List<int[]> references) {
    int orders = Math.min(MAX_ORDER, hypothesis.length);
    double logPrecision = 0;
    for (int n = 1; n <= orders; n++) {
      Map<List<Integer>, Integer> hypCounts = ngrams(hypothesis, n);
      Map<List<Integer>, Integer> maxRef = new HashMap<>();
      for (int[] ref : references) {
        ngrams(ref, n).forEach((gram, count) -> maxRef.merge(gram, count, Math::max));
      }
      int matched = 0;
      int total = 0;
      for (Map.Entry<List<Integer>, Integer> e : hypCounts.entrySet()) {
        matched += Math.min(e.getValue(), maxRef.getOrDefault(e.getKey(), 0));
        total += e.getValue();
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

  private static Map<List<Integer>, Integer> ngrams(int[] tokens, int n) {
    Map<List<Integer>, Integer> counts = new HashMap<>();
    for (int i = 0; i + n <= tokens.length; i++) {
      List<Integer> gram = new ArrayList<>(n);
      for (int j = i; j < i + n; j++) {
        gram.add(tokens[j]);
      }
      counts.merge(gram, 1, Integer::sum);
    }
    return counts;
  }
}
