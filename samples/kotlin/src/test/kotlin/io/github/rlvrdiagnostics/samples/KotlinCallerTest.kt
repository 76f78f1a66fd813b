package io.github.rlvrdiagnostics.samples

import io.github.rlvrdiagnostics.api.AlertKind
import io.github.rlvrdiagnostics.api.MonitorConfig
import io.github.rlvrdiagnostics.api.Checkpoint
import io.github.rlvrdiagnostics.api.EntropyPoint
import io.github.rlvrdiagnostics.api.SamplingConfig
import io.github.rlvrdiagnostics.api.TrainingStep
import io.github.rlvrdiagnostics.api.TriageConfig
import io.github.rlvrdiagnostics.core.diagnostic.Ladders
import io.github.rlvrdiagnostics.core.RlvrDiagnostics
import io.github.rlvrdiagnostics.core.diagnostic.TrainingMonitor
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.Test
import kotlin.math.ln

/** The API from Kotlin, the way a training pipeline would call it. */
class KotlinCallerTest {

    @Test
    fun closedFormsAndEstimators() {
        val threshold = RlvrDiagnostics.degenerateThreshold()
        assertEquals(0.0830, threshold.pStar(8), 5e-5)
        val signal = threshold.group(0.02, 8)
        assertTrue(signal.majorityDegenerate)
        assertEquals(35, threshold.smallestGroupSize(0.02, 0.5).asInt)
        val passAtK = RlvrDiagnostics.passAtK()
        assertEquals(0.5, passAtK.estimate(6, 3, 1), 1e-15)
        val curve: DoubleArray = passAtK.curve(10, 2)
        assertEquals(10, curve.size)
    }

    @Test
    fun entropyProbeOnLogits() {
        val probe = RlvrDiagnostics.entropyProbe(SamplingConfig.ofTemperature(1.0).withTopK(0))
        val logits = arrayOf(floatArrayOf(0f, 0f), floatArrayOf(1f, Float.NEGATIVE_INFINITY, 1f))
        val summary = probe.summarize(logits)
        assertEquals(ln(2.0), summary.mean, 1e-12)
        assertEquals(2, summary.rows())
    }

    @Test
    fun monitorAndLadder() {
        val alerts = mutableListOf<AlertKind>()
        val monitor = TrainingMonitor.create(TriageConfig.DEFAULT, MonitorConfig.DEFAULT.withHysteresis(1, 1)) { alert -> alerts += alert.kind() }
        monitor.accept(TrainingStep.builder(10).entropy(1.0).build())
        monitor.accept(TrainingStep.builder(150).entropy(0.3).degenerateFraction(0.8).build())
        assertEquals(listOf(AlertKind.DEGENERATE_OVER_WINDOW, AlertKind.ENTROPY_DROP, AlertKind.MAJORITY_DEGENERATE), alerts)

        val ladder = listOf(
            Checkpoint.of("1.0", 42, 0.249, 0.10)
                .withEntropyTrace(listOf(EntropyPoint.of(10, 1.0), EntropyPoint.of(150, 0.76))),
            Checkpoint.of("5.8", 42, 0.120, 0.18)
                .withEntropyTrace(listOf(EntropyPoint.of(10, 1.0), EntropyPoint.of(150, 0.36))),
        )
        val report = Ladders.analyze(ladder, TriageConfig.DEFAULT)
        assertEquals("5.8", report.standardPick())
        assertEquals("1.0", report.triagePick().orElseThrow())
    }
}
