package io.github.rlvrdiagnostics.core.entropy;

import io.github.rlvrdiagnostics.api.Accumulator;
import io.github.rlvrdiagnostics.api.Checks;
import io.github.rlvrdiagnostics.api.LogitsHook;
import io.github.rlvrdiagnostics.api.SamplingConfig;
import java.util.OptionalDouble;

/**
 * The per-token entropy of generated tokens, recorded from a sampler's logits through the
 * {@link LogitsHook} it calls, and summarised as a mergeable accumulator: the number of tokens,
 * their mean entropy (the {@link #value()}), minimum and maximum, in nats, at the sampler's
 * temperature and truncation.
 *
 * <p>Each {@link #onLogits} computes the token's entropy as {@link Entropies#entropy(float[], int,
 * int, SamplingConfig)} does, with the same bits, but in the caller's thread (no fork) and into
 * sums this recorder reuses, so an untruncated row of at least 128 logits (any length on the
 * Vector API path) that is good input allocates nothing on the default path. With top-k/top-p
 * truncation each token sorts a copy of its logits. {@link #accept(double)} adds an entropy
 * computed elsewhere. {@link #combine} merges recorders (the sampling configuration of
 * {@code this} is kept); {@link #create} with the same configuration is its identity. Not
 * thread-safe: one recorder per sampler thread, combined afterwards.
 */
public final class TokenEntropies implements LogitsHook, Accumulator<TokenEntropies> {
  private final SamplingConfig sampling;
  private final EntropySums part = new EntropySums();
  private final EntropySums total = new EntropySums();
  private long count;
  private double sum;
  private double min = Double.POSITIVE_INFINITY;
  private double max = Double.NEGATIVE_INFINITY;

  private TokenEntropies(SamplingConfig sampling) {
    this.sampling = sampling;
  }

  /** An empty recorder of tokens drawn with {@code sampling} (temperature, top-k, top-p). */
  public static TokenEntropies create(SamplingConfig sampling) {
    return new TokenEntropies(sampling);
  }

  /** The sampling configuration the entropies are computed at. */
  public SamplingConfig sampling() {
    return sampling;
  }

  /**
   * Records the entropy of one token's logits.
   *
   * @throws IllegalArgumentException on a range outside the array or bad logits (see
   *     {@link Entropies}); the recorder is then unchanged
   */
  @Override
  public void onLogits(float[] logits, int offset, int length) {
    accept(Entropies.entropyReusing(logits, offset, length, sampling, part, total));
  }

  /**
   * Adds one token's entropy, computed elsewhere; returns this.
   *
   * @throws IllegalArgumentException unless the entropy is finite and {@code ≥ 0}
   */
  public TokenEntropies accept(double entropy) {
    Checks.nonNegative("entropy", entropy);
    count++;
    sum += entropy;
    min = Math.min(min, entropy);
    max = Math.max(max, entropy);
    return this;
  }

  @Override
  public TokenEntropies combine(TokenEntropies other) {
    count += other.count;
    sum += other.sum;
    min = Math.min(min, other.min);
    max = Math.max(max, other.max);
    return this;
  }

  /** The number of tokens recorded. */
  @Override
  public long count() {
    return count;
  }

  /** The mean entropy per token; empty before the first token. */
  @Override
  public OptionalDouble value() {
    return count == 0 ? OptionalDouble.empty() : OptionalDouble.of(sum / count);
  }

  /** The lowest token entropy (the worst token); empty before the first token. */
  public OptionalDouble min() {
    return count == 0 ? OptionalDouble.empty() : OptionalDouble.of(min);
  }

  /** The highest token entropy; empty before the first token. */
  public OptionalDouble max() {
    return count == 0 ? OptionalDouble.empty() : OptionalDouble.of(max);
  }

  @Override
  public String toString() {
    return "TokenEntropies{count=" + count + (count == 0 ? "" : ", mean=" + sum / count + ", min=" + min + ", max=" + max)
        + ", " + sampling + "}";
  }
}
