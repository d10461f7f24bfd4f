package candlecast.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import candlecast.common.Trade;
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
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Alerts end to end on the single node (issue 17): mock feed → Kafka → the owner's fold loop
 * evaluates price alerts created over REST → the fire is recorded in {@code alerts.fires} and
 * published → the gateway delivers it to the owner's JSON clients, to a client that was offline (on
 * reconnect with {@code since}), never to another owner, and to the seed's documented {@code
 * /ws/alerts} JavaScript client running unchanged in headless Chromium.
 */
class AlertsGatewayIT {
  private static final String SYMBOL = "RELIANCE";

  /**
   * The seed's "Alerts Stream" client (/work/shared/seeds/003_7a32141cac1b7cb2.txt), unchanged but
   * for the host and port.
   */
  private static final String SEED_CLIENT =
      """
      const alertsWs = new WebSocket('ws://localhost:8081/ws/alerts');

      alertsWs.onopen = function() {
          console.log('Connected to alerts stream');

          alertsWs.send(JSON.stringify({
              type: 'subscribe',
              symbol: 'RELIANCE'
          }));
      };

      alertsWs.onmessage = function(event) {
          const data = JSON.parse(event.data);
          if (data.type === 'data') {
              // Handle alerts
              data.data.price_alerts.forEach(alert => {
                  if (alert.triggered) {
                      showNotification(`Price alert: ${alert.type}`);
                  }
              });
          }
      };
      """;

  @TempDir Path dataDir;
  private Vertx clientVertx;
  private SingleNode node;
  private Browser browser;
  private WebClient web;

  /**
   * Held for the whole test: a client nothing refers to may be closed with its sockets when
   * collected.
   */
  private io.vertx.core.http.WebSocketClient wsClient;

  @BeforeEach
  void setUp() {
    clientVertx = Vertx.vertx();
    web = WebClient.create(clientVertx);
    wsClient = clientVertx.createWebSocketClient();
  }

  @AfterEach
  void tearDown() throws Exception {
    if (browser != null) {
      browser.close();
    }
    if (node != null) {
      node.stop().await(30, TimeUnit.SECONDS);
    }
    clientVertx.close().await(10, TimeUnit.SECONDS);
  }

  /** A JSON /ws client of one owner: every message kept. */
  private final class JsonClient {
    final ClientWebSocket ws;
    final List<JsonObject> messages = new CopyOnWriteArrayList<>();

    JsonClient(String owner) throws Exception {
      ws = wsClient.webSocket();
      ws.textMessageHandler(t -> messages.add(new JsonObject(t)));
      ws.connect(
              new WebSocketConnectOptions()
                  .setHost("127.0.0.1")
                  .setPort(node.httpPort())
                  .setURI("/ws?owner=" + owner))
          .await(10, TimeUnit.SECONDS);
    }

    void subscribe(Long since) throws Exception {
      JsonObject j = new JsonObject().put("type", "subscribe").put("channel", "alerts");
      ws.writeTextMessage((since == null ? j : j.put("since", since)).encode())
          .await(5, TimeUnit.SECONDS);
      await().atMost(Duration.ofSeconds(10)).until(() -> !of("subscription").isEmpty());
    }

    List<JsonObject> of(String type) {
      return messages.stream().filter(m -> type.equals(m.getString("type"))).toList();
    }
  }

  private HttpResponse<Buffer> rest(String method, String uri, String owner, JsonObject body)
      throws Exception {
    var req =
        web.request(
                io.vertx.core.http.HttpMethod.valueOf(method), node.httpPort(), "127.0.0.1", uri)
            .putHeader("X-Candlecast-Owner", owner);
    return (body == null ? req.send() : req.sendJsonObject(body)).await(20, TimeUnit.SECONDS);
  }

  private String create(String owner, String kind, double level) throws Exception {
    HttpResponse<Buffer> r =
        rest(
            "POST",
            "/api/alerts",
            owner,
            new JsonObject()
                .put("symbol", SYMBOL)
                .put("condition", new JsonObject().put("kind", kind).put("level", level)));
    assertThat(r.statusCode()).as(r.bodyAsString()).isEqualTo(201);
    return r.bodyAsJsonObject().getString("id");
  }

  @Test
  void aPriceAlertFiresOnTheCrossingTradeForItsOwnerOnlyAndInTheSeedsBrowserClient()
      throws Exception {
    CandlecastConfig cfg =
        StackFixture.config(dataDir).with(Settings.FEED_SYMBOLS, List.of("BTCUSD", SYMBOL));
    node = SingleNode.start(cfg).await(60, TimeUnit.SECONDS);
    String base = "http://127.0.0.1:" + node.httpPort();
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> rest("GET", "/api/ticker?symbol=" + SYMBOL, "x", null).statusCode() == 200);
    double last =
        rest("GET", "/api/ticker?symbol=" + SYMBOL, "x", null).bodyAsJsonObject().getDouble("last");

    JsonClient alice = new JsonClient("alice");
    alice.subscribe(null);
    JsonClient bob = new JsonClient("bob");
    bob.subscribe(null);

    browser = Browser.start(dataDir, 800, 600);
    browser.open(base + "/test");
    browser.js(
        "window.__notes = []; window.showNotification = m => window.__notes.push(m);"
            + "window.__data = 0; const W = window.WebSocket;"
            + "window.WebSocket = function (u) { const s = new W(u);"
            + " s.addEventListener('message', e => { if (JSON.parse(e.data).type === 'data') { window.__data++; window.__last = e.data; } });"
            + " return s; };");
    browser.js(SEED_CLIENT.replace("localhost:8081", "127.0.0.1:" + node.httpPort()));

    // a ladder of alerts above and below the last price for alice, the browser's owner and carol:
    // whichever way the price goes, it crosses one of them soon
    List<String> aliceIds = new ArrayList<>();
    for (double step : new double[] {1e-6, 1e-5, 1e-4, 1e-3}) {
      for (String owner : List.of("alice", "default", "carol")) {
        String a = create(owner, "price_above", last * (1 + step));
        String b = create(owner, "price_below", last * (1 - step));
        if (owner.equals("alice")) {
          aliceIds.add(a);
          aliceIds.add(b);
        }
      }
    }
    // the browser's subscription lists the alerts it has when it subscribes: reload its data
    await().atMost(Duration.ofSeconds(10)).until(() -> browser.jsLong("window.__data") >= 1);

    try {
      await().atMost(Duration.ofSeconds(60)).until(() -> !alice.of("alert").isEmpty());
    } catch (org.awaitility.core.ConditionTimeoutException e) {
      throw new AssertionError(
          "no fire reached alice (closed "
              + alice.ws.isClosed()
              + ", messages "
              + alice.messages
              + "); her alerts: "
              + rest("GET", "/api/alerts", "alice", null).bodyAsString()
              + "; her recorded fires: "
              + rest("GET", "/api/alerts/fires?since=0", "alice", null).bodyAsString()
              + "; last price "
              + rest("GET", "/api/ticker?symbol=" + SYMBOL, "x", null).bodyAsString(),
          e);
    }
    JsonObject fire = alice.of("alert").get(0);
    assertThat(aliceIds).contains(fire.getString("alert"));
    checkCrossing(fire, StackFixture.trades(node.bootstrapServers(), SYMBOL));
    assertThat(fire.getString("fire"))
        .isEqualTo(fire.getString("alert") + "|t:" + fire.getJsonObject("trade").getLong("offset"));

    // the seed's client shows the notification
    try {
      await()
          .atMost(Duration.ofSeconds(60))
          .until(() -> browser.jsLong("window.__notes.length") >= 1);
    } catch (org.awaitility.core.ConditionTimeoutException e) {
      throw new AssertionError(
          "no notification; data messages "
              + browser.jsLong("window.__data")
              + ", last "
              + browser.jsString("window.__last")
              + "; default's fires: "
              + rest("GET", "/api/alerts/fires?since=0", "default", null).bodyAsString(),
          e);
    }
    assertThat(browser.jsString("window.__notes[0]"))
        .isIn("Price alert: price_above", "Price alert: price_below");

    // carol was offline during her fire: it comes on reconnect with since
    await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () ->
                !rest("GET", "/api/alerts/fires?since=0", "carol", null)
                    .bodyAsJsonObject()
                    .getJsonArray("fires")
                    .isEmpty());
    JsonArray carolsFires =
        rest("GET", "/api/alerts/fires?since=0", "carol", null)
            .bodyAsJsonObject()
            .getJsonArray("fires");
    JsonClient carol = new JsonClient("carol");
    carol.subscribe(0L);
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> carol.of("alert").size() >= carolsFires.size());
    List<String> got = new ArrayList<>();
    carol.of("alert").forEach(a -> got.add(a.getString("fire")));
    List<String> recorded = new ArrayList<>();
    carolsFires.forEach(a -> recorded.add(((JsonObject) a).getString("fire")));
    assertThat(got).startsWith(recorded.toArray(new String[0]));
    assertThat(got).doesNotHaveDuplicates();
    assertThat(carol.of("alert")).allMatch(a -> "carol".equals(a.getString("owner")));

    // bob sees none of it and cannot touch alice's alert
    String aliceFired = fire.getString("alert");
    assertThat(rest("GET", "/api/alerts/" + aliceFired, "bob", null).statusCode()).isEqualTo(404);
    assertThat(rest("DELETE", "/api/alerts/" + aliceFired, "bob", null).statusCode())
        .isEqualTo(404);
    assertThat(rest("GET", "/api/alerts", "bob", null).bodyAsJsonObject().getJsonArray("alerts"))
        .isEmpty();
    assertThat(
            rest("GET", "/api/alerts/" + aliceFired, "alice", null)
                .bodyAsJsonObject()
                .getJsonObject("alert")
                .getString("state"))
        .isEqualTo("fired");
    assertThat(bob.of("alert")).isEmpty();
    assertThat(alice.of("alert")).allMatch(a -> "alice".equals(a.getString("owner")));
  }

  /** The fire's trade is in the log, crosses the level, and the symbol's previous trade did not. */
  private static void checkCrossing(JsonObject fire, List<Trade> log) {
    JsonObject t = fire.getJsonObject("trade");
    double level = fire.getJsonObject("condition").getDouble("level");
    boolean above = "price_above".equals(fire.getString("kind"));
    int i = 0;
    while (i < log.size() && log.get(i).id() != t.getLong("id")) {
      i++;
    }
    assertThat(i).as("the fire's trade is in the log").isLessThan(log.size()).isPositive();
    Trade crossing = log.get(i);
    Trade before = log.get(i - 1);
    assertThat(crossing.price()).isEqualTo(t.getDouble("price"));
    assertThat(crossing.time()).isEqualTo(t.getLong("t"));
    assertThat(fire.getLong("firedAt")).isEqualTo(crossing.time());
    if (above) {
      assertThat(crossing.price()).isGreaterThanOrEqualTo(level);
      assertThat(before.price()).isLessThan(level);
    } else {
      assertThat(crossing.price()).isLessThanOrEqualTo(level);
      assertThat(before.price()).isGreaterThan(level);
    }
  }
}
