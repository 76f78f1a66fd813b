/**
 * Scale-out on Apache Spark: rollout records reduced to the per-step diagnostic table, and
 * per-sample evaluation results to pass@k and the signal profile, with the core's mergeable
 * accumulators and estimators. The front door is
 * {@link io.github.rlvrdiagnostics.spark.SparkDiagnostics}; results are the records
 * {@link io.github.rlvrdiagnostics.spark.RolloutTable}, {@link io.github.rlvrdiagnostics.spark.RolloutStep}
 * and {@link io.github.rlvrdiagnostics.spark.SamplesPassAtK}. Spark itself is a {@code provided}
 * dependency: {@code spark-submit} (or the caller's application) supplies it.
 *
 * <p>Every parameter and return value is non-null unless annotated otherwise.
 */
@NullMarked
package io.github.rlvrdiagnostics.spark;

import org.jspecify.annotations.NullMarked;
