package candlecast.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import candlecast.common.Addresses;
import candlecast.common.Candle;
import candlecast.common.CandleCodec;
import candlecast.common.CandleSource;
import candlecast.common.Timeframe;
import candlecast.common.Topics;
import candlecast.common.config.CandlecastConfig;
import candlecast.common.config.Settings;
import candlecast.common.kafka.EmbeddedKafka;
import candlecast.common.kafka.KafkaTopics;
import candlecast.feed.FakeExchange;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Deep history end to end: a single node on a Bitstamp-protocol exchange on loopback (trades on its
 * WebSocket, bars on its OHLC endpoint). A history request before the oldest candle held downloads
 * the missing range once (counted at the exchange), pages through more than a thousand bars through
 * a 429, stores the bars in {@code candles} with {@code src} exchange, shows the origin over REST,
 * leaves every trades candle as it was (byte for byte), serves the same request again locally, also
 * after a restart; a local-only request never downloads.
 */
class DeepHistoryIT {
  private static final String PAIR = "dhbtcusd";
  private static final String SYMBOL = "DHBTCUSD";
  private static final long MIN = 60_000L;
  @TempDir Path dir;
  private final HttpClient http = HttpClient.newHttpClient();

  private CandlecastConfig config(FakeExchange exchange, String bootstrap) {
    return StackFixture.config(dir.resolve("node"))
        .with(Settings.KAFKA_BOOTSTRAP_SERVERS, bootstrap)
        .with(Settings.FEED_SOURCE, "bitstamp")
        .with(Settings.FEED_SYMBOLS, List.of(SYMBOL))
        .with(Settings.BITSTAMP_WS_URL, exchange.wsUrl())
        .with(Settings.BITSTAMP_REST_URL, exchange.restUrl())
        .with(Settings.BITSTAMP_HEARTBEAT_MS, 500L)
        .with(Settings.BITSTAMP_WATERMARK_LAG_MS, 500L)
        .with(Settings.BITSTAMP_OHLC_PER_SECOND, 20L)
        .with(Settings.BITSTAMP_OHLC_BACKOFF_MS, 20L)
        .with(Settings.GATEWAY_INSTANCES, 1);
  }

  @Test
  void downloadsOnceStoresMarksAndNeverOverwritesTradesCandles() throws Exception {
    EmbeddedKafka kafka = EmbeddedKafka.start(dir.resolve("kafka"), 0);
    SingleNode node = null;
    try (FakeExchange exchange = FakeExchange.start(PAIR)) {
      String bootstrap = kafka.bootstrapServers();
      KafkaTopics.ensureTopicsBlocking(bootstrap, 2);
      exchange.stream(List.of(PAIR), 1);
      node = SingleNode.start(config(exchange, bootstrap)).await(90, TimeUnit.SECONDS);
      SingleNode n0 = node;
      JsonObject first =
          await()
              .atMost(Duration.ofSeconds(60))
              .ignoreExceptions()
              .until(() -> history(n0, base()), r -> !r.getJsonArray("candles").isEmpty());
      long oldest = first.getLong("oldest");
      long from = oldest - 2500 * MIN;

      // local only (absent or true) never downloads
      JsonObject local = history(node, base().put("from", from));
      JsonObject localTrue = history(node, base().put("from", from).put("localOnly", true));
      assertThat(local.containsKey("downloaded")).isFalse();
      assertThat(localTrue.containsKey("downloaded")).isFalse();
      assertThat(exchange.ohlcCalls()).isZero();
      Map<String, byte[]> tradesBefore =
          await()
              .atMost(Duration.ofSeconds(90))
              .until(() -> tradesCandles(bootstrap), m -> !m.isEmpty());

      // the download: 2500 windows → 3 pages, one of them refused once (429)
      List<JsonObject> status = new CopyOnWriteArrayList<>();
      MessageConsumer<JsonObject> statusConsumer =
          node.vertx().eventBus().consumer("test.status", m -> status.add(m.body()));
      statusConsumer.completion().await(5, TimeUnit.SECONDS);
      exchange.failNextOhlc(1);
      JsonObject deep =
          history(
              node,
              base().put("from", from).put("localOnly", false).put("statusAddress", "test.status"));
      long bars = (oldest - from) / MIN;
      int pages = (int) ((bars + 999) / 1000);
      assertThat(deep.getInteger("downloaded")).isEqualTo((int) bars);
      assertThat(exchange.ohlcCalls()).isEqualTo(pages + 1);
      assertThat(exchange.ohlcRefused()).isEqualTo(1);
      await().atMost(Duration.ofSeconds(10)).until(() -> status.size() == pages);
      for (int i = 0; i < pages; i++) {
        assertThat(status.get(i).getString("status")).isEqualTo("downloading");
        assertThat(status.get(i).getInteger("page")).isEqualTo(i + 1);
        assertThat(status.get(i).getString("symbol")).isEqualTo(SYMBOL);
      }
      assertThat(status.get(pages - 1).getInteger("fetched")).isEqualTo((int) bars);
      checkAnswer(deep, from, oldest);

      // stored in candles with src exchange; every trades candle unchanged, byte for byte
      Map<String, Candle> stored = exchangeCandles(bootstrap);
      assertThat(stored).hasSize((int) bars);
      for (Candle c : stored.values()) {
        assertThat(c.openTime()).isBetween(from, oldest - 1);
        assertThat(c).isEqualTo(oracle(c.openTime()));
      }
      Map<String, byte[]> tradesAfter = tradesCandles(bootstrap);
      for (Map.Entry<String, byte[]> e : tradesBefore.entrySet()) {
        assertThat(tradesAfter.get(e.getKey())).as(e.getKey()).isEqualTo(e.getValue());
      }

      // the same request again, and concurrent ones: served locally
      JsonObject again = history(node, base().put("from", from).put("localOnly", false));
      assertThat(again.containsKey("downloaded")).isFalse();
      checkAnswer(again, from, oldest);
      assertThat(exchange.ohlcCalls()).isEqualTo(pages + 1);

      // REST shows the origin
      JsonArray rest = rest(node, from, from + 9 * MIN);
      assertThat(rest).hasSize(10);
      for (int i = 0; i < rest.size(); i++) {
        assertThat(rest.getJsonObject(i).getString("src")).isEqualTo("exchange");
        assertThat(rest.getJsonObject(i).getLong("n")).isZero();
      }

      // concurrent identical requests share one download (1h: 1500 windows → 2 pages)
      long hFrom = Timeframe.H1.windowStart(oldest) - 1500 * 3_600_000L;
      JsonObject hReq =
          new JsonObject()
              .put("symbol", SYMBOL)
              .put("tf", "1h")
              .put("from", hFrom)
              .put("limit", 5000)
              .put("localOnly", false);
      int before = exchange.ohlcCalls();
      var a = request(node, hReq);
      var b = request(node, hReq.copy());
      JsonObject ra = a.await(120, TimeUnit.SECONDS);
      JsonObject rb = b.await(120, TimeUnit.SECONDS);
      assertThat(exchange.ohlcCalls() - before).isEqualTo(2);
      assertThat(ra.getJsonArray("candles")).isEqualTo(rb.getJsonArray("candles"));

      // a restart keeps "fetched once"
      node.stop().await(30, TimeUnit.SECONDS);
      node = SingleNode.start(config(exchange, bootstrap)).await(90, TimeUnit.SECONDS);
      SingleNode n1 = node;
      JsonObject afterRestart =
          await()
              .atMost(Duration.ofSeconds(60))
              .ignoreExceptions()
              .until(
                  () -> history(n1, base().put("from", from).put("localOnly", false)),
                  r -> r.getJsonArray("candles").size() >= bars);
      assertThat(afterRestart.containsKey("downloaded")).isFalse();
      checkAnswer(afterRestart, from, oldest);
      history(n1, hReq.copy());
      assertThat(exchange.ohlcCalls() - before).isEqualTo(2);
    } finally {
      if (node != null) {
        node.stop().await(30, TimeUnit.SECONDS);
      }
      kafka.stop();
    }
  }

  private static JsonObject base() {
    return new JsonObject().put("symbol", SYMBOL).put("tf", "1m").put("limit", 5000);
  }

  private static io.vertx.core.Future<JsonObject> request(SingleNode node, JsonObject body) {
    return node.vertx()
        .eventBus()
        .<JsonObject>request(Addresses.HISTORY, body, new DeliveryOptions().setSendTimeout(120_000))
        .map(m -> m.body());
  }

  private static JsonObject history(SingleNode node, JsonObject body) throws Exception {
    return request(node, body).await(120, TimeUnit.SECONDS);
  }

  /** The bars before {@code oldest} are the exchange's, marked; the rest are trades candles. */
  private static void checkAnswer(JsonObject reply, long from, long oldest) {
    int exchangeBars = 0;
    for (Object o : reply.getJsonArray("candles")) {
      JsonObject j = (JsonObject) o;
      Candle c = CandleCodec.fromJson(j);
      if (c.openTime() < oldest) {
        assertThat(c).isEqualTo(oracle(c.openTime()));
        assertThat(j.getString("src")).isEqualTo("exchange");
        exchangeBars++;
      } else {
        assertThat(j.containsKey("src")).as(j.encode()).isFalse();
      }
    }
    assertThat(exchangeBars).isEqualTo((int) ((oldest - from) / MIN));
  }

  private static Candle oracle(long t) {
    double[] b = FakeExchange.ohlcBar(PAIR, 60, t / 1000);
    return new Candle(
        SYMBOL,
        Timeframe.M1,
        t,
        b[0],
        b[1],
        b[2],
        b[3],
        b[4],
        0,
        true,
        false,
        CandleSource.EXCHANGE);
  }

  private JsonArray rest(SingleNode node, long from, long to) throws Exception {
    String body =
        http.send(
                HttpRequest.newBuilder(
                        URI.create(
                            "http://127.0.0.1:"
                                + node.httpPort()
                                + "/api/candles?symbol="
                                + SYMBOL
                                + "&tf=1m&from="
                                + from
                                + "&to="
                                + to))
                    .build(),
                HttpResponse.BodyHandlers.ofString())
            .body();
    return new JsonArray(body);
  }

  /** The newest value of every 1m candles record of the symbol from trades, as bytes. */
  private static Map<String, byte[]> tradesCandles(String bootstrap) {
    Map<String, byte[]> out = new HashMap<>();
    for (ConsumerRecord<String, byte[]> r : StackFixture.readAll(bootstrap, Topics.CANDLES)) {
      if (r.value() != null && r.key().startsWith(SYMBOL + "|1m|")) {
        out.put(r.key(), r.value());
      }
    }
    out.values().removeIf(v -> !CandleCodec.decode(v).fromTrades());
    // the open window may still change: compare closed ones only
    out.values().removeIf(v -> !CandleCodec.decode(v).closed());
    return out;
  }

  private static Map<String, Candle> exchangeCandles(String bootstrap) {
    Map<String, Candle> out = new HashMap<>();
    List<String> bad = new ArrayList<>();
    for (ConsumerRecord<String, byte[]> r : StackFixture.readAll(bootstrap, Topics.CANDLES)) {
      if (r.value() != null && r.key().startsWith(SYMBOL + "|1m|")) {
        Candle c = CandleCodec.decode(r.value());
        if (!c.fromTrades()) {
          if (out.put(r.key(), c) != null) {
            bad.add(r.key());
          }
        }
      }
    }
    assertThat(bad).as("exchange bars written twice").isEmpty();
    assertThat(Arrays.asList(CandleSource.values())).contains(CandleSource.EXCHANGE);
    return out;
  }
}
