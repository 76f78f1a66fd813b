#!/usr/bin/env bash
# Runs ScalingBenchmark: the rollout reduction on generated records in one JVM, in Spark local[1] and local[2],
# and on a standalone cluster (a Master and two one-core Workers started here) with one and two single-core
# executors. Arguments: record counts (default 3000000). Prints CSV with the load average; keep the machine idle.
set -euo pipefail
cd "$(dirname "$0")/.."
module=rlvr-diagnostics-spark-cli
mvn -B -q -o -DskipTests -pl "$module" -am package >/dev/null 2>&1 || mvn -B -q -DskipTests -pl "$module" -am package >&2
# shellcheck disable=SC2046
exec java $(cat rlvr-diagnostics-spark/target/spark-jvm.options) ${BENCH_JAVA_OPTS:--Xmx6g} \
  -Dspark.jvm.opens="$(cat rlvr-diagnostics-spark/target/spark-jvm.options | tr '\n' ' ')" \
  -Drlvr.build.directory="$PWD/$module/target" \
  -cp "$module/target/test-classes:rlvr-diagnostics-spark/target/test-classes:$(cat "$module/target/spark-runtime.classpath")" \
  io.github.rlvrdiagnostics.spark.ScalingBenchmark "$@"
