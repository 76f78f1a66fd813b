/**
 * The experiments' commands, {@code demo} and {@code toy}, which join {@code rlvr-diag} as
 * {@link io.github.rlvrdiagnostics.cli.ExtensionCommand}s found by {@link java.util.ServiceLoader}.
 *
 * <p>Every parameter and return value is non-null unless annotated otherwise.
 */
@NullMarked
package io.github.rlvrdiagnostics.examples.cli;

import org.jspecify.annotations.NullMarked;

