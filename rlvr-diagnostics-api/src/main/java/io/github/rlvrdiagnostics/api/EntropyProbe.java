package io.github.rlvrdiagnostics.api;

/**
 * Token entropy, in nats, of the sampling distribution defined by logits and a
 * {@link SamplingConfig} (docs/MATH.md §3):
 * <pre>    H = logsumexp(z/T) − Σ_i softmax(z/T)_i · z_i/T</pre>
 *
 * <p>The type parameter is the caller's container of logits: a {@code float[][]} of
 * {@code [rows, vocab]} in the core module, a DJL {@code NDArray} in the djl module. Every
 * implementation returns one entropy per next-token distribution (row), in row order, and
 * agrees with every other on the same logits (to 1e-5 nats; the core contract tests pin it).
 *
 * <p>Special cases: a {@code −∞} logit (masked token) contributes exactly 0; a {@code +∞} or NaN
 * logit, or a row whose logits are all {@code −∞}, is bad input. Implementations are immutable
 * and thread-safe unless stated otherwise.
 *
 * @param <L> the container of logits
 */
public interface EntropyProbe<L> {

  /** The sampler this probe measures. */
  SamplingConfig sampling();

  /**
   * The entropy of each row's next-token distribution.
   *
   * @throws IllegalArgumentException on an empty batch, a NaN or {@code +∞} logit, or an all
   *     {@code −∞} row (the message names the row and position)
   */
  double[] entropies(L logits);

  /**
   * The entropies with their mean and minimum.
   *
   * @throws IllegalArgumentException as {@link #entropies}
   */
  default EntropySummary summarize(L logits) {
    return EntropySummary.of(entropies(logits));
  }

  /**
   * The entropies reduced to one number: {@link Aggregation#MEAN} for the generation-start probe,
   * {@link Aggregation#MIN} for the worst-token probe.
   *
   * @throws IllegalArgumentException as {@link #entropies}
   */
  default double aggregate(L logits, Aggregation aggregation) {
    return aggregation.apply(entropies(logits));
  }
}
