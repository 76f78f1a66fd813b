/**
 * The stable API of rlvr-diagnostics: interfaces, records and enums only.
 *
 * <p>The closed forms of group-relative policy optimisation under binary rewards
 * ({@link io.github.rlvrdiagnostics.api.AdvantageVarianceModel},
 * {@link io.github.rlvrdiagnostics.api.DegenerateThreshold}), their unbiased finite-sample estimators
 * ({@link io.github.rlvrdiagnostics.api.PassAtK}) and entropy probes over logits
 * ({@link io.github.rlvrdiagnostics.api.EntropyProbe}). Implementations live in
 * {@code rlvr-diagnostics-core} (plain Java arrays) and {@code rlvr-diagnostics-djl} (DJL
 * {@code NDArray}s); nothing here names either.
 *
 * <p>Every parameter and return value is non-null unless annotated otherwise. Methods that take
 * arrays never keep or modify them; records copy the arrays they hold.
 */
@NullMarked
package io.github.rlvrdiagnostics.api;

import org.jspecify.annotations.NullMarked;
