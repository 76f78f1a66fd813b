package io.github.rlvrdiagnostics.api;

/**
 * The monitor's advice to stop a run: given at the first step whose verdict is
 * {@link Severity#CRITICAL}, and only then.
 *
 * @param step the step the advice was given at
 * @param state the critical state behind it
 * @param computeSaved the fraction of the planned RL compute that stopping here saves, in [0, 1]
 * @param reason one line: the evidence and what to do
 */
public record StopAdvice(long step, RunState state, double computeSaved, String reason) {

  /** Checks the components. */
  public StopAdvice {
    Checks.probability("computeSaved", computeSaved);
    if (state == null || reason == null) {
      throw new IllegalArgumentException("state and reason must not be null");
    }
  }
}
