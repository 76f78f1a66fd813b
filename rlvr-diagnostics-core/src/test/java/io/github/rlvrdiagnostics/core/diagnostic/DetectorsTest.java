package io.github.rlvrdiagnostics.core.diagnostic;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.rlvrdiagnostics.api.Alert;
import io.github.rlvrdiagnostics.api.AlertKind;
import io.github.rlvrdiagnostics.api.DetectorConfig;
import io.github.rlvrdiagnostics.api.Severity;
import io.github.rlvrdiagnostics.api.TrainingStep;
import io.github.rlvrdiagnostics.api.TriageConfig;
import java.util.List;
import java.util.Random;
import java.util.function.BiConsumer;
import org.junit.jupiter.api.Test;

/**
 * Each instability detector fires on a synthetic run that shows its failure (written by us for
 * these tests) and stays quiet on the same run without it.
 */
class DetectorsTest {

  /** A healthy run of 200 steps with every detector reading, {@code fault} changing steps 120 to 129. */
  private static List<Alert> run(BiConsumer<Integer, TrainingStep.Builder> fault) {
    Random r = new Random(3);
    TrainingMonitor m = TrainingMonitor.create(TriageConfig.DEFAULT);
    for (int i = 1; i <= 200; i++) {
      TrainingStep.Builder b = TrainingStep.builder(i).reward(0.3 + 0.001 * i + 0.02 * r.nextGaussian())
          .rewardStd(0.4 + 0.02 * r.nextGaussian()).loss(0.05 * r.nextGaussian()).kl(0.01 + 0.002 * r.nextGaussian())
          .gradNorm(1.0 + 0.1 * r.nextGaussian()).entropy(0.8 - 0.001 * i + 0.01 * r.nextGaussian())
          .responseLength(300 + i + 10 * r.nextGaussian()).truncatedFraction(0.02);
      if (i >= 120 && i < 130) {
        fault.accept(i, b);
      }
      m.accept(b.build());
    }
    return m.alerts();
  }

  private static List<AlertKind> detectorKinds(List<Alert> alerts) {
    return alerts.stream().map(Alert::kind).filter(k -> k.ordinal() >= AlertKind.KL_SPIKE.ordinal()).distinct().toList();
  }

  @Test
  void aHealthyRunRaisesNoDetectorAlert() {
    assertEquals(List.of(), detectorKinds(run((i, b) -> { })));
  }

  @Test
  void eachDetectorFiresOnItsFailure() {
    assertEquals(List.of(AlertKind.KL_SPIKE), detectorKinds(run((i, b) -> b.kl(0.5))));
    assertEquals(List.of(AlertKind.GRAD_NORM_SPIKE), detectorKinds(run((i, b) -> b.gradNorm(4000))));
    assertEquals(List.of(AlertKind.ZERO_STD_NONZERO_LOSS), detectorKinds(run((i, b) -> b.rewardStd(0).loss(3.2))));
    assertEquals(List.of(AlertKind.TRUNCATION), detectorKinds(run((i, b) -> b.truncatedFraction(0.35))));
    assertEquals(List.of(AlertKind.LENGTH_DRIFT), detectorKinds(run((i, b) -> b.responseLength(2000))));
    assertEquals(List.of(AlertKind.ENTROPY_RISING), detectorKinds(run((i, b) -> b.entropy(2.5))));
    assertEquals(List.of(AlertKind.NON_FINITE), detectorKinds(run((i, b) -> b.nonFiniteValues(2))));
  }

  @Test
  void aDetectorAlertIsAnEpisodeWithAnAction() {
    List<Alert> alerts = run((i, b) -> b.kl(0.5));
    Alert kl = alerts.stream().filter(a -> a.kind() == AlertKind.KL_SPIKE).findFirst().orElseThrow();
    assertEquals(120, kl.step());
    assertEquals(Severity.WARNING, kl.severity());
    assertTrue(kl.message().startsWith("KL 0.500"), kl.message());
    assertTrue(kl.action().contains("learning rate"), kl.action());
    // Spikes raise the recent median as they enter the baseline; the episode still covers the fault.
    assertTrue(kl.endStep() >= 125, kl.toString());
  }

  @Test
  void rulesAreCheckedAndNaNNeverFires() {
    DetectorConfig d = DetectorConfig.DEFAULT;
    assertFalse(d.spike(Double.NaN, 1.0));
    assertFalse(d.spike(5.0, Double.NaN));
    assertFalse(d.truncated(Double.NaN));
    assertFalse(d.zeroStdResidue(Double.NaN, 1.0));
    assertFalse(d.nonFinite(0));
    assertTrue(d.nonFinite(1));
    assertTrue(d.lengthDrift(90, 200) && d.lengthDrift(410, 200) && !d.lengthDrift(300, 200));
    assertThrows(IllegalArgumentException.class, () -> new DetectorConfig(1.0, 20, 0, 0, 0, 0.1, 2, 2));
    assertThrows(IllegalArgumentException.class, () -> new DetectorConfig(10, 2, 0, 0, 0, 0.1, 2, 2));
    assertThrows(IllegalArgumentException.class, () -> new DetectorConfig(10, 20, 0, 0, 0, Double.NaN, 2, 2));
  }
}
