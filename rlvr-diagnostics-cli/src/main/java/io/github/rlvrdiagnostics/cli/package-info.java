/**
 * The {@code rlvr-diag} command line: calculators for the closed forms, the unbiased estimators
 * and the entropy probes of rlvr-diagnostics. Computation stays in the library; this package
 * parses, validates and prints.
 */
@NullMarked
package io.github.rlvrdiagnostics.cli;

import org.jspecify.annotations.NullMarked;

