package io.github.rlvrdiagnostics.core.diagnostic;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.github.rlvrdiagnostics.api.Alert;
import io.github.rlvrdiagnostics.api.AlertKind;
import io.github.rlvrdiagnostics.api.MonitorConfig;
import io.github.rlvrdiagnostics.api.Severity;
import io.github.rlvrdiagnostics.api.TrainingStep;
import io.github.rlvrdiagnostics.api.TriageConfig;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Alert episodes: onset, end and length of each spell of a level state, and the per-kind summary. */
class TrainingMonitorEpisodesTest {
  /** Degenerate fraction by step: majority at 2-4, clear at 5, majority at 6, no reading at 7, majority at 8. */
  private static final double[] FRACTION = {0.1, 0.6, 0.7, 0.8, 0.2, 0.9, -1, 0.55};

  private static void feed(TrainingMonitor monitor, double[] fraction) {
    for (int i = 0; i < fraction.length; i++) {
      TrainingStep.Builder b = TrainingStep.builder(i + 1);
      if (fraction[i] >= 0) {
        b.degenerateFraction(fraction[i]);
      }
      monitor.accept(b.build());
    }
  }

  @Test
  void withoutHysteresisEverySpellIsAnEpisode() {
    List<Alert> heard = new ArrayList<>();
    TrainingMonitor monitor = TrainingMonitor.create(TriageConfig.DEFAULT, MonitorConfig.DEFAULT.withHysteresis(1, 1),
        heard::add);
    feed(monitor, FRACTION);
    List<Alert> alerts = monitor.alerts();
    assertEquals(2, alerts.size());
    assertEquals(List.of(2L, 4L, 3L), List.of(alerts.get(0).step(), alerts.get(0).endStep(), alerts.get(0).steps()));
    // A step without a reading neither ends nor lengthens the episode.
    assertEquals(List.of(6L, 8L, 2L), List.of(alerts.get(1).step(), alerts.get(1).endStep(), alerts.get(1).steps()));
    // The listener heard each onset once, as it was raised.
    assertEquals(List.of(2L, 6L), heard.stream().map(Alert::step).toList());
    assertEquals(List.of(1L, 1L), heard.stream().map(Alert::steps).toList());
    assertEquals(List.of(new TrainingMonitor.EpisodeSummary(AlertKind.MAJORITY_DEGENERATE, 5, 7, 2, 0)), monitor.summary());
    assertEquals(Severity.WARNING, alerts.get(0).severity());
    org.junit.jupiter.api.Assertions.assertFalse(alerts.get(0).action().isEmpty());
  }

  @Test
  void byDefaultAnEpisodeNeedsThreeStepsToOpenAndThreeToClose() {
    List<Alert> heard = new ArrayList<>();
    TrainingMonitor monitor = TrainingMonitor.create(TriageConfig.DEFAULT, heard::add);
    feed(monitor, FRACTION);
    // Confirmed at step 4 (held at 2, 3, 4), dated from step 2; the one clear step 5 does not close it.
    List<Alert> alerts = monitor.alerts();
    assertEquals(1, alerts.size(), alerts.toString());
    assertEquals(List.of(2L, 8L, 5L), List.of(alerts.get(0).step(), alerts.get(0).endStep(), alerts.get(0).steps()));
    assertEquals(List.of(2L), heard.stream().map(Alert::step).toList());
    assertEquals(List.of(3L), heard.stream().map(Alert::steps).toList());
  }

  @Test
  void flappingBlipsRaiseNoAlertAndAreCountedInTheSummary() {
    TrainingMonitor monitor = TrainingMonitor.create(TriageConfig.DEFAULT);
    // One-step majorities between clear steps: ten blips, no episode.
    double[] fraction = new double[20];
    for (int i = 0; i < fraction.length; i++) {
      fraction[i] = i % 2 == 0 ? 0.7 : 0.2;
    }
    feed(monitor, fraction);
    assertEquals(List.of(), monitor.alerts());
    assertEquals(List.of(new TrainingMonitor.EpisodeSummary(AlertKind.MAJORITY_DEGENERATE, 0, 20, 0, 10)),
        monitor.summary());
  }

  @Test
  void anAlertEpisodeIsChecked() {
    Alert a = new Alert(5, AlertKind.ENTROPY_BELOW_TAU, "m", Severity.WARNING, "act");
    assertEquals(new Alert(5, AlertKind.ENTROPY_BELOW_TAU, "m", 9, 2, Severity.WARNING, "act"), a.extendedTo(9));
    assertEquals(new Alert(5, AlertKind.ENTROPY_BELOW_TAU, "m", 9, 4, Severity.WARNING, "act"), a.extendedTo(9, 3));
    assertThrows(IllegalArgumentException.class, () -> a.extendedTo(5));
    assertThrows(IllegalArgumentException.class, () -> a.extendedTo(9, 0));
    assertThrows(IllegalArgumentException.class,
        () -> new Alert(5, AlertKind.ENTROPY_BELOW_TAU, "m", 4, 1, Severity.WARNING, ""));
    assertThrows(IllegalArgumentException.class,
        () -> new Alert(5, AlertKind.ENTROPY_BELOW_TAU, "m", 5, 0, Severity.WARNING, ""));
    assertThrows(IllegalArgumentException.class,
        () -> new Alert(5, AlertKind.ENTROPY_BELOW_TAU, "m", 5, 1, null, ""));
  }

  /** Binary mean reward 0.97 at G = 8 bounds the degenerate fraction by 0.97^8 + 0.03^8 ≈ 0.784 > 1/2. */
  @Test
  void majorityDegenerateFromTheMeanRewardBound() {
    TriageConfig d = TriageConfig.DEFAULT;
    TriageConfig g8 = new TriageConfig(d.tau(), d.delta(), d.referenceStep(), d.checkStep(), d.plannedSteps(), 8,
        d.maxDegenerateFraction());
    TrainingMonitor bounded = TrainingMonitor.createForBinaryRewards(g8, a -> { });
    TrainingMonitor plain = TrainingMonitor.create(g8);
    double[] reward = {0.5, 0.97, 0.97, 0.97, 1.5, 0.97};
    for (int i = 0; i < reward.length; i++) {
      TrainingStep s = TrainingStep.builder(i + 1).reward(reward[i]).build();
      bounded.accept(s);
      plain.accept(s);
    }
    // Step 1 (0.5: bound 2 * 0.5^8) is clear; 2-4 flagged; step 5's mean lies outside [0, 1]: no bound, no reading.
    List<Alert> alerts = bounded.alerts();
    assertEquals(1, alerts.size(), alerts.toString());
    Alert a = alerts.get(0);
    assertEquals(AlertKind.MAJORITY_DEGENERATE, a.kind());
    assertEquals(List.of(2L, 6L, 4L), List.of(a.step(), a.endStep(), a.steps()));
    double expected = Math.pow(0.97, 8) + Math.pow(0.03, 8);
    org.junit.jupiter.api.Assertions.assertTrue(a.message().contains("lower bound"), a.message());
    org.junit.jupiter.api.Assertions.assertTrue(a.message().contains("mean reward"), a.message());
    org.junit.jupiter.api.Assertions.assertTrue(a.message().startsWith(String.format(java.util.Locale.ROOT,
        "at least %.1f%%", 100 * expected)), a.message());
    assertEquals(78.4, 100 * expected, 0.05);
    assertEquals(List.of(), plain.alerts());
    // An observed fraction wins over the bound: 0.1 observed at a 0.97 mean is not flagged.
    TrainingMonitor observed = TrainingMonitor.createForBinaryRewards(g8, x -> { });
    observed.accept(TrainingStep.builder(1).reward(0.97).degenerateFraction(0.1).build());
    assertEquals(List.of(), observed.alerts());
  }
}
