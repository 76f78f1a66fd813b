package io.github.rlvrdiagnostics.api;

/**
 * The calibration-band filter of <i>SFT Overtraining Predicts Rank Inversion via Entropy Collapse Under RLVR</i> (§3; docs/MATH.md §2): keep a problem for GRPO training only when its
 * calibration rollouts include at least {@code minPasses} passes and at least
 * {@code minFailures} failures, dropping unsolvable and saturated problems.
 *
 * <p>The paper's band {@code 1 ≤ c ≤ 15} of 16 rollouts is {@link #DEFAULT} ({@code minPasses = 1},
 * {@code minFailures = 1}); stating the band by passes and failures lets it apply unchanged to
 * problems sampled a different number of times.
 *
 * @param minPasses the fewest passes kept, at least 0
 * @param minFailures the fewest failures kept, at least 0
 */
public record CalibrationBand(int minPasses, int minFailures) {

  /** The paper's band: at least one pass and at least one failure (1 ≤ c ≤ 15 of 16). */
  public static final CalibrationBand DEFAULT = new CalibrationBand(1, 1);

  /** Validates the components. */
  public CalibrationBand {
    Checks.atLeast("minPasses", minPasses, 0);
    Checks.atLeast("minFailures", minFailures, 0);
  }

  /**
   * The band {@code lowest ≤ c ≤ highest} for problems sampled {@code rollouts} times, as the
   * paper states it; {@code of(16, 1, 15)} is {@link #DEFAULT}.
   *
   * @throws IllegalArgumentException unless {@code 0 ≤ lowest ≤ highest ≤ rollouts}
   */
  public static CalibrationBand of(int rollouts, int lowest, int highest) {
    Checks.atLeast("rollouts", rollouts, 1);
    if (!(lowest >= 0 && lowest <= highest && highest <= rollouts)) {
      throw new IllegalArgumentException(
          "band must satisfy 0 <= lowest <= highest <= rollouts, was lowest="
              + lowest + ", highest=" + highest + ", rollouts=" + rollouts);
    }
    return new CalibrationBand(lowest, rollouts - highest);
  }

  /** Whether the problem lies in the band: {@code c ≥ minPasses} and {@code n − c ≥ minFailures}. */
  public boolean contains(ProblemSamples problem) {
    return problem.c() >= minPasses && problem.n() - problem.c() >= minFailures;
  }
}
