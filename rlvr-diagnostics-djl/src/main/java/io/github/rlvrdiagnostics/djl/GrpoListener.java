package io.github.rlvrdiagnostics.djl;

/**
 * A receiver of the metrics of every step of a {@link GrpoTrainer}: a metrics file, a training
 * monitor, a progress display. The trainer's own metrics-file and monitor options are listeners
 * too; those run before the listeners added with {@code GrpoTrainer.Builder#listener}, which run
 * in the order they were added.
 *
 * <p>{@link #onStep} is called on the training thread after each step's updates, with the
 * metrics that {@link GrpoTrainer#step()} then returns; an exception it throws propagates out of
 * {@code step()}. {@link #close()} is called once, when the trainer is closed; it does nothing
 * unless overridden, so a lambda is a complete listener.
 */
@FunctionalInterface
public interface GrpoListener extends AutoCloseable {
  /**
   * Receives one step's metrics.
   *
   * @param metrics what the step measured
   */
  void onStep(GrpoStepMetrics metrics);

  /** Releases what the listener holds, when the trainer closes; by default nothing. Unchecked. */
  @Override
  default void close() {}
}
