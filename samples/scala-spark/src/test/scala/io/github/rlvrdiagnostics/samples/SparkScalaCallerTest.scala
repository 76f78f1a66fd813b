package io.github.rlvrdiagnostics.samples

import io.github.rlvrdiagnostics.api.TriageConfig
import io.github.rlvrdiagnostics.core.diagnostic.TrainingMonitor
import io.github.rlvrdiagnostics.spark.SparkDiagnostics
import org.apache.spark.sql.{Row, SparkSession}
import org.apache.spark.sql.types.{BooleanType, DoubleType, LongType, StringType, StructField, StructType}
import org.junit.jupiter.api.Assertions.{assertEquals, assertFalse, assertTrue}
import org.junit.jupiter.api.{AfterAll, BeforeAll, Test, TestInstance}

import scala.jdk.CollectionConverters.*

/**
 * A Scala 3 Spark job using the Spark module. Scala 3 cannot use spark.implicits._ (its encoders
 * need Scala 2 type tags), so the data is built with the Row API and an explicit schema.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SparkScalaCallerTest:
  private var spark: SparkSession = scala.compiletime.uninitialized

  @BeforeAll def start(): Unit =
    spark = SparkSession.builder()
      .master("local[2]")
      .appName("scala caller")
      .config("spark.ui.enabled", "false")
      .config("spark.sql.shuffle.partitions", "2")
      .getOrCreate()

  @AfterAll def stop(): Unit = spark.stop()

  @Test def rolloutTableFeedsTheMonitor(): Unit =
    val schema = StructType(Array(
      StructField("step", LongType), StructField("prompt_id", StringType),
      StructField("reward", DoubleType), StructField("pass_rate", DoubleType)))
    // 3 steps × 4 prompts × 4 rollouts: prompt 0 always passes, prompt 1 always fails, the others are mixed.
    val rows = for
      step <- 0L until 3L
      prompt <- 0 until 4
      i <- 0 until 4
    yield
      val reward = prompt match
        case 0 => 1.0
        case 1 => 0.0
        case _ => if i % 2 == 0 then 1.0 else 0.0
      Row(step, s"p$prompt", reward, 0.5)
    val table = SparkDiagnostics.rolloutTable(spark.createDataFrame(rows.asJava, schema))
    assertEquals(3, table.steps.size)
    val first = table.steps.get(0)
    assertEquals(4L, first.groups)
    assertEquals(0.5, first.degenerateFraction, 0.0)
    assertEquals(0.25, first.allPassFraction.getAsDouble, 0.0)
    assertEquals(0.125, first.predictedDegenerateFraction.getAsDouble, 1e-15) // 2 · 0.5^4
    val monitor = TrainingMonitor.create(TriageConfig.DEFAULT)
    SparkDiagnostics.trainingLog(table).steps.forEach(step => monitor.accept(step))
    assertFalse(monitor.signalStage2Flag)

  @Test def passAtKFromPerSampleResults(): Unit =
    val schema = StructType(Array(StructField("task_id", StringType), StructField("passed", BooleanType)))
    val rows = for
      task <- 0 until 5
      i <- 0 until 4
    yield Row(s"task-$task", i < task)
    val result = SparkDiagnostics.passAtK(spark.createDataFrame(rows.asJava, schema), Array(1, 2), 2)
    assertEquals(5, result.dataset.problems)
    assertEquals(20L, result.samples)
    assertEquals(10.0 / 20, result.dataset.passAtK.get(1), 1e-15)
    assertTrue(result.signal.isPresent)
    assertEquals(0L, result.skippedRecords)
