package candlecast.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import candlecast.aggregator.OracleFold;
import candlecast.common.Candle;
import candlecast.common.CandleCodec;
import candlecast.common.Topics;
import candlecast.common.Trade;
import candlecast.common.TradeCodec;
import candlecast.common.config.Settings;
import candlecast.feed.FakeExchange;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The single-node jar against a Bitstamp-protocol exchange on loopback that traded before
 * Candlecast first started; Candlecast is killed with -9 mid-stream and started again on the same
 * data directory a few seconds later, while the exchange trades on. Every candle with trades must
 * equal an independent fold (the aggregator's test oracle) of the exchange's own record of its
 * trades — the first ones, the ones of the restart window, all of them.
 */
class SingleNodeRestartIT {
  private static final String PAIR = "rnbtcusd";
  private static final String SYMBOL = "RNBTCUSD";
  @TempDir Path dir;
  private FakeExchange exchange;
  private Process node;

  @AfterEach
  void tearDown() throws Exception {
    if (node != null) {
      node.destroyForcibly().waitFor();
    }
    if (exchange != null) {
      exchange.close();
    }
  }

  private Process start(int httpPort, int kafkaPort, Path log) throws Exception {
    return SingleNodeProcess.start(
        httpPort,
        kafkaPort,
        dir.resolve("data"),
        log,
        Map.of(
            Settings.FEED_SOURCE.envName(), "bitstamp",
            Settings.FEED_SYMBOLS.envName(), SYMBOL,
            Settings.BITSTAMP_WS_URL.envName(), exchange.wsUrl(),
            Settings.BITSTAMP_REST_URL.envName(), exchange.restUrl(),
            Settings.BITSTAMP_HEARTBEAT_MS.envName(), "500",
            Settings.BITSTAMP_WATERMARK_LAG_MS.envName(), "500",
            Settings.BITSTAMP_BACKOFF_MIN_MS.envName(), "100"));
  }

  @Test
  void everyCandleEqualsTheExchangesTradesFromTheFirstSecondAndAcrossAKill9() throws Exception {
    exchange = FakeExchange.start(PAIR);
    exchange.stream(List.of(PAIR), 1);
    List<Integer> ports = ClusterFixture.freePorts(2);
    Path log = dir.resolve("node.log");
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> exchange.truth(PAIR).size() >= 300); // trading before we start
    long firstStart = System.currentTimeMillis();
    node = start(ports.get(0), ports.get(1), log);
    String bootstrap = "127.0.0.1:" + ports.get(1);
    await()
        .atMost(Duration.ofSeconds(60))
        .until(() -> StackFixture.trades(bootstrap, SYMBOL).size() > 500);

    node.destroyForcibly().waitFor(); // kill -9
    int atKill = exchange.truth(PAIR).size();
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> exchange.truth(PAIR).size() >= atKill + 300); // missed
    node = start(ports.get(0), ports.get(1), log);
    int atRestart = exchange.truth(PAIR).size();
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> exchange.truth(PAIR).size() >= atRestart + 200);
    exchange.stopStream();

    long hour = firstStart - Math.floorMod(firstStart, 3_600_000L);
    List<Trade> truth = exchange.truth(PAIR).stream().filter(t -> t.time() >= hour).toList();
    await()
        .atMost(Duration.ofSeconds(60))
        .until(() -> StackFixture.trades(bootstrap, SYMBOL).size() >= truth.size());
    assertThat(StackFixture.trades(bootstrap, SYMBOL).stream().map(Trade::id).toList())
        .as("the log holds every trade of the exchange since the hour began, once, in order")
        .isEqualTo(truth.stream().map(Trade::id).toList());

    Map<String, Candle> oracle = withTrades(OracleFold.latest(encode(truth), 250, 8192));
    long lastSecond = truth.get(truth.size() - 1).time() / 1000 * 1000;
    // every 1s and 1m candle of the run, once the windows closed (the exchange's heartbeat moves
    // the watermark on)
    await()
        .atMost(Duration.ofSeconds(60))
        .until(
            () ->
                closed1s(bootstrap)
                    .containsKey(
                        Topics.candleKey(SYMBOL, candlecast.common.Timeframe.S1, lastSecond)));
    Map<String, Candle> actual = withTrades(latestCandles(bootstrap));
    assertThat(actual.keySet())
        .as("the same candles")
        .containsExactlyInAnyOrderElementsOf(oracle.keySet());
    List<String> different = new ArrayList<>();
    for (Map.Entry<String, Candle> e : oracle.entrySet()) {
      Candle a = actual.get(e.getKey());
      Candle o = e.getValue();
      if (a.open() != o.open()
          || a.high() != o.high()
          || a.low() != o.low()
          || a.close() != o.close()
          || Math.abs(a.volume() - o.volume()) > 1e-9
          || a.trades() != o.trades()) {
        different.add(e.getKey() + ": " + a + " vs oracle " + o);
      }
    }
    assertThat(different).as("candles that differ from the exchange's trades").isEmpty();
    assertThat(Files.readString(log)).contains("continuing after");
  }

  private static List<byte[]> encode(List<Trade> trades) {
    return trades.stream().map(TradeCodec::encode).toList();
  }

  private static Map<String, Candle> latestCandles(String bootstrap) {
    Map<String, Candle> out = new TreeMap<>();
    for (ConsumerRecord<String, byte[]> r : StackFixture.readAll(bootstrap, Topics.CANDLES)) {
      if (r.value() != null && !CandleLogChecks.isGap(r.key())) {
        out.put(r.key(), CandleCodec.decode(r.value()));
      }
    }
    return out;
  }

  private static Map<String, Candle> closed1s(String bootstrap) {
    Map<String, Candle> out = new HashMap<>();
    latestCandles(bootstrap)
        .forEach(
            (k, c) -> {
              if (c.closed() && c.tf() == candlecast.common.Timeframe.S1) {
                out.put(k, c);
              }
            });
    return out;
  }

  /**
   * Candles that hold trades (flat windows depend on watermarks, which the oracle is not given).
   */
  private static Map<String, Candle> withTrades(Map<String, Candle> candles) {
    Map<String, Candle> out = new TreeMap<>();
    candles.forEach(
        (k, c) -> {
          if (c.trades() > 0) {
            out.put(k, c);
          }
        });
    return out;
  }
}
