/**
 * DJL adapter of rlvr-diagnostics: the only module that sees DJL types.
 *
 * <p>{@link io.github.rlvrdiagnostics.djl.DjlEntropyProbe} measures the entropy of
 * {@code NDArray} logits on the array's own device (CPU or GPU) and returns one number per row
 * to the host; {@link io.github.rlvrdiagnostics.djl.DjlPromptEntropyProbe} runs a user's
 * {@code Block} over prompts for the generation-start (Stage 1) and worst-token (Stage 2) probes
 * of docs/MATH.md §3 (entropy probes). Every call scopes its intermediate arrays in a child {@code NDManager}, so repeated
 * calls do not grow native memory.
 *
 * <p>Inside a user's own DJL training loop: {@link io.github.rlvrdiagnostics.djl.SftStopAdvisor}, a
 * {@code TrainingListener} that builds the checkpoint ladder while SFT runs and recommends where to
 * start RL (writing the ladder file {@code triage} reads through
 * {@link io.github.rlvrdiagnostics.djl.LadderFile}), and
 * {@link io.github.rlvrdiagnostics.djl.DjlEntropyEvaluator}, an {@code Evaluator} that puts token
 * entropy into DJL's training metrics (docs/DJL.md).
 */
@NullMarked
package io.github.rlvrdiagnostics.djl;

import org.jspecify.annotations.NullMarked;

