#!/usr/bin/env bash
# Runs the JMH suite with settings that finish in about ten minutes on 2 cores and writes the
# Markdown table of ratios the README quotes: bench-results/results.json and bench-results/table.md.
set -euo pipefail
cd "$(dirname "$0")/.."
export OPT_OUT_TRACKING=true
# The PyTorch native jar is 'provided' (kept out of benchmarks.jar): Maven writes the module's class path,
# which holds this platform's copy wherever the local repository is.
build="-DskipTests package dependency:build-classpath -pl rlvr-diagnostics-bench -am \
  -Dmdep.outputFile=target/pytorch-native.classpath"
mvn -B -q -o $build 2>/dev/null || mvn -B -q $build
native=$(cat rlvr-diagnostics-bench/target/pytorch-native.classpath)
cp="rlvr-diagnostics-bench/target/benchmarks.jar:$native"
mkdir -p bench-results
# The Vector API benchmarks (EntropyBenchmark.oursVectorApi, expFloorVectorApi) start their forks
# with --add-modules jdk.incubator.vector (their @Fork annotations); every other fork runs without
# it, so that EntropyBenchmark.ours measures what a library user gets with no JVM flags. Hence no
# flag on the JMH command line: forks inherit the host JVM's flags.
if ! java --list-modules 2>/dev/null | grep -q '^jdk.incubator.vector@'; then
  echo "run-benchmarks.sh: this JDK has no jdk.incubator.vector; the Vector API rows will fail" >&2
fi
load_before=$(cut -d' ' -f1-3 /proc/loadavg)
# One fork, 2 warm-up iterations of 2 s (C2 takes that long to compile the Vector API path on a busy
# machine) and 3 measured iterations of 1 s per benchmark and parameter set.
java -cp "$cp" org.openjdk.jmh.Main "EntropyBenchmark|PStarBenchmark|PassAtKBenchmark|MonitorOverheadBenchmark" \
  -f 1 -wi 2 -i 3 -w 2 -r 1 -rf json -rff bench-results/results.json | tee bench-results/jmh.log
{
  echo "Measured $(date -u +%Y-%m-%d) on $(lscpu | sed -n 's/^Model name: *//p' | head -1), $(nproc) cores," \
    "$(java -version 2>&1 | head -1); JMH 1.37, 1 fork, 2×2 s warm-up, 3×1 s measurement;" \
    "load average (1/5/15 min) $load_before before the run, $(cut -d' ' -f1-3 /proc/loadavg) after."
  echo
  java -cp "$cp" io.github.rlvrdiagnostics.bench.RatioTable bench-results/results.json
} > bench-results/table.md
cat bench-results/table.md
