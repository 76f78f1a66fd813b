package io.github.rlvrdiagnostics.api;

import java.util.Arrays;

/**
 * Entropies of a batch of next-token distributions, in nats, with their mean and minimum.
 *
 * @param entropies one entropy per row, in row order; a copy
 * @param mean their arithmetic mean
 * @param min their minimum (the worst token)
 */
public record EntropySummary(double[] entropies, double mean, double min) {

  /** Validates the components and copies the array. */
  public EntropySummary {
    if (entropies.length == 0) {
      throw new IllegalArgumentException("entropies must not be empty, was length 0");
    }
    entropies = entropies.clone();
    for (int i = 0; i < entropies.length; i++) {
      if (!(entropies[i] >= 0.0 && entropies[i] < Double.POSITIVE_INFINITY)) {
        throw new IllegalArgumentException(
            "entropies[" + i + "] must be finite and >= 0, was " + entropies[i]);
      }
    }
  }

  /** The summary of the given entropies. */
  public static EntropySummary of(double[] entropies) {
    return new EntropySummary(
        entropies, Aggregation.MEAN.apply(entropies), Aggregation.MIN.apply(entropies));
  }

  /** The number of rows. */
  public int rows() {
    return entropies.length;
  }

  /** A copy of the entropies. */
  @Override
  public double[] entropies() {
    return entropies.clone();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof EntropySummary other
        && Arrays.equals(entropies, other.entropies)
        && Double.compare(mean, other.mean) == 0
        && Double.compare(min, other.min) == 0;
  }

  @Override
  public int hashCode() {
    return 31 * Arrays.hashCode(entropies) + Double.hashCode(mean);
  }

  @Override
  public String toString() {
    return "EntropySummary[rows=" + entropies.length + ", mean=" + mean + ", min=" + min + "]";
  }
}
