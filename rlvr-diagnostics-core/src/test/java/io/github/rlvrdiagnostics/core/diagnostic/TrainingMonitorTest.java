package io.github.rlvrdiagnostics.core.diagnostic;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.rlvrdiagnostics.api.Alert;
import io.github.rlvrdiagnostics.api.AlertKind;
import io.github.rlvrdiagnostics.api.TrainingLog;
import io.github.rlvrdiagnostics.api.TrainingStep;
import io.github.rlvrdiagnostics.api.TriageConfig;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The in-loop monitor's alerts, fed by hand, from group rewards, and from a real log. */
class TrainingMonitorTest {
  /** No hysteresis: these tests check each rule at the step it applies (hysteresis has its own tests). */
  private static final io.github.rlvrdiagnostics.api.MonitorConfig IMMEDIATE =
      io.github.rlvrdiagnostics.api.MonitorConfig.DEFAULT.withHysteresis(1, 1);

  @Test
  void stage2DropAndEntropyBelowTau() {
    List<Alert> heard = new ArrayList<>();
    TrainingMonitor monitor = TrainingMonitor.create(TriageConfig.DEFAULT, IMMEDIATE, heard::add);
    assertTrue(monitor.accept(TrainingStep.builder(10).entropy(1.0).build()).isEmpty());
    assertTrue(monitor.accept(TrainingStep.builder(100).entropy(0.5).build()).isEmpty());
    List<Alert> at150 = monitor.accept(TrainingStep.builder(150).entropy(0.36).build());
    assertEquals(1, at150.size());
    assertEquals(AlertKind.ENTROPY_DROP, at150.get(0).kind());
    assertTrue(at150.get(0).message().contains("64.0%") && at150.get(0).message().contains("62.5%"), at150.get(0).message());
    assertEquals(0.64, monitor.stage2Drop().getAsDouble(), 1e-12);
    assertEquals(AlertKind.ENTROPY_BELOW_TAU, monitor.accept(TrainingStep.builder(160).entropy(0.1).build()).get(0).kind());
    assertTrue(monitor.accept(TrainingStep.builder(170).entropy(0.05).build()).isEmpty()); // still below: no repeat
    monitor.accept(TrainingStep.builder(180).entropy(0.3).build()); // recovered: re-armed
    assertEquals(1, monitor.accept(TrainingStep.builder(190).entropy(0.1).build()).size());
    // The listener heard the onsets; alerts() has the same alerts, each extended over its episode.
    assertEquals(heard.stream().map(x -> x.step() + " " + x.kind() + " " + x.message()).toList(),
        monitor.alerts().stream().map(x -> x.step() + " " + x.kind() + " " + x.message()).toList());
    assertEquals(170, monitor.alerts().get(1).endStep());
    assertEquals(3, heard.size());
    assertThrows(IllegalArgumentException.class, () -> monitor.accept(TrainingStep.builder(190).build()));
  }

  @Test
  void degenerateAlertsFromGroupRewards() {
    // Four groups of 4, binary rewards: three degenerate → 0.75 observed.
    double[][] rewards = {{1, 1, 1, 1}, {0, 0, 0, 0}, {0, 0, 0, 0}, {1, 0, 0, 1}};
    double[] passRates = {0.5, 0.5, 0.5, 0.5}; // P_deg(0.5, 4) = 1/8 each
    TrainingStep step = TrainingMonitor.stepFromGroups(1, rewards, passRates).build();
    assertEquals(0.75, step.degenerateFraction().getAsDouble());
    assertEquals(0.125, step.predictedDegenerateFraction().getAsDouble(), 1e-15);
    assertEquals(4, step.groups().getAsInt());
    assertEquals(6.0 / 16, step.reward().getAsDouble(), 1e-15);
    List<Alert> alerts = TrainingMonitor.create(TriageConfig.DEFAULT, IMMEDIATE, a -> { }).accept(step);
    assertEquals(List.of(AlertKind.MAJORITY_DEGENERATE, AlertKind.DEGENERATE_ABOVE_PREDICTED),
        alerts.stream().map(Alert::kind).toList());
    // Shaped rewards: no prediction from the binary closed forms.
    TrainingStep shaped = TrainingMonitor.stepFromGroups(2, new double[][] {{0.5, 0.5}, {2, 1}}, new double[] {0.5, 0.5}).build();
    assertTrue(shaped.predictedDegenerateFraction().isEmpty());
    assertEquals(0.5, shaped.degenerateFraction().getAsDouble());
    assertThrows(IllegalArgumentException.class, () -> TrainingMonitor.stepFromGroups(1, new double[0][], new double[0]));
    assertThrows(IllegalArgumentException.class, () -> TrainingMonitor.stepFromGroups(1, rewards, new double[3]));
    assertThrows(IllegalArgumentException.class, () -> TrainingMonitor.stepFromGroups(1, new double[][] {{Double.NaN}}, new double[0]));
    // The spread floor: round-off-equal rewards are degenerate at the default floor, not at floor 0.
    double[][] roundOff = {{0.5, 0.5 + 1e-7}, {0.0, 1.0}};
    assertEquals(0.5, TrainingMonitor.stepFromGroups(3, roundOff, new double[0]).build().degenerateFraction().getAsDouble());
    assertEquals(0.0, TrainingMonitor.stepFromGroups(3, roundOff, new double[0], 0.0).build().degenerateFraction().getAsDouble());
    assertThrows(IllegalArgumentException.class, () -> TrainingMonitor.stepFromGroups(3, roundOff, new double[0], Double.NaN));
  }

  @Test
  void concurrentFeedingLosesNothing() throws InterruptedException {
    TrainingMonitor monitor = TrainingMonitor.create(TriageConfig.DEFAULT, IMMEDIATE, a -> { });
    AtomicLong next = new AtomicLong();
    int threads = 4;
    CountDownLatch done = new CountDownLatch(threads);
    List<Throwable> failures = java.util.Collections.synchronizedList(new ArrayList<>());
    for (int t = 0; t < threads; t++) {
      new Thread(() -> {
        try {
          for (int i = 0; i < 500; i++) {
            // Steps are handed out and fed under one lock, as a loop's step counter would be.
            synchronized (next) {
              long step = next.getAndIncrement();
              monitor.accept(TrainingStep.builder(step).degenerateFraction(step % 2 == 0 ? 0.9 : 0.1).build());
            }
          }
        } catch (Throwable e) {
          failures.add(e);
        } finally {
          done.countDown();
        }
      }).start();
    }
    done.await();
    assertTrue(failures.isEmpty(), failures.toString());
    // Every even step starts a new majority episode.
    assertEquals(1000, monitor.alerts().stream().filter(a -> a.kind() == AlertKind.MAJORITY_DEGENERATE).count());
    // Steps 10..150 alternate 0.9/0.1 starting and ending at 0.9: mean (71·0.9 + 70·0.1)/141 > 1/2.
    assertEquals(1, monitor.alerts().stream().filter(a -> a.kind() == AlertKind.DEGENERATE_OVER_WINDOW).count());
    assertEquals((71 * 0.9 + 70 * 0.1) / 141, monitor.stage2DegenerateMean().getAsDouble(), 1e-12);
  }
}
