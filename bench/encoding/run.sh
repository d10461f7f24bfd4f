#!/usr/bin/env bash
# Issue 20 encoding benchmarks (on request, not part of `mvn verify`), JSON vs binary (vs Protobuf, the rejected
# option) per update frame: server encode CPU (JMH), bytes on the wire, Java client decode (JMH), JS client decode
# (node, process.hrtime and process.cpuUsage over 1e6 frames). Sample mode: the p50 of single invocations is the CPU
# cost even when other processes share the cores (an average includes the time the thread was descheduled).
# Python client decode: decode.py (timeit, best of 7 in CPU and wall time).
# Results: bench/encoding/results/*.txt ; figures go to docs/BENCHMARKS.md "Binary encoding (issue 20)".
set -euo pipefail
cd "$(dirname "$0")"
(cd ../.. && mvn -q -B install -DskipTests -pl common,gateway-verticle,clients/java -am)
(cd ../../clients/js && npm run build >/dev/null)
mvn -q -B package
mkdir -p results
uptime | tee results/load.txt
java -cp target/bench-encoding.jar candlecast.gateway.EncodingSizes results/frames.json | tee results/sizes.txt
java -jar target/bench-encoding.jar EncodeBenchmark -bm sample -prof gc -rf text -rff results/encode-jmh.txt | tee results/encode-jmh.log
java -jar target/bench-encoding.jar DecodeBenchmark -bm sample -prof gc -rf text -rff results/decode-jmh.txt | tee results/decode-jmh.log
node decode.mjs results/frames.json 1000000 | tee results/decode-js.txt
/usr/bin/python3 decode.py results/frames.json 20000 | tee results/decode-py.txt
uptime | tee -a results/load.txt
