package candlecast.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 16 end to end on one node (embedded Kafka, mock feed, the aggregator owning and computing
 * the series, the gateway's AnalysisHub): the JSON {@code /ws} indicator channel serves the SMA of
 * exactly the candles {@code /api/candles} serves, joined at the seam without a duplicate.
 */
class AnalysisGatewayIT {
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
  void indicatorChannelServesTheOwnersSmaOfTheServedCandles() throws Exception {
    node = SingleNode.start(StackFixture.config(dataDir)).await(60, TimeUnit.SECONDS);
    StackFixture.Client client = StackFixture.Client.connect(clientVertx, node.httpPort());
    await().atMost(Duration.ofSeconds(20)).until(() -> closedCandles(served()).size() >= 4);
    client.send(
        new JsonObject()
            .put("type", "subscribe")
            .put("channel", "indicator")
            .put("symbol", "BTCUSD")
            .put("tf", "1s")
            .put("name", "sma")
            .put("params", new JsonObject().put("period", 3))
            .put("limit", 100)
            .put("id", 1)
            .encode());
    await().atMost(Duration.ofSeconds(30)).until(() -> !client.ofType("snapshot").isEmpty());
    assertThat(client.ofType("subscription").get(0).getString("key")).isEqualTo("sma:3");
    await().atMost(Duration.ofSeconds(20)).until(() -> closedLive(client).size() >= 4);

    JsonArray snapshot = client.ofType("snapshot").get(0).getJsonArray("points");
    long lastSnapshotClosed = Long.MIN_VALUE;
    List<JsonObject> points = new ArrayList<>();
    for (Object o : snapshot) {
      JsonObject p = (JsonObject) o;
      if (p.getBoolean("closed")) {
        lastSnapshotClosed = p.getLong("t");
        points.add(p);
      }
    }
    long prev = lastSnapshotClosed;
    for (JsonObject u : closedLive(client)) {
      assertThat(u.getLong("t"))
          .as("each closed value once, in order, after the snapshot's")
          .isGreaterThan(prev);
      prev = u.getLong("t");
      points.add(u);
    }

    Map<Long, Double> closes = closedCandles(served());
    int checked = 0;
    for (JsonObject p : points) {
      long t = p.getLong("t");
      Double c0 = closes.get(t - 2_000);
      Double c1 = closes.get(t - 1_000);
      Double c2 = closes.get(t);
      if (c0 == null || c1 == null || c2 == null) {
        continue; // a window without trades (a flat) is not a served candle: skip that point
      }
      double expected = (c0 + c1 + c2) / 3;
      assertThat(p.getDouble("value"))
          .as("sma:3 at %d", t)
          .isCloseTo(expected, org.assertj.core.data.Offset.offset(1e-9 * Math.abs(expected)));
      checked++;
    }
    assertThat(checked).as("points checked against the served candles").isGreaterThanOrEqualTo(4);

    client.send(
        "{\"type\":\"unsubscribe\",\"channel\":\"indicator\",\"symbol\":\"BTCUSD\",\"tf\":\"1s\","
            + "\"key\":\"sma:3\"}");
    await()
        .atMost(Duration.ofSeconds(5))
        .until(
            () ->
                client.ofType("subscription").stream()
                    .anyMatch(f -> "unsubscribed".equals(f.getString("status"))));
  }

  private static List<JsonObject> closedLive(StackFixture.Client c) {
    List<JsonObject> out = new ArrayList<>();
    for (JsonObject f : c.ofType("indicator")) {
      if (f.getBoolean("closed")) {
        out.add(f);
      }
    }
    return out;
  }

  private JsonArray served() throws Exception {
    WebClient web = WebClient.create(clientVertx);
    try {
      HttpResponse<Buffer> r =
          web.get(node.httpPort(), "127.0.0.1", "/api/candles?symbol=BTCUSD&tf=1s&limit=5000")
              .send()
              .await(10, TimeUnit.SECONDS);
      assertThat(r.statusCode()).isEqualTo(200);
      return r.bodyAsJsonArray();
    } finally {
      web.close();
    }
  }

  /** Open time → close of the closed candles served (the flat windows are not among them). */
  private static Map<Long, Double> closedCandles(JsonArray candles) {
    Map<Long, Double> out = new HashMap<>();
    for (Object o : candles) {
      JsonObject c = (JsonObject) o;
      if (c.getBoolean("x") && c.getLong("n", 0L) > 0) {
        out.put(c.getLong("t"), c.getDouble("c"));
      }
    }
    return out;
  }
}
