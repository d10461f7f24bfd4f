package candlecast.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import candlecast.common.Timeframe;
import candlecast.common.config.Settings;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.UpgradeRejectedException;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.http.WebSocketFrame;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.NetSocket;
import io.vertx.ext.auth.JWTOptions;
import io.vertx.ext.auth.jwt.JWTAuth;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.junit5.VertxExtension;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Every limit and security setting of the gateway, each configured and exercised over real sockets.
 */
@ExtendWith(VertxExtension.class)
class LimitsTest extends GatewayTestBase {
  private static final String EVIL = "https://evil.example";

  // ------------------------------------------------------------------ origins

  @Test
  void hostileOriginIsRefusedOnTheWebSocketAndEverySockJsTransport(Vertx vertx) throws Exception {
    start(vertx, c -> c);
    assertThat(refusedStatus(origin("/ws", EVIL))).isEqualTo(403);
    assertThat(refusedStatus(origin("/eventbus/websocket", EVIL))).isEqualTo(403);
    assertThat(refusedStatus(origin("/eventbus/123/abcdef/websocket", EVIL))).isEqualTo(403);
    String[][] http = {
      {"GET", "/eventbus/info"}, {"GET", "/eventbus/iframe.html"},
      {"POST", "/eventbus/123/abcdef/xhr"}, {"POST", "/eventbus/123/abcdef/xhr_send"},
      {"POST", "/eventbus/123/abcdef/xhr_streaming"}, {"GET", "/eventbus/123/abcdef/eventsource"},
      {"GET", "/eventbus/123/abcdef/htmlfile?c=cb"}, {"GET", "/eventbus/123/abcdef/jsonp?c=cb"},
      {"POST", "/eventbus/123/abcdef/jsonp_send"}, {"OPTIONS", "/eventbus/123/abcdef/xhr"},
      {"GET", "/api/symbols"}, {"POST", "/api/candles/batch"},
    };
    for (String[] r : http) {
      HttpResponse<Buffer> res =
          Await.await(
              this.http
                  .request(HttpMethod.valueOf(r[0]), port, "127.0.0.1", r[1])
                  .putHeader("Origin", EVIL)
                  .putHeader("Access-Control-Request-Method", "POST")
                  .send());
      assertThat(res.statusCode()).as(r[0] + " " + r[1]).isEqualTo(403);
      assertThat(res.getHeader("Access-Control-Allow-Origin")).as(r[1]).isNull();
    }
    // the script- and iframe-based transports are off even for friendly pages
    assertThat(get("/eventbus/123/abcdef/jsonp?c=cb").statusCode()).isEqualTo(404);
    assertThat(get("/eventbus/123/abcdef/htmlfile?c=cb").statusCode()).isEqualTo(404);
    assertThat(gateway.metrics().refusedOrigin.sum()).isGreaterThanOrEqualTo(15);
    assertThat(gateway.connections()).isZero();
    assertThat(gateway.sockJsSessions()).isZero();

    // same origin and localhost are welcome, and non-browser clients send no Origin at all
    WsProbe same = open(origin("/ws", "http://127.0.0.1:" + port));
    assertThat(same.next().getString("type")).isEqualTo("connection");
    WsProbe local = open(origin("/ws", "http://localhost:3000"));
    assertThat(local.next().getString("type")).isEqualTo("connection");
    WsProbe sock = open(origin("/eventbus/websocket", "http://localhost:3000"));
    sock.send("{\"type\":\"register\",\"address\":\"candles.BTCUSD.1m\"}");
    HttpResponse<Buffer> info =
        Await.await(
            this.http
                .get(port, "127.0.0.1", "/eventbus/info")
                .putHeader("Origin", "http://localhost:5173")
                .send());
    assertThat(info.statusCode()).isEqualTo(200);
    assertThat(info.getHeader("Access-Control-Allow-Origin")).isIn("http://localhost:5173", "*");
    assertThat(info.getHeader("Access-Control-Allow-Credentials")).isNotEqualTo("true");
  }

  @Test
  void configuredOriginsAreAllowedAndOthersStillRefused(Vertx vertx) throws Exception {
    start(vertx, c -> c.with(Settings.HTTP_CORS_ORIGINS, List.of("https://app.example.com")));
    WsProbe ok = open(origin("/ws", "https://app.example.com"));
    assertThat(ok.next().getString("type")).isEqualTo("connection");
    HttpResponse<Buffer> pre =
        Await.await(
            http.request(HttpMethod.OPTIONS, port, "127.0.0.1", "/api/candles/batch")
                .putHeader("Origin", "https://app.example.com")
                .putHeader("Access-Control-Request-Method", "POST")
                .putHeader("Access-Control-Request-Headers", "content-type")
                .send());
    assertThat(pre.statusCode()).isEqualTo(204);
    assertThat(pre.getHeader("Access-Control-Allow-Methods")).contains("POST");
    assertThat(refusedStatus(origin("/ws", "https://app.example.org"))).isEqualTo(403);
  }

  // ------------------------------------------------------------------ sizes, rates, counts

  @Test
  void oversizeMessagesCloseWith1009(Vertx vertx) throws Exception {
    start(vertx, c -> c.with(Settings.GATEWAY_MAX_MESSAGE_BYTES, 1024));
    WsProbe a = connect();
    a.ws.writeTextMessage("sub-1m:" + "A".repeat(1100));
    assertThat(a.awaitClosed()).isEqualTo((short) 1009);

    // the same limit holds for a message split into small frames
    WsProbe b = connect();
    b.ws.writeFrame(WebSocketFrame.textFrame("x".repeat(500), false));
    b.ws.writeFrame(WebSocketFrame.continuationFrame(Buffer.buffer("y".repeat(500)), false));
    b.ws.writeFrame(WebSocketFrame.continuationFrame(Buffer.buffer("z".repeat(500)), true));
    assertThat(b.awaitClosed()).isEqualTo((short) 1009);

    // a fragmented message within the limit is one command
    WsProbe c = connect();
    c.ws.writeFrame(WebSocketFrame.textFrame("{\"type\":", false));
    c.ws.writeFrame(WebSocketFrame.continuationFrame(Buffer.buffer("\"ping\"}"), true));
    assertThat(c.next().getString("type")).isEqualTo("pong");
    assertThat(gateway.metrics().oversizeCloses.sum()).isEqualTo(2);
  }

  @Test
  void bridgeMessageFloodIsRejectedThenClosed1008(Vertx vertx) throws Exception {
    start(
        vertx,
        c ->
            c.with(Settings.GATEWAY_MESSAGES_PER_SECOND, 1.0)
                .with(Settings.GATEWAY_MESSAGES_BURST, 5)
                .with(Settings.GATEWAY_RATE_STRIKES, 3));
    WsProbe sock = open(new WebSocketConnectOptions().setURI("/eventbus/websocket"));
    for (int i = 0; i < 9; i++) {
      sock.ws.writeTextMessage(
          new JsonObject()
              .put("type", "send")
              .put("address", "nowhere." + i)
              .put("body", new JsonObject())
              .put("replyAddress", "r" + i)
              .encode());
    }
    for (int i = 0; i < 5; i++) {
      assertThat(sock.next().getString("body"))
          .as("admitted, then denied by the permissions")
          .isEqualTo("access_denied");
    }
    assertThat(sock.next().getString("body")).as("refused by the rate limit").isEqualTo("rejected");
    assertThat(sock.awaitClosed()).isEqualTo((short) 1008);
    assertThat(gateway.metrics().rateLimited.sum()).isEqualTo(4);
    assertThat(gateway.metrics().rateLimitCloses.sum()).isEqualTo(1);
  }

  @Test
  void messageFloodGetsAnErrorThenClose1008(Vertx vertx) throws Exception {
    start(
        vertx,
        c ->
            c.with(Settings.GATEWAY_MESSAGES_PER_SECOND, 1.0)
                .with(Settings.GATEWAY_MESSAGES_BURST, 5)
                .with(Settings.GATEWAY_RATE_STRIKES, 3));
    WsProbe ws = connect();
    for (int i = 0; i < 9; i++) {
      ws.ws.writeTextMessage("{\"type\":\"ping\",\"id\":" + i + "}");
    }
    for (int i = 0; i < 5; i++) {
      assertThat(ws.next().getInteger("id")).isEqualTo(i);
    }
    assertCode(ws.next(), ErrorCodes.RATE_LIMITED);
    assertThat(ws.awaitClosed()).isEqualTo((short) 1008);
    assertThat(gateway.metrics().rateLimited.sum()).isEqualTo(4);
    assertThat(gateway.metrics().rateLimitCloses.sum()).isEqualTo(1);
  }

  /**
   * {@code instances}: the limits are per node, also when the node runs several gateway instances
   * (one per core).
   */
  @ParameterizedTest
  @ValueSource(ints = {1, 2})
  void nodeConnectionLimitRefusesHandshakesWith503(int instances, Vertx vertx) throws Exception {
    start(vertx, c -> c.with(Settings.GATEWAY_MAX_CONNECTIONS, 3), instances);
    WsProbe a = connect();
    connect();
    WsProbe sock = open(new WebSocketConnectOptions().setURI("/eventbus/websocket"));
    sock.send("{\"type\":\"ping\"}");
    await().atMost(Duration.ofSeconds(5)).until(() -> gateway.sockJsSessions() == 1);
    assertThat(refusedStatus(new WebSocketConnectOptions().setURI("/ws"))).isEqualTo(503);
    // a SockJS session beyond the limit is closed at once
    WsProbe extraSock = open(new WebSocketConnectOptions().setURI("/eventbus/websocket"));
    extraSock.awaitClosed();
    assertThat(gateway.metrics().refusedMaxConnections.sum()).isEqualTo(2);
    Await.await(a.ws.close());
    await().atMost(Duration.ofSeconds(5)).until(() -> gateway.connections() == 1);
    connect();
    JsonObject counts = get("/connections").bodyAsJsonObject();
    assertThat(counts.getInteger("total")).isEqualTo(3);
    assertThat(counts.getJsonObject("protocols"))
        .isEqualTo(new JsonObject().put("websocket", 2).put("sockjs", 1).put("socketio", 0));
  }

  @ParameterizedTest
  @ValueSource(ints = {1, 2})
  void connectionRatePerAddressRefusesWith429(int instances, Vertx vertx) throws Exception {
    start(
        vertx,
        c ->
            c.with(Settings.GATEWAY_CONNECTIONS_PER_SECOND, 0.1)
                .with(Settings.GATEWAY_CONNECTIONS_BURST, 2),
        instances);
    connect();
    connect();
    assertThat(refusedStatus(new WebSocketConnectOptions().setURI("/ws"))).isEqualTo(429);
    assertThat(gateway.metrics().refusedConnectionRate.sum()).isEqualTo(1);
  }

  @Test
  void subscriptionsPerConnectionAreConfigurable(Vertx vertx) throws Exception {
    start(vertx, c -> c.with(Settings.GATEWAY_MAX_SUBSCRIPTIONS, 2));
    WsProbe ws = connect();
    assertThat(ws.command("sub-1m").getString("type")).isEqualTo("subscribed");
    assertThat(ws.command("sub-5m").getString("type")).isEqualTo("subscribed");
    JsonObject e = ws.command("sub-1h");
    assertCode(e, ErrorCodes.TOO_MANY_SUBSCRIPTIONS);
    assertThat(e.getString("message")).contains("at most 2");
    assertThat(ws.command("unsub-5m"))
        .isEqualTo(
            new JsonObject()
                .put("type", "unsubscribed")
                .put("symbol", "BTCUSD")
                .put("tf", "5m")
                .put("count", 1));
    assertThat(ws.command("sub-1h").getString("type")).isEqualTo("subscribed");
  }

  // ------------------------------------------------------------------ liveness and slow clients

  @Test
  void idleConnectionsArePingedAndDeadOnesClosed(Vertx vertx) throws Exception {
    start(
        vertx,
        c ->
            c.with(Settings.GATEWAY_PING_INTERVAL_MS, 200L)
                .with(Settings.GATEWAY_IDLE_TIMEOUT_MS, 900L));
    // a live client answers pings (Vert.x does it by itself) and stays connected
    AtomicInteger pings = new AtomicInteger();
    WebSocket live = WsProbe.countingPings(wsClient, port, pings);
    // a dead client: a raw TCP connection that completes the handshake and then never answers
    // anything
    NetSocket dead = Await.await(vertx.createNetClient().connect(port, "127.0.0.1"));
    Promise<Void> deadClosed = Promise.promise();
    StringBuilder handshake = new StringBuilder();
    dead.handler(b -> handshake.append(b.toString()));
    dead.closeHandler(v -> deadClosed.complete());
    Await.await(
        dead.write(
            """
        GET /ws HTTP/1.1\r
        Host: 127.0.0.1\r
        Upgrade: websocket\r
        Connection: Upgrade\r
        Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r
        Sec-WebSocket-Version: 13\r
        \r
        """));
    Await.await(deadClosed.future());
    assertThat(handshake.toString()).startsWith("HTTP/1.1 101");
    assertThat(gateway.metrics().idleCloses.sum()).isEqualTo(1);
    assertThat(pings.get()).isGreaterThanOrEqualTo(2);
    assertThat(live.isClosed()).isFalse();
  }

  @Test
  void aClientThatStopsReadingLosesOnlyOldUpdatesThenIsClosedWith1013(Vertx vertx)
      throws Exception {
    start(
        vertx,
        c ->
            c.with(Settings.GATEWAY_SLOW_CLIENT_MS, 500L)
                .with(Settings.GATEWAY_WRITE_QUEUE_BYTES, 1024));
    WsProbe fast = connect();
    // a small receive buffer (no autotuning): the paused client's kernel buffers fill after ~100
    // KB, not megabytes
    WsProbe slow =
        WsProbe.connect(
            vertx.createWebSocketClient(
                new io.vertx.core.http.WebSocketClientOptions().setReceiveBufferSize(4096)),
            port);
    assertThat(fast.command("sub-1s").getString("type")).isEqualTo("subscribed");
    assertThat(slow.command("sub-1s").getString("type")).isEqualTo("subscribed");
    slow.ws.pause();
    // Publish until the paused client, its kernel buffers full, has been congested for
    // slow-client-ms and is closed
    // (how much that takes depends on the kernel's socket buffer sizes), then one last update.
    java.util.concurrent.atomic.AtomicLong last =
        new java.util.concurrent.atomic.AtomicLong(Long.MAX_VALUE);
    Thread reader =
        new Thread(
            () -> {
              try {
                while (true) {
                  String t = fast.texts.poll(10, TimeUnit.SECONDS);
                  if (t == null || new JsonObject(t).getLong("trades") == last.get()) {
                    return;
                  }
                }
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
            });
    reader.start();
    AtomicInteger published = new AtomicInteger();
    await()
        .atMost(Duration.ofSeconds(30))
        .pollDelay(Duration.ZERO)
        .pollInterval(Duration.ofMillis(1))
        .pollInSameThread()
        .alias("the paused client closed as slow")
        .until(
            () -> {
              for (int k = 0; k < 2000; k++) {
                agg.publish(candle("BTCUSD", Timeframe.S1, T0, published.incrementAndGet(), false));
              }
              agg.sync();
              return gateway.metrics().slowClientCloses.sum() > 0;
            });
    int i = published.get();
    last.set(i + 1);
    agg.publish(candle("BTCUSD", Timeframe.S1, T0, i + 1, false));
    reader.join(20_000);
    assertThat(reader.isAlive()).as("the fast client got the last update").isFalse();
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> gateway.metrics().slowClientCloses.sum() == 1);
    assertThat(gateway.metrics().updatesDropped.sum()).isPositive();
    slow.ws.resume();
    Short code = slow.awaitClosed();
    assertThat(code == null || code == 1013).as("close code " + code).isTrue();
    assertThat(fast.ws.isClosed()).isFalse();
  }

  // ------------------------------------------------------------------ JWT

  @Test
  void jwtGuardsWebSocketEventBusAndApi(Vertx vertx) throws Exception {
    String secret = "test-secret-that-is-long-enough-for-hs256";
    start(
        vertx,
        c ->
            c.with(Settings.GATEWAY_JWT_SECRET, secret)
                .with(Settings.GATEWAY_JWT_ISSUER, "candlecast"));
    JWTAuth signer =
        AccessGuard.jwt(
            vertx,
            new GatewayOptions(
                "h",
                1,
                "BTCUSD",
                Timeframe.M1,
                1,
                1,
                List.of(),
                1024,
                1,
                1,
                1,
                1,
                1,
                1,
                1,
                1,
                1,
                1,
                1024,
                0,
                1,
                1,
                secret,
                "",
                "",
                "",
                new GatewayOptions.Trades(1, 1, 1, 1)));
    String good =
        signer.generateToken(
            new JsonObject().put("sub", "alice"),
            new JWTOptions().setIssuer("candlecast").setExpiresInMinutes(5));
    String wrongIssuer =
        signer.generateToken(
            new JsonObject().put("sub", "bob"), new JWTOptions().setIssuer("someone-else"));
    String forged = good.substring(0, good.lastIndexOf('.') + 1) + "AAAA";

    assertThat(get("/api/symbols").statusCode()).isEqualTo(401);
    assertThat(get("/api/symbols").getHeader("WWW-Authenticate")).isEqualTo("Bearer");
    assertThat(
            Await.await(
                    http.get(port, "127.0.0.1", "/api/symbols")
                        .bearerTokenAuthentication(good)
                        .send())
                .statusCode())
        .isEqualTo(200);
    assertThat(
            Await.await(
                    http.get(port, "127.0.0.1", "/api/symbols")
                        .bearerTokenAuthentication(wrongIssuer)
                        .send())
                .statusCode())
        .isEqualTo(401);
    assertThat(get("/api/symbols?access_token=" + forged).statusCode()).isEqualTo(401);
    assertThat(get("/eventbus/info").statusCode()).isEqualTo(401);
    assertThat(get("/eventbus/info?access_token=" + good).statusCode()).isEqualTo(200);
    assertThat(refusedStatus(new WebSocketConnectOptions().setURI("/ws"))).isEqualTo(401);
    assertThat(refusedStatus(new WebSocketConnectOptions().setURI("/eventbus/websocket")))
        .isEqualTo(401);
    WsProbe ws = open(new WebSocketConnectOptions().setURI("/ws?access_token=" + good));
    assertThat(ws.next().getString("type")).isEqualTo("connection");
    WsProbe bearer =
        open(
            new WebSocketConnectOptions()
                .setURI("/ws")
                .putHeader("Authorization", "Bearer " + good));
    assertThat(bearer.next().getString("type")).isEqualTo("connection");
    assertThat(get("/health").statusCode()).as("probes stay open").isEqualTo(200);
    assertThat(gateway.metrics().refusedAuth.sum()).isEqualTo(7);
  }

  // ------------------------------------------------------------------ helpers

  private static WebSocketConnectOptions origin(String uri, String origin) {
    return new WebSocketConnectOptions().setURI(uri).putHeader("Origin", origin);
  }

  /** The HTTP status with which the server refused a WebSocket handshake. */
  private int refusedStatus(WebSocketConnectOptions o) throws Exception {
    Future<WebSocket> f = wsClient.connect(o.setHost("127.0.0.1").setPort(port));
    try {
      Await.await(f);
    } catch (ExecutionException e) {
      assertThat(e.getCause()).isInstanceOf(UpgradeRejectedException.class);
      return ((UpgradeRejectedException) e.getCause()).getStatus();
    }
    throw new AssertionError("handshake to " + o.getURI() + " was accepted");
  }
}
