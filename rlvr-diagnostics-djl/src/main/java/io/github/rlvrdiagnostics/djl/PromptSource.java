package io.github.rlvrdiagnostics.djl;

/** Where the GRPO loop takes its prompts: the {@code index}-th prompt of the run, deterministically. */
@FunctionalInterface
public interface PromptSource {
  /** The token ids of prompt number {@code index} (≥ 0); all prompts of one step must have one length. */
  int[] prompt(long index);
}
