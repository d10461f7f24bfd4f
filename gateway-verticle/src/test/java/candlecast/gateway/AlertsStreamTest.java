package candlecast.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import candlecast.common.config.Settings;
import io.vertx.core.Vertx;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** {@code /ws/alerts}, the seed's alerts stream (issue 17), against a stand-in alert service. */
@ExtendWith(VertxExtension.class)
class AlertsStreamTest extends GatewayTestBase {
  private FakeAlertService alerts;

  private void start(Vertx vertx) throws Exception {
    startAlone(vertx, c -> c.with(Settings.GATEWAY_HISTORY_TIMEOUT_MS, 500L));
    alerts = new FakeAlertService(vertx, 50, "BTCUSD", "ETHUSD");
  }

  @AfterEach
  void stopService() throws Exception {
    if (alerts != null) {
      alerts.close();
    }
  }

  private WsProbe stream(String query) throws Exception {
    WsProbe p = open(new WebSocketConnectOptions().setURI("/ws/alerts" + query));
    JsonObject hello = p.next();
    assertThat(hello.fieldNames())
        .containsExactlyInAnyOrder("type", "status", "timestamp", "message");
    assertThat(hello.getString("type")).isEqualTo("connection");
    assertThat(hello.getString("message")).isEqualTo(StreamFrames.WELCOME);
    Instant.parse(hello.getString("timestamp"));
    return p;
  }

  private String create(String owner, String symbol, JsonObject condition) throws Exception {
    JsonObject def = new JsonObject().put("symbol", symbol).put("condition", condition);
    var r =
        Await.await(
            http.post(port, "127.0.0.1", "/api/alerts")
                .putHeader(OwnerIdentity.HEADER, owner)
                .sendJsonObject(def));
    assertThat(r.statusCode()).isEqualTo(201);
    return r.bodyAsJsonObject().getString("id");
  }

  private static JsonObject cond(String kind) {
    JsonObject c = new JsonObject().put("kind", kind);
    return switch (kind) {
      case "price_above" -> c.put("level", 50000);
      case "move_up" -> c.put("pct", 2).put("window", "5m");
      case "volume_spike" -> c.put("tf", "1m").put("n", 20).put("k", 3);
      case "breakout_high" -> c.put("tf", "5m").put("n", 20);
      default -> c.put("tf", "1m").put("period", 14).put("level", 70);
    };
  }

  private static JsonArray ids(JsonArray elements) {
    JsonArray out = new JsonArray();
    elements.forEach(e -> out.add(((JsonObject) e).getString("id")));
    return out;
  }

  @Test
  void subscribeAcksThenSendsTheSymbolsAlertsGroupedAsTheSeedDoes(Vertx vertx) throws Exception {
    start(vertx);
    String price = create("alice", "BTCUSD", cond("price_above"));
    String move = create("alice", "BTCUSD", cond("move_up"));
    String volume = create("alice", "BTCUSD", cond("volume_spike"));
    String breakout = create("alice", "BTCUSD", cond("breakout_high"));
    String rsi = create("alice", "BTCUSD", cond("rsi_above"));
    create("alice", "ETHUSD", cond("price_above"));
    create("bob", "BTCUSD", cond("price_above"));
    WsProbe ws = stream("?owner=alice");
    ws.send("{\"type\":\"subscribe\",\"symbol\":\"BTC-USD\"}");
    JsonObject ack = ws.next();
    assertThat(ack.getString("type")).isEqualTo("subscription");
    assertThat(ack.getString("status")).isEqualTo("subscribed");
    assertThat(ack.getString("symbol")).isEqualTo("BTC-USD");
    JsonObject data = ws.next();
    assertThat(data.getString("type")).isEqualTo("data");
    assertThat(data.getString("symbol")).isEqualTo("BTC-USD");
    Instant.parse(data.getString("timestamp"));
    JsonObject d = data.getJsonObject("data");
    assertThat(ids(d.getJsonArray("price_alerts"))).containsExactlyInAnyOrder(price, move);
    assertThat(ids(d.getJsonArray("volume_alerts"))).containsExactly(volume);
    assertThat(ids(d.getJsonArray("breakout_alerts"))).containsExactly(breakout);
    assertThat(ids(d.getJsonArray("indicator_alerts"))).containsExactly(rsi);
    JsonObject p =
        d.getJsonArray("price_alerts").stream()
            .map(JsonObject.class::cast)
            .filter(e -> e.getString("id").equals(price))
            .findFirst()
            .orElseThrow();
    assertThat(p)
        .isEqualTo(
            new JsonObject()
                .put("id", price)
                .put("type", "price_above")
                .put("triggered", false)
                .put("state", "armed")
                .put("symbol", "BTCUSD")
                .put("condition", cond("price_above"))
                .put("level", 50000)
                .put("message", "BTCUSD crossed above 50000"));
  }

  @Test
  void aFireSendsTheDataAgainWithTheAlertTriggeredAtTheCrossingTrade(Vertx vertx) throws Exception {
    start(vertx);
    String price = create("alice", "BTCUSD", cond("price_above"));
    String bobs = create("bob", "BTCUSD", cond("price_above"));
    WsProbe ws = stream("?owner=alice");
    ws.send("{\"type\":\"subscribe\",\"symbol\":\"BTCUSD\"}");
    ws.next();
    ws.next();
    alerts.fire(bobs, 50_001);
    JsonObject fire = alerts.fire(price, 50_002.5);
    JsonObject data = ws.next();
    JsonObject e = data.getJsonObject("data").getJsonArray("price_alerts").getJsonObject(0);
    assertThat(e.getBoolean("triggered")).isTrue();
    assertThat(e.getString("state")).isEqualTo("fired");
    assertThat(e.getDouble("price")).isEqualTo(fire.getJsonObject("trade").getDouble("price"));
    assertThat(Instant.parse(e.getString("triggered_at")).toEpochMilli())
        .isEqualTo(fire.getLong("firedAt"));
    // the seed's documented client: data.data.price_alerts.forEach(a => a.triggered && notify)
    long notified =
        data.getJsonObject("data").getJsonArray("price_alerts").stream()
            .filter(a -> ((JsonObject) a).getBoolean("triggered"))
            .count();
    assertThat(notified).isEqualTo(1);
    // an alert created after subscribing appears when it fires
    String later = create("alice", "BTCUSD", cond("price_above").put("level", 60000));
    alerts.fire(later, 60_001);
    JsonObject again = ws.next();
    assertThat(ids(again.getJsonObject("data").getJsonArray("price_alerts")))
        .contains(later, price);
    await().during(Duration.ofMillis(200)).atMost(Duration.ofSeconds(2)).until(ws.texts::isEmpty);
  }

  @Test
  void heartbeatPingUnsubscribeAndErrorsSpeakTheStreamServiceMessages(Vertx vertx)
      throws Exception {
    start(vertx);
    WsProbe ws = stream("");
    assertThat(ws.command("{\"type\":\"heartbeat\",\"timestamp\":1.5}").getString("status"))
        .isEqualTo("ack");
    assertThat(ws.command("{\"type\":\"ping\"}").getString("type")).isEqualTo("pong");
    JsonObject notSub = ws.command("{\"type\":\"unsubscribe\",\"symbol\":\"BTCUSD\"}");
    assertThat(notSub.getString("type")).isEqualTo("error");
    assertThat(notSub.getString("code")).isEqualTo(ErrorCodes.NOT_SUBSCRIBED);
    Instant.parse(notSub.getString("timestamp"));
    for (String bad :
        new String[] {
          "{nope",
          "{\"type\":\"dance\"}",
          "{\"type\":\"subscribe\"}",
          "{\"type\":\"subscribe\",\"symbol\":\"b@d\"}"
        }) {
      JsonObject err = ws.command(bad);
      assertThat(err.getString("type")).as(bad).isEqualTo("error");
      assertThat(err.getString("message")).isNotBlank();
    }
    ws.send("{\"type\":\"subscribe\",\"symbol\":\"ETHUSD\"}");
    assertThat(ws.next().getString("status")).isEqualTo("subscribed");
    assertThat(ws.next().getJsonObject("data").getJsonArray("price_alerts")).isEmpty();
    JsonObject un = ws.command("{\"type\":\"unsubscribe\",\"symbol\":\"ETHUSD\"}");
    assertThat(un.getString("status")).isEqualTo("unsubscribed");
    await().atMost(Duration.ofSeconds(5)).until(() -> gateway.alerts().activeOwners() == 0);
    WsProbe badOwner = stream("?owner=no%20good");
    JsonObject err = badOwner.command("{\"type\":\"subscribe\",\"symbol\":\"BTCUSD\"}");
    assertThat(err.getString("code")).isEqualTo("bad_owner");
    alerts.unavailable = true;
    JsonObject down = ws.command("{\"type\":\"subscribe\",\"symbol\":\"BTCUSD\"}");
    assertThat(down.getString("code")).isEqualTo("alerts_unavailable");
  }
}
