package io.github.rlvrdiagnostics.cli;

/**
 * A picocli {@code @Command} that another jar adds to {@code rlvr-diag}: {@link Main} finds every
 * implementation on the class path with {@link java.util.ServiceLoader} (listed in
 * {@code META-INF/services/io.github.rlvrdiagnostics.cli.ExtensionCommand}) and registers it as a
 * subcommand.
 *
 * <p>This is how the experiments ({@code demo}, {@code toy}), which need DJL and PyTorch, join the
 * command line without putting DJL into the calculator jar.
 */
public interface ExtensionCommand {}
