package io.github.rlvrdiagnostics.core.diagnostic;

import io.github.rlvrdiagnostics.api.Checks;
import io.github.rlvrdiagnostics.api.SignalProfile;
import io.github.rlvrdiagnostics.api.TrainingStep;
import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;

/**
 * The generation rounds of DAPO-style dynamic sampling ({@code train/num_gen_batches}): a trainer
 * that drops degenerate groups and samples again until its batch is full needs, per step, about
 * {@code 1/(1 − d)} rounds when a fraction {@code d} of the groups is degenerate (each round keeps
 * a fraction {@code 1 − d} of its groups). When the rounds reach the trainer's limit
 * ({@code max_num_gen_batches} in verl's DAPO recipe) the run stops with an error, so this class
 * compares the rounds a log reports with that expected cost and says when the limit is near.
 *
 * <p>The degenerate fraction must be the one measured before filtering; a log that reports it on
 * the filtered batch (where it is near 0) makes the expected cost look like 1 round, and the
 * observed rounds are then the better guide. Stateless and thread-safe.
 */
public final class GenerationRounds {
  /** The number of last steps (with a round count) that {@link #lastWindow} averages over. */
  public static final int WINDOW = 10;

  private GenerationRounds() {}

  /**
   * The rounds of the last {@link #WINDOW} steps that reported them.
   *
   * @param steps how many steps of the window reported their rounds ({@code 1} to {@link #WINDOW})
   * @param firstStep the first of those steps
   * @param lastStep the last of those steps
   * @param meanObserved the mean of their reported rounds, {@code ≥ 1}
   * @param meanExpected the mean of {@link #expectedRounds} over those of them that also report a
   *     degenerate fraction; empty when none does; {@code +∞} when one had every group degenerate
   */
  public record Window(int steps, long firstStep, long lastStep, double meanObserved, OptionalDouble meanExpected) {}

  /**
   * The expected generation rounds per step, {@code 1/(1 − d)}.
   *
   * <p>Special cases: {@code d = 0} gives 1; {@code d = 1} gives {@code +∞} (no round can fill
   * the batch).
   *
   * @param degenerateFraction the fraction {@code d} of degenerate groups, in [0, 1]
   * @throws IllegalArgumentException if {@code d} is outside [0, 1] or NaN
   */
  public static double expectedRounds(double degenerateFraction) {
    return SignalProfile.samplingCost(degenerateFraction).orElse(Double.POSITIVE_INFINITY);
  }

  /**
   * The last {@link #WINDOW} steps of {@code steps} that report their generation rounds, summed
   * up; empty when no step does.
   */
  public static Optional<Window> lastWindow(List<TrainingStep> steps) {
    int n = 0;
    double observed = 0;
    int withFraction = 0;
    double expected = 0;
    long first = 0;
    long last = 0;
    for (int i = steps.size() - 1; i >= 0 && n < WINDOW; i--) {
      TrainingStep s = steps.get(i);
      if (s.genBatches().isEmpty()) {
        continue;
      }
      if (n == 0) {
        last = s.step();
      }
      first = s.step();
      n++;
      // Running means: no overflow however large the logged counts (both terms are >= 1).
      observed += (s.genBatches().getAsDouble() - observed) / n;
      if (s.degenerateFraction().isPresent()) {
        withFraction++;
        double e = expectedRounds(s.degenerateFraction().getAsDouble());
        expected = Double.isInfinite(e) || Double.isInfinite(expected) ? Double.POSITIVE_INFINITY
            : expected + (e - expected) / withFraction;
      }
    }
    if (n == 0) {
      return Optional.empty();
    }
    return Optional.of(new Window(n, first, last, observed,
        withFraction == 0 ? OptionalDouble.empty() : OptionalDouble.of(expected)));
  }

  /**
   * Whether a run is near a stall at a limit of {@code maxGenBatches} rounds: the window's mean
   * observed rounds exceed half the limit. Rounds swing from step to step with the degenerate
   * fraction, so a mean above half the limit leaves a step that needs the whole limit close.
   *
   * @throws IllegalArgumentException if {@code maxGenBatches < 1}
   */
  public static boolean nearStall(Window window, int maxGenBatches) {
    Checks.atLeast("maxGenBatches", maxGenBatches, 1);
    return window.meanObserved() > maxGenBatches / 2.0;
  }
}
