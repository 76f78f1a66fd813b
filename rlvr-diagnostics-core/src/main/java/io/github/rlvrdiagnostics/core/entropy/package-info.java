/**
 * Entropy of the sampling distribution from logits in plain Java arrays: one stable pass,
 * masking, top-k/top-p truncation, batch rows, masked positions, EMA smoothing (docs/MATH.md §3).
 * Front door: {@link io.github.rlvrdiagnostics.core.entropy.Entropies}.
 *
 * <p>Every parameter and return value is non-null unless annotated otherwise.
 */
@NullMarked
package io.github.rlvrdiagnostics.core.entropy;

import org.jspecify.annotations.NullMarked;

