package io.github.rlvrdiagnostics.api;

/**
 * A hook a token sampler calls with the logits it already holds, just before drawing a token:
 * the way a JVM inference engine ({@code sampleToken(float[] logits)}-style samplers) records the
 * per-token entropy of what it generates without a second forward pass. It depends on nothing of
 * the engine: a sampler wraps itself as
 * <pre>{@code int sampleToken(float[] logits) { hook.onLogits(logits); return inner.sampleToken(logits); }}</pre>
 *
 * <p>The hook reads the logits synchronously and keeps no reference to the array, which the
 * sampler may reuse or modify after the call returns; it never modifies them. An implementation
 * that records entropy must not allocate per token (the library's does not, on its default path).
 * A hook is called from the sampler's thread; implementations say whether they are thread-safe.
 */
@FunctionalInterface
public interface LogitsHook {
  /**
   * Receives the logits of one token: {@code logits[offset .. offset + length)}, the raw,
   * untempered scores over the vocabulary.
   *
   * @throws IllegalArgumentException on a range outside the array or logits the hook rejects
   */
  void onLogits(float[] logits, int offset, int length);

  /** Receives the logits of one token, the whole array. */
  default void onLogits(float[] logits) {
    onLogits(logits, 0, logits.length);
  }
}
