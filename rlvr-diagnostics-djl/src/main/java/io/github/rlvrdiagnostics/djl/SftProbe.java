package io.github.rlvrdiagnostics.djl;

import io.github.rlvrdiagnostics.api.Checkpoint;
import io.github.rlvrdiagnostics.api.ProblemSamples;
import io.github.rlvrdiagnostics.api.SignalProfile;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * One probe point of an {@link SftStopAdvisor}: the model as it was at an epoch end or after a
 * number of training steps, measured as a checkpoint of the ladder.
 *
 * @param name the checkpoint's name in the ladder: {@code epoch-<e>} at the end of epoch
 *     {@code e} (counted from 1), {@code step-<s>} after {@code s} training steps otherwise
 * @param epochs the epochs completed when the probe ran
 * @param steps the training steps (batches) completed when the probe ran
 * @param entropy the generation-start entropy, mean over the probe prompts (nats)
 * @param passAt1 the unbiased pass@1 from the samples (the mean of {@code c_j / n_j})
 * @param signal the signal profile at the planned group size, from the samples
 * @param samples {@code n} completions per probe prompt and how many the verifier passed
 * @param savedTo the directory the model was saved to at this point, when saving is on
 */
public record SftProbe(String name, int epochs, long steps, double entropy, double passAt1, SignalProfile signal,
    List<ProblemSamples> samples, Optional<Path> savedTo) {

  /** Copies the list. */
  public SftProbe {
    samples = List.copyOf(samples);
  }

  /** The probe point as a checkpoint of the ladder (seed {@code seed}), with its signal profile. */
  public Checkpoint checkpoint(long seed) {
    return Checkpoint.of(name, seed, entropy, passAt1).withSignal(signal);
  }
}
