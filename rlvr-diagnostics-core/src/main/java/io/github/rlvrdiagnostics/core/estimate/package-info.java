/**
 * Unbiased estimates from finite samples: pass@k, pass^k, the degenerate-group probability and
 * its all-pass/all-fail parts, the advantage variance, and a checkpoint's signal profile
 * (docs/MATH.md §2). Front doors: {@link io.github.rlvrdiagnostics.core.estimate.Estimators} and
 * {@link io.github.rlvrdiagnostics.core.estimate.SignalProfiles}.
 *
 * <p>Every parameter and return value is non-null unless annotated otherwise.
 */
@NullMarked
package io.github.rlvrdiagnostics.core.estimate;

import org.jspecify.annotations.NullMarked;

