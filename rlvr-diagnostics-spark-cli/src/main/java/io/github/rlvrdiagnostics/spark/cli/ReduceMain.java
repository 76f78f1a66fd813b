package io.github.rlvrdiagnostics.spark.cli;

import io.github.rlvrdiagnostics.cli.Main;

/**
 * The {@code reduce} command as a main class for {@code spark-submit}:
 * {@code spark-submit --class io.github.rlvrdiagnostics.spark.cli.ReduceMain APP.jar rollouts PATH... --out FILE}
 * runs {@code rlvr-diag reduce rollouts PATH... --out FILE} on the cluster {@code spark-submit}
 * names (the arguments are those of {@code reduce}, without the word itself).
 */
public final class ReduceMain {
  private ReduceMain() {}

  /** Runs {@code rlvr-diag reduce ARGS...} and exits with its status. */
  public static void main(String[] args) {
    String[] all = new String[args.length + 1];
    all[0] = "reduce";
    System.arraycopy(args, 0, all, 1, args.length);
    Main.main(all);
  }
}
