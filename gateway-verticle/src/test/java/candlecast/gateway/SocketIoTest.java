package candlecast.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import candlecast.common.Addresses;
import candlecast.common.Timeframe;
import candlecast.common.config.Settings;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.junit5.VertxExtension;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The history provider's Socket.IO endpoint with a real Socket.IO v4 client (Java) over loopback:
 * both transports, the seed's events, the batch progress order, malformed requests, and the same
 * Origin, auth and limit rules as {@code /ws}.
 */
@ExtendWith(VertxExtension.class)
class SocketIoTest extends GatewayTestBase {
  private static final String[] POLLING = {"polling"};
  private static final String[] WEBSOCKET = {"websocket"};

  private void history(int minutes) throws Exception {
    for (int i = 0; i < minutes; i++) {
      agg.publish(candle("BTCUSD", Timeframe.M1, T0 + i * 60_000L, i + 1, true));
      agg.publish(candle("ETHUSD", Timeframe.M1, T0 + i * 60_000L, i + 2, true));
    }
    agg.sync();
  }

  @ParameterizedTest
  @ValueSource(strings = {"polling", "websocket", "polling,websocket"})
  void getDataAnswersTheBarsRestAnswers(String transports, Vertx vertx) throws Exception {
    start(vertx, c -> c);
    history(10);
    long from = T0 + 2 * 60_000L;
    long to = T0 + 7 * 60_000L;
    JsonArray rest =
        get("/api/candles?symbol=BTCUSD&tf=1m&limit=4&from=" + from + "&to=" + to)
            .bodyAsJsonArray();
    assertThat(rest).hasSize(4);
    try (SioProbe c = SioProbe.connect(port, transports.split(","))) {
      assertThat(c.of("connection_response").get(0).body().getString("status"))
          .isEqualTo("connected");
      c.emit(
          "get_data",
          new JsonObject()
              .put("ticker", "BTC-USD")
              .put("resolution", "MINUTE_01")
              .put("period", "YEAR_MAX")
              .put("time_start", Instant.ofEpochMilli(from).toString())
              .put("time_end", Instant.ofEpochMilli(to).toString())
              .put("limit", 4)
              .put("local_only", true));
      JsonObject r = c.awaitEvent("data_response", 1);
      assertThat(r.getString("ticker")).isEqualTo("BTC-USD");
      assertThat(r.getString("resolution")).isEqualTo("1m");
      assertBarsEqual(r, rest);
      if (transports.contains("websocket") && transports.contains("polling")) {
        assertThat(c.transports).containsExactly("polling", "websocket");
      }
    }
    await().atMost(Duration.ofSeconds(10)).until(() -> gateway.metrics() != null && noSessions());
  }

  private boolean noSessions() throws Exception {
    return get("/connections").bodyAsJsonObject().getJsonObject("protocols").getInteger("socketio")
        == 0;
  }

  /** The bars are the REST candles: same open times, prices and volumes; rows and dates agree. */
  static void assertBarsEqual(JsonObject r, JsonArray rest) {
    JsonArray data = r.getJsonArray("data");
    assertThat(r.getInteger("rows")).isEqualTo(rest.size()).isEqualTo(data.size());
    for (int i = 0; i < rest.size(); i++) {
      JsonObject c = rest.getJsonObject(i);
      JsonObject b = data.getJsonObject(i);
      assertThat(Instant.parse(b.getString("Date")).toEpochMilli()).isEqualTo(c.getLong("t"));
      assertThat(b.getDouble("Open")).isEqualTo(c.getDouble("o"));
      assertThat(b.getDouble("High")).isEqualTo(c.getDouble("h"));
      assertThat(b.getDouble("Low")).isEqualTo(c.getDouble("l"));
      assertThat(b.getDouble("Close")).isEqualTo(c.getDouble("c"));
      assertThat(b.getDouble("Volume")).isEqualTo(c.getDouble("v"));
    }
    if (!rest.isEmpty()) {
      assertThat(Instant.parse(r.getString("start_date")).toEpochMilli())
          .isEqualTo(rest.getJsonObject(0).getLong("t"));
      assertThat(Instant.parse(r.getString("end_date")).toEpochMilli())
          .isEqualTo(rest.getJsonObject(rest.size() - 1).getLong("t"));
    }
  }

  @Test
  void batchSendsProgressInOrderThenOneResultOrErrorPerTicker(Vertx vertx) throws Exception {
    start(vertx, c -> c);
    history(5);
    try (SioProbe c = SioProbe.connect(port, WEBSOCKET)) {
      int seen = c.events.size();
      c.emit(
          "get_batch_data",
          new JsonObject()
              .put("tickers", new JsonArray().add("BTC-USD").add("NOPE").add("ETHUSD"))
              .put("resolution", "1m")
              .put("period", "max")
              .put("limit", 3));
      JsonObject done = c.awaitEvent("batch_response", 1);
      List<SioProbe.Event> after = c.events.subList(seen, c.events.size());
      assertThat(after)
          .extracting(SioProbe.Event::name)
          .containsExactly("batch_progress", "batch_progress", "batch_progress", "batch_response");
      for (int i = 0; i < 3; i++) {
        JsonObject p = after.get(i).body();
        assertThat(p.getString("progress")).isEqualTo((i + 1) + "/3");
        assertThat(p.getString("ticker")).isEqualTo(List.of("BTC-USD", "NOPE", "ETHUSD").get(i));
      }
      JsonObject results = done.getJsonObject("results");
      assertThat(results.fieldNames()).containsExactlyInAnyOrder("BTC-USD", "ETHUSD");
      JsonArray restEth = get("/api/candles?symbol=ETHUSD&tf=1m&limit=3").bodyAsJsonArray();
      assertBarsEqual(results.getJsonObject("ETHUSD"), restEth);
      assertThat(results.getJsonObject("BTC-USD").getInteger("rows")).isEqualTo(3);
      assertThat(done.getJsonObject("errors").getString("NOPE")).isEqualTo("unknown symbol NOPE");
    }
  }

  @Test
  void malformedRequestsGetDataErrorOrBatchError(Vertx vertx) throws Exception {
    start(vertx, c -> c.with(Settings.GATEWAY_BATCH_MAX_SYMBOLS, 2));
    history(2);
    try (SioProbe c = SioProbe.connect(port, WEBSOCKET)) {
      JsonObject ok = new JsonObject().put("ticker", "BTC-USD").put("resolution", "1m");
      Map<JsonObject, String> bad =
          Map.of(
              new JsonObject().put("resolution", "1m"), "'ticker' must be a string",
              ok.copy().put("ticker", "BTC_USD"), "invalid ticker 'BTC_USD'",
              ok.copy().put("resolution", "MINUTE_07"), "unknown resolution 'MINUTE_07'",
              ok.copy().put("period", "YEAR_07"), "unknown period 'YEAR_07'",
              ok.copy().put("time_start", "2023-13-01"), "time_start '2023-13-01' is not an ISO",
              ok.copy().put("time_start", "2024-01-02").put("time_end", "2024-01-01"),
                  "time_start is after time_end",
              ok.copy().put("limit", 0), "'limit' must be between 1 and",
              ok.copy().put("local_only", "yes"), "'local_only' must be true or false");
      int n = 0;
      for (Map.Entry<JsonObject, String> e : bad.entrySet()) {
        c.emit("get_data", e.getKey());
        JsonObject err = c.awaitEvent("data_error", ++n);
        assertThat(err.getString("error")).as(e.getKey().encode()).contains(e.getValue());
      }
      c.socket.emit("get_data", "not an object");
      assertThat(c.awaitEvent("data_error", ++n).getString("error")).contains("expects an object");
      c.emit("get_data", ok.copy().put("ticker", "NOPE"));
      JsonObject unknown = c.awaitEvent("data_error", ++n);
      assertThat(unknown.getString("ticker")).isEqualTo("NOPE");
      assertThat(unknown.getString("error")).isEqualTo("unknown symbol NOPE");

      Map<JsonObject, String> badBatch =
          Map.of(
              new JsonObject().put("tickers", "BTC-USD"), "'tickers' must be a non-empty list",
              new JsonObject().put("tickers", new JsonArray()),
                  "'tickers' must be a non-empty list",
              new JsonObject().put("tickers", new JsonArray().add("A1").add("B1").add("C1")),
                  "at most 2 tickers per batch, got 3",
              new JsonObject().put("tickers", new JsonArray().add("BTCUSD")).put("period", 5),
                  "'period' must be a string");
      int m = 0;
      for (Map.Entry<JsonObject, String> e : badBatch.entrySet()) {
        c.emit("get_batch_data", e.getKey());
        assertThat(c.awaitEvent("batch_error", ++m).getString("error"))
            .as(e.getKey().encode())
            .contains(e.getValue());
      }
      assertThat(c.of("batch_progress")).isEmpty();
      assertThat(c.of("data_response")).isEmpty();
    }
  }

  @Test
  void anAcknowledgementGetsTheSamePayloadAndRequestIdIsEchoed(Vertx vertx) throws Exception {
    start(vertx, c -> c);
    history(3);
    try (SioProbe c = SioProbe.connect(port, POLLING)) {
      JsonObject acked =
          c.ask(
                  "get_data",
                  new JsonObject()
                      .put("ticker", "ETH-USD")
                      .put("resolution", "MINUTE_01")
                      .put("request_id", "r-7"))
              .get(15, TimeUnit.SECONDS);
      assertThat(acked).isEqualTo(c.awaitEvent("data_response", 1));
      assertThat(acked.getString("request_id")).isEqualTo("r-7");
      assertThat(acked.getInteger("rows")).isEqualTo(3);
    }
  }

  @Test
  void downloadStatusIsRelayedAsDataStatusBeforeTheResponse(Vertx vertx) throws Exception {
    startAlone(vertx, c -> c.with(Settings.GATEWAY_HISTORY_TIMEOUT_MS, 5_000L));
    List<JsonObject> asked = new java.util.concurrent.CopyOnWriteArrayList<>();
    vertx
        .eventBus()
        .<JsonObject>consumer(
            Addresses.HISTORY,
            m -> {
              JsonObject req = m.body();
              asked.add(req);
              String status = req.getString("statusAddress");
              if (status != null) {
                for (int page = 1; page <= 2; page++) {
                  vertx
                      .eventBus()
                      .send(
                          status,
                          new JsonObject()
                              .put("status", "downloading")
                              .put("symbol", req.getString("symbol"))
                              .put("tf", req.getString("tf"))
                              .put("fetched", page * 1000)
                              .put("page", page));
                }
              }
              vertx.setTimer(
                  200,
                  id ->
                      m.reply(
                          new JsonObject()
                              .put("candles", new JsonArray())
                              .put("downloaded", status == null ? 0 : 2000)));
            })
        .completion()
        .await(5, TimeUnit.SECONDS);
    try (SioProbe c = SioProbe.connect(port, WEBSOCKET)) {
      int seen = c.events.size();
      c.emit(
          "get_data",
          new JsonObject()
              .put("ticker", "BTC-USD")
              .put("resolution", "DataResolution.DAY_01")
              .put("period", "DataPeriod.YEAR_01")
              .put("local_only", false));
      c.awaitEvent("data_response", 1);
      List<SioProbe.Event> after = c.events.subList(seen, c.events.size());
      assertThat(after)
          .extracting(SioProbe.Event::name)
          .containsExactly("data_status", "data_status", "data_response");
      assertThat(after.get(1).body())
          .isEqualTo(
              new JsonObject()
                  .put("ticker", "BTC-USD")
                  .put("status", "downloading")
                  .put("resolution", "1d")
                  .put("fetched", 2000)
                  .put("page", 2));
      assertThat(asked.get(0).getBoolean("localOnly")).isFalse();
      assertThat(asked.get(0).getString("tf")).isEqualTo("1d");
      long yearAgo = Instant.now().minus(Duration.ofDays(366)).toEpochMilli();
      assertThat(asked.get(0).getLong("from")).isBetween(yearAgo, yearAgo + 2 * 86_400_000L);
      c.emit("get_data", new JsonObject().put("ticker", "BTC-USD"));
      c.awaitEvent("data_response", 2);
      assertThat(asked.get(1).getBoolean("localOnly")).isTrue();
      assertThat(asked.get(1).containsKey("statusAddress")).isFalse();
      assertThat(c.of("data_status")).hasSize(2);
    }
  }

  @Test
  void aForeignOriginIsRefusedOnBothTransports(Vertx vertx) throws Exception {
    start(vertx, c -> c);
    HttpResponse<Buffer> refused =
        Await.await(
            http.get(port, "127.0.0.1", "/socket.io/?EIO=4&transport=polling")
                .putHeader("Origin", "https://evil.example")
                .send());
    assertThat(refused.statusCode()).isEqualTo(403);
    HttpResponse<Buffer> ok =
        Await.await(
            http.get(port, "127.0.0.1", "/socket.io/?EIO=4&transport=polling")
                .putHeader("Origin", "http://localhost:3000")
                .send());
    assertThat(ok.statusCode()).isEqualTo(200);
    assertThat(ok.bodyAsString()).startsWith("0{\"sid\":");
    assertThat(ok.getHeader("Access-Control-Allow-Origin"))
        .as("the CORS handler /api has")
        .isNotNull();
    try (SioProbe c = SioProbe.open(port, WEBSOCKET, "https://evil.example", null)) {
      await().atMost(Duration.ofSeconds(10)).until(() -> !c.connectErrors.isEmpty());
      assertThat(c.of("connection_response")).isEmpty();
    }
    assertThat(gateway.metrics().refusedOrigin.sum()).isEqualTo(2);
  }

  @Test
  void jwtIsRequiredWhenAuthIsOn(Vertx vertx) throws Exception {
    String secret = "test-secret-that-is-long-enough-for-hs256";
    start(vertx, c -> c.with(Settings.GATEWAY_JWT_SECRET, secret));
    history(2);
    String token =
        io.vertx.ext.auth.jwt.JWTAuth.create(
                vertx,
                new io.vertx.ext.auth.jwt.JWTAuthOptions()
                    .addPubSecKey(
                        new io.vertx.ext.auth.PubSecKeyOptions()
                            .setAlgorithm("HS256")
                            .setBuffer(secret)))
            .generateToken(new JsonObject().put("sub", "py"));
    try (SioProbe none = SioProbe.open(port, WEBSOCKET, null, null)) {
      JsonObject r = none.awaitEvent("connection_response", 1);
      assertThat(r.getString("status")).isEqualTo("unauthorized");
      assertThat(r.getString("error")).contains("authentication required");
      none.emit("get_data", new JsonObject().put("ticker", "BTCUSD"));
      await().atMost(Duration.ofSeconds(5)).until(() -> !none.socket.connected());
      assertThat(none.of("data_response")).isEmpty();
    }
    try (SioProbe forged = SioProbe.open(port, POLLING, null, Map.of("token", token + "x"))) {
      assertThat(forged.awaitEvent("connection_response", 1).getString("error"))
          .startsWith("invalid token");
    }
    try (SioProbe c = SioProbe.open(port, POLLING, null, Map.of("token", token))) {
      assertThat(c.awaitEvent("connection_response", 1).getString("status")).isEqualTo("connected");
      c.emit("get_data", new JsonObject().put("ticker", "BTCUSD").put("resolution", "1m"));
      assertThat(c.awaitEvent("data_response", 1).getInteger("rows")).isEqualTo(2);
    }
    assertThat(gateway.metrics().refusedAuth.sum()).isEqualTo(2);
  }

  @Test
  void messageRateAndConnectionLimitsApply(Vertx vertx) throws Exception {
    start(
        vertx,
        c ->
            c.with(Settings.GATEWAY_MESSAGES_PER_SECOND, 1.0)
                .with(Settings.GATEWAY_MESSAGES_BURST, 3)
                .with(Settings.GATEWAY_MAX_CONNECTIONS, 1));
    history(1);
    try (SioProbe c = SioProbe.connect(port, WEBSOCKET)) {
      for (int i = 0; i < 5; i++) {
        c.emit("get_data", new JsonObject().put("ticker", "BTCUSD").put("resolution", "1m"));
      }
      JsonObject limited = c.awaitEvent("data_error", 1);
      assertThat(limited.getString("error")).contains("rate limited");
      c.awaitEvent("data_response", 3);
      await().during(Duration.ofMillis(300)).until(() -> c.of("data_response").size() == 3);
      HttpResponse<Buffer> full = get("/socket.io/?EIO=4&transport=polling");
      assertThat(full.statusCode()).isEqualTo(503);
      assertThat(full.bodyAsJsonObject().getString("error")).contains("is full");
    }
  }

  @Test
  void pollingSessionsWorkAcrossSeveralEventLoops(Vertx vertx) throws Exception {
    start(vertx, c -> c, 3);
    history(4);
    for (int i = 0; i < 3; i++) {
      try (SioProbe c = SioProbe.connect(port, POLLING)) {
        for (int k = 1; k <= 3; k++) {
          c.emit("get_data", new JsonObject().put("ticker", "ETHUSD").put("resolution", "1m"));
          assertThat(c.awaitEvent("data_response", k).getInteger("rows")).isEqualTo(4);
        }
      }
    }
  }

  @Test
  void malformedEngineIoRequestsAreRefusedWithTheLibrarysErrors(Vertx vertx) throws Exception {
    start(vertx, c -> c.with(Settings.GATEWAY_MAX_MESSAGE_BYTES, 1024));
    HttpResponse<Buffer> unknownSid = get("/socket.io/?EIO=4&transport=polling&sid=nope");
    assertThat(unknownSid.statusCode()).isEqualTo(400);
    assertThat(unknownSid.bodyAsJsonObject().getString("message")).isEqualTo("Session ID unknown");
    HttpResponse<Buffer> transport = get("/socket.io/?EIO=4&transport=flashsocket");
    assertThat(transport.statusCode()).isEqualTo(400);
    assertThat(transport.bodyAsJsonObject().getString("message")).isEqualTo("Transport unknown");
    HttpResponse<Buffer> handshake = get("/socket.io/?EIO=4&transport=polling");
    String sid = new JsonObject(handshake.bodyAsString().substring(1)).getString("sid");
    HttpResponse<Buffer> tooBig =
        Await.await(
            http.post(port, "127.0.0.1", "/socket.io/?EIO=4&transport=polling&sid=" + sid)
                .sendBuffer(Buffer.buffer("4" + "x".repeat(70 * 1024))));
    assertThat(tooBig.statusCode()).as("above max(64 KiB, 16 messages)").isEqualTo(413);
    HttpResponse<Buffer> garbage =
        Await.await(
            http.post(port, "127.0.0.1", "/socket.io/?EIO=4&transport=polling&sid=" + sid)
                .sendBuffer(Buffer.buffer("40")));
    assertThat(garbage.statusCode()).isEqualTo(200);
    assertThat(garbage.bodyAsString()).isEqualTo("ok");
  }

  @Test
  void aWebsocketMessageAboveTheLimitClosesTheSocket(Vertx vertx) throws Exception {
    start(vertx, c -> c.with(Settings.GATEWAY_MAX_MESSAGE_BYTES, 512));
    history(1);
    try (SioProbe c = SioProbe.connect(port, WEBSOCKET)) {
      c.emit("get_data", new JsonObject().put("ticker", "BTCUSD").put("pad", "x".repeat(200)));
      c.awaitEvent("data_response", 1);
      assertThat(
              get("/connections")
                  .bodyAsJsonObject()
                  .getJsonObject("protocols")
                  .getInteger("socketio"))
          .isEqualTo(1);
      c.emit("get_data", new JsonObject().put("ticker", "BTCUSD").put("pad", "x".repeat(1000)));
      // the server closes (1009) and ends the session; the Java client (OkHttp) only notices at its
      // next ping, as it does not answer a server's close frame
      await().atMost(Duration.ofSeconds(10)).until(this::noSessions);
      assertThat(c.of("data_response")).hasSize(1);
    }
  }
}
