#!/usr/bin/env bash
# Runs RolloutReductionBenchmark: rollouts generated inside Spark (spark.range, no disk) reduced to the
# per-step table in local mode with 1 and 2 cores, and the single-JVM reduction of the same records.
# Arguments: record counts (default 10000000 100000000). Prints CSV; keep the machine otherwise idle.
set -euo pipefail
cd "$(dirname "$0")/.."
module=rlvr-diagnostics-spark
mvn -B -q -o -DskipTests -pl "$module" -am package >/dev/null 2>&1 || mvn -B -q -DskipTests -pl "$module" -am package >&2
# shellcheck disable=SC2046
exec java $(cat "$module/target/spark-jvm.options") ${BENCH_JAVA_OPTS:--Xmx8g} \
  -cp "$module/target/test-classes:$module/target/classes:$(cat "$module/target/spark-runtime.classpath")" \
  io.github.rlvrdiagnostics.spark.RolloutReductionBenchmark "$@"
