#!/usr/bin/env bash
# Issue 20: heap and RSS per idle subscribed WebSocket connection of the gateway alone, and where the heap goes.
# Starts bench/fanout's BenchServer (the JVM flags fanout-compare uses), reads its heap after GC (/heap) and RSS,
# takes `jmap -histo:live`, connects N idle subscribed connections with fanout-compare's LoadGen (its own JVM),
# measures again and prints the per-class difference divided by N. Optionally (PEER=ws) the same for the Node `ws`
# peer in the same run (needs `npm ci` in bench/peers).
#   bench/fanout/memory.sh [connections=10000] [out dir]
#   SERVER_JVM="-Xms1g -Xmx1g -XX:+UseG1GC" bench/fanout/memory.sh ...   other heap/collector options for the gateway
# Builds nothing into ~/.m2: compiles the bench classes against the modules' target/classes.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
N=${1:-10000}
OUT=${2:-$ROOT/bench/results/memory-$(date -u +%Y%m%dT%H%M%SZ)}
PORT=${BENCH_PORT:-18480}
mkdir -p "$OUT/classes"
cd "$ROOT"
if [ -z "${NO_BUILD:-}" ]; then
  mvn -B -ntp -q -o -pl gateway-verticle -am package -DskipTests dependency:build-classpath \
    -Dmdep.outputFile="$OUT/deps.txt" -Dmdep.includeScope=runtime
  CP="$ROOT/gateway-verticle/target/classes:$ROOT/common/target/classes:$(cat "$OUT/deps.txt")"
  javac -nowarn -d "$OUT/classes" -cp "$CP" bench/fanout/src/main/java/candlecast/bench/*.java \
    bench/fanout-compare/src/main/java/candlecast/bench/fanout/LoadGen.java
  cp bench/fanout/src/main/resources/logback.xml "$OUT/classes/"
  echo "$OUT/classes:$CP" > "$OUT/cp.txt"
fi
CP=$(cat "${CP_FILE:-$OUT/cp.txt}")
ulimit -n "$(ulimit -Hn)" || true

rss() { awk '/^VmRSS:/ {print $2 * 1024}' "/proc/$1/status"; }
histo() { jmap -histo:live "$1" > "$2"; }

# per-class difference of two `jmap -histo` files, per connection, biggest first
diff_histo() {
  awk -v n="$N" '
    FNR == 1 { f++ }
    $1 ~ /^[0-9]+:$/ { key = $4; if (f == 1) { b0[key] = $3; i0[key] = $2 } else { b1[key] = $3; i1[key] = $2 }; seen[key] = 1 }
    END {
      for (k in seen) {
        db = (b1[k] - b0[k]) / n; di = (i1[k] - i0[k]) / n
        total += db
        if (db >= 4 || db <= -4) printf "%10.1f B %8.3f inst  %s\n", db, di, k
      }
      printf "%10.1f B total per connection (jmap -histo:live)\n", total
    }' "$1" "$2" | sort -k1,1 -g -r
}

# measure <label> <server pid> <admin port> <heap command: "http" or "node">
measure() {
  local label=$1 pid=$2 admin=$3 java=$4
  local h0 r0 h1 r1 reply
  h0=$(curl -s "http://127.0.0.1:$admin/heap")
  r0=$(rss "$pid")
  [ "$java" = java ] && histo "$pid" "$OUT/$label-histo-before.txt"
  coproc GEN { java -Xms1g -Xmx1g -cp "$CP" candlecast.bench.fanout.LoadGen --port "$((admin - 1))" \
    --connections "$N" --sources 4 2> "$OUT/$label-loadgen.log"; }
  echo connect >&"${GEN[1]}"
  while read -r reply <&"${GEN[0]}"; do case $reply in LOADGEN*) break ;; esac; done
  echo "$label: $reply"
  sleep 2
  h1=$(curl -s "http://127.0.0.1:$admin/heap")
  r1=$(rss "$pid")
  if [ "$java" = java ]; then
    histo "$pid" "$OUT/$label-histo-after.txt"
    diff_histo "$OUT/$label-histo-before.txt" "$OUT/$label-histo-after.txt" | tee "$OUT/$label-histo-diff.txt"
  fi
  awk -v l="$label" -v n="$N" -v h0="$h0" -v h1="$h1" -v r0="$r0" -v r1="$r1" 'BEGIN {
    printf "%s, %d connections: heap %.0f B per connection (%.1f KiB), RSS %.0f B (%.1f KiB); heap %d -> %d, RSS %d -> %d\n",
      l, n, (h1 - h0) / n, (h1 - h0) / n / 1024, (r1 - r0) / n, (r1 - r0) / n / 1024, h0, h1, r0, r1 }' \
    | tee -a "$OUT/summary.txt"
  echo quit >&"${GEN[1]}"
  wait "$GEN_PID" || true
}

# SERVER_JVM: the gateway JVM's heap and collector options (default: fanout-compare's, the k8s gateway's)
# shellcheck disable=SC2086
java ${SERVER_JVM:--Xms64m -Xmx1g -XX:+UseG1GC -XX:MinHeapFreeRatio=10 -XX:MaxHeapFreeRatio=20} --add-opens java.base/java.lang=ALL-UNNAMED \
  -cp "$CP" candlecast.bench.BenchServer "$PORT" > "$OUT/server.log" 2>&1 &
SERVER=$!
trap 'kill $SERVER 2>/dev/null || true' EXIT
for _ in $(seq 1 120); do grep -q "bench server ready" "$OUT/server.log" 2>/dev/null && break; sleep 0.5; done
grep -q "bench server ready" "$OUT/server.log" || { cat "$OUT/server.log"; exit 1; }
measure candlecast "$SERVER" "$((PORT + 1))" java
kill "$SERVER"; wait "$SERVER" 2>/dev/null || true

if [ "${PEER:-}" = ws ]; then
  node --expose-gc bench/peers/ws-server.js --port "$PORT" > "$OUT/ws.log" 2>&1 &
  SERVER=$!
  for _ in $(seq 1 60); do curl -s "http://127.0.0.1:$((PORT + 1))/heap" > /dev/null && break; sleep 0.5; done
  measure node-ws "$SERVER" "$((PORT + 1))" node
  kill "$SERVER"; wait "$SERVER" 2>/dev/null || true
fi
echo "results in $OUT"
