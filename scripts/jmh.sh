#!/usr/bin/env bash
# JMH micro-benchmarks of the hot kernels (crossl-bench/…/KernelBenchmarks.java).
#   scripts/jmh.sh                      # everything (about 10 minutes)
#   scripts/jmh.sh -p layer=48x96x8 -wi 1 -i 3 'KernelBenchmarks.conv.*'   # any JMH options and filters
# Builds crossl-bench first. Run on a quiet machine: OpenMP spin-waiting makes concurrent jobs slow each other badly.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
mvn -B -q -DskipTests package -pl crossl-bench -am
export GOMP_SPINCOUNT="${GOMP_SPINCOUNT:-10000}"   # as ./crossl sets it; see docs/performance.md
exec java -cp "crossl-bench/target/crossl-bench-0.1.0-SNAPSHOT.jar:crossl-bench/target/lib/*" org.openjdk.jmh.Main "$@"
