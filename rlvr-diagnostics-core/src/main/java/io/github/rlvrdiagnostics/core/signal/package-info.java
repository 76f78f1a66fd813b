/**
 * The learning signal of one GRPO group under binary rewards, in closed form: the expected
 * advantage variance and energies, the degenerate-group probability and the majority-degenerate
 * threshold {@code p*(G)} (docs/MATH.md §1). Front door: {@link io.github.rlvrdiagnostics.core.signal.Signals}.
 *
 * <p>Every parameter and return value is non-null unless annotated otherwise.
 */
@NullMarked
package io.github.rlvrdiagnostics.core.signal;

import org.jspecify.annotations.NullMarked;

