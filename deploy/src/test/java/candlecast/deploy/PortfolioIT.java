package candlecast.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import candlecast.common.config.CandlecastConfig;
import candlecast.common.config.Settings;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.ClientWebSocket;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The portfolio end to end on the single-node stack (mock feed → embedded Kafka → aggregator with
 * its portfolio store → gateway): positions PUT over REST are valued live on {@code /ws} and the
 * values match an independent computation from the REST ticker; the seed document's {@code
 * /ws/portfolio} JavaScript client runs unchanged (only host:port replaced) in headless Chromium
 * and receives its values.
 */
class PortfolioIT {
  private static final Path SEED = Path.of("/work/shared/seeds/003_7a32141cac1b7cb2.txt");

  @TempDir Path dataDir;
  @TempDir Path tmp;
  private Vertx clientVertx;
  private SingleNode node;

  @AfterEach
  void tearDown() throws Exception {
    if (node != null) {
      node.stop().await(30, TimeUnit.SECONDS);
    }
    if (clientVertx != null) {
      clientVertx.close().await(10, TimeUnit.SECONDS);
    }
  }

  private static JsonObject pos(String s, double q, double c) {
    return new JsonObject().put("symbol", s).put("quantity", q).put("avgCost", c);
  }

  @Test
  void restPositionsAreValuedLiveAndTheSeedClientRunsUnchanged() throws Exception {
    CandlecastConfig cfg =
        StackFixture.config(dataDir).with(Settings.FEED_SYMBOLS, List.of("BTCUSD", "ETHUSD"));
    node = SingleNode.start(cfg).await(120, TimeUnit.SECONDS);
    clientVertx = Vertx.vertx();
    WebClient web = WebClient.create(clientVertx);
    int port = node.httpPort();
    for (String s : List.of("BTCUSD", "ETHUSD")) {
      await()
          .atMost(Duration.ofSeconds(30))
          .until(
              () ->
                  web.get(port, "127.0.0.1", "/api/ticker?symbol=" + s)
                          .send()
                          .await(10, TimeUnit.SECONDS)
                          .statusCode()
                      == 200);
    }
    JsonArray positions =
        new JsonArray().add(pos("BTCUSD", 0.25, 30_000)).add(pos("ETHUSD", -3, 2_000));
    HttpResponse<Buffer> put =
        web.put(port, "127.0.0.1", "/api/portfolio")
            .putHeader("X-Candlecast-Owner", "it-owner")
            .sendJsonObject(new JsonObject().put("positions", positions))
            .await(30, TimeUnit.SECONDS);
    assertThat(put.statusCode()).as(put.bodyAsString()).isEqualTo(200);
    assertThat(put.bodyAsJsonObject().getJsonObject("portfolio").getJsonArray("positions"))
        .isEqualTo(positions);

    // a JSON client of that owner
    List<JsonObject> frames = new CopyOnWriteArrayList<>();
    ClientWebSocket ws = clientVertx.createWebSocketClient().webSocket();
    ws.textMessageHandler(t -> frames.add(new JsonObject(t)));
    ws.connect(
            new WebSocketConnectOptions()
                .setHost("127.0.0.1")
                .setPort(port)
                .setURI("/ws?owner=it-owner"))
        .await(10, TimeUnit.SECONDS);
    ws.writeTextMessage("{\"type\":\"subscribe\",\"channel\":\"portfolio\"}")
        .await(5, TimeUnit.SECONDS);
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> frames.stream().anyMatch(f -> "subscription".equals(f.getString("type"))));

    // some valuation frame matches the REST tickers asked around it (the oracle)
    await()
        .atMost(Duration.ofSeconds(60))
        .until(
            () -> {
              JsonObject btc =
                  web.get(port, "127.0.0.1", "/api/ticker?symbol=BTCUSD")
                      .send()
                      .await(10, TimeUnit.SECONDS)
                      .bodyAsJsonObject();
              JsonObject eth =
                  web.get(port, "127.0.0.1", "/api/ticker?symbol=ETHUSD")
                      .send()
                      .await(10, TimeUnit.SECONDS)
                      .bodyAsJsonObject();
              return frames.stream()
                  .filter(f -> "portfolio".equals(f.getString("type")))
                  .anyMatch(f -> matches(f, btc, eth));
            });
    JsonObject last =
        frames.stream()
            .filter(f -> "portfolio".equals(f.getString("type")))
            .reduce((a, b) -> b)
            .orElseThrow();
    assertThat(last.getString("owner")).isEqualTo("it-owner");
    // frames of one owner come at most every gateway.portfolio-interval-ms (250)
    List<Long> times =
        frames.stream()
            .filter(f -> "portfolio".equals(f.getString("type")))
            .map(f -> f.getLong("time"))
            .toList();
    for (int i = 2; i < times.size(); i++) {
      assertThat(times.get(i) - times.get(i - 1)).isGreaterThanOrEqualTo(250);
    }

    seedClientInChromium(port, web);
  }

  /** Whether a valuation is the one of the record at these tickers (computed here, in doubles). */
  private static boolean matches(JsonObject f, JsonObject btc, JsonObject eth) {
    JsonArray ps = f.getJsonArray("positions");
    JsonObject b = ps.getJsonObject(0);
    JsonObject e = ps.getJsonObject(1);
    if (!(b.getValue("price") instanceof Number) || !(e.getValue("price") instanceof Number)) {
      return false;
    }
    if (b.getDouble("price") != btc.getDouble("last").doubleValue()
        || e.getDouble("price") != eth.getDouble("last").doubleValue()) {
      return false;
    }
    double bv = 0.25 * btc.getDouble("last");
    double ev = -3 * eth.getDouble("last");
    double bc = 0.25 * 30_000;
    double ec = -3 * 2_000.0;
    near(b.getDouble("value"), bv);
    near(b.getDouble("pnl"), bv - bc);
    near(b.getDouble("pnlPct"), (bv - bc) / Math.abs(bc) * 100);
    near(e.getDouble("value"), ev);
    near(e.getDouble("pnl"), ev - ec);
    assertThat(e.getString("side")).isEqualTo("short");
    assertThat(b.getDouble("change24hPct")).isEqualTo(btc.getDouble("changePct"));
    JsonObject t = f.getJsonObject("totals");
    near(t.getDouble("value"), bv + ev);
    near(t.getDouble("cost"), bc + ec);
    near(t.getDouble("pnl"), bv + ev - bc - ec);
    near(t.getDouble("pnlPct"), (bv + ev - bc - ec) / Math.abs(bc + ec) * 100);
    return true;
  }

  private static void near(double actual, double expected) {
    assertThat(Math.abs(actual - expected))
        .isLessThanOrEqualTo(1e-9 * Math.max(1, Math.abs(expected)));
  }

  /** The seed's "Portfolio Stream" snippet, only its host:port replaced. */
  static String seedSnippet(int port) throws Exception {
    String doc = Files.readString(SEED);
    Matcher m =
        Pattern.compile("#### Portfolio Stream\\s*```javascript\\n(.*?)```", Pattern.DOTALL)
            .matcher(doc);
    assertThat(m.find()).as("the Portfolio Stream snippet in " + SEED).isTrue();
    String snippet = m.group(1);
    assertThat(snippet).contains("ws://localhost:8081/ws/portfolio");
    return snippet.replace("localhost:8081", "127.0.0.1:" + port);
  }

  private void seedClientInChromium(int port, WebClient web) throws Exception {
    // the snippet names no owner: it is the "default" one's portfolio
    HttpResponse<Buffer> put =
        web.put(port, "127.0.0.1", "/api/portfolio")
            .sendJsonObject(
                new JsonObject().put("positions", new JsonArray().add(pos("BTCUSD", 1, 1_000))))
            .await(30, TimeUnit.SECONDS);
    assertThat(put.statusCode()).isEqualTo(200);
    try (Browser browser = Browser.start(tmp, 800, 600)) {
      browser.open("http://127.0.0.1:" + port + "/test");
      browser.js(
          "window.calls = [];"
              + "window.updatePortfolioValue = function (v) { window.calls.push(['value', v]); };"
              + "window.updatePnL = function (v) { window.calls.push(['pnl', v]); };");
      browser.js(
          "var s = document.createElement('script'); s.textContent = arguments[0];"
              + " document.documentElement.appendChild(s);",
          seedSnippet(port));
      await()
          .atMost(Duration.ofSeconds(20))
          .until(() -> browser.jsLong("window.calls.length") >= 6);
      @SuppressWarnings("unchecked")
      List<List<Object>> calls = (List<List<Object>>) browser.js("return window.calls");
      for (int i = 0; i < calls.size(); i += 2) {
        // RELIANCE holds no position: its value and P&L are 0 (the documented client reads both)
        assertThat(calls.get(i).get(0)).isEqualTo("value");
        assertThat(((Number) calls.get(i).get(1)).doubleValue()).isZero();
        assertThat(calls.get(i + 1).get(0)).isEqualTo("pnl");
        assertThat(((Number) calls.get(i + 1).get(1)).doubleValue()).isZero();
      }
      // (the /test page has no favicon: the browser's own request for it is not the client's)
      assertThat(browser.consoleErrors()).filteredOn(e -> !e.contains("favicon.ico")).isEmpty();
    }
  }
}
