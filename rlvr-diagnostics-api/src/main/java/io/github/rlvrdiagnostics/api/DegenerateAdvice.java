package io.github.rlvrdiagnostics.api;

/**
 * What a signal flag means and what to do about it: the side its degenerate groups come from and
 * one line of advice with the numbers behind it, for example {@code "71% of groups would be
 * all-pass at G = 8: too easy for RL at this G; use harder prompts"}. Built by the core module's
 * {@code SignalAdvice}, which owns the wording and the numbers.
 *
 * @param side which kind of degenerate group dominates
 * @param action the advice, one line of plain text, not empty
 */
public record DegenerateAdvice(DegenerateSide side, String action) {

  /** Validates the components. */
  public DegenerateAdvice {
    if (side == null) {
      throw new IllegalArgumentException("side must not be null, was null");
    }
    if (action == null || action.isBlank() || action.contains("\n")) {
      throw new IllegalArgumentException("action must be one non-blank line, was "
          + (action == null ? "null" : "'" + action + "'"));
    }
  }
}
