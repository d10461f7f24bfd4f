#!/usr/bin/env bash
# The chaos soak (issue 19), see docs/RELIABILITY.md.
#   bench/chaos/run.sh [--minutes=60] [--seed=19] [--out=/work/chaos-run] [--ws=240] [--sockjs=30] [--rate=5]
# Builds deploy's jar and the harness (offline), then runs; exit code 0 = no violation, 1 = violations, 2 = the run
# could not be carried out. Every member JVM is killed at the end, also on Ctrl-C.
set -euo pipefail
cd "$(dirname "$0")/../.."
if [[ ! -f deploy/target/candlecast.jar || ! -f bench/chaos/target/bench-chaos.jar ]]; then
  mvn -B -ntp -q -o -Pchaos package -pl deploy,bench/chaos -am -DskipTests
fi
exec java -Xmx1g -XX:+UseSerialGC -jar bench/chaos/target/bench-chaos.jar --jar=deploy/target/candlecast.jar "$@"
