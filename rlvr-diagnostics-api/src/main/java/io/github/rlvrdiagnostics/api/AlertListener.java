package io.github.rlvrdiagnostics.api;

/**
 * Receives a training monitor's alerts as they are raised, and its verdicts as they change;
 * called on the thread that fed the step.
 */
@FunctionalInterface
public interface AlertListener {
  /** Called once per alert episode, when it opens. */
  void onAlert(Alert alert);

  /**
   * Called when the run's verdict changes: a new state is confirmed, or a state escalates (a
   * plateau that lasts becomes critical). The default does nothing.
   */
  default void onVerdict(Verdict verdict) {}
}
