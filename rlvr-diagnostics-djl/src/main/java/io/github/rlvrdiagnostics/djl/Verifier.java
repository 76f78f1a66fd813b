package io.github.rlvrdiagnostics.djl;

/** The programmatic checker of a verifiable task: the reward of a completion of a prompt. */
@FunctionalInterface
public interface Verifier {
  /**
   * The reward, finite; {0, 1} for the binary closed forms to apply.
   *
   * @param prompt the prompt's token ids
   * @param completion the generated token ids
   */
  double reward(int[] prompt, int[] completion);
}
