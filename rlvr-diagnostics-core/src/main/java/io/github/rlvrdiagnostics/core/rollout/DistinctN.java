package io.github.rlvrdiagnostics.core.rollout;

import io.github.rlvrdiagnostics.api.Accumulator;
import io.github.rlvrdiagnostics.api.Checks;
import java.io.Serializable;
import java.util.Arrays;
import java.util.HashSet;
import java.util.OptionalDouble;
import java.util.Set;

/**
 * Distinct-n of a set of token sequences (as <i>Revisiting Entropy in RL for Large Reasoning Models</i> reports it): the number of unique n-grams over the
 * number of n-grams, across all sequences; 1 when no n-gram repeats, falling as rollouts collapse
 * onto the same text.
 *
 * <p>Exact: it keeps the set of distinct n-grams (memory grows with their number). Mergeable:
 * {@link #combine} is associative with {@link #empty} as identity. Serializable, so partial accumulators can travel between workers (Spark, Flink). Not thread-safe.
 */
public final class DistinctN implements Accumulator<DistinctN>, Serializable {
  private static final long serialVersionUID = 1L;

  private final int n;
  private final Set<NGram> unique = new HashSet<>();
  private long total;
  private long sequences;

  private record NGram(int[] tokens) implements Serializable {
    @Override
    public boolean equals(Object o) {
      return o instanceof NGram other && Arrays.equals(tokens, other.tokens);
    }

    @Override
    public int hashCode() {
      return Arrays.hashCode(tokens);
    }
  }

  private DistinctN(int n) {
    this.n = Checks.atLeast("n", n, 1);
  }

  /**
   * An empty accumulator of n-grams of length {@code n}.
   *
   * @throws IllegalArgumentException if {@code n < 1}
   */
  public static DistinctN empty(int n) {
    return new DistinctN(n);
  }

  /** The n-gram length. */
  public int n() {
    return n;
  }

  /** Adds the n-grams of one sequence (none when it is shorter than {@code n}). */
  public DistinctN accept(int[] tokens) {
    for (int i = 0; i + n <= tokens.length; i++) {
      unique.add(new NGram(Arrays.copyOfRange(tokens, i, i + n)));
      total++;
    }
    sequences++;
    return this;
  }

  /**
   * Merges another accumulator into this one and returns this.
   *
   * @throws IllegalArgumentException if the n-gram lengths differ
   */
  @Override
  public DistinctN combine(DistinctN other) {
    if (other.n != n) {
      throw new IllegalArgumentException("other must count " + n + "-grams, counts " + other.n + "-grams");
    }
    unique.addAll(other.unique);
    total += other.total;
    sequences += other.sequences;
    return this;
  }

  /** The number of sequences accepted. */
  @Override
  public long count() {
    return sequences;
  }

  /** The number of n-grams seen. */
  public long total() {
    return total;
  }

  /** The number of distinct n-grams seen. */
  public long distinct() {
    return unique.size();
  }

  /** Distinct over total; empty before the first n-gram. */
  @Override
  public OptionalDouble value() {
    return total == 0 ? OptionalDouble.empty() : OptionalDouble.of((double) unique.size() / total);
  }
}
