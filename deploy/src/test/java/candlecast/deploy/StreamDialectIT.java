package candlecast.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import candlecast.common.Trade;
import candlecast.common.config.CandlecastConfig;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.ClientWebSocket;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code /ws/stream} on the single-node stack (mock feed → real embedded Kafka → aggregator →
 * gateway): a client written to the seed's document subscribes to {@code BTC-USD}; its data, ticks
 * and candles are checked against the {@code trades} topic (the oracle): every tick once and in log
 * order, every price a traded one with the 24 h change from the first trade, every 1m candle the
 * fold of the log's trades of its window.
 */
class StreamDialectIT {
  private static final Logger LOG = LoggerFactory.getLogger(StreamDialectIT.class);
  private static final String SYMBOL = "BTCUSD";

  @TempDir Path dataDir;
  private Vertx clientVertx;
  private SingleNode node;

  @BeforeEach
  void setUp() {
    clientVertx = Vertx.vertx();
  }

  @AfterEach
  void tearDown() throws Exception {
    if (node != null) {
      node.stop().await(30, TimeUnit.SECONDS);
    }
    clientVertx.close().await(10, TimeUnit.SECONDS);
  }

  /** A seed client: records every message with the time it arrived. */
  private static final class SeedClient {
    final WebSocket ws;
    final List<JsonObject> messages = new CopyOnWriteArrayList<>();
    final List<Long> arrivals = new CopyOnWriteArrayList<>();

    SeedClient(Vertx vertx, int port) throws Exception {
      // handlers before the handshake: the welcome frame may arrive right behind the 101
      ClientWebSocket socket = vertx.createWebSocketClient().webSocket();
      socket.textMessageHandler(
          t -> {
            arrivals.add(System.currentTimeMillis());
            messages.add(new JsonObject(t));
          });
      socket
          .connect(
              new WebSocketConnectOptions().setHost("127.0.0.1").setPort(port).setURI("/ws/stream"))
          .await(10, TimeUnit.SECONDS);
      ws = socket;
    }

    void send(JsonObject j) throws Exception {
      ws.writeTextMessage(j.encode()).await(5, TimeUnit.SECONDS);
    }

    List<JsonObject> ofType(String type) {
      return messages.stream().filter(m -> type.equals(m.getString("type"))).toList();
    }
  }

  @Test
  void aSeedClientGetsPricesTicksAndCandlesThatMatchTheTradeLog() throws Exception {
    CandlecastConfig cfg = StackFixture.config(dataDir);
    node = SingleNode.start(cfg).await(60, TimeUnit.SECONDS);
    WebClient web = WebClient.create(clientVertx);
    HttpResponse<Buffer> test =
        web.get(node.httpPort(), "127.0.0.1", "/test").send().await(10, TimeUnit.SECONDS);
    assertThat(test.statusCode()).isEqualTo(200);
    // a symbol nobody has traded yet is unknown: wait for the feed's first trades to be folded
    await()
        .atMost(Duration.ofSeconds(20))
        .until(
            () ->
                web.get(node.httpPort(), "127.0.0.1", "/api/ticker?symbol=BTCUSD")
                        .send()
                        .await(10, TimeUnit.SECONDS)
                        .statusCode()
                    == 200);

    SeedClient c = new SeedClient(clientVertx, node.httpPort());
    await().atMost(Duration.ofSeconds(5)).until(() -> !c.messages.isEmpty());
    assertThat(c.messages.get(0).getString("type")).isEqualTo("connection");
    c.send(new JsonObject().put("type", "subscribe").put("symbol", "BTC-USD"));
    await().atMost(Duration.ofSeconds(10)).until(() -> !c.ofType("subscription").isEmpty());
    assertThat(c.ofType("subscription").get(0).getString("symbol")).isEqualTo("BTC-USD");
    // a few seconds of live data (40 trades a second; tickers at most every 250 ms)
    await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () ->
                c.ofType("data").size() >= 8
                    && ticks(c).size() >= 100
                    && !c.ofType("candle_data").isEmpty());
    c.send(
        new JsonObject()
            .put("type", "heartbeat")
            .put("timestamp", System.currentTimeMillis() / 1000.0));
    c.send(new JsonObject().put("type", "unsubscribe").put("symbol", "BTC-USD"));
    await()
        .atMost(Duration.ofSeconds(10))
        .until(
            () -> c.messages.stream().anyMatch(m -> "unsubscribed".equals(m.getString("status"))));
    assertThat(c.ofType("heartbeat")).hasSize(1);
    int frozen = c.messages.size();

    List<Trade> log = StackFixture.trades(node.bootstrapServers(), SYMBOL);
    checkTicks(ticks(c), log);
    checkData(c.ofType("data"), log);
    checkCandles(c.ofType("candle_data"), log);
    for (JsonObject m : c.messages) {
      assertThat(m.getString("type"))
          .as(m.encode())
          .isIn("connection", "subscription", "data", "tick_data", "candle_data", "heartbeat");
      assertThat(Instant.parse(m.getString("timestamp")).toEpochMilli()).isPositive();
    }
    logLatency(c);
    // a subscription that was not dropped would deliver within this quiet period (40 trades a
    // second)
    await()
        .during(Duration.ofMillis(500))
        .atMost(Duration.ofSeconds(2))
        .alias("nothing after unsubscribing")
        .until(() -> c.messages.size() == frozen);
  }

  private static List<JsonObject> ticks(SeedClient c) {
    List<JsonObject> out = new ArrayList<>();
    for (JsonObject m : c.ofType("tick_data")) {
      assertThat(m.getString("symbol")).isEqualTo("BTC-USD");
      m.getJsonObject("data").getJsonArray("ticks").forEach(o -> out.add((JsonObject) o));
    }
    return out;
  }

  /** The ticks are a contiguous run of the log: every trade once, in order, with its values. */
  private static void checkTicks(List<JsonObject> ticks, List<Trade> log) {
    int start = -1;
    for (int i = 0; i < log.size() && start < 0; i++) {
      if (log.get(i).id() == ticks.get(0).getLong("id")) {
        start = i;
      }
    }
    assertThat(start).as("the first tick is in the log").isNotNegative();
    assertThat(log.size() - start).isGreaterThanOrEqualTo(ticks.size());
    for (int i = 0; i < ticks.size(); i++) {
      JsonObject t = ticks.get(i);
      Trade x = log.get(start + i);
      assertThat(t.getLong("id")).as("tick %d: the next trade of the log", i).isEqualTo(x.id());
      assertThat(t.getDouble("price")).isEqualTo(x.price());
      assertThat(t.getDouble("quantity")).isEqualTo(x.amount());
      assertThat(t.getString("side")).isEqualTo(x.side().wire());
      assertThat(Instant.parse(t.getString("timestamp")).toEpochMilli()).isEqualTo(x.time());
    }
  }

  /**
   * Every price is a traded one; the log is younger than a day, so the 24 h open is the first
   * trade's price and the change is price − open (rounded by the aggregator to the price
   * precision), in percent of the open.
   */
  private static void checkData(List<JsonObject> data, List<Trade> log) {
    Set<Double> prices = new HashSet<>();
    double total = 0;
    for (Trade t : log) {
      prices.add(t.price());
      total += t.amount();
    }
    double open = log.get(0).price();
    double lastVolume = 0;
    for (JsonObject m : data) {
      assertThat(m.getString("symbol")).isEqualTo("BTC-USD");
      JsonObject d = m.getJsonObject("data");
      assertThat(d.fieldNames()).containsExactly("price", "volume", "change", "change_percent");
      double price = d.getDouble("price");
      assertThat(prices).as("a traded price").contains(price);
      assertThat(d.getDouble("change"))
          .isCloseTo(price - open, org.assertj.core.data.Offset.offset(0.01));
      assertThat(d.getDouble("change_percent"))
          .isCloseTo((price - open) / open * 100, org.assertj.core.data.Offset.offset(0.006));
      double volume = d.getDouble("volume");
      assertThat(volume)
          .as("24 h volume: grows, never beyond the log's")
          .isGreaterThanOrEqualTo(lastVolume)
          .isLessThanOrEqualTo(total + 1e-9);
      lastVolume = volume;
    }
  }

  /** An open 1m candle with n trades is the fold of the first n trades of its window in the log. */
  private static void checkCandles(List<JsonObject> candles, List<Trade> log) {
    for (JsonObject m : candles) {
      JsonObject d = m.getJsonObject("data");
      assertThat(d.getString("timeframe")).isEqualTo("1m");
      long from = Instant.parse(d.getString("open_time")).toEpochMilli();
      List<Trade> in =
          log.stream().filter(t -> t.time() >= from && t.time() < from + 60_000).toList();
      int n = d.getInteger("trades");
      assertThat(in.size()).as("trades of the window in the log").isGreaterThanOrEqualTo(n);
      List<Trade> folded = in.subList(0, n);
      assertThat(d.getDouble("open")).isEqualTo(folded.get(0).price());
      assertThat(d.getDouble("close")).isEqualTo(folded.get(n - 1).price());
      assertThat(d.getDouble("high"))
          .isEqualTo(folded.stream().mapToDouble(Trade::price).max().orElseThrow());
      assertThat(d.getDouble("low"))
          .isEqualTo(folded.stream().mapToDouble(Trade::price).min().orElseThrow());
      double volume = 0;
      for (Trade t : folded) {
        volume += t.amount();
      }
      assertThat(d.getDouble("volume"))
          .isCloseTo(volume, org.assertj.core.data.Offset.offset(1e-9));
    }
  }

  /**
   * Trade time (the mock feed stamps the wall clock) to arrival at the client, over every tick
   * received.
   */
  private static void logLatency(SeedClient c) {
    List<Long> lat = new ArrayList<>();
    for (int i = 0; i < c.messages.size(); i++) {
      JsonObject m = c.messages.get(i);
      if ("tick_data".equals(m.getString("type"))) {
        for (Object o : m.getJsonObject("data").getJsonArray("ticks")) {
          lat.add(
              c.arrivals.get(i)
                  - Instant.parse(((JsonObject) o).getString("timestamp")).toEpochMilli());
        }
      }
    }
    long[] a = lat.stream().mapToLong(Long::longValue).sorted().toArray();
    LOG.info(
        "trade to /ws/stream client: {} ticks, p50 {} ms, p99 {} ms, max {} ms",
        a.length,
        a[a.length / 2],
        a[(int) (a.length * 0.99)],
        a[a.length - 1]);
    assertThat(Arrays.stream(a).min().orElseThrow())
        .as("no tick before its trade")
        .isGreaterThanOrEqualTo(-5);
  }
}
