/**
 * The reference experiments, never published: the built-in digit-sum task with a programmatic
 * verifier ({@link io.github.rlvrdiagnostics.examples.DigitSumTask}), a small causal policy
 * trained from scratch, supervised fine-tuning, the SFT-ladder experiment that compares the
 * selection rules by their regret ({@link io.github.rlvrdiagnostics.examples.LadderExperiment},
 * {@link io.github.rlvrdiagnostics.examples.RuleComparison}) and the over-sharpening toy
 * ({@link io.github.rlvrdiagnostics.examples.OverSharpeningToy}). They run on the DJL module's
 * GRPO loop and exist so that every claim of the library can be reproduced on a laptop.
 *
 * <p>Every parameter and return value is non-null unless annotated otherwise.
 */
@NullMarked
package io.github.rlvrdiagnostics.examples;

import org.jspecify.annotations.NullMarked;
