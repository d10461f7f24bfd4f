package candlecast.aggregator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import candlecast.common.Candle;
import candlecast.common.CandleCodec;
import candlecast.common.Side;
import candlecast.common.Timeframe;
import candlecast.common.Trade;
import candlecast.common.TradeCodec;
import candlecast.common.config.CandlecastConfig;
import candlecast.common.config.Settings;
import candlecast.common.kafka.EmbeddedKafka;
import candlecast.common.kafka.KafkaTopics;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The aggregator's event-bus contract against a real broker: history, symbols, tickers, clear
 * errors.
 */
class AggregatorVerticleIT {
  @TempDir Path dir;
  private EmbeddedKafka kafka;
  private Vertx vertx;

  @AfterEach
  void tearDown() throws Exception {
    if (vertx != null) {
      vertx.close().await(30, TimeUnit.SECONDS);
    }
    if (kafka != null) {
      kafka.stop();
    }
  }

  @Test
  void answersHistorySymbolsAndTickersAndSaysWhatIsWrong() throws Exception {
    kafka = EmbeddedKafka.start(dir.resolve("kafka"), 0);
    String bootstrap = kafka.bootstrapServers();
    KafkaTopics.ensureTopicsBlocking(bootstrap, 2);
    long t0 = 1_699_999_980_000L; // minute-aligned
    List<byte[]> log = new ArrayList<>();
    double[] prices = {100, 104, 97, 101, 99.5, 102};
    for (int i = 0; i < prices.length; i++) {
      log.add(
          TradeCodec.encode(
              new Trade("BTCUSD", i + 1, t0 + i * 30_000L, prices[i], 0.5 + i, Side.BUY)));
    }
    log.add(TradeCodec.encodeWatermark("BTCUSD", t0 + 200_000L)); // closes the first three minutes
    KafkaFixture.produce(bootstrap, log, 0);

    vertx = Vertx.vertx();
    List<JsonObject> tickers = new CopyOnWriteArrayList<>();
    vertx.eventBus().<JsonObject>consumer("ticker.BTCUSD", m -> tickers.add(m.body()));
    CandlecastConfig cfg = CandlecastConfig.defaults().with(Settings.AGGREGATOR_GRACE_MS, 0L);
    vertx.deployVerticle(new AggregatorVerticle(cfg, bootstrap)).await(60, TimeUnit.SECONDS);

    await()
        .atMost(Duration.ofSeconds(20))
        .ignoreExceptions()
        .until(() -> history("BTCUSD", "1m").getJsonArray("candles").size() >= 4);
    JsonObject h = history("BTCUSD", "1m");
    List<Candle> m1 = new ArrayList<>();
    h.getJsonArray("candles").forEach(o -> m1.add(CandleCodec.fromJson((JsonObject) o)));
    assertThat(m1)
        .startsWith(
            new Candle("BTCUSD", Timeframe.M1, t0, 100, 104, 100, 104, 0.5 + 1.5, 2, true),
            new Candle("BTCUSD", Timeframe.M1, t0 + 60_000, 97, 101, 97, 101, 2.5 + 3.5, 2, true),
            new Candle(
                "BTCUSD", Timeframe.M1, t0 + 120_000, 99.5, 102, 99.5, 102, 4.5 + 5.5, 2, true));
    assertThat(h.getLong("oldest")).isEqualTo(t0);
    JsonArray limited =
        request(
                "candlecast.history",
                new JsonObject()
                    .put("symbol", "btcusd")
                    .put("tf", "1m")
                    .put("from", t0 + 60_000)
                    .put("limit", 1))
            .getJsonArray("candles");
    assertThat(limited).hasSize(1);
    assertThat(limited.getJsonObject(0).getLong("t")).isEqualTo(m1.get(m1.size() - 1).openTime());

    assertThat(request("candlecast.symbols", new JsonObject()).getJsonArray("symbols").getList())
        .containsExactly("BTCUSD");

    assertFails(new JsonObject().put("symbol", "BTCUSD").put("tf", "7m"), 400, "unknown timeframe");
    assertFails(new JsonObject().put("symbol", "NOPE").put("tf", "1m"), 404, "unknown symbol NOPE");
    assertFails(
        new JsonObject().put("symbol", "BTCUSD").put("tf", "1m").put("limit", -1), 400, "limit");

    await().atMost(Duration.ofSeconds(10)).until(() -> !tickers.isEmpty());
    JsonObject t =
        request("candlecast.tickers", new JsonObject().put("symbol", "BTCUSD"))
            .getJsonArray("tickers")
            .getJsonObject(0);
    assertThat(t.getDouble("last")).isEqualTo(102.0);
    assertThat(t.getDouble("open24h")).isEqualTo(100.0);
    assertThat(t.getDouble("change")).isEqualTo(2.0);
    assertThat(t.getDouble("high")).isEqualTo(104.0);
    assertThat(t.getDouble("low")).isEqualTo(97.0);
    assertThat(t.getDouble("volume")).isEqualTo(0.5 + 1.5 + 2.5 + 3.5 + 4.5 + 5.5);
    assertThat(request("candlecast.tickers", new JsonObject()).getJsonArray("tickers")).hasSize(1);
    assertThatThrownBy(() -> request("candlecast.tickers", new JsonObject().put("symbol", "NOPE")))
        .hasMessageContaining("unknown symbol");
  }

  /**
   * A gap record in {@code trades}: the closed minute it overlaps is written, published and served
   * again as partial, the open ones it overlaps are partial, the rest is untouched, and /health
   * counts it.
   */
  @Test
  void aGapRecordMarksTheCandlesItOverlapsPartialEverywhere() throws Exception {
    kafka = EmbeddedKafka.start(dir.resolve("kafka"), 0);
    String bootstrap = kafka.bootstrapServers();
    KafkaTopics.ensureTopicsBlocking(bootstrap, 2);
    long t0 = 1_699_999_980_000L; // minute-aligned
    List<byte[]> log = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      log.add(
          TradeCodec.encode(new Trade("ETHUSD", i + 1, t0 + i * 30_000L, 100 + i, 1, Side.SELL)));
    }
    log.add(TradeCodec.encodeWatermark("ETHUSD", t0 + 120_000L)); // closes the first two minutes
    log.add(TradeCodec.encodeGap("ETHUSD", t0 + 70_000L, t0 + 200_000L));
    KafkaFixture.produce(bootstrap, log, 0);

    vertx = Vertx.vertx();
    List<Candle> published = new CopyOnWriteArrayList<>();
    vertx
        .eventBus()
        .<JsonObject>consumer(
            "candles.ETHUSD.1m", m -> published.add(CandleCodec.fromJson(m.body())));
    AggregatorVerticle agg =
        new AggregatorVerticle(
            CandlecastConfig.defaults().with(Settings.AGGREGATOR_GRACE_MS, 0L), bootstrap);
    vertx.deployVerticle(agg).await(60, TimeUnit.SECONDS);

    Candle first = new Candle("ETHUSD", Timeframe.M1, t0, 100, 101, 100, 101, 2, 2, true);
    Candle second =
        new Candle("ETHUSD", Timeframe.M1, t0 + 60_000, 102, 103, 102, 103, 2, 2, true, true);
    Candle third =
        new Candle("ETHUSD", Timeframe.M1, t0 + 120_000, 103, 103, 103, 103, 0, 0, false, true);
    await()
        .atMost(Duration.ofSeconds(20))
        .ignoreExceptions()
        .untilAsserted(
            () -> {
              List<Candle> m1 = new ArrayList<>();
              history("ETHUSD", "1m")
                  .getJsonArray("candles")
                  .forEach(o -> m1.add(CandleCodec.fromJson((JsonObject) o)));
              assertThat(m1).containsExactly(first, second, third);
            });
    assertThat(published)
        .contains(second, third)
        .doesNotContain(
            new Candle("ETHUSD", Timeframe.M1, t0, 100, 101, 100, 101, 2, 2, true, true));
    List<String> problems = new ArrayList<>();
    java.util.Map<String, byte[]> topic = KafkaFixture.latestCandles(bootstrap, problems);
    assertThat(problems).isEmpty();
    assertThat(CandleCodec.decode(topic.get(second.key()))).isEqualTo(second);
    assertThat(CandleCodec.decode(topic.get(first.key()))).isEqualTo(first);
    assertThat(agg.health().getLong("gaps")).isEqualTo(1);
    assertThat(agg.health().getLong("gapsIncomplete")).isZero();
  }

  private JsonObject history(String symbol, String tf) throws Exception {
    return request("candlecast.history", new JsonObject().put("symbol", symbol).put("tf", tf));
  }

  private JsonObject request(String address, JsonObject body) throws Exception {
    return vertx.eventBus().<JsonObject>request(address, body).await(5, TimeUnit.SECONDS).body();
  }

  private void assertFails(JsonObject body, int code, String message) {
    assertThatThrownBy(() -> request("candlecast.history", body))
        .isInstanceOfSatisfying(
            ReplyException.class,
            e -> {
              assertThat(e.failureCode()).isEqualTo(code);
              assertThat(e.getMessage()).contains(message);
            });
  }
}
