#!/usr/bin/env bash
# Aggregator benchmarks (on request, not part of `mvn verify`):
#   bench/aggregator/run.sh            JMH folding benchmark (+ allocation) and the end-to-end drain rate
#   (+ issue 15: YearReplay — 9,000 trades over a year, flat windows implied vs stored; HistoryYear — a year of 1m
#    candles for 100 symbols in one node's history: bytes per candle and query times)
#   (+ issue 16: IndicatorBenchmark — ns and bytes per update of each of the ten indicators, commit and provisional)
# Results: bench/aggregator/results/*.txt ; figures go to docs/BENCHMARKS.md.
set -euo pipefail
cd "$(dirname "$0")"
(cd ../.. && mvn -q -B install -DskipTests -pl common,aggregator-verticle -am)
mvn -q -B package
mkdir -p results
java -jar target/bench-aggregator.jar FoldBenchmark -prof gc -rf text -rff results/fold-jmh.txt | tee results/fold-jmh.log
java -jar target/bench-aggregator.jar IndicatorBenchmark -prof gc -rf text -rff results/indicator-jmh.txt | tee results/indicator-jmh.log
java -cp target/bench-aggregator.jar candlecast.bench.AggregationThroughput "${TRADES:-5000000}" 8 | tee results/aggregation.txt
java -cp target/bench-aggregator.jar candlecast.bench.HistoryFootprint 2 | tee results/history.txt
java -Xmx6g -cp target/bench-aggregator.jar candlecast.bench.YearReplay 9000 | tee results/year-replay.txt
java -Xmx6g -cp target/bench-aggregator.jar candlecast.bench.HistoryYear 100 | tee results/history-year.txt
