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
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The JSON {@code /ws} alert commands and the {@code alerts} channel (issue 17). */
@ExtendWith(VertxExtension.class)
class AlertsProtocolTest extends GatewayTestBase {
  private FakeAlertService alerts;

  private void start(Vertx vertx, boolean auth) throws Exception {
    startAlone(
        vertx,
        c -> {
          c = c.with(Settings.GATEWAY_HISTORY_TIMEOUT_MS, 500L);
          return auth ? c.with(Settings.GATEWAY_JWT_SECRET, AlertsRestTest.SECRET) : c;
        });
    alerts = new FakeAlertService(vertx, 3, "BTCUSD", "ETHUSD");
  }

  @AfterEach
  void stopService() throws Exception {
    if (alerts != null) {
      alerts.close();
    }
  }

  private WsProbe as(String query) throws Exception {
    WsProbe p = open(new WebSocketConnectOptions().setURI("/ws" + query));
    assertThat(p.next().getString("type")).isEqualTo("connection");
    return p;
  }

  private static JsonObject create(String symbol, double level, Object id) {
    return new JsonObject()
        .put("type", "alert_create")
        .put("alert", AlertsRestTest.definition(symbol, level))
        .put("id", id);
  }

  private static JsonObject subscribe(Long since) {
    JsonObject j =
        new JsonObject().put("type", "subscribe").put("channel", "alerts").put("id", "s");
    return since == null ? j : j.put("since", since);
  }

  @Test
  void createListGetDeleteRepliesEchoTheIdAndUseTheOwnerOfTheUpgradeUrl(Vertx vertx)
      throws Exception {
    start(vertx, false);
    WsProbe ws = as("?owner=alice");
    JsonObject created = ws.command(create("BTCUSD", 50_000, 1));
    assertThat(created.getString("type")).isEqualTo("alert_created");
    assertThat(created.getInteger("id")).isEqualTo(1);
    JsonObject rec = created.getJsonObject("alert");
    assertThat(rec.getString("owner")).isEqualTo("alice");
    String alertId = rec.getString("id");

    JsonObject list =
        ws.command(
            new JsonObject().put("type", "alert_list").put("symbol", "btc-usd").put("id", 2));
    assertThat(list)
        .isEqualTo(
            new JsonObject()
                .put("type", "alerts")
                .put("alerts", new JsonArray().add(rec))
                .put("id", 2));
    assertThat(alerts.requests.get(1))
        .isEqualTo(
            new JsonObject().put("op", "list").put("symbol", "BTCUSD").put("owner", "alice"));

    JsonObject fire = alerts.fire(alertId, 50_002);
    JsonObject detail =
        ws.command(new JsonObject().put("type", "alert_get").put("alertId", alertId).put("id", 3));
    assertThat(detail.getString("type")).isEqualTo("alert_detail");
    assertThat(detail.getJsonObject("alert").getString("state")).isEqualTo("fired");
    assertThat(detail.getJsonArray("fires")).containsExactly(fire);

    JsonObject deleted =
        ws.command(new JsonObject().put("type", "alert_delete").put("alertId", alertId));
    assertThat(deleted)
        .isEqualTo(new JsonObject().put("type", "alert_deleted").put("alertId", alertId));
    // a command's owner is used only when the URL names none
    WsProbe plain = connect();
    plain.command(new JsonObject().put("type", "alert_list").put("owner", "carol"));
    assertThat(alerts.requests.get(alerts.requests.size() - 1).getString("owner"))
        .isEqualTo("carol");
    ws.command(new JsonObject().put("type", "alert_list").put("owner", "carol"));
    assertThat(alerts.requests.get(alerts.requests.size() - 1).getString("owner"))
        .isEqualTo("alice");
    plain.command(new JsonObject().put("type", "alert_list"));
    assertThat(alerts.requests.get(alerts.requests.size() - 1).getString("owner"))
        .isEqualTo("default");
  }

  @Test
  void malformedCommandsAndEveryServiceErrorGetAnErrorFrameWithTheId(Vertx vertx) throws Exception {
    start(vertx, false);
    WsProbe ws = as("?owner=alice");
    String[][] cases = {
      {"{\"type\":\"alert_create\",\"id\":1}", "missing_field"},
      {"{\"type\":\"alert_create\",\"alert\":5,\"id\":1}", "bad_field"},
      {"{\"type\":\"alert_delete\",\"id\":1}", "missing_field"},
      {"{\"type\":\"alert_get\",\"alertId\":7,\"id\":1}", "bad_field"},
      {"{\"type\":\"alert_list\",\"state\":\"sleeping\",\"id\":1}", "bad_field"},
      {"{\"type\":\"alert_list\",\"symbol\":\"b@d\",\"id\":1}", "bad_symbol"},
      {"{\"type\":\"alert_list\",\"owner\":5,\"id\":1}", "bad_field"},
      {"{\"type\":\"subscribe\",\"channel\":\"alerts\",\"since\":-5,\"id\":1}", "bad_field"},
      {"{\"type\":\"subscribe\",\"channel\":\"alerts\",\"since\":\"x\",\"id\":1}", "bad_field"},
      {"{\"type\":\"unsubscribe\",\"channel\":\"alerts\",\"id\":1}", "not_subscribed"},
      {"{\"type\":\"alert_create\",\"alert\":{\"symbol\":\"BTCUSD\"},\"id\":1}", "bad_alert"},
      {
        "{\"type\":\"alert_create\",\"alert\":{\"symbol\":\"XRPUSD\",\"condition\":{\"kind\":\"price_above\"}},\"id\":1}",
        "unknown_symbol"
      },
      {"{\"type\":\"alert_delete\",\"alertId\":\"al-none\",\"id\":1}", "not_found"},
    };
    for (String[] c : cases) {
      JsonObject e = ws.command(c[0]);
      assertCode(e, c[1]);
      assertThat(e.getInteger("id")).as(c[0]).isEqualTo(1);
    }
    for (int i = 0; i < 3; i++) {
      assertThat(ws.command(create("BTCUSD", 10 + i, 1)).getString("type"))
          .isEqualTo("alert_created");
    }
    assertCode(ws.command(create("BTCUSD", 99, 1)), "too_many_alerts");
    alerts.unavailable = true;
    assertCode(ws.command(create("BTCUSD", 99, 1)), "alerts_unavailable");
    WsProbe badOwner = as("?owner=not%20valid");
    assertCode(badOwner.command(create("BTCUSD", 1, 1)), "bad_owner");
    assertCode(badOwner.command(subscribe(null)), "bad_owner");
    alerts.close();
    alerts = null;
    assertCode(ws.command(create("BTCUSD", 1, 1)), "alerts_unavailable");
  }

  @Test
  void subscribedConnectionsGetTheirOwnersFiresOnlyWithOneConsumerPerOwner(Vertx vertx)
      throws Exception {
    start(vertx, false);
    WsProbe alice1 = as("?owner=alice");
    WsProbe alice2 = as("?owner=alice");
    WsProbe bob = as("?owner=bob");
    for (WsProbe p : List.of(alice1, alice2, bob)) {
      JsonObject ack = p.command(subscribe(null));
      assertThat(ack.getString("type")).isEqualTo("subscription");
      assertThat(ack.getString("status")).isEqualTo("subscribed");
      assertThat(ack.getString("channel")).isEqualTo("alerts");
      assertThat(ack.getString("id")).isEqualTo("s");
    }
    assertCode(alice1.command(subscribe(null)), "already_subscribed");
    AlertHub hub = gateway.alerts();
    assertThat(hub.activeOwners()).isEqualTo(2);
    assertThat(Await.await(hub.listeners("alice"))).isEqualTo(2);
    String a = alice1.command(create("BTCUSD", 1, 1)).getJsonObject("alert").getString("id");
    String b = bob.command(create("ETHUSD", 1, 1)).getJsonObject("alert").getString("id");
    JsonObject fa = alerts.fire(a, 2);
    JsonObject fb = alerts.fire(b, 3);
    assertThat(alice1.next()).isEqualTo(fa);
    assertThat(alice2.next()).isEqualTo(fa);
    assertThat(bob.next()).isEqualTo(fb);
    await()
        .during(Duration.ofMillis(200))
        .atMost(Duration.ofSeconds(2))
        .until(() -> alice1.texts.isEmpty() && alice2.texts.isEmpty() && bob.texts.isEmpty());
    assertThat(hub.firesReceived()).isEqualTo(2);
    // an alice connection asking for bob by command field stays alice
    assertThat(
            alice1
                .command(new JsonObject().put("type", "unsubscribe").put("channel", "alerts"))
                .getString("status"))
        .isEqualTo("unsubscribed");
    bob.ws.close();
    await().atMost(Duration.ofSeconds(5)).until(() -> hub.activeOwners() == 1);
    assertThat(Await.await(hub.listeners("alice"))).isEqualTo(1);
    alice2.send(new JsonObject().put("type", "unsubscribe").put("all", true).encode());
    alice2.next();
    await().atMost(Duration.ofSeconds(5)).until(() -> hub.activeOwners() == 0);
  }

  @Test
  void sinceDeliversMissedFiresThenLiveOnesWithNoGapAndNoDuplicate(Vertx vertx) throws Exception {
    start(vertx, false);
    WsProbe setup = as("?owner=alice");
    String id = setup.command(create("BTCUSD", 1, 1)).getJsonObject("alert").getString("id");
    alerts.alerts.get(id).put("mode", "rearm");
    JsonObject seen = alerts.fire(id, 10);
    List<JsonObject> missed = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      missed.add(alerts.fire(id, 11 + i));
    }
    // fires keep coming while the client reconnects: each is either caught up or live, once
    Thread firing =
        new Thread(
            () -> {
              for (int i = 0; i < 40; i++) {
                alerts.fire(id, 100 + i);
              }
            });
    WsProbe back = as("?owner=alice");
    firing.start();
    JsonObject ack = back.command(subscribe(seen.getLong("recordedAt")));
    assertThat(ack.getString("status")).isEqualTo("subscribed");
    firing.join();
    List<JsonObject> expected = new ArrayList<>(alerts.fires.subList(1, alerts.fires.size()));
    List<JsonObject> got = new ArrayList<>();
    while (got.size() < expected.size()) {
      got.add(back.next());
    }
    assertThat(got).startsWith(missed.toArray(new JsonObject[0]));
    assertThat(got.stream().map(j -> j.getString("fire")).toList())
        .containsExactlyInAnyOrderElementsOf(
            expected.stream().map(j -> j.getString("fire")).toList());
    assertThat(got.stream().map(j -> j.getLong("seq")).toList()).isSorted();
    await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(2)).until(back.texts::isEmpty);
  }

  @Test
  void withAuthenticationTheTokensSubjectIsTheOwnerWhateverTheUrlOrCommandSay(Vertx vertx)
      throws Exception {
    start(vertx, true);
    String alice = AlertsRestTest.token(vertx, new JsonObject().put("sub", "alice"));
    WsProbe ws = as("?owner=bob&access_token=" + alice);
    ws.command(create("BTCUSD", 1, 1).put("owner", "bob"));
    assertThat(alerts.requests.get(0).getString("owner")).isEqualTo("alice");
    assertThat(ws.command(subscribe(null).put("owner", "bob")).getString("owner"))
        .isEqualTo("alice");
  }
}
