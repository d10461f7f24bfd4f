#!/usr/bin/env bash
# Local Candlecast cluster of separate JVMs on loopback: the embedded broker, two feeds (leader + standby), two
# aggregators and two gateways (http://localhost:8080/ and http://localhost:8081/), each its own Hazelcast member.
#
#   deploy/local/cluster.sh up|down|status|kill ROLE#N|restart ROLE#N|stop ROLE#N|cont ROLE#N
#
# Logs, pid files and broker data: $CANDLECAST_DATA_DIR/local-cluster (default ./candlecast-data/local-cluster).
# Other CANDLECAST_* variables (e.g. CANDLECAST_FEED_RATE=200) apply to every node. Build the jar first:
#   mvn -q package -DskipTests
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
jar="${CANDLECAST_JAR:-$root/deploy/target/candlecast.jar}"
if [ ! -f "$jar" ]; then
  echo "cluster.sh: $jar not found: build it with 'mvn -q package -DskipTests' (or set CANDLECAST_JAR)" >&2
  exit 2
fi
export CANDLECAST_JAR="$jar"
exec java -cp "$jar" candlecast.deploy.LocalCluster "$@"
