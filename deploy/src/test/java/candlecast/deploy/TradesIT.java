package candlecast.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import candlecast.common.Trade;
import candlecast.common.config.CandlecastConfig;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Trades end to end on the single-node stack (mock feed → real embedded Kafka → aggregator →
 * gateway → real WebSocket client): every trade the feed sent reaches a subscribed client exactly
 * once and in order, across forced reconnects resumed with {@code since}. The oracle is what
 * Kafka's {@code trades} topic holds for the symbol.
 */
class TradesIT {
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

  /**
   * The trades one connection received (snapshot and trades frames, in order); fails on errors and
   * gaps.
   */
  private static List<JsonObject> tradesOf(StackFixture.Client c) {
    List<JsonObject> out = new ArrayList<>();
    for (JsonObject f : c.frames) {
      String type = f.getString("type");
      if ("snapshot".equals(type) || "trades".equals(type)) {
        f.getJsonArray("trades").forEach(o -> out.add((JsonObject) o));
      } else {
        assertThat(type)
            .as("no error or gap on a connection that reads: " + f.encode())
            .isIn("connection", "subscription");
      }
    }
    return out;
  }

  private static JsonObject subscribe(Long since) {
    JsonObject sub =
        new JsonObject()
            .put("type", "subscribe")
            .put("channel", "trades")
            .put("symbol", "BTC-USD")
            .put("batch", 7);
    return since == null ? sub : sub.put("since", since);
  }

  @Test
  void everyTradeReachesASubscribedClientOnceInOrderAcrossReconnectsWithSince() throws Exception {
    CandlecastConfig cfg = StackFixture.config(dataDir);
    node = SingleNode.start(cfg).await(60, TimeUnit.SECONDS);
    WebClient web = WebClient.create(clientVertx);
    // a symbol nobody has traded yet is unknown (unknown_symbol): wait for the feed's first trades
    // to be folded
    await()
        .atMost(Duration.ofSeconds(20))
        .until(
            () -> {
              HttpResponse<Buffer> r =
                  web.get(node.httpPort(), "127.0.0.1", "/api/trades?symbol=BTCUSD&limit=1")
                      .send()
                      .await(10, TimeUnit.SECONDS);
              return r.statusCode() == 200 && !r.bodyAsJsonArray().isEmpty();
            });
    List<JsonObject> all = new ArrayList<>();
    Long since = null;
    for (int round = 0; round < 4; round++) {
      StackFixture.Client c = StackFixture.Client.connect(clientVertx, node.httpPort());
      c.send(subscribe(since).encode());
      await()
          .atMost(Duration.ofSeconds(20))
          .untilAsserted(
              () ->
                  assertThat(c.ofType("trades").size())
                      .as("trades frames among %s", c.frames)
                      .isGreaterThanOrEqualTo(5));
      // a forced reconnect: the connection drops, trades keep coming (40 a second) while the client
      // is away
      c.ws.close().await(5, TimeUnit.SECONDS);
      List<JsonObject> snap = c.ofType("snapshot");
      assertThat(snap).hasSize(1);
      if (since == null) {
        assertThat(snap.get(0).containsKey("recovered")).isFalse();
      } else {
        assertThat(snap.get(0).getBoolean("recovered"))
            .as("resumed: " + snap.get(0).encode())
            .isTrue();
        assertThat(snap.get(0).getInteger("count")).as("trades passed while away").isPositive();
      }
      List<JsonObject> got = tradesOf(c);
      all.addAll(got);
      since = got.get(got.size() - 1).getLong("id");
      long away = since;
      int missed = 10 * (round + 1);
      await()
          .atMost(Duration.ofSeconds(20))
          .alias(missed + " trades while away")
          .until(
              () ->
                  web.get(
                              node.httpPort(),
                              "127.0.0.1",
                              "/api/trades?symbol=BTCUSD&limit=100&since=" + away)
                          .send()
                          .await(10, TimeUnit.SECONDS)
                          .bodyAsJsonArray()
                          .size()
                      >= missed);
    }

    List<Trade> oracle = StackFixture.trades(node.bootstrapServers(), SYMBOL);
    int start = indexOf(oracle, all.get(0).getLong("id"));
    assertThat(start).as("the first trade received is in the log").isNotNegative();
    assertThat(oracle.size() - start).isGreaterThanOrEqualTo(all.size());
    for (int i = 0; i < all.size(); i++) {
      Trade t = oracle.get(start + i);
      JsonObject e = all.get(i);
      assertThat(e.getLong("id"))
          .as("trade %d of the client: the next one in the log", i)
          .isEqualTo(t.id());
      assertThat(e.getLong("t")).isEqualTo(t.time());
      assertThat(e.getDouble("p")).isEqualTo(t.price());
      assertThat(e.getDouble("q")).isEqualTo(t.amount());
      assertThat(e.getString("side")).isEqualTo(t.side().wire());
    }
    // at least: 1 in the first snapshot, 5 live per connection, 10 + 20 + 30 missed and recovered
    assertThat(all.size())
        .as("trades received in all")
        .isGreaterThanOrEqualTo(1 + 4 * 5 + 10 + 20 + 30);

    // REST: the newest trades, a contiguous piece of the log, the dashed style accepted
    HttpResponse<Buffer> r =
        web.get(node.httpPort(), "127.0.0.1", "/api/trades?symbol=btc-usd&limit=20")
            .send()
            .await(10, TimeUnit.SECONDS);
    assertThat(r.statusCode()).isEqualTo(200);
    JsonArray recent = r.bodyAsJsonArray();
    assertThat(recent).hasSize(20);
    List<Trade> log = StackFixture.trades(node.bootstrapServers(), SYMBOL);
    int at = indexOf(log, recent.getJsonObject(0).getLong("id"));
    assertThat(at).isNotNegative();
    for (int i = 0; i < recent.size(); i++) {
      assertThat(recent.getJsonObject(i).getLong("id")).isEqualTo(log.get(at + i).id());
    }
  }

  private static int indexOf(List<Trade> log, long id) {
    for (int i = 0; i < log.size(); i++) {
      if (log.get(i).id() == id) {
        return i;
      }
    }
    return -1;
  }
}
