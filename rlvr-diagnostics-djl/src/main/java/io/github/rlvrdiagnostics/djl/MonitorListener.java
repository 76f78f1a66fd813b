package io.github.rlvrdiagnostics.djl;

import io.github.rlvrdiagnostics.api.TrainingStep;
import io.github.rlvrdiagnostics.core.diagnostic.TrainingMonitor;

/**
 * The bridge of {@code GrpoTrainer.Builder#monitor} from the loop's metrics to a
 * {@link TrainingMonitor} (docs/MATH.md §4 (the two-stage diagnostic and signal rules)): the
 * entropy it is fed is the step's worst-token generation-start entropy, as Stage 2 prescribes;
 * also the degenerate fractions, group count, reward, KL (negative rounding clamped to 0) and
 * clip fraction (low plus high, at most 1).
 */
final class MonitorListener implements GrpoListener {
  private final TrainingMonitor monitor;

  MonitorListener(TrainingMonitor monitor) {
    this.monitor = monitor;
  }

  @Override
  public void onStep(GrpoStepMetrics m) {
    TrainingStep.Builder observed = TrainingStep.builder(m.step()).entropy(m.worstTokenEntropy())
        .degenerateFraction(m.degenerateFraction()).groups(m.groups()).reward(m.reward()).kl(Math.max(0.0, m.kl()))
        .clipFraction(Math.min(1.0, m.clipFractionLow() + m.clipFractionHigh()));
    m.predictedDegenerateFraction().ifPresent(observed::predictedDegenerateFraction);
    monitor.accept(observed.build());
  }
}
