package io.github.rlvrdiagnostics.api;

/**
 * The sampler whose next-token distribution an entropy probe measures: temperature and optional
 * top-k / top-p truncation (docs/MATH.md §3).
 *
 * <p>With truncation the probe measures the entropy of the distribution the sampler really draws
 * from: the kept tokens, renormalised. Top-k is applied first, then top-p (the smallest set of
 * most probable tokens whose probability reaches {@code topP}), as Hugging Face and vLLM do.
 *
 * @param temperature the rollout temperature {@code T}, finite and {@code > 0}
 * @param topK the number of most probable tokens kept, or 0 for no top-k truncation
 * @param topP the nucleus mass, in (0, 1]; 1 means no top-p truncation
 */
public record SamplingConfig(double temperature, int topK, double topP) {

  /** Temperature 1 without truncation: the model's own distribution. */
  public static final SamplingConfig DEFAULT = new SamplingConfig(1.0, 0, 1.0);

  /** Validates the components. */
  public SamplingConfig {
    Checks.temperature(temperature);
    Checks.atLeast("topK", topK, 0);
    Checks.topP(topP);
  }

  /** Sampling at the given temperature without truncation. */
  public static SamplingConfig ofTemperature(double temperature) {
    return new SamplingConfig(temperature, 0, 1.0);
  }

  /** This configuration with top-k truncation ({@code 0} turns it off). */
  public SamplingConfig withTopK(int k) {
    return new SamplingConfig(temperature, k, topP);
  }

  /** This configuration with top-p truncation ({@code 1} turns it off). */
  public SamplingConfig withTopP(double p) {
    return new SamplingConfig(temperature, topK, p);
  }

  /** Whether the sampler truncates the distribution (top-k or top-p). */
  public boolean truncates() {
    return topK > 0 || topP < 1.0;
  }
}
