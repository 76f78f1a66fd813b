package io.github.rlvrdiagnostics.api;

/**
 * One warning of a training monitor, and how long the state it warns about lasted (its episode).
 *
 * <p>A level alert (entropy below τ, a majority of degenerate groups, more degenerate groups than
 * predicted) is raised at the onset of its state; while the state lasts the monitor extends the
 * alert's {@code endStep} and {@code steps}, and once it clears the next onset is a new episode.
 * A one-time alert (the Stage 2 checks) has {@code endStep == step} and {@code steps == 1}.
 *
 * @param step the training step it was raised at (the episode's onset)
 * @param kind what it warns about
 * @param message one human-readable line with the numbers behind it (as at the onset)
 * @param endStep the last logged step at which the state still held, {@code ≥ step}
 * @param steps how many logged steps (with the reading the rule needs) the state lasted, {@code ≥ 1}
 * @param severity how urgent it is ({@link MonitorConfig#severity(AlertKind)})
 * @param action one line saying what to do, with numbers the library computed
 */
public record Alert(long step, AlertKind kind, String message, long endStep, long steps, Severity severity,
    String action) {

  /** Checks that the episode ends no earlier than it starts and lasts at least one step. */
  public Alert {
    if (!(endStep >= step)) {
      throw new IllegalArgumentException("endStep must be >= step (" + step + "), was " + endStep);
    }
    Checks.atLeast("steps", steps, 1L);
    if (kind == null || message == null || severity == null || action == null) {
      throw new IllegalArgumentException("kind, message, severity and action must not be null");
    }
  }

  /** An alert whose state was seen at its onset step only (a new episode, or a one-time alert). */
  public Alert(long step, AlertKind kind, String message, Severity severity, String action) {
    this(step, kind, message, step, 1, severity, action);
  }

  /**
   * This episode extended to one more logged step.
   *
   * @throws IllegalArgumentException if {@code endStep} is before this alert's end
   */
  public Alert extendedTo(long endStep) {
    return extendedTo(endStep, 1);
  }

  /**
   * This episode extended to a later logged step, {@code count} logged steps longer (an episode
   * confirmed after several steps takes them all at once).
   *
   * @throws IllegalArgumentException if {@code endStep} is not after this alert's end or
   *     {@code count < 1}
   */
  public Alert extendedTo(long endStep, long count) {
    Checks.atLeast("count", count, 1L);
    if (!(endStep > this.endStep)) {
      throw new IllegalArgumentException("endStep must be > " + this.endStep + ", was " + endStep);
    }
    return new Alert(step, kind, message, endStep, steps + count, severity, action);
  }
}
