package candlecast.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import candlecast.common.config.Settings;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.junit5.VertxExtension;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Operator notices (issue 17): {@code POST /api/notices} for operators only, delivered to every
 * dialect's connections and the bridge, or only to the subscribers of the notice's symbol.
 */
@ExtendWith(VertxExtension.class)
class NoticesTest extends GatewayTestBase {
  private FakeAlertService alerts;

  @AfterEach
  void stopService() throws Exception {
    if (alerts != null) {
      alerts.close();
    }
  }

  private void start(Vertx vertx, boolean auth) throws Exception {
    start(vertx, c -> auth ? c.with(Settings.GATEWAY_JWT_SECRET, AlertsRestTest.SECRET) : c);
    alerts = new FakeAlertService(vertx, 10, "BTCUSD", "ETHUSD");
  }

  private HttpResponse<Buffer> post(Object body, String token) throws Exception {
    HttpRequest<Buffer> req = http.post(port, "127.0.0.1", "/api/notices");
    if (token != null) {
      req.bearerTokenAuthentication(token);
    }
    return Await.await(
        body instanceof JsonObject j
            ? req.sendJsonObject(j)
            : req.sendBuffer(Buffer.buffer(String.valueOf(body))));
  }

  private WsProbe endpoint(String path) throws Exception {
    WsProbe p = open(new WebSocketConnectOptions().setURI(path));
    assertThat(p.next().getString("type")).isEqualTo("connection");
    return p;
  }

  private WsProbe bridge(String... addresses) throws Exception {
    WsProbe p = open(new WebSocketConnectOptions().setURI("/eventbus/websocket"));
    for (String a : addresses) {
      p.send(new JsonObject().put("type", "register").put("address", a).encode());
    }
    // frames of one socket are handled in order: a denied registration after them proves they are
    // done
    p.send(new JsonObject().put("type", "register").put("address", "candlecast.history").encode());
    assertThat(p.next().getString("body")).isEqualTo("access_denied");
    return p;
  }

  private static JsonObject noticeOf(WsProbe p) throws InterruptedException {
    return p.nextOfType("notice");
  }

  private static JsonObject bridged(WsProbe p) throws InterruptedException {
    JsonObject rec = p.nextOfType("rec");
    return rec.getJsonObject("body");
  }

  @Test
  void aNoticeWithoutSymbolReachesEveryDialectAndTheBridge(Vertx vertx) throws Exception {
    start(vertx, false);
    WsProbe json = connect();
    WsProbe text = connect();
    text.send("sub-1m:BTCUSD");
    text.next();
    WsProbe stream = endpoint("/ws/stream");
    WsProbe analysis = endpoint("/ws/analysis");
    WsProbe alertsWs = endpoint("/ws/alerts");
    WsProbe portfolioWs = endpoint("/ws/portfolio");
    WsProbe bus = bridge("notices");
    HttpResponse<Buffer> r =
        post(
            new JsonObject()
                .put("text", "maintenance at 18:00 UTC")
                .put("level", "warning")
                .put("link", "https://status.example.com/x"),
            null);
    assertThat(r.statusCode()).as(r.bodyAsString()).isEqualTo(202);
    JsonObject notice = r.bodyAsJsonObject().getJsonObject("notice");
    assertThat(notice.getString("type")).isEqualTo("notice");
    assertThat(notice.getString("id")).startsWith("n-");
    assertThat(notice.getString("text")).isEqualTo("maintenance at 18:00 UTC");
    assertThat(notice.getString("level")).isEqualTo("warning");
    assertThat(notice.getString("link")).isEqualTo("https://status.example.com/x");
    assertThat(notice.containsKey("symbol")).isTrue();
    assertThat(notice.getLong("time")).isPositive();
    for (WsProbe p : List.of(json, text, stream, analysis, alertsWs, portfolioWs)) {
      assertThat(noticeOf(p)).isEqualTo(notice);
    }
    assertThat(bridged(bus)).isEqualTo(notice);
    assertThat(
            post(new JsonObject().put("text", "default level"), null)
                .bodyAsJsonObject()
                .getJsonObject("notice")
                .getString("level"))
        .isEqualTo("info");
  }

  @Test
  void aSymbolsNoticeReachesOnlyConnectionsSubscribedToThatSymbol(Vertx vertx) throws Exception {
    start(vertx, false);
    WsProbe jsonEth = connect();
    assertThat(
            jsonEth
                .command(
                    new JsonObject()
                        .put("type", "subscribe")
                        .put("channel", "ticker")
                        .put("symbol", "ETHUSD"))
                .getString("type"))
        .isNotEqualTo("error");
    WsProbe textEth = connect();
    textEth.send("sub-1m:ETHUSD");
    textEth.next();
    WsProbe streamEth = endpoint("/ws/stream");
    streamEth.send("{\"type\":\"subscribe\",\"symbol\":\"ETH-USD\"}");
    streamEth.nextOfType("subscription");
    WsProbe alertsEth = endpoint("/ws/alerts");
    alertsEth.send("{\"type\":\"subscribe\",\"symbol\":\"ETHUSD\"}");
    alertsEth.nextOfType("data");
    WsProbe jsonBtc = connect();
    jsonBtc.command(
        new JsonObject().put("type", "subscribe").put("channel", "ticker").put("symbol", "BTCUSD"));
    WsProbe idle = endpoint("/ws/analysis");
    WsProbe busEth = bridge("notices.ETHUSD");
    WsProbe busBtc = bridge("notices.BTCUSD");

    JsonObject eth =
        post(new JsonObject().put("text", "ETH fork").put("symbol", "eth-usd"), null)
            .bodyAsJsonObject()
            .getJsonObject("notice");
    assertThat(eth.getString("symbol")).isEqualTo("ETHUSD");
    JsonObject all =
        post(new JsonObject().put("text", "everyone"), null)
            .bodyAsJsonObject()
            .getJsonObject("notice");
    for (WsProbe p : List.of(jsonEth, textEth, streamEth, alertsEth)) {
      assertThat(noticeOf(p)).isEqualTo(eth);
      assertThat(noticeOf(p)).isEqualTo(all);
    }
    for (WsProbe p : List.of(jsonBtc, idle)) {
      assertThat(noticeOf(p)).as("the symbol's notice is skipped").isEqualTo(all);
    }
    assertThat(bridged(busEth)).isEqualTo(eth);
    // notices.BTCUSD gets nothing: the next thing it gets is the answer to this registration
    busBtc.send(
        new JsonObject().put("type", "register").put("address", "candlecast.history").encode());
    assertThat(busBtc.next().getString("body")).isEqualTo("access_denied");
  }

  @Test
  void onlyOperatorsMayPostAndBadNoticesAreRefused(Vertx vertx) throws Exception {
    start(vertx, true);
    String viewer = AlertsRestTest.token(vertx, new JsonObject().put("sub", "alice"));
    String operator =
        AlertsRestTest.token(
            vertx,
            new JsonObject().put("sub", "ops").put("roles", new JsonArray().add("operator")));
    JsonObject ok = new JsonObject().put("text", "hello");
    assertThat(post(ok, null).statusCode()).isEqualTo(401);
    HttpResponse<Buffer> refused = post(ok, viewer);
    assertThat(refused.statusCode()).isEqualTo(403);
    assertThat(refused.bodyAsJsonObject().getString("error")).isEqualTo("operator only");
    assertThat(post(ok, operator).statusCode()).isEqualTo(202);
    Object[] bad = {
      "{nope",
      "[1]",
      new JsonObject(),
      new JsonObject().put("text", ""),
      new JsonObject().put("text", "x".repeat(501)),
      new JsonObject().put("text", 5),
      new JsonObject().put("text", "a").put("level", "panic"),
      new JsonObject().put("text", "a").put("link", "javascript:alert(1)"),
      new JsonObject().put("text", "a").put("link", "https://x/" + "y".repeat(500)),
      new JsonObject().put("text", "a").put("symbol", "b@d"),
    };
    for (Object b : bad) {
      HttpResponse<Buffer> r = post(b, operator);
      assertThat(r.statusCode()).as(String.valueOf(b)).isEqualTo(400);
      assertThat(r.bodyAsJsonObject().getString("error")).isEqualTo("bad_notice");
      assertThat(r.bodyAsJsonObject().getString("message")).isNotBlank();
    }
  }

  /** Without authentication only loopback may post: from this machine's other address, 403. */
  @Test
  void withoutAuthenticationANonLoopbackClientIsRefused(Vertx vertx) throws Exception {
    String other = nonLoopbackAddress();
    org.junit.jupiter.api.Assumptions.assumeTrue(other != null, "no non-loopback address here");
    start(vertx, c -> c.with(Settings.HTTP_HOST, "0.0.0.0"));
    JsonObject ok = new JsonObject().put("text", "hello");
    HttpResponse<Buffer> remote =
        Await.await(
            http.post(port, other, "/api/notices")
                .putHeader("Origin", "http://" + other + ":" + port)
                .sendJsonObject(ok));
    assertThat(remote.statusCode()).as(remote.bodyAsString()).isEqualTo(403);
    assertThat(post(ok, null).statusCode()).isEqualTo(202);
  }

  private static String nonLoopbackAddress() throws Exception {
    for (var nic : java.util.Collections.list(java.net.NetworkInterface.getNetworkInterfaces())) {
      if (!nic.isUp() || nic.isLoopback()) {
        continue;
      }
      for (var a : java.util.Collections.list(nic.getInetAddresses())) {
        if (a instanceof java.net.Inet4Address && !a.isLoopbackAddress()) {
          return a.getHostAddress();
        }
      }
    }
    return null;
  }

  @Test
  void anOperatorClosesEveryWebSocketOfTheNodeWithServiceRestart(Vertx vertx) throws Exception {
    start(vertx, false);
    WsProbe json = connect();
    WsProbe stream = endpoint("/ws/stream");
    WsProbe portfolioWs = endpoint("/ws/portfolio");
    HttpResponse<Buffer> r =
        Await.await(
            http.post(port, "127.0.0.1", "/api/connections/close?reason=rolling%20restart").send());
    assertThat(r.statusCode()).as(r.bodyAsString()).isEqualTo(202);
    assertThat(r.bodyAsJsonObject().getString("reason")).isEqualTo("rolling restart");
    for (WsProbe p : List.of(json, stream, portfolioWs)) {
      assertThat(p.awaitClosed()).isEqualTo((short) 1012);
    }
    // the node still serves: a new connection is welcome
    assertThat(connect().command(new JsonObject().put("type", "ping")).getString("type"))
        .isEqualTo("pong");
    HttpResponse<Buffer> tooLong =
        Await.await(
            http.post(port, "127.0.0.1", "/api/connections/close?reason=" + "x".repeat(101))
                .send());
    assertThat(tooLong.statusCode()).isEqualTo(400);
  }

  @Test
  void onlyOperatorsMayCloseConnections(Vertx vertx) throws Exception {
    start(vertx, true);
    String viewer = AlertsRestTest.token(vertx, new JsonObject().put("sub", "alice"));
    HttpResponse<Buffer> refused =
        Await.await(
            http.post(port, "127.0.0.1", "/api/connections/close")
                .bearerTokenAuthentication(viewer)
                .send());
    assertThat(refused.statusCode()).isEqualTo(403);
  }
}
