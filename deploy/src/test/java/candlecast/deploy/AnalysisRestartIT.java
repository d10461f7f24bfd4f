package candlecast.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import candlecast.common.config.Settings;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 16: analysis values do not depend on the process that computed them. The single-node jar
 * (mock feed) computes indicators, patterns and risk metrics of a 1s series, live (a JSON /ws
 * subscription) and over REST; it is killed with -9 and started again on the same data directory.
 * Every closed point computed after the restart equals, bit for bit, the one computed before it for
 * the same window, and the live values equal the REST values.
 */
class AnalysisRestartIT {
  private static final String SYMBOL = "ANBTCUSD";
  private static final List<String> QUERIES =
      List.of(
          "/api/indicators?name=sma&period=5",
          "/api/indicators?name=ema&period=5",
          "/api/indicators?name=wma&period=5",
          "/api/indicators?name=rsi&period=5",
          "/api/indicators?name=macd&fast=3&slow=6&signal=3",
          "/api/indicators?name=bb&period=5&mult=2",
          "/api/indicators?name=atr&period=5",
          "/api/indicators?name=stoch&k=5&d=3",
          "/api/indicators?name=vwap",
          "/api/indicators?name=obv",
          "/api/risk?window=5",
          "/api/patterns?lookback=5");

  @TempDir Path dir;
  private Process node;
  private Vertx vertx;
  private final HttpClient http = HttpClient.newHttpClient();

  @AfterEach
  void tearDown() throws Exception {
    if (node != null) {
      node.destroyForcibly().waitFor();
    }
    if (vertx != null) {
      vertx.close().await();
    }
  }

  @Test
  void closedValuesAreBitIdenticalAcrossAKill9AndLiveEqualsRest() throws Exception {
    List<Integer> ports = ClusterFixture.freePorts(2);
    int port = ports.get(0);
    Path log = dir.resolve("node.log");
    node = start(port, ports.get(1), log);
    await()
        .atMost(Duration.ofSeconds(90))
        .until(() -> closedPoints(port, QUERIES.get(1)).size() >= 15);

    vertx = Vertx.vertx();
    StackFixture.Client live = StackFixture.Client.connect(vertx, port);
    live.send(
        "{\"type\":\"subscribe\",\"channel\":\"indicator\",\"symbol\":\""
            + SYMBOL
            + "\",\"tf\":\"1s\",\"name\":\"ema\",\"params\":{\"period\":5},\"id\":1}");
    await().atMost(Duration.ofSeconds(20)).until(() -> liveClosed(live).size() >= 5);
    Map<String, JsonObject> liveBefore = liveClosed(live);
    live.ws.close();

    List<Map<String, JsonObject>> before = new ArrayList<>();
    for (String q : QUERIES) {
      before.add(closedPoints(port, q));
    }
    Map<String, JsonObject> restEma = before.get(1);
    for (Map.Entry<String, JsonObject> e : liveBefore.entrySet()) {
      if (restEma.containsKey(e.getKey())) {
        assertThat(values(e.getValue()))
            .as("live EMA at %s equals REST's", e.getKey())
            .isEqualTo(values(restEma.get(e.getKey())));
      }
    }
    long newestBefore =
        ((NavigableMap<String, JsonObject>) restEma).lastEntry().getValue().getLong("t");

    node.destroyForcibly().waitFor(); // kill -9
    node = start(port, ports.get(1), log);
    await()
        .atMost(Duration.ofSeconds(90))
        .until(
            () -> {
              NavigableMap<String, JsonObject> after = closedPoints(port, QUERIES.get(1));
              return !after.isEmpty()
                  && after.lastEntry().getValue().getLong("t") > newestBefore + 5_000;
            });

    int compared = 0;
    for (int i = 0; i < QUERIES.size(); i++) {
      Map<String, JsonObject> after = closedPoints(port, QUERIES.get(i));
      for (Map.Entry<String, JsonObject> e : before.get(i).entrySet()) {
        JsonObject a = after.get(e.getKey());
        if (a == null) {
          continue;
        }
        compared++;
        assertThat(values(a))
            .as("%s at %s after the restart", QUERIES.get(i), e.getKey())
            .isEqualTo(values(e.getValue()));
      }
    }
    assertThat(compared).as("points compared across the restart").isGreaterThanOrEqualTo(100);

    StackFixture.Client again = StackFixture.Client.connect(vertx, port);
    again.send(
        "{\"type\":\"subscribe\",\"channel\":\"indicator\",\"symbol\":\""
            + SYMBOL
            + "\",\"tf\":\"1s\",\"name\":\"ema\",\"params\":{\"period\":5},\"id\":2}");
    await().atMost(Duration.ofSeconds(20)).until(() -> liveClosed(again).size() >= 3);
    Map<String, JsonObject> restAfter = closedPoints(port, QUERIES.get(1));
    Map<String, JsonObject> liveAfter = liveClosed(again);
    int liveCompared = 0;
    for (Map.Entry<String, JsonObject> e : liveAfter.entrySet()) {
      JsonObject r = restAfter.get(e.getKey());
      JsonObject b = liveBefore.get(e.getKey());
      if (r != null) {
        liveCompared++;
        assertThat(values(e.getValue()))
            .as("live after = REST at %s", e.getKey())
            .isEqualTo(values(r));
      }
      if (b != null) {
        assertThat(values(e.getValue()))
            .as("live after = live before at %s", e.getKey())
            .isEqualTo(values(b));
      }
    }
    assertThat(liveCompared).isPositive();
  }

  /** The point without its bookkeeping fields: what was computed. */
  private static JsonObject values(JsonObject point) {
    JsonObject v = point.copy();
    v.remove("type");
    v.remove("symbol");
    v.remove("tf");
    v.remove("key");
    v.remove("id");
    v.remove("channel");
    return v;
  }

  /** Closed points of the snapshot and the live frames of a JSON /ws indicator subscription. */
  private static NavigableMap<String, JsonObject> liveClosed(StackFixture.Client c) {
    TreeMap<String, JsonObject> out = new TreeMap<>();
    for (JsonObject f : c.frames) {
      if ("snapshot".equals(f.getString("type")) && "indicator".equals(f.getString("channel"))) {
        for (Object o : f.getJsonArray("points", new JsonArray())) {
          JsonObject p = (JsonObject) o;
          if (p.getBoolean("closed", false)) {
            out.put(key(p), p);
          }
        }
      } else if ("indicator".equals(f.getString("type")) && f.getBoolean("closed", false)) {
        out.put(key(f), f);
      }
    }
    return out;
  }

  /** Window and pattern name: several detections may share a window. */
  private static String key(JsonObject p) {
    return String.format("%015d|%s", p.getLong("t"), p.getString("pattern", ""));
  }

  private NavigableMap<String, JsonObject> closedPoints(int port, String query) throws Exception {
    String uri = "http://127.0.0.1:" + port + query + "&symbol=" + SYMBOL + "&tf=1s&limit=5000";
    HttpResponse<String> r =
        http.send(
            HttpRequest.newBuilder(URI.create(uri)).timeout(Duration.ofSeconds(10)).build(),
            HttpResponse.BodyHandlers.ofString());
    TreeMap<String, JsonObject> out = new TreeMap<>();
    if (r.statusCode() != 200) {
      return out;
    }
    for (Object o : new JsonArray(r.body())) {
      JsonObject p = (JsonObject) o;
      if (p.getBoolean("closed", true)) {
        out.put(key(p), p);
      }
    }
    return out;
  }

  private Process start(int httpPort, int kafkaPort, Path log) throws Exception {
    return SingleNodeProcess.start(
        httpPort,
        kafkaPort,
        dir.resolve("data"),
        log,
        Map.of(
            Settings.FEED_SOURCE.envName(), "mock",
            Settings.FEED_SYMBOLS.envName(), SYMBOL,
            Settings.FEED_RATE.envName(), "30",
            Settings.MOCK_HISTORY_DAYS.envName(), "0"));
  }
}
