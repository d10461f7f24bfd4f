#!/usr/bin/env bash
# Feed replay throughput (on request, not part of `mvn verify`):
#   bench/feed/run.sh [rows] [runs] [warm-up rows]     default 2,000,000 rows, 3 runs, 300,000 warm-up rows
# Replays a generated CSV at replay.speed=max into a fresh embedded broker per run (same JVM) and reports trades/s
# acknowledged by Kafka, per run and the median; a smaller warm-up run first pays for the cold JVM (not counted).
# Results: bench/feed/results/replay.txt ; figures go to docs/BENCHMARKS.md.
set -euo pipefail
cd "$(dirname "$0")"
(cd ../.. && mvn -q -B -o install -DskipTests -pl common,feed-verticle)
mvn -q -B -o package
mkdir -p results
java -Xmx2g -cp target/bench-feed.jar candlecast.bench.FeedReplayThroughput "${1:-2000000}" "${2:-3}" "${3:-300000}" \
  | tee results/replay.txt
