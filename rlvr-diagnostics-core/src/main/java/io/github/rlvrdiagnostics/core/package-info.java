/**
 * Plain-Java implementations of the rlvr-diagnostics API: the closed forms and unbiased
 * estimators of docs/MATH.md §1–§2 and entropy probes over {@code float[]} logits (docs/MATH.md §3).
 *
 * <p>Start at {@link io.github.rlvrdiagnostics.core.RlvrDiagnostics}; implementation classes are
 * package-private. Every parameter and return value is non-null unless annotated otherwise.
 */
@NullMarked
package io.github.rlvrdiagnostics.core;

import org.jspecify.annotations.NullMarked;
