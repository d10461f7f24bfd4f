#!/usr/bin/env bash
# Gateway fan-out benchmark: a BenchServer JVM (gateway + publisher) and a LoadGen JVM holding N WebSockets from
# several 127.0.0.x source addresses. Results go to stdout (copy them into docs/BENCHMARKS.md, "Gateway fan-out").
#   bench/fanout/run.sh [connections=10000] [seconds=20] [rates...=10 25 40]
# Needs the project installed once: mvn -q install -DskipTests (from the repository root).
set -euo pipefail
cd "$(dirname "$0")"
CONNECTIONS=${1:-10000}
SECONDS_PER_RATE=${2:-20}
shift $(( $# > 2 ? 2 : $# )) || true
RATES=${*:-10 25 40}
PORT=${BENCH_PORT:-18080}

mvn -q -o package 2>/dev/null || mvn -q package
JAR=target/bench-fanout.jar
ulimit -n "$(ulimit -Hn)" || true

java -Xms1g -Xmx1g -XX:+UseG1GC --add-opens java.base/java.lang=ALL-UNNAMED \
  -cp "$JAR" candlecast.bench.BenchServer "$PORT" > target/server.log 2>&1 &
SERVER=$!
trap 'kill $SERVER 2>/dev/null || true' EXIT
for _ in $(seq 1 60); do
  grep -q "bench server ready" target/server.log 2>/dev/null && break
  sleep 0.5
done
grep -q "bench server ready" target/server.log || { cat target/server.log; exit 1; }

echo "## Gateway fan-out: $CONNECTIONS connections, $SECONDS_PER_RATE s per rate, $(nproc) cores, $(date -u +%F)"
java -Xms1g -Xmx1g -XX:+UseG1GC -cp "$JAR" candlecast.bench.LoadGen "$PORT" "$CONNECTIONS" 10 \
  "$SECONDS_PER_RATE" $RATES
