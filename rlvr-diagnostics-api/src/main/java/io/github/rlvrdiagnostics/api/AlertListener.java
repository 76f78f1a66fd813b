package io.github.rlvrdiagnostics.api;

/** Receives a training monitor's alerts as they are raised; called on the thread that fed the step. */
@FunctionalInterface
public interface AlertListener {
  /** Called once per alert. */
  void onAlert(Alert alert);
}
