package candlecast.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import candlecast.common.Addresses;
import candlecast.common.config.Settings;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.SocketAddress;
import io.vertx.ext.auth.JWTOptions;
import io.vertx.ext.auth.PubSecKeyOptions;
import io.vertx.ext.auth.jwt.JWTAuth;
import io.vertx.ext.auth.jwt.JWTAuthOptions;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.junit5.VertxExtension;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The replay controls over REST: forwarded to the feed's address, its refusals mapped, and
 * operator-only (loopback with auth off, the operator role with auth on).
 */
@ExtendWith(VertxExtension.class)
class ReplayApiTest extends GatewayTestBase {
  private static final String SECRET = "replay-test-secret-that-is-long-enough-for-hs256";

  private final List<JsonObject> commands = new CopyOnWriteArrayList<>();

  /** Stands in for the feed leader: answers like a replay in {@code state}, refuses some ops. */
  private MessageConsumer<JsonObject> fakeFeed(Vertx vertx) throws Exception {
    MessageConsumer<JsonObject> c =
        vertx
            .eventBus()
            .consumer(
                Addresses.FEED_REPLAY,
                msg -> {
                  JsonObject body = msg.body();
                  commands.add(body);
                  switch (body.getString("op")) {
                    case "pause" -> msg.fail(409, "cannot pause: the replay is paused");
                    case "speed" -> {
                      if (!body.containsKey("speed")) {
                        msg.fail(400, "op speed needs a speed (a factor > 0 or max)");
                        return;
                      }
                      msg.reply(status(body.getString("speed")));
                    }
                    case "reset" -> msg.fail(500, "boom");
                    default -> msg.reply(status("1"));
                  }
                });
    Await.await(c.completion());
    return c;
  }

  private static JsonObject status(String speed) {
    return new JsonObject()
        .put("state", "running")
        .put("speed", speed)
        .put("position", 5)
        .put("total", 10)
        .put("eta", 500);
  }

  private HttpResponse<Buffer> post(String uri, String token) throws Exception {
    var req = http.post(port, "127.0.0.1", uri);
    if (token != null) {
      req.bearerTokenAuthentication(token);
    }
    return Await.await(req.send());
  }

  private HttpResponse<Buffer> getWith(String uri, String token) throws Exception {
    return Await.await(http.get(port, "127.0.0.1", uri).bearerTokenAuthentication(token).send());
  }

  @Test
  void controlsAreForwardedToTheFeedAndItsRefusalsKeepTheirStatus(Vertx vertx) throws Exception {
    startAlone(vertx, c -> c);
    // no feed leader yet
    HttpResponse<Buffer> none = get("/api/replay");
    assertThat(none.statusCode()).isEqualTo(503);
    assertThat(none.bodyAsJsonObject().getString("error")).contains("no feed leader");

    MessageConsumer<JsonObject> feed = fakeFeed(vertx);
    HttpResponse<Buffer> st = get("/api/replay");
    assertThat(st.statusCode()).isEqualTo(200);
    assertThat(st.bodyAsJsonObject()).isEqualTo(status("1"));

    assertThat(post("/api/replay/start", null).statusCode()).isEqualTo(200);
    HttpResponse<Buffer> speed = post("/api/replay/speed?x=10", null);
    assertThat(speed.statusCode()).isEqualTo(200);
    assertThat(speed.bodyAsJsonObject().getString("speed")).isEqualTo("10");
    HttpResponse<Buffer> pause = post("/api/replay/pause", null);
    assertThat(pause.statusCode()).isEqualTo(409);
    assertThat(pause.bodyAsJsonObject().getString("error")).contains("the replay is paused");
    HttpResponse<Buffer> noX = post("/api/replay/speed", null);
    assertThat(noX.statusCode()).isEqualTo(400);
    assertThat(noX.bodyAsJsonObject().getString("error")).contains("needs a speed");
    assertThat(post("/api/replay/reset", null).statusCode()).isEqualTo(502);
    HttpResponse<Buffer> rewind = post("/api/replay/rewind", null);
    assertThat(rewind.statusCode()).isEqualTo(404);
    assertThat(rewind.bodyAsJsonObject().getString("error"))
        .contains("no such replay operation 'rewind'");
    Await.await(feed.unregister());
    // a feed leader without a replay: the status says none (200), the controls 409
    MessageConsumer<JsonObject> mockFeed =
        vertx
            .eventBus()
            .consumer(
                Addresses.FEED_REPLAY, msg -> msg.fail(409, "the running source is not a replay"));
    Await.await(mockFeed.completion());
    HttpResponse<Buffer> noneRunning = get("/api/replay");
    assertThat(noneRunning.statusCode()).isEqualTo(200);
    assertThat(noneRunning.bodyAsJsonObject())
        .isEqualTo(
            new JsonObject()
                .put("state", "none")
                .put("reason", "the running source is not a replay"));
    HttpResponse<Buffer> noReplay = post("/api/replay/start", null);
    assertThat(noReplay.statusCode()).isEqualTo(409);
    assertThat(noReplay.bodyAsJsonObject().getString("error"))
        .isEqualTo("the running source is not a replay");
    Await.await(mockFeed.unregister());
    assertThat(commands)
        .containsExactly(
            new JsonObject().put("op", "status"),
            new JsonObject().put("op", "start"),
            new JsonObject().put("op", "speed").put("speed", "10"),
            new JsonObject().put("op", "pause"),
            new JsonObject().put("op", "speed"),
            new JsonObject().put("op", "reset"));
  }

  @Test
  void withAuthOnlyAnOperatorTokenMayControlWhileAnyValidTokenReadsTheStatus(Vertx vertx)
      throws Exception {
    startAlone(
        vertx,
        c ->
            c.with(Settings.GATEWAY_JWT_SECRET, SECRET)
                .with(Settings.GATEWAY_JWT_ISSUER, "candlecast"));
    MessageConsumer<JsonObject> feed = fakeFeed(vertx);
    JWTAuth signer =
        JWTAuth.create(
            vertx,
            new JWTAuthOptions()
                .addPubSecKey(new PubSecKeyOptions().setAlgorithm("HS256").setBuffer(SECRET)));
    JWTOptions o = new JWTOptions().setIssuer("candlecast").setExpiresInMinutes(5);
    String viewer = signer.generateToken(new JsonObject().put("sub", "alice"), o);
    String wrongRole =
        signer.generateToken(new JsonObject().put("sub", "eve").put("role", "viewer"), o);
    String operator =
        signer.generateToken(new JsonObject().put("sub", "bob").put("role", "operator"), o);
    String operatorInRoles =
        signer.generateToken(
            new JsonObject()
                .put("sub", "carol")
                .put("roles", new JsonArray().add("x").add("operator")),
            o);

    assertThat(post("/api/replay/start", null).statusCode()).isEqualTo(401);
    for (String t : List.of(viewer, wrongRole)) {
      HttpResponse<Buffer> r = post("/api/replay/start", t);
      assertThat(r.statusCode()).isEqualTo(403);
      assertThat(r.bodyAsJsonObject()).isEqualTo(new JsonObject().put("error", "operator only"));
    }
    assertThat(commands).isEmpty();
    assertThat(getWith("/api/replay", viewer).statusCode()).isEqualTo(200);
    assertThat(post("/api/replay/start", operator).statusCode()).isEqualTo(200);
    assertThat(post("/api/replay/speed?x=max", operatorInRoles).statusCode()).isEqualTo(200);
    assertThat(commands)
        .containsExactly(
            new JsonObject().put("op", "status"),
            new JsonObject().put("op", "start"),
            new JsonObject().put("op", "speed").put("speed", "max"));
    Await.await(feed.unregister());
  }

  @Test
  void withAuthOffOnlyLoopbackAddressesAreOperatorsAndNamesAreNeverResolved() {
    assertThat(OperatorGuard.loopback(SocketAddress.inetSocketAddress(1, "127.0.0.1"))).isTrue();
    assertThat(OperatorGuard.loopback(SocketAddress.inetSocketAddress(1, "127.3.2.1"))).isTrue();
    assertThat(OperatorGuard.loopback(SocketAddress.inetSocketAddress(1, "::1"))).isTrue();
    assertThat(OperatorGuard.loopback(SocketAddress.inetSocketAddress(1, "10.0.0.7"))).isFalse();
    assertThat(OperatorGuard.loopback(SocketAddress.inetSocketAddress(1, "192.168.1.2"))).isFalse();
    assertThat(OperatorGuard.loopback(SocketAddress.inetSocketAddress(1, "2001:db8::1"))).isFalse();
    assertThat(OperatorGuard.loopback(SocketAddress.inetSocketAddress(1, "localhost"))).isFalse();
    assertThat(OperatorGuard.loopback(SocketAddress.domainSocketAddress("/tmp/x.sock"))).isFalse();
    assertThat(OperatorGuard.loopback(null)).isFalse();
    assertThat(OperatorGuard.isOperator(new JsonObject().put("role", "operator"))).isTrue();
    assertThat(
            OperatorGuard.isOperator(
                new JsonObject().put("roles", new JsonArray().add("operator"))))
        .isTrue();
    assertThat(OperatorGuard.isOperator(new JsonObject().put("roles", "operator"))).isFalse();
    assertThat(OperatorGuard.isOperator(new JsonObject().put("role", "Operator"))).isFalse();
    assertThat(OperatorGuard.isOperator(null)).isFalse();
  }
}
