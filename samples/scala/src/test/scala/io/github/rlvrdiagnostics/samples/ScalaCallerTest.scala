package io.github.rlvrdiagnostics.samples

import io.github.rlvrdiagnostics.api.{AlertKind, Checkpoint, EntropyPoint, SamplingConfig, TrainingStep, TriageConfig, MonitorConfig}
import io.github.rlvrdiagnostics.core.diagnostic.Ladders
import io.github.rlvrdiagnostics.core.RlvrDiagnostics
import io.github.rlvrdiagnostics.core.diagnostic.TrainingMonitor
import org.junit.jupiter.api.Assertions.{assertEquals, assertTrue}
import org.junit.jupiter.api.Test

import scala.collection.mutable.ListBuffer
import scala.jdk.CollectionConverters.*

/** The API from Scala 3, the way a training pipeline would call it. */
class ScalaCallerTest:

  @Test def closedFormsAndEstimators(): Unit =
    val threshold = RlvrDiagnostics.degenerateThreshold()
    assertEquals(0.0830, threshold.pStar(8), 5e-5)
    assertTrue(threshold.group(0.02, 8).majorityDegenerate)
    assertEquals(35, threshold.smallestGroupSize(0.02, 0.5).getAsInt)
    assertEquals(0.5, RlvrDiagnostics.passAtK().estimate(6, 3, 1), 1e-15)

  @Test def entropyProbeOnLogits(): Unit =
    val probe = RlvrDiagnostics.entropyProbe(SamplingConfig.ofTemperature(1.0))
    val logits: Array[Array[Float]] = Array(Array(0f, 0f), Array(1f, Float.NegativeInfinity, 1f))
    assertEquals(math.log(2.0), probe.summarize(logits).mean, 1e-12)

  @Test def monitorAndLadder(): Unit =
    val alerts = ListBuffer.empty[AlertKind]
    val monitor = TrainingMonitor.create(TriageConfig.DEFAULT, MonitorConfig.DEFAULT.withHysteresis(1, 1), alert => alerts += alert.kind)
    monitor.accept(TrainingStep.builder(10).entropy(1.0).build())
    monitor.accept(TrainingStep.builder(150).entropy(0.3).degenerateFraction(0.8).build())
    assertEquals(List(AlertKind.DEGENERATE_OVER_WINDOW, AlertKind.ENTROPY_DROP, AlertKind.MAJORITY_DEGENERATE), alerts.toList)
    val ladder = List(
      Checkpoint.of("1.0", 42, 0.249, 0.10).withEntropyTrace(List(EntropyPoint.of(10, 1.0), EntropyPoint.of(150, 0.76)).asJava),
      Checkpoint.of("5.8", 42, 0.120, 0.18).withEntropyTrace(List(EntropyPoint.of(10, 1.0), EntropyPoint.of(150, 0.36)).asJava))
    val report = Ladders.analyze(ladder.asJava, TriageConfig.DEFAULT)
    assertEquals("5.8", report.standardPick)
    assertEquals("1.0", report.triagePick.orElseThrow())
