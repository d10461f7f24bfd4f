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
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole single-node stack in-process (real embedded Kafka, mock feed, aggregator, gateway)
 * driven by real WebSocket and HTTP clients over loopback.
 */
class SingleNodeIT {
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

  @Test
  void liveOneSecondCandlesMatchTheTradeLogAndCommandsBehave() throws Exception {
    CandlecastConfig cfg = StackFixture.config(dataDir);
    node = SingleNode.start(cfg).await(60, TimeUnit.SECONDS);
    StackFixture.Client client = StackFixture.Client.connect(clientVertx, node.httpPort());

    // A bad command gets an error naming it, and the connection survives.
    client.send("sub-7m");
    await().atMost(Duration.ofSeconds(5)).until(() -> !client.ofType("error").isEmpty());
    assertThat(client.ofType("error").get(0).encode()).contains("sub-7m");

    client.send("sub-1s");
    await().atMost(Duration.ofSeconds(5)).until(() -> !client.ofType("subscribed").isEmpty());
    // Wait for three closed 1s candles with trades.
    await().atMost(Duration.ofSeconds(20)).until(() -> closedWithTrades(client).size() >= 3);
    List<JsonObject> closed = closedWithTrades(client);
    for (JsonObject c : closed) {
      assertThat(c.getString("symbol")).isEqualTo("BTCUSD");
      assertThat(c.getLong("time_window_seconds")).isEqualTo(1L);
    }

    // Check each closed candle against the trades in the log for that window.
    List<Trade> trades = StackFixture.trades(node.bootstrapServers(), "BTCUSD");
    for (JsonObject c : closed) {
      long start = c.getLong("unix_timestamp") * 1000;
      List<Trade> in =
          trades.stream()
              .filter(t -> t.time() >= start && t.time() < start + 1000)
              .collect(Collectors.toList());
      assertThat(in).as("trades of window %d", start).isNotEmpty();
      double high = in.stream().mapToDouble(Trade::price).max().orElseThrow();
      double low = in.stream().mapToDouble(Trade::price).min().orElseThrow();
      double volume = 0;
      for (Trade t : in) {
        volume += t.amount();
      }
      assertThat(c.getDouble("open")).isEqualTo(in.get(0).price());
      assertThat(c.getDouble("close")).isEqualTo(in.get(in.size() - 1).price());
      assertThat(c.getDouble("high")).isEqualTo(high);
      assertThat(c.getDouble("low")).isEqualTo(low);
      assertThat(c.getDouble("volume")).isEqualTo(volume);
      assertThat(c.getLong("trades")).isEqualTo(in.size());
    }

    // unsub stops the updates: after the ack nothing more arrives, while a witness keeps receiving.
    StackFixture.Client witness = StackFixture.Client.connect(clientVertx, node.httpPort());
    witness.send("sub-1s");
    client.send("unsub");
    await().atMost(Duration.ofSeconds(5)).until(() -> !client.ofType("unsubscribed").isEmpty());
    int framesAtAck = indexOfType(client, "unsubscribed");
    await().atMost(Duration.ofSeconds(10)).until(() -> closedWithTrades(witness).size() >= 2);
    assertThat(client.frames.size()).as("no frames after the unsub ack").isEqualTo(framesAtAck + 1);

    // The connection still works after unsub.
    client.send("sub-1s:ETHUSD");
    await()
        .atMost(Duration.ofSeconds(10))
        .until(
            () ->
                client.frames.stream()
                    .anyMatch(
                        f ->
                            "candle".equals(f.getString("type"))
                                && "ETHUSD".equals(f.getString("symbol"))));
  }

  @Test
  void candlesSurviveARestartOnTheSameDataDirectory() throws Exception {
    CandlecastConfig cfg = StackFixture.config(dataDir);
    node = SingleNode.start(cfg).await(60, TimeUnit.SECONDS);
    WebClient web = WebClient.create(clientVertx);
    int port = node.httpPort();
    await().atMost(Duration.ofSeconds(20)).until(() -> closedCount(get(web, port)) >= 3);
    JsonArray before = get(web, port);
    List<String> closedBefore =
        before.stream()
            .map(o -> (JsonObject) o)
            .filter(o -> o.getBoolean("x"))
            .map(JsonObject::encode)
            .collect(Collectors.toList());
    node.stop().await(30, TimeUnit.SECONDS);
    node = null;

    node = SingleNode.start(cfg).await(60, TimeUnit.SECONDS);
    JsonArray after = get(web, node.httpPort());
    List<String> served =
        after.stream().map(o -> ((JsonObject) o).encode()).collect(Collectors.toList());
    assertThat(served)
        .as("every closed candle from before the restart is still served")
        .containsAll(closedBefore);
  }

  private static JsonArray get(WebClient web, int port) throws Exception {
    HttpResponse<Buffer> r =
        web.get(port, "127.0.0.1", "/api/candles?symbol=BTCUSD&tf=1s&limit=5000")
            .send()
            .await(10, TimeUnit.SECONDS);
    assertThat(r.statusCode()).isEqualTo(200);
    return r.bodyAsJsonArray();
  }

  private static long closedCount(JsonArray a) {
    return a.stream().filter(o -> ((JsonObject) o).getBoolean("x")).count();
  }

  private static List<JsonObject> closedWithTrades(StackFixture.Client c) {
    return c.ofType("candle").stream()
        .filter(
            f ->
                f.getBoolean("closed") && f.getLong("trades") > 0 && "1s".equals(f.getString("tf")))
        .collect(Collectors.toList());
  }

  private static int indexOfType(StackFixture.Client c, String type) {
    for (int i = 0; i < c.frames.size(); i++) {
      if (type.equals(c.frames.get(i).getString("type"))) {
        return i;
      }
    }
    return -1;
  }
}
