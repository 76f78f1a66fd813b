/**
 * The {@code reduce} command of {@code rlvr-diag} ({@code reduce rollouts}, {@code reduce samples}),
 * added to the command line through {@link io.github.rlvrdiagnostics.cli.ExtensionCommand}, and
 * {@link io.github.rlvrdiagnostics.spark.cli.ReduceMain}, the same command as a main class for
 * {@code spark-submit}.
 *
 * <p>Every parameter and return value is non-null unless annotated otherwise.
 */
@NullMarked
package io.github.rlvrdiagnostics.spark.cli;

import org.jspecify.annotations.NullMarked;
