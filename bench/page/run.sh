#!/usr/bin/env bash
# Page benchmark: first candles drawn after navigation, and the JS heap of a 4-chart 1s view updating live.
# Real stack (embedded Kafka, mock feed) + headless Chromium, like the browser tests. Takes bench.minutes + ~1 min.
#   bench/page/run.sh                      # 10 minutes of live updates
#   bench/page/run.sh -Dbench.minutes=2    # shorter; also -Dbench.rate=20 -Dbench.loads=20 -Dbench.sample-seconds=60
# Needs the modules installed (mvn -q install -DskipTests) and chromium + chromedriver. Results: stdout and
# deploy/target/bench/page.json.
set -euo pipefail
cd "$(dirname "$0")/../.."
# test-compile + failsafe directly: no shaded jar needed for a benchmark
mvn -o -q -pl deploy test-compile failsafe:integration-test failsafe:verify -Dit.test=PageBench \
  -Dfailsafe.failIfNoSpecifiedTests=false "$@"
echo "results: deploy/target/bench/page.json"
