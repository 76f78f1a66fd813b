package io.github.rlvrdiagnostics.api;

/**
 * Which kind of degenerate group a signal flag comes from (docs/MATH.md §4, "Which side a flag
 * comes from"). A group of binary rewards is degenerate when its {@code G} rollouts all pass or
 * all fail; the two call for opposite remedies, so a flag names its side.
 */
public enum DegenerateSide {
  /** All-pass groups alone exceed the threshold: the prompts are too easy at this {@code G}. */
  ALL_PASS,
  /** All-fail groups alone exceed the threshold: the prompts are too hard at this {@code G}. */
  ALL_FAIL,
  /** Neither side alone exceeds the threshold; only both together do. */
  MIXED
}
