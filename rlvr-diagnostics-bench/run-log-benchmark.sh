#!/usr/bin/env bash
# Reads a generated 1 GB JSON-lines training log with `./rlvr-diag monitor` (text and --json) under
# the launcher's own JVM settings and reports throughput and peak resident memory (GNU time's
# maximum RSS). A plain benchmark: one run each, on whatever else the machine is doing.
# Usage: rlvr-diagnostics-bench/run-log-benchmark.sh [MEGABYTES (default 1024)] [DIR (default a temp dir)]
set -euo pipefail
cd "$(dirname "$0")/.."
megabytes="${1:-1024}"
dir="${2:-$(mktemp -d)}"
export OPT_OUT_TRACKING=true
if [ ! -x /usr/bin/time ]; then
  echo "run-log-benchmark: needs GNU time (/usr/bin/time; Debian package 'time')" >&2
  exit 1
fi
build="-DskipTests package -pl rlvr-diagnostics-bench,rlvr-diagnostics-cli -am"
mvn -B -q -o $build 2>/dev/null || mvn -B -q $build
log="$dir/metrics.jsonl"
if [ ! -f "$log" ]; then
  java -cp rlvr-diagnostics-bench/target/benchmarks.jar io.github.rlvrdiagnostics.bench.LogGenerator "$log" "$megabytes"
fi
bytes=$(stat -c %s "$log")
./rlvr-diag threshold --group-size 8 >/dev/null # builds the jar and its class-data archive first
run() {
  local label="$1"; shift
  /usr/bin/time -f "%e %M" -o "$dir/time.txt" ./rlvr-diag monitor "$log" "$@" >"$dir/out.txt"
  read -r seconds rss_kb <"$dir/time.txt"
  awk -v l="$label" -v s="$seconds" -v k="$rss_kb" -v b="$bytes" 'BEGIN {
    printf "%-22s %7.1f s  %6.0f MB/s  max RSS %4.0f MB\n", l, s, b / 1e6 / s, k / 1024 }'
}
echo "$(date -u +%Y-%m-%d), $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg), $(java -version 2>&1 | head -1)"
echo "log: $log, $bytes bytes, $(wc -l <"$log") lines"
run "monitor (text)"
run "monitor --json" --json
