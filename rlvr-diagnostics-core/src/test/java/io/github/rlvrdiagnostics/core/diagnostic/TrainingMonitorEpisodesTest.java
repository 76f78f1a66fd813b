package io.github.rlvrdiagnostics.core.diagnostic;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.github.rlvrdiagnostics.api.Alert;
import io.github.rlvrdiagnostics.api.AlertKind;
import io.github.rlvrdiagnostics.api.TrainingStep;
import io.github.rlvrdiagnostics.api.TriageConfig;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Alert episodes: onset, end and length of each spell of a level state, and the per-kind summary. */
class TrainingMonitorEpisodesTest {
  @Test
  void levelAlertsAreExtendedWhileTheirStateLasts() {
    List<Alert> heard = new ArrayList<>();
    TrainingMonitor monitor = TrainingMonitor.create(TriageConfig.DEFAULT, heard::add);
    // Degenerate fraction by step: majority at 2-4, clear at 5, majority at 6, no reading at 7, majority at 8.
    double[] fraction = {0.1, 0.6, 0.7, 0.8, 0.2, 0.9, -1, 0.55};
    for (int i = 0; i < fraction.length; i++) {
      TrainingStep.Builder b = TrainingStep.builder(i + 1);
      if (fraction[i] >= 0) {
        b.degenerateFraction(fraction[i]);
      }
      monitor.accept(b.build());
    }
    List<Alert> alerts = monitor.alerts();
    assertEquals(2, alerts.size());
    assertEquals(List.of(2L, 4L, 3L), List.of(alerts.get(0).step(), alerts.get(0).endStep(), alerts.get(0).steps()));
    // A step without a reading neither ends nor lengthens the episode.
    assertEquals(List.of(6L, 8L, 2L), List.of(alerts.get(1).step(), alerts.get(1).endStep(), alerts.get(1).steps()));
    // The listener heard each onset once, as it was raised.
    assertEquals(List.of(2L, 6L), heard.stream().map(Alert::step).toList());
    assertEquals(List.of(1L, 1L), heard.stream().map(Alert::steps).toList());
    assertEquals(List.of(new TrainingMonitor.EpisodeSummary(AlertKind.MAJORITY_DEGENERATE, 5, 7, 2)), monitor.summary());
  }

  @Test
  void anAlertEpisodeIsChecked() {
    Alert a = new Alert(5, AlertKind.ENTROPY_BELOW_TAU, "m");
    assertEquals(new Alert(5, AlertKind.ENTROPY_BELOW_TAU, "m", 9, 2), a.extendedTo(9));
    assertThrows(IllegalArgumentException.class, () -> a.extendedTo(5));
    assertThrows(IllegalArgumentException.class, () -> new Alert(5, AlertKind.ENTROPY_BELOW_TAU, "m", 4, 1));
    assertThrows(IllegalArgumentException.class, () -> new Alert(5, AlertKind.ENTROPY_BELOW_TAU, "m", 5, 0));
  }
}
