package io.github.rlvrdiagnostics.api;

/** How urgent an alert or a verdict is, from least to most. */
public enum Severity {
  /** Worth knowing; nothing to do yet. */
  INFO,
  /** Something to change, but the run may still improve on its own. */
  WARNING,
  /** The run will not improve on its own: the monitor advises stopping or changing it now. */
  CRITICAL;

  /** The more urgent of this and {@code other}. */
  public Severity max(Severity other) {
    return compareTo(other) >= 0 ? this : other;
  }
}
