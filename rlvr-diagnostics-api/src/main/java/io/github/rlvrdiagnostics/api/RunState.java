package io.github.rlvrdiagnostics.api;

/**
 * What a stretch of a GRPO run is doing, decided from the reward's trend, the degenerate split and
 * the entropy (the rules and their order are {@link VerdictConfig}'s; docs/MATH.md §7).
 */
public enum RunState {
  /** The reward rises beyond its noise. */
  LEARNING,
  /** The reward shows no significant change, and no other state explains why. */
  PLATEAU,
  /** No signal because the model solves the prompts: all-pass groups dominate. */
  SATURATED,
  /** No signal because the prompts are too hard: all-fail groups dominate. */
  STARVED,
  /**
   * The entropy collapsed and the reward is flat or falling (with most groups degenerate where the
   * log says): the policy stopped exploring.
   */
  COLLAPSED,
  /** The reward falls beyond its noise. */
  REGRESSING,
  /** Too little data to say. */
  UNKNOWN
}
