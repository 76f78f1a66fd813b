/**
 * The checkpoint diagnostic: ladder analysis with the entropy and signal rules, threshold
 * calibration, predictor correlations and the in-loop training monitor (docs/MATH.md §4). The
 * rules themselves live in {@link io.github.rlvrdiagnostics.api.TriageConfig}.
 *
 * <p>Every parameter and return value is non-null unless annotated otherwise.
 */
@NullMarked
package io.github.rlvrdiagnostics.core.diagnostic;

import org.jspecify.annotations.NullMarked;

