package io.github.rlvrdiagnostics.api;

/**
 * One entropy reading of a training run.
 *
 * @param step the training step, {@code ≥ 0}
 * @param entropy the entropy in nats, finite and {@code ≥ 0}
 */
public record EntropyPoint(long step, double entropy) {

  /** Validates the components. */
  public EntropyPoint {
    Checks.atLeast("step", step, 0L);
    Checks.nonNegative("entropy", entropy);
  }

  /** A reading. */
  public static EntropyPoint of(long step, double entropy) {
    return new EntropyPoint(step, entropy);
  }
}
