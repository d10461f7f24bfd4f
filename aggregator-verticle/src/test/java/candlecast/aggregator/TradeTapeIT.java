package candlecast.aggregator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import candlecast.common.Side;
import candlecast.common.TapeCodec;
import candlecast.common.TapeTrade;
import candlecast.common.Topics;
import candlecast.common.Trade;
import candlecast.common.TradeCodec;
import candlecast.common.TradeRecord;
import candlecast.common.config.CandlecastConfig;
import candlecast.common.config.Settings;
import candlecast.common.kafka.EmbeddedKafka;
import candlecast.common.kafka.KafkaTopics;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The aggregator's trade tape against a real broker: what it publishes on {@code trades.<SYMBOL>}
 * and answers on {@code candlecast.trades} is what Kafka's {@code trades} holds (the oracle), also
 * after another instance takes the partitions over and rebuilds the rings from Kafka.
 */
class TradeTapeIT {
  private static final long T0 = 1_700_000_000_000L;
  private static final int RING = 120;

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
  void publishesAndAnswersTheLogAndRebuildsItOnTakeover() throws Exception {
    kafka = EmbeddedKafka.start(dir.resolve("kafka"), 0);
    String bootstrap = kafka.bootstrapServers();
    KafkaTopics.ensureTopicsBlocking(bootstrap, 2);
    Random rnd = new Random(5);
    KafkaFixture.produce(bootstrap, log(rnd, 0, 300), 0);

    vertx = Vertx.vertx();
    List<JsonObject> updates = new CopyOnWriteArrayList<>();
    vertx
        .eventBus()
        .<JsonObject>consumer("trades.BTCUSD", m -> updates.add(m.body()))
        .completion()
        .await(5, TimeUnit.SECONDS);
    CandlecastConfig cfg =
        CandlecastConfig.defaults()
            .with(Settings.AGGREGATOR_TRADES_RING_SIZE, RING)
            .with(Settings.AGGREGATOR_CHECKPOINT_MS, 100L);
    String first =
        vertx.deployVerticle(new AggregatorVerticle(cfg, bootstrap)).await(60, TimeUnit.SECONDS);

    List<TapeTrade> oracle = oracle(bootstrap, "BTCUSD");
    await().atMost(Duration.ofSeconds(20)).until(() -> published(updates).size() >= oracle.size());
    assertThat(published(updates))
        .as("every trade once, in log order, with its offset")
        .isEqualTo(oracle);
    long prev = -1;
    for (JsonObject u : updates) {
      assertThat(u.getLong("prev")).as("each update names the trade before it").isEqualTo(prev);
      List<TapeTrade> ts = TapeCodec.trades(u);
      prev = ts.get(ts.size() - 1).seq();
    }

    JsonObject newest = request(new JsonObject().put("symbol", "btc-usd").put("limit", 50));
    assertThat(TapeCodec.trades(newest)).isEqualTo(tail(oracle, 50));
    assertThat(newest.getLong("lastSeq")).isEqualTo(oracle.get(oracle.size() - 1).seq());
    long since = oracle.get(oracle.size() - 30).id();
    assertThat(
            TapeCodec.trades(
                request(
                    new JsonObject()
                        .put("symbol", "BTCUSD")
                        .put("since", since)
                        .put("limit", 1000))))
        .isEqualTo(tail(oracle, 29));
    long evicted = oracle.get(oracle.size() - RING - 1).id();
    assertThatThrownBy(
            () -> request(new JsonObject().put("symbol", "BTCUSD").put("since", evicted)))
        .isInstanceOfSatisfying(
            ReplyException.class,
            e -> {
              assertThat(e.failureCode()).isEqualTo(410);
              assertThat(e.getMessage()).contains("no longer held");
            });
    assertThatThrownBy(() -> request(new JsonObject().put("symbol", "NOPE")))
        .isInstanceOfSatisfying(
            ReplyException.class, e -> assertThat(e.failureCode()).isEqualTo(404));

    // Takeover: the first instance goes, trades keep coming, a new instance rebuilds the rings from
    // Kafka.
    vertx.undeploy(first).await(30, TimeUnit.SECONDS);
    KafkaFixture.produce(bootstrap, log(rnd, 300, 100), 0);
    vertx.deployVerticle(new AggregatorVerticle(cfg, bootstrap)).await(60, TimeUnit.SECONDS);
    List<TapeTrade> after = oracle(bootstrap, "BTCUSD");
    await()
        .atMost(Duration.ofSeconds(20))
        .ignoreExceptions()
        .until(
            () ->
                request(new JsonObject().put("symbol", "BTCUSD")).getLong("lastSeq")
                    == after.get(after.size() - 1).seq());
    assertThat(
            TapeCodec.trades(request(new JsonObject().put("symbol", "BTCUSD").put("limit", RING))))
        .as("the rebuilt ring holds the newest trades of the log")
        .isEqualTo(tail(after, RING));
    long oldestHeld = after.get(after.size() - RING).seq();
    assertThat(
            TapeCodec.trades(
                request(
                    new JsonObject()
                        .put("symbol", "BTCUSD")
                        .put("afterSeq", oldestHeld)
                        .put("limit", 1000))))
        .isEqualTo(tail(after, RING - 1));
    assertThat(
            TapeCodec.trades(request(new JsonObject().put("symbol", "ETHUSD").put("limit", RING))))
        .isEqualTo(tail(oracle(bootstrap, "ETHUSD"), RING));
  }

  /**
   * Trades of two symbols from id {@code first + 1}, with some watermarks and one duplicate of each
   * symbol.
   */
  private static List<byte[]> log(Random rnd, int first, int n) {
    List<byte[]> out = new ArrayList<>();
    for (int i = first; i < first + n; i++) {
      String symbol = rnd.nextInt(3) == 0 ? "ETHUSD" : "BTCUSD";
      Trade t =
          new Trade(
              symbol,
              i + 1,
              T0 + i * 10L,
              100 + rnd.nextInt(100) / 4.0,
              0.5 + rnd.nextInt(8),
              rnd.nextBoolean() ? Side.BUY : Side.SELL);
      out.add(TradeCodec.encode(t));
      if (i % 40 == 7) {
        out.add(TradeCodec.encodeWatermark(symbol, T0 + i * 10L));
        out.add(TradeCodec.encode(t)); // the exchange repeated itself: kept once
      }
    }
    return out;
  }

  /** The symbol's trades in Kafka's log order without repeated ids, each with its offset. */
  private static List<TapeTrade> oracle(String bootstrap, String symbol) {
    List<TapeTrade> out = new ArrayList<>();
    java.util.Set<Long> seen = new java.util.HashSet<>();
    for (ConsumerRecord<String, byte[]> r : KafkaFixture.readAll(bootstrap, Topics.TRADES)) {
      if (TradeCodec.decode(r.value()) instanceof TradeRecord t
          && t.symbol().equals(symbol)
          && seen.add(t.trade().id())) {
        out.add(TapeTrade.of(r.offset(), t.trade()));
      }
    }
    return out;
  }

  private static List<TapeTrade> published(List<JsonObject> updates) {
    List<TapeTrade> out = new ArrayList<>();
    for (JsonObject u : updates) {
      out.addAll(TapeCodec.trades(u));
    }
    return out;
  }

  private static <T> List<T> tail(List<T> l, int n) {
    return l.subList(Math.max(0, l.size() - n), l.size());
  }

  private JsonObject request(JsonObject body) throws Exception {
    return vertx
        .eventBus()
        .<JsonObject>request("candlecast.trades", body)
        .await(5, TimeUnit.SECONDS)
        .body();
  }
}
