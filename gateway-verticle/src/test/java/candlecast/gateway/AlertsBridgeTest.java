package candlecast.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import candlecast.common.Addresses;
import candlecast.common.config.Settings;
import io.vertx.core.Vertx;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The SockJS bridge's alert rules (issue 17): request-reply to {@code candlecast.alerts} with the
 * owner forced, and {@code alerts.owner.<owner>} registrations (only one's own with
 * authentication).
 */
@ExtendWith(VertxExtension.class)
class AlertsBridgeTest extends GatewayTestBase {
  private FakeAlertService alerts;

  private void start(Vertx vertx, boolean auth) throws Exception {
    startAlone(
        vertx,
        c -> {
          c = c.with(Settings.GATEWAY_HISTORY_TIMEOUT_MS, 500L);
          return auth ? c.with(Settings.GATEWAY_JWT_SECRET, AlertsRestTest.SECRET) : c;
        });
    alerts = new FakeAlertService(vertx, 10, "BTCUSD", "ETHUSD");
  }

  @AfterEach
  void stopService() throws Exception {
    if (alerts != null) {
      alerts.close();
    }
  }

  private WsProbe bridge(String query) throws Exception {
    return open(new WebSocketConnectOptions().setURI("/eventbus/websocket" + query));
  }

  private static JsonObject send(WsProbe p, JsonObject body, String reply) throws Exception {
    p.send(
        new JsonObject()
            .put("type", "send")
            .put("address", Addresses.ALERTS)
            .put("body", body)
            .put("replyAddress", reply)
            .encode());
    return p.next();
  }

  private static JsonObject register(WsProbe p, String address) throws Exception {
    p.send(new JsonObject().put("type", "register").put("address", address).encode());
    // a denied registration after it proves it was handled
    p.send(new JsonObject().put("type", "register").put("address", "candlecast.history").encode());
    return p.next();
  }

  @Test
  void withoutAuthenticationTheBodysOwnerElseDefaultAndBadOwnersAreRejected(Vertx vertx)
      throws Exception {
    start(vertx, false);
    WsProbe sock = bridge("");
    JsonObject created =
        send(
            sock,
            new JsonObject()
                .put("op", "create")
                .put("owner", "bob")
                .put("alert", AlertsRestTest.definition("BTCUSD", 5)),
            "r1");
    assertThat(created.getString("type")).isEqualTo("rec");
    assertThat(created.getString("address")).isEqualTo("r1");
    assertThat(created.getJsonObject("body").getString("owner")).isEqualTo("bob");
    send(sock, new JsonObject().put("op", "list"), "r2");
    assertThat(alerts.requests.get(1).getString("owner")).isEqualTo("default");
    for (Object bad : new Object[] {"no good", 5, "x".repeat(65)}) {
      JsonObject e = send(sock, new JsonObject().put("op", "list").put("owner", bad), "r3");
      assertThat(e.getString("body")).as(String.valueOf(bad)).isEqualTo("rejected");
    }
    sock.send(
        new JsonObject()
            .put("type", "send")
            .put("address", Addresses.ALERTS)
            .put("body", "text")
            .put("replyAddress", "r4")
            .encode());
    assertThat(sock.next().getString("body")).isEqualTo("rejected");
    sock.send(
        new JsonObject()
            .put("type", "publish")
            .put("address", Addresses.ALERTS)
            .put("body", new JsonObject())
            .encode());
    assertThat(sock.next().getString("body")).isEqualTo("rejected");
    assertThat(alerts.requests).hasSize(2);
    // a service failure comes back as the bridge's failure reply
    JsonObject nf = send(sock, new JsonObject().put("op", "get").put("id", "al-none"), "r5");
    assertThat(nf.getInteger("failureCode")).isEqualTo(404);
    assertThat(nf.getString("message")).startsWith("not_found: ");
  }

  @Test
  void withoutAuthenticationAnyOwnersAddressMayBeRegisteredAndGetsItsFires(Vertx vertx)
      throws Exception {
    start(vertx, false);
    WsProbe sock = bridge("");
    assertThat(register(sock, Addresses.alertsOwner("alice")).getString("body"))
        .isEqualTo("access_denied");
    assertThat(register(sock, "alerts.owner.bad owner").getString("body")).isEqualTo("rejected");
    assertThat(sock.next().getString("body")).isEqualTo("access_denied");
    String id =
        send(
                sock,
                new JsonObject()
                    .put("op", "create")
                    .put("owner", "alice")
                    .put("alert", AlertsRestTest.definition("BTCUSD", 5)),
                "r")
            .getJsonObject("body")
            .getString("id");
    JsonObject fire = alerts.fire(id, 6);
    JsonObject rec = sock.nextOfType("rec");
    assertThat(rec.getString("address")).isEqualTo(Addresses.alertsOwner("alice"));
    assertThat(rec.getJsonObject("body")).isEqualTo(fire);
  }

  @Test
  void withAuthenticationTheOwnerIsTheTokensAndOtherOwnersAddressesAreRefused(Vertx vertx)
      throws Exception {
    start(vertx, true);
    String alice = AlertsRestTest.token(vertx, new JsonObject().put("sub", "alice"));
    WsProbe sock = bridge("?access_token=" + alice);
    JsonObject created =
        send(
            sock,
            new JsonObject()
                .put("op", "create")
                .put("owner", "bob")
                .put("alert", AlertsRestTest.definition("BTCUSD", 5)),
            "r1");
    assertThat(created.getJsonObject("body").getString("owner")).isEqualTo("alice");
    JsonObject refused = register(sock, Addresses.alertsOwner("bob"));
    assertThat(refused.getString("body")).isEqualTo("rejected");
    assertThat(sock.next().getString("body")).isEqualTo("access_denied");
    assertThat(register(sock, Addresses.alertsOwner("alice")).getString("body"))
        .isEqualTo("access_denied");
    String bobs = send(sock, new JsonObject().put("op", "list"), "r2").getString("type");
    assertThat(bobs).isEqualTo("rec");
    assertThat(alerts.requests.get(1).getString("owner")).isEqualTo("alice");
    // bob's alert fires: alice's session never sees it; her own does
    alerts.alerts.put(
        "al-bob",
        new JsonObject()
            .put("id", "al-bob")
            .put("owner", "bob")
            .put("symbol", "BTCUSD")
            .put("mode", "once")
            .put("note", "")
            .put("condition", new JsonObject().put("kind", "price_above").put("level", 1))
            .put("fireCount", 0));
    alerts.fire("al-bob", 2);
    JsonObject mine = alerts.fire(created.getJsonObject("body").getString("id"), 6);
    JsonObject rec = sock.nextOfType("rec");
    assertThat(rec.getString("address")).isEqualTo(Addresses.alertsOwner("alice"));
    assertThat(rec.getJsonObject("body")).isEqualTo(mine);
  }
}
