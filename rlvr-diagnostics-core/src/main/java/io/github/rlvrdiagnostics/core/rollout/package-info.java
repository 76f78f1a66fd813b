/**
 * Per-rollout computations and mergeable accumulators: advantages, degenerate groups,
 * distinct-n, Self-BLEU, calibration gap and Cov(log π, A); every accumulator implements
 * {@link io.github.rlvrdiagnostics.api.Accumulator} (docs/MATH.md §5).
 *
 * <p>Every parameter and return value is non-null unless annotated otherwise.
 */
@NullMarked
package io.github.rlvrdiagnostics.core.rollout;

import org.jspecify.annotations.NullMarked;

