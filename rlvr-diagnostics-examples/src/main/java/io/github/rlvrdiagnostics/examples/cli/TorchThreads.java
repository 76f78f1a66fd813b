package io.github.rlvrdiagnostics.examples.cli;

/**
 * PyTorch's thread pools for the experiments: one intra-op and one inter-op thread unless the
 * user set {@code -Dai.djl.pytorch.num_threads} or {@code -Dai.djl.pytorch.num_interop_threads}.
 *
 * <p>Why: the experiments' tensors are tiny, so threads only add overhead, and on a busy machine
 * OpenMP workers that spin for a core slow a run down several times; and a parallel reduction may
 * add floating-point numbers in a different order from run to run, so seeded runs would not
 * always print the same numbers. DJL reads these properties when the engine starts, so this must
 * run before the first DJL call.
 */
final class TorchThreads {
  private TorchThreads() {}

  static void singleThreaded() {
    setIfAbsent("ai.djl.pytorch.num_threads");
    setIfAbsent("ai.djl.pytorch.num_interop_threads");
  }

  private static void setIfAbsent(String property) {
    if (System.getProperty(property) == null) {
      System.setProperty(property, "1");
    }
  }
}
