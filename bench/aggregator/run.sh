#!/usr/bin/env bash
# Aggregator benchmarks (on request, not part of `mvn verify`):
#   bench/aggregator/run.sh            JMH folding benchmark (+ allocation) and the end-to-end drain rate
#   (+ issue 15: YearReplay — 9,000 trades over a year, flat windows implied vs stored; HistoryYear — a year of 1m
#    candles for 100 symbols in one node's history: bytes per candle and query times)
#   (+ issue 16: IndicatorBenchmark — ns and bytes per update of each of the ten indicators, commit and provisional)
#   (+ issue 16: AnalysisThroughput — trades/s with 1,000 live analysis series vs none)
#   (+ issue 17: AlertLoad — fold trades/s with 100,000 armed price alerts vs none, interleaved rounds;
#    AlertLatency — trade-to-alert-event latency on the bus through a real aggregator with 100,000 armed alerts)
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
java -Xmx2g -cp target/bench-aggregator.jar candlecast.bench.AnalysisThroughput --trades "${ANALYSIS_TRADES:-3000000}" | tee results/analysis.txt
java -Xmx4g -cp target/bench-aggregator.jar candlecast.aggregator.AlertLoad --trades 4000000 --rounds 11 --warmup 2 | tee results/alert-load.txt
java -Xmx2g -cp target/bench-aggregator.jar candlecast.bench.AlertLatency | tee results/alert-latency.txt
