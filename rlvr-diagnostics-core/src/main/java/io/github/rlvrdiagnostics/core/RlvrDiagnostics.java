package io.github.rlvrdiagnostics.core;

import io.github.rlvrdiagnostics.api.AdvantageVarianceModel;
import io.github.rlvrdiagnostics.core.entropy.Entropies;
import io.github.rlvrdiagnostics.core.estimate.Estimators;
import io.github.rlvrdiagnostics.core.signal.Signals;
import io.github.rlvrdiagnostics.api.CalibrationBand;
import io.github.rlvrdiagnostics.api.DegenerateThreshold;
import io.github.rlvrdiagnostics.api.EntropyProbe;
import io.github.rlvrdiagnostics.api.PassAtK;
import io.github.rlvrdiagnostics.api.ProblemSamples;
import io.github.rlvrdiagnostics.api.SamplingConfig;
import java.util.ArrayList;
import java.util.List;

/**
 * The entry point of the core module: static factories for the plain-Java implementations of
 * the API's interfaces.
 *
 * <p>Every object returned here is immutable and thread-safe.
 */
public final class RlvrDiagnostics {
  private RlvrDiagnostics() {}

  /** The closed forms of docs/MATH.md §1 for rewards in {0, 1}. */
  public static AdvantageVarianceModel advantageVariance() {
    return Signals.advantageVariance();
  }

  /**
   * The closed forms of docs/MATH.md §1 for rewards in {@code {low, high}}: variances scale by
   * {@code (high − low)²}, std-normalised energies do not change.
   *
   * @throws IllegalArgumentException unless both are finite and {@code low < high}
   */
  public static AdvantageVarianceModel advantageVariance(double rewardLow, double rewardHigh) {
    return Signals.advantageVariance(rewardLow, rewardHigh);
  }

  /** The degenerate-group probability and the majority-degenerate threshold (docs/MATH.md §1). */
  public static DegenerateThreshold degenerateThreshold() {
    return Signals.degenerateThreshold();
  }

  /** The unbiased finite-sample estimators of docs/MATH.md §2. */
  public static PassAtK passAtK() {
    return Estimators.passAtK();
  }

  /**
   * An entropy probe over {@code [rows][vocab]} float logits, one entropy per row (docs/MATH.md §3; see
   * {@link Entropies} for the algorithm, special cases and accuracy).
   */
  public static EntropyProbe<float[][]> entropyProbe(SamplingConfig sampling) {
    return Entropies.probe(sampling);
  }

  /** An entropy probe over {@code [rows][vocab]} double logits, one entropy per row. */
  public static EntropyProbe<double[][]> entropyProbeDouble(SamplingConfig sampling) {
    return Entropies.probeDouble(sampling);
  }

  /**
   * The problems inside the calibration band, in their original order (docs/MATH.md §2; <i>SFT Overtraining Predicts Rank Inversion via Entropy Collapse Under RLVR</i>, §3: the GRPO
   * training set keeps problems that are neither unsolvable nor saturated).
   */
  public static List<ProblemSamples> inBand(List<ProblemSamples> problems, CalibrationBand band) {
    List<ProblemSamples> kept = new ArrayList<>();
    for (ProblemSamples problem : problems) {
      if (band.contains(problem)) {
        kept.add(problem);
      }
    }
    return kept;
  }
}
