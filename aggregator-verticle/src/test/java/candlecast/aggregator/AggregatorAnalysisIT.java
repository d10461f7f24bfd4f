package candlecast.aggregator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;
import static org.awaitility.Awaitility.await;

import candlecast.aggregator.analysis.OrderedMix;
import candlecast.common.Side;
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
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Analysis over the real stack (embedded Kafka, the aggregator verticle, the event bus): trades go
 * in, a client opens a series on {@code candlecast.analysis}, gets its snapshot and live updates
 * equal to it; after the aggregator is undeployed and a fresh one deployed on the same topics, the
 * re-opened series gives bit-identical closed points. Indicators: the test's {@link OrderedMix}
 * (the real ones are another part's; anchoring and wiring are under test here).
 */
class AggregatorAnalysisIT {
  private static final long T0 = 1_699_999_980_000L; // minute-aligned
  private static final String ADDRESS = "analysis.BTCUSD.1m.macd:3:7:4";

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

  private static JsonObject open(int limit) {
    return new JsonObject()
        .put("op", "open")
        .put("symbol", "btcusd")
        .put("tf", "1m")
        .put("name", "macd")
        .put("params", new JsonObject().put("fast", 3).put("slow", 7).put("signal", 4))
        .put("limit", limit);
  }

  /** Trades in minutes [from, to) (none in the quiet ones), then a watermark at minute to. */
  private static List<byte[]> trades(Random rnd, int from, int to, long[] id) {
    List<byte[]> log = new ArrayList<>();
    for (int m = from; m < to; m++) {
      if (m % 11 == 5) {
        continue; // a quiet minute: an implied flat window
      }
      for (int k = 0; k < 3; k++) {
        double price = 100 + rnd.nextInt(2_000) / 100.0;
        log.add(
            TradeCodec.encode(
                new Trade(
                    "BTCUSD", ++id[0], T0 + m * 60_000L + k * 15_000L, price, 0.5 + k, Side.BUY)));
      }
    }
    log.add(TradeCodec.encodeWatermark("BTCUSD", T0 + to * 60_000L));
    return log;
  }

  private AggregatorVerticle deploy(String bootstrap) throws Exception {
    return deploy(bootstrap, true);
  }

  /** An aggregator with the test's indicator, or the production ones. */
  private AggregatorVerticle deploy(String bootstrap, boolean testIndicators) throws Exception {
    AggregatorVerticle agg =
        new AggregatorVerticle(
            CandlecastConfig.defaults().with(Settings.AGGREGATOR_GRACE_MS, 0L), bootstrap);
    if (testIndicators) {
      agg.analysisFactory = OrderedMix::create;
    }
    vertx.deployVerticle(agg).await(60, TimeUnit.SECONDS);
    return agg;
  }

  @Test
  void openSnapshotLiveUpdatesAndBitIdenticalPointsAfterARestart() throws Exception {
    kafka = EmbeddedKafka.start(dir.resolve("kafka"), 0);
    String bootstrap = kafka.bootstrapServers();
    KafkaTopics.ensureTopicsBlocking(bootstrap, 2);
    Random rnd = new Random(16);
    long[] id = {0};
    KafkaFixture.produce(bootstrap, trades(rnd, 0, 30, id), 0);
    vertx = Vertx.vertx();
    AggregatorVerticle agg = deploy(bootstrap);
    await()
        .atMost(Duration.ofSeconds(30))
        .ignoreExceptions()
        .until(() -> newestT(request(open(1))) == T0 + 30 * 60_000L);

    JsonObject snap = request(open(100));
    assertThat(snap.getString("key")).isEqualTo("macd:3:7:4");
    assertThat(snap.getJsonArray("fields")).containsExactly("macd", "signal", "hist");
    // windows 0-29 closed, 30 open (the watermark opened it): defined from the third
    JsonArray first = snap.getJsonArray("points");
    assertThat(first).hasSize(29);
    assertThat(first.getJsonObject(28).getLong("t")).isEqualTo(T0 + 30 * 60_000L);
    assertThat(first.getJsonObject(28).getBoolean("closed")).isFalse();
    List<JsonObject> updates = new CopyOnWriteArrayList<>(); // the points of the update messages
    List<String> symbols = new CopyOnWriteArrayList<>();
    vertx
        .eventBus()
        .<JsonObject>consumer(
            ADDRESS,
            m -> {
              symbols.add(m.body().getString("symbol"));
              m.body().getJsonArray("points").forEach(o -> updates.add((JsonObject) o));
            })
        .completion()
        .await(5, TimeUnit.SECONDS);

    KafkaFixture.produce(bootstrap, trades(rnd, 30, 45, id), 0);
    await().atMost(Duration.ofSeconds(30)).until(() -> hasClosed(updates, T0 + 44 * 60_000L));
    JsonArray before = request(open(100)).getJsonArray("points");
    List<Object> closedBefore = closed(before);
    assertThat(closedBefore).hasSize(43);
    assertThat(symbols).isNotEmpty().containsOnly("BTCUSD");
    for (JsonObject pt : updates) {
      if (pt.getBoolean("closed")) {
        assertThat(before.getList()).contains(pt);
      }
    }
    assertThat(request(open(0)).getJsonArray("points")).isEmpty();
    JsonObject q =
        open(5).put("op", "query").put("from", T0 + 10 * 60_000L).put("to", T0 + 20 * 60_000L);
    assertThat(request(q).getJsonArray("points").getList()).isEqualTo(closedBefore.subList(14, 19));
    assertFails(open(5).put("symbol", "NOPE"), 404, "unknown symbol NOPE");
    assertFails(
        open(5).put("params", new JsonObject().put("fast", 0)), 400, "macd parameter 'fast'");
    assertFails(open(5).put("op", "close"), 400, "op must be open or query");
    assertFails(open(5).put("limit", 9_999), 400, "limit must be 0..5000");

    vertx.undeploy(agg.deploymentID()).await(60, TimeUnit.SECONDS);
    deploy(bootstrap);
    await()
        .atMost(Duration.ofSeconds(30))
        .ignoreExceptions()
        .until(() -> newestT(request(open(1))) >= T0 + 44 * 60_000L);
    JsonArray after = request(open(100)).getJsonArray("points");
    assertThat(closed(after).toString()).isEqualTo(closedBefore.toString());

    updates.clear();
    KafkaFixture.produce(bootstrap, trades(rnd, 45, 48, id), 0);
    await().atMost(Duration.ofSeconds(30)).until(() -> hasClosed(updates, T0 + 47 * 60_000L));
    JsonArray later = request(open(100)).getJsonArray("points");
    List<Object> closedLater = closed(later);
    assertThat(closedLater).hasSize(closedBefore.size() + 3);
    assertThat(closedLater.subList(0, closedBefore.size()).toString())
        .isEqualTo(closedBefore.toString());
    assertThat(updates.stream().filter(u -> u.getBoolean("closed")).map(u -> u.getLong("t")))
        .contains(T0 + 45 * 60_000L, T0 + 46 * 60_000L, T0 + 47 * 60_000L);
  }

  /**
   * Two instances on one event bus share the partitions: requests reach both in turn, and the one
   * that does not own the symbol (it has no history of it) forwards to the owner, whose answer is
   * the same every time. Production indicators: SMA 3 against the mean of the history's closes.
   */
  @Test
  void anInstanceThatDoesNotOwnTheSymbolForwardsToTheOwner() throws Exception {
    kafka = EmbeddedKafka.start(dir.resolve("kafka"), 0);
    String bootstrap = kafka.bootstrapServers();
    KafkaTopics.ensureTopicsBlocking(bootstrap, 2);
    List<String> symbols = List.of("AAAUSD", "BBBUSD", "CCCUSD", "DDDUSD");
    List<byte[]> log = new ArrayList<>();
    long id = 0;
    for (String sym : symbols) {
      for (int m = 0; m < 12; m++) {
        double price = 10 + m % 5 + sym.charAt(0) - 'A';
        log.add(TradeCodec.encode(new Trade(sym, ++id, T0 + m * 60_000L, price, 1, Side.SELL)));
      }
      log.add(TradeCodec.encodeWatermark(sym, T0 + 12 * 60_000L));
    }
    KafkaFixture.produce(bootstrap, log, 0);
    vertx = Vertx.vertx();
    AggregatorVerticle a = deploy(bootstrap, false);
    AggregatorVerticle b = deploy(bootstrap, false);
    // the second instance's join moves a partition: ask once each holds one, not during the move
    // (a request then is answered 503 "being taken over", which is right but not what is tested)
    await("each instance owns a partition")
        .atMost(Duration.ofSeconds(60))
        .until(
            () ->
                a.health().getJsonArray("partitions").size() == 1
                    && b.health().getJsonArray("partitions").size() == 1);
    for (String sym : symbols) {
      JsonObject body =
          open(20)
              .put("symbol", sym)
              .put("name", "sma")
              .put("params", new JsonObject().put("period", 3));
      await()
          .atMost(Duration.ofSeconds(60))
          .ignoreExceptions()
          .until(() -> request(body).getJsonArray("points").size() == 11);
      JsonObject first = request(body);
      for (int k = 0; k < 3; k++) { // round-robin: both instances answer in turn
        assertThat(request(body).encode()).isEqualTo(first.encode());
      }
      JsonArray candles =
          vertx
              .eventBus()
              .<JsonObject>request(
                  "candlecast.history", new JsonObject().put("symbol", sym).put("tf", "1m"))
              .await(5, TimeUnit.SECONDS)
              .body()
              .getJsonArray("candles");
      JsonArray points = first.getJsonArray("points");
      for (int k = 0; k < points.size(); k++) { // point k is window k + 2
        double mean =
            (candles.getJsonObject(k).getDouble("c")
                    + candles.getJsonObject(k + 1).getDouble("c")
                    + candles.getJsonObject(k + 2).getDouble("c"))
                / 3;
        assertThat(points.getJsonObject(k).getLong("t"))
            .isEqualTo(candles.getJsonObject(k + 2).getLong("t"));
        assertThat(points.getJsonObject(k).getDouble("value")).isCloseTo(mean, within(1e-9));
      }
    }
  }

  private static boolean hasClosed(List<JsonObject> updates, long t) {
    return updates.stream().anyMatch(u -> u.getLong("t") == t && u.getBoolean("closed"));
  }

  private static List<Object> closed(JsonArray points) {
    List<Object> out = new ArrayList<>();
    for (Object o : points) {
      if (((JsonObject) o).getBoolean("closed")) {
        out.add(o);
      }
    }
    return out;
  }

  private static long newestT(JsonObject reply) {
    JsonArray p = reply.getJsonArray("points");
    return p.getJsonObject(p.size() - 1).getLong("t");
  }

  private JsonObject request(JsonObject body) throws Exception {
    return vertx
        .eventBus()
        .<JsonObject>request("candlecast.analysis", body)
        .await(5, TimeUnit.SECONDS)
        .body();
  }

  private void assertFails(JsonObject body, int code, String message) {
    assertThatThrownBy(() -> request(body))
        .isInstanceOfSatisfying(
            ReplyException.class,
            e -> {
              assertThat(e.failureCode()).isEqualTo(code);
              assertThat(e.getMessage()).contains(message);
            });
  }
}
