package io.github.rlvrdiagnostics.api;

import java.util.OptionalDouble;

/**
 * A mergeable summary of rollouts: the contract every rollout accumulator of the library keeps,
 * so that users can reduce rollouts in parallel (one accumulator per thread, partition or Spark
 * task) and merge the partial results.
 *
 * <p>Conventions, the same for every implementation:
 * <ul>
 *   <li>{@code empty()} (a static factory on the implementation) is the identity of
 *       {@link #combine}: {@code empty().combine(a)} summarises the same rollouts as {@code a};
 *   <li>{@code accept(...)} adds one item (a group of rewards, a token sequence, a response's
 *       log-probability…) and returns {@code this}; its argument types differ by accumulator;
 *       a rejected item leaves the accumulator unchanged;
 *   <li>{@link #combine} is associative, so the order of merging does not change the result
 *       beyond floating-point rounding;
 *   <li>{@link #value()} is the headline statistic, empty until it is defined.
 * </ul>
 * Implementations are mutable and not thread-safe: give each thread its own and combine.
 *
 * @param <A> the implementing type
 */
public interface Accumulator<A extends Accumulator<A>> {

  /** Merges {@code other} into this accumulator and returns this; {@code other} is unchanged. */
  A combine(A other);

  /** The number of items accepted so far (groups, sequences or responses). */
  long count();

  /** The headline statistic of the items accepted so far; empty while it is undefined. */
  OptionalDouble value();
}
