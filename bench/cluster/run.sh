#!/usr/bin/env bash
# The cluster's own limits (issue 19), measured on loopback with separate JVMs. Not part of any Maven build:
# compiled with javac against the product's jar (no install needed). Results: JSON under the output directory,
# a summary on stdout (copy it into docs/BENCHMARKS.md, "Cluster limits (issue 19)").
#   bench/cluster/run.sh bus|gateway|rebalance|all [OUT_DIR] [extra --key value args for the bench]
# Ports: Hazelcast 23700-23726, HTTP 23080 and 23189-23194, Kafka 23092 and 23196.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
HERE="$ROOT/bench/cluster"
WHAT=${1:-all}
OUT=${2:-$HERE/target/results/$(date -u +%Y%m%dT%H%M%SZ)}
shift $(( $# > 2 ? 2 : $# )) || true
JAR="$ROOT/deploy/target/candlecast.jar"
if [ ! -f "$JAR" ]; then
  (cd "$ROOT" && mvn -B -ntp -q -o package -pl deploy -am -DskipTests -Dspotless.check.skip=true)
fi
mkdir -p "$HERE/target/classes" "$OUT"
javac -d "$HERE/target/classes" -cp "$JAR" $(find "$HERE/src" -name '*.java')
ulimit -n "$(ulimit -Hn)" || true
CP="$HERE/target/classes:$JAR"
JAVA=(java -Xmx512m -XX:+UseSerialGC --add-opens java.base/java.lang=ALL-UNNAMED
  --add-opens java.base/sun.nio.ch=ALL-UNNAMED -Dlogback.configurationFile="$HERE/logback.xml" -cp "$CP")
"${JAVA[@]}" candlecast.bench.cluster.SelfCheck
echo "load before: $(uptime)"
run() { echo "== $1 -> $OUT/$1"; "${JAVA[@]}" "candlecast.bench.cluster.$2" --out "$OUT/$1" "${@:3}"; }
case "$WHAT" in
  bus) run bus BusBench "$@" ;;
  gateway) run gateway GatewayMemory --jar "$JAR" "$@" ;;
  rebalance) run rebalance Rebalance --jar "$JAR" "$@" ;;
  all)
    run bus BusBench
    run gateway GatewayMemory --jar "$JAR"
    run rebalance Rebalance --jar "$JAR" ;;
  *) echo "usage: $0 bus|gateway|rebalance|all [OUT_DIR] [--key value ...]" >&2; exit 2 ;;
esac
echo "load after: $(uptime)"
