package candlecast.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import candlecast.common.Addresses;
import candlecast.common.Candle;
import candlecast.common.CandleCodec;
import candlecast.common.Timeframe;
import candlecast.common.config.CandlecastConfig;
import candlecast.common.config.Settings;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.junit5.VertxExtension;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The gateway over real loopback sockets. The test registers the history/symbols/health responders and publishes
 * candles on the (local) event bus itself: the event bus is the tier contract, so this stands in for the aggregator.
 */
@ExtendWith(VertxExtension.class)
class GatewayVerticleTest {
  private static final long HISTORY_TIMEOUT_MS = 500;
  private static final long T0 = 1_700_000_000_000L;

  private Vertx vertx;
  private GatewayVerticle gateway;
  private String deploymentId;
  private int port;
  private WebClient http;
  private WebSocketClient wsClient;
  private final List<MessageConsumer<?>> responders = new ArrayList<>();
  private final BlockingQueue<JsonObject> historyRequests = new LinkedBlockingQueue<>();

  @BeforeEach
  void start(Vertx vertx) throws Exception {
    this.vertx = vertx;
    CandlecastConfig config = CandlecastConfig.defaults()
        .with(Settings.HTTP_HOST, "127.0.0.1")
        .with(Settings.HTTP_PORT, 0);
    gateway = new GatewayVerticle(config.with(Settings.GATEWAY_HISTORY_TIMEOUT_MS, HISTORY_TIMEOUT_MS));
    deploymentId = await(vertx.deployVerticle(gateway));
    port = gateway.actualPort();
    assertThat(port).isPositive();
    http = WebClient.create(vertx);
    wsClient = vertx.createWebSocketClient();
  }

  @AfterEach
  void close() throws Exception {
    await(wsClient.close());
    http.close();
  }

  // ------------------------------------------------------------------ raw WebSocket

  @Test
  void subscribeAcksThenStreamsUpdatesWithTheKlineFields() throws Exception {
    WsProbe ws = connect();
    assertThat(ws.command("sub-1s")).isEqualTo(subscribed("BTCUSD", "1s"));

    publish(new Candle("BTCUSD", Timeframe.S1, T0 + 1_000, 100.0, 101.5, 99.25, 100.75, 2.5, 4, false));
    JsonObject u = ws.next();
    assertThat(u.getDouble("open")).isEqualTo(100.0);
    assertThat(u.getDouble("high")).isEqualTo(101.5);
    assertThat(u.getDouble("low")).isEqualTo(99.25);
    assertThat(u.getDouble("close")).isEqualTo(100.75);
    assertThat(u.getLong("unix_timestamp")).isEqualTo(1_700_000_001L);
    assertThat(u.getLong("time_window_seconds")).isEqualTo(1L);
    assertThat(u.getString("symbol")).isEqualTo("BTCUSD");
    assertThat(u.getString("tf")).isEqualTo("1s");
    assertThat(u.getDouble("volume")).isEqualTo(2.5);
    assertThat(u.getLong("trades")).isEqualTo(4L);
    assertThat(u.getBoolean("closed")).isFalse();

    publish(new Candle("BTCUSD", Timeframe.S1, T0 + 1_000, 100.0, 102.0, 99.25, 102.0, 3.0, 5, true));
    JsonObject fin = ws.next();
    assertThat(fin.getBoolean("closed")).isTrue();
    assertThat(fin.getDouble("high")).isEqualTo(102.0);

    // a named symbol, in any case, on another timeframe
    assertThat(ws.command("sub-5m:ethusd")).isEqualTo(subscribed("ETHUSD", "5m"));
    publish(new Candle("ETHUSD", Timeframe.M5, T0, 2000, 2001, 1999, 2000.5, 1, 1, false));
    JsonObject eth = ws.next();
    assertThat(eth.getString("symbol")).isEqualTo("ETHUSD");
    assertThat(eth.getLong("time_window_seconds")).isEqualTo(300L);
    assertThat(eth.getLong("unix_timestamp")).isEqualTo(T0 / 1000);
  }

  @Test
  void twoClientsOnOneSeriesShareOneConsumerAndGetTheSameUpdates() throws Exception {
    WsProbe a = connect();
    WsProbe b = connect();
    assertThat(a.command("sub-1s")).isEqualTo(subscribed("BTCUSD", "1s"));
    assertThat(b.command("sub-1s:BTCUSD")).isEqualTo(subscribed("BTCUSD", "1s"));
    assertThat(gateway.hub().consumersRegistered()).isEqualTo(1);
    assertThat(gateway.hub().activeSeries()).isEqualTo(1);

    for (int i = 0; i < 3; i++) {
      publish(new Candle("BTCUSD", Timeframe.S1, T0 + i * 1000L, 1, 2, 0.5, 1.5 + i, 1, 1, i < 2));
    }
    for (int i = 0; i < 3; i++) {
      JsonObject fromA = a.next();
      JsonObject fromB = b.next();
      assertThat(fromA).isEqualTo(fromB);
      assertThat(fromA.getDouble("close")).isEqualTo(1.5 + i);
    }
    assertThat(gateway.hub().deliveredUpdates()).isEqualTo(6);
    assertThat(gateway.metrics().updatesDropped.sum()).isZero();
  }

  @Test
  void unsubStopsUpdatesAndTheLastUnsubUnregistersTheConsumer() throws Exception {
    WsProbe a = connect();
    WsProbe b = connect();
    assertThat(a.command("sub-1s")).isEqualTo(subscribed("BTCUSD", "1s"));
    assertThat(a.command("sub-1m")).isEqualTo(subscribed("BTCUSD", "1m"));
    assertThat(b.command("sub-1s")).isEqualTo(subscribed("BTCUSD", "1s"));
    assertThat(a.command("unsub")).isEqualTo(unsubscribed(2));

    // b proves the update was delivered; a's next frame is the reply to a later command, not the update
    publish(candle(T0, 1.0));
    assertThat(b.next().getDouble("close")).isEqualTo(1.0);
    assertThat(a.command("bogus").getString("type")).isEqualTo("error");

    assertThat(b.command("unsub")).isEqualTo(unsubscribed(1));
    assertThat(gateway.hub().activeSeries()).isZero();
    publish(candle(T0 + 1000, 2.0));
    assertThat(b.command("sub-1h")).isEqualTo(subscribed("BTCUSD", "1h")); // not the 1s update
    assertThat(a.command("unsub")).isEqualTo(unsubscribed(0));

    // resubscribing registers a fresh consumer, which delivers again
    assertThat(a.command("sub-1s")).isEqualTo(subscribed("BTCUSD", "1s"));
    assertThat(gateway.hub().consumersRegistered()).isEqualTo(4); // 1s, 1m, 1h, 1s again
    publish(candle(T0 + 2000, 3.0));
    assertThat(a.next().getDouble("close")).isEqualTo(3.0);
  }

  @Test
  void closingTheSocketDropsItsSubscriptions() throws Exception {
    WsProbe a = connect();
    assertThat(a.command("sub-1s")).isEqualTo(subscribed("BTCUSD", "1s"));
    assertThat(gateway.connections()).isEqualTo(1);
    await(a.ws.close());
    a.awaitClosed();
    // the server's close handler runs on the gateway's event loop; ask it something to order after it
    WsProbe probe = connect();
    probe.command("hello");
    assertThat(gateway.hub().activeSeries()).isZero();
    assertThat(gateway.connections()).isEqualTo(1);
  }

  @Test
  void everyBadCommandGetsAnErrorAndTheConnectionKeepsWorking() throws Exception {
    WsProbe ws = connect();
    assertError(ws.command(""), CommandParser.CODE_EMPTY, "");
    assertError(ws.command("hello"), CommandParser.CODE_UNKNOWN_COMMAND, "hello");
    assertError(ws.command("sub-2m"), CommandParser.CODE_UNKNOWN_TIMEFRAME, "sub-2m");
    assertError(ws.command("sub-1m:BTC-USD"), CommandParser.CODE_BAD_SYMBOL, "sub-1m:BTC-USD");
    assertError(ws.command("unsub-2h"), CommandParser.CODE_UNKNOWN_TIMEFRAME, "unsub-2h");

    await(ws.ws.writeBinaryMessage(Buffer.buffer(new byte[] {1, 2, 3})));
    assertError(ws.next(), CommandParser.CODE_BINARY, "<binary message of 3 bytes>");

    assertThat(ws.ws.isClosed()).isFalse();
    assertThat(ws.command("sub-1s")).isEqualTo(subscribed("BTCUSD", "1s"));
    publish(candle(T0, 42.0));
    assertThat(ws.next().getDouble("close")).isEqualTo(42.0);
  }

  @Test
  void subscriptionsPerConnectionAreBounded() throws Exception {
    WsProbe ws = connect();
    int n = 0;
    outer:
    for (String sym : new String[] {"AA", "BB", "CC", "DD", "EE"}) {
      for (Timeframe tf : Timeframe.values()) {
        if (n == 32) {
          break outer;
        }
        assertThat(ws.command("sub-" + tf.label() + ":" + sym).getString("type")).isEqualTo("subscribed");
        n++;
      }
    }
    JsonObject err = ws.command("sub-1d:ZZ");
    assertError(err, ErrorCodes.TOO_MANY_SUBSCRIPTIONS, "sub-1d:ZZ");
    assertThat(err.getString("message")).contains("at most 32");
    assertThat(ws.command("unsub")).isEqualTo(unsubscribed(32));
    assertThat(gateway.hub().activeSeries()).isZero();
  }

  @Test
  void plainGetOnTheWebSocketPathIs400() throws Exception {
    HttpResponse<Buffer> r = get("/ws");
    assertThat(r.statusCode()).isEqualTo(400);
    assertThat(r.bodyAsJsonObject().getString("error")).startsWith("expected a WebSocket upgrade");
  }

  // ------------------------------------------------------------------ REST

  @Test
  void candlesHappyPathUsesDefaults() throws Exception {
    historyResponder();
    HttpResponse<Buffer> r = get("/api/candles?symbol=btcusd");
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.getHeader("content-type")).isEqualTo("application/json");
    JsonArray arr = r.bodyAsJsonArray();
    assertThat(arr).hasSize(3);
    assertThat(arr.getJsonObject(0).getLong("t")).isEqualTo(T0);
    assertThat(arr.getJsonObject(2).getLong("t")).isEqualTo(T0 + 120_000);
    assertThat(historyRequests.poll(5, TimeUnit.SECONDS))
        .isEqualTo(new JsonObject().put("symbol", "BTCUSD").put("tf", "1m").put("limit", 500));
  }

  @Test
  void candlesPassesEveryParameterAndKeepsTheNewestN() throws Exception {
    historyResponder();
    HttpResponse<Buffer> r = get("/api/candles?symbol=BTCUSD&tf=5m&limit=2&from=1000&to=2000");
    assertThat(r.statusCode()).isEqualTo(200);
    JsonArray arr = r.bodyAsJsonArray();
    assertThat(arr).hasSize(2); // the fake returns 3 regardless; the gateway keeps the newest 2, oldest first
    assertThat(arr.getJsonObject(0).getLong("t")).isEqualTo(T0 + 60_000);
    assertThat(arr.getJsonObject(1).getLong("t")).isEqualTo(T0 + 120_000);
    assertThat(historyRequests.poll(5, TimeUnit.SECONDS)).isEqualTo(new JsonObject().put("symbol", "BTCUSD")
        .put("tf", "5m").put("limit", 2).put("from", 1000L).put("to", 2000L));
  }

  @Test
  void badCandleQueriesAre400AndNeverReachHistory() throws Exception {
    historyResponder();
    String[][] cases = {
        {"/api/candles", "missing query parameter 'symbol'"},
        {"/api/candles?symbol=BTC-USD", "invalid symbol 'BTC-USD'"},
        {"/api/candles?symbol=BTCUSD&tf=2m", "unknown timeframe '2m'"},
        {"/api/candles?symbol=BTCUSD&limit=abc", "limit must be a whole number"},
        {"/api/candles?symbol=BTCUSD&limit=0", "limit must be between 1 and 5000"},
        {"/api/candles?symbol=BTCUSD&limit=5001", "limit must be between 1 and 5000"},
        {"/api/candles?symbol=BTCUSD&from=yesterday", "from must be epoch milliseconds"},
        {"/api/candles?symbol=BTCUSD&to=-5", "to must be epoch milliseconds >= 0"},
        {"/api/candles?symbol=BTCUSD&from=10&to=9", "from (10) is after to (9)"},
    };
    for (String[] c : cases) {
      HttpResponse<Buffer> r = get(c[0]);
      assertThat(r.statusCode()).as(c[0]).isEqualTo(400);
      assertThat(r.bodyAsJsonObject().getString("error")).as(c[0]).contains(c[1]);
    }
    assertThat(historyRequests).isEmpty();
  }

  @Test
  void historyFailuresMapToStatuses() throws Exception {
    historyResponder();
    HttpResponse<Buffer> notFound = get("/api/candles?symbol=NOPE");
    assertThat(notFound.statusCode()).isEqualTo(404);
    assertThat(notFound.bodyAsJsonObject()).isEqualTo(new JsonObject().put("error", "unknown symbol NOPE"));

    HttpResponse<Buffer> rejected = get("/api/candles?symbol=REJECT");
    assertThat(rejected.statusCode()).isEqualTo(400);
    assertThat(rejected.bodyAsJsonObject().getString("error")).isEqualTo("history says no");

    HttpResponse<Buffer> garbage = get("/api/candles?symbol=GARBAGE");
    assertThat(garbage.statusCode()).isEqualTo(502);
  }

  @Test
  void noHistoryResponderIs503() throws Exception {
    HttpResponse<Buffer> r = get("/api/candles?symbol=BTCUSD");
    assertThat(r.statusCode()).isEqualTo(503);
    assertThat(r.bodyAsJsonObject()).isEqualTo(new JsonObject().put("error", "history unavailable"));
  }

  @Test
  void silentHistoryResponderIs503AfterTheTimeout() throws Exception {
    respond(Addresses.HISTORY, msg -> { }); // never replies
    HttpResponse<Buffer> r = get("/api/candles?symbol=BTCUSD");
    assertThat(r.statusCode()).isEqualTo(503);
    assertThat(r.bodyAsJsonObject()).isEqualTo(new JsonObject().put("error", "history unavailable"));
  }

  @Test
  void symbols() throws Exception {
    assertThat(get("/api/symbols").statusCode()).isEqualTo(503);
    assertThat(get("/api/symbols").bodyAsJsonObject().getString("error")).isEqualTo("symbols unavailable");
    respond(Addresses.SYMBOLS, msg -> msg.reply(new JsonObject().put("symbols", new JsonArray().add("BTCUSD")
        .add("ETHUSD"))));
    HttpResponse<Buffer> r = get("/api/symbols");
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.bodyAsJsonObject())
        .isEqualTo(new JsonObject().put("symbols", new JsonArray().add("BTCUSD").add("ETHUSD")));
  }

  @Test
  void pageConfig() throws Exception {
    HttpResponse<Buffer> r = get("/api/config");
    assertThat(r.statusCode()).isEqualTo(200);
    JsonObject j = r.bodyAsJsonObject();
    assertThat(j.getString("defaultSymbol")).isEqualTo("BTCUSD");
    assertThat(j.getString("defaultTf")).isEqualTo("1m");
    assertThat(j.getJsonArray("timeframes")).containsExactly("1s", "1m", "5m", "15m", "1h", "4h", "1d");
  }

  @Test
  void unknownApiPathIsJson404() throws Exception {
    HttpResponse<Buffer> r = get("/api/nothing");
    assertThat(r.statusCode()).isEqualTo(404);
    assertThat(r.bodyAsJsonObject().getString("error")).isEqualTo("no such endpoint: /api/nothing");
  }

  @Test
  void healthIsLivenessOnly() throws Exception {
    WsProbe ws = connect();
    ws.command("hello"); // the server side of the connection is surely set up
    HttpResponse<Buffer> r = get("/health"); // no other tier is up: still alive
    assertThat(r.statusCode()).isEqualTo(200);
    JsonObject h = r.bodyAsJsonObject();
    assertThat(h.getString("status")).isEqualTo("UP");
    assertThat(h.getJsonObject("components").getJsonObject("gateway").getInteger("connections")).isEqualTo(1);
  }

  @Test
  void readyIsUpWhenEveryComponentIsUpAndHistoryAnswers() throws Exception {
    respond("candlecast.health.feed", msg -> msg.reply(new JsonObject().put("status", "UP").put("source", "mock")));
    respond("candlecast.health.aggregator", msg -> msg.reply(new JsonObject().put("status", "UP")));
    historyResponder();
    HttpResponse<Buffer> r = get("/ready");
    assertThat(r.statusCode()).isEqualTo(200);
    JsonObject h = r.bodyAsJsonObject();
    assertThat(h.getString("status")).isEqualTo("UP");
    JsonObject c = h.getJsonObject("components");
    assertThat(c.fieldNames()).containsExactly("gateway", "feed", "aggregator", "history", "cluster");
    assertThat(c.getJsonObject("feed")).isEqualTo(new JsonObject().put("status", "UP").put("source", "mock"));
    assertThat(c.getJsonObject("aggregator")).isEqualTo(new JsonObject().put("status", "UP"));
    assertThat(c.getJsonObject("history").getString("status")).isEqualTo("UP");
    assertThat(c.getJsonObject("cluster")).isEqualTo(new JsonObject().put("status", "UP").put("clustered", false));
  }

  @Test
  void readyIs503WhenAComponentIsDownSilentOrMissing() throws Exception {
    historyResponder();
    respond("candlecast.health.feed", msg -> msg.reply(new JsonObject().put("status", "UP")));
    MessageConsumer<?> agg = respond("candlecast.health.aggregator",
        msg -> msg.reply(new JsonObject().put("status", "DOWN").put("reason", "kafka unreachable")));
    HttpResponse<Buffer> down = get("/ready");
    assertThat(down.statusCode()).isEqualTo(503);
    assertThat(down.bodyAsJsonObject().getString("status")).isEqualTo("DOWN");
    assertThat(down.bodyAsJsonObject().getJsonObject("components").getJsonObject("aggregator").getString("reason"))
        .isEqualTo("kafka unreachable");
    assertThat(down.bodyAsJsonObject().getJsonObject("components").getJsonObject("feed").getString("status"))
        .isEqualTo("UP");

    await(agg.unregister());
    HttpResponse<Buffer> missing = get("/ready");
    assertThat(missing.statusCode()).isEqualTo(503);
    assertThat(missing.bodyAsJsonObject().getJsonObject("components").getJsonObject("aggregator"))
        .isEqualTo(new JsonObject().put("status", "DOWN").put("error", "no responder"));

    respond("candlecast.health.aggregator", msg -> { }); // never replies
    HttpResponse<Buffer> silent = get("/ready");
    assertThat(silent.statusCode()).isEqualTo(503);
    assertThat(silent.bodyAsJsonObject().getJsonObject("components").getJsonObject("aggregator"))
        .isEqualTo(new JsonObject().put("status", "DOWN").put("error", "no reply within 500 ms"));
  }

  @Test
  void readyWithoutHistoryIs503() throws Exception {
    respond("candlecast.health.feed", msg -> msg.reply(new JsonObject().put("status", "UP")));
    respond("candlecast.health.aggregator", msg -> msg.reply(new JsonObject().put("status", "UP")));
    HttpResponse<Buffer> r = get("/ready");
    assertThat(r.statusCode()).isEqualTo(503);
    assertThat(r.bodyAsJsonObject().getJsonObject("components").getJsonObject("history"))
        .isEqualTo(new JsonObject().put("status", "DOWN").put("error", "no responder"));
  }

  // ------------------------------------------------------------------ static files

  @Test
  void staticFilesFromTheClasspathWebroot() throws Exception {
    HttpResponse<Buffer> index = get("/");
    assertThat(index.statusCode()).isEqualTo(200);
    assertThat(index.getHeader("content-type")).startsWith("text/html");
    assertThat(index.bodyAsString()).contains("gateway-test-webroot-marker");
    assertThat(get("/index.html").bodyAsString()).contains("gateway-test-webroot-marker");
    assertThat(get("/missing.js").statusCode()).isEqualTo(404);
  }

  // ------------------------------------------------------------------ SockJS bridge

  @Test
  void xhrPollAnswersSayTheConnectionCloses() throws Exception {
    // vertx-web closes the TCP connection after each poll answer; without the header keep-alive clients reuse it
    var first = WsProbe.await(http.post(port, "127.0.0.1", "/eventbus/000/pollsess/xhr").send());
    assertThat(first.statusCode()).isEqualTo(200);
    assertThat(first.bodyAsString()).startsWith("o"); // the session's open frame
    assertThat(first.getHeader("connection")).isEqualToIgnoringCase("close");
    var send = WsProbe.await(http.post(port, "127.0.0.1", "/eventbus/000/pollsess/xhr_send")
        .sendBuffer(io.vertx.core.buffer.Buffer.buffer("[\"{\\\"type\\\":\\\"ping\\\"}\"]")));
    assertThat(send.statusCode()).isEqualTo(204);
    assertThat(send.getHeader("connection")).as("other SockJS requests keep the connection").isNull();
  }

  @Test
  void sockJsBridgeDeliversPermittedSeriesAndDeniesEverythingElse() throws Exception {
    // Vert.x's raw SockJS websocket transport sends the bridge's JSON as binary frames; the probe decodes them
    WsProbe sock = connect("/eventbus/websocket");
    sock.send(new JsonObject().put("type", "register").put("address", "candles.BTCUSD.1s").encode());
    // frames of one socket are handled in order: this denial proves the first registration is done
    sock.send(new JsonObject().put("type", "register").put("address", "candlecast.history").encode());
    JsonObject denied = sock.next();
    assertThat(denied.getString("type")).isEqualTo("err");
    assertThat(denied.getString("body")).isEqualTo("access_denied");

    Candle c = candle(T0, 7.5);
    publish(c);
    JsonObject rec = sock.next();
    assertThat(rec.getString("type")).isEqualTo("rec");
    assertThat(rec.getString("address")).isEqualTo("candles.BTCUSD.1s");
    assertThat(rec.getJsonObject("body")).isEqualTo(CandleCodec.toJson(c));

    // lower-case symbols and unknown timeframes are outside the permitted pattern
    sock.send(new JsonObject().put("type", "register").put("address", "candles.btcusd.1s").encode());
    assertThat(sock.next().getString("body")).isEqualTo("access_denied");
    sock.send(new JsonObject().put("type", "register").put("address", "candles.BTCUSD.2m").encode());
    assertThat(sock.next().getString("body")).isEqualTo("access_denied");
    // inbound: no publish at all, no send but the history request
    sock.send(new JsonObject().put("type", "publish").put("address", "candles.BTCUSD.1s")
        .put("body", new JsonObject()).encode());
    assertThat(sock.next().getString("body")).isEqualTo("rejected");
    sock.send(new JsonObject().put("type", "send").put("address", "candles.BTCUSD.1s")
        .put("body", new JsonObject()).put("replyAddress", "r1").encode());
    assertThat(sock.next().getString("body")).isEqualTo("access_denied");
    historyResponder();
    sock.send(new JsonObject().put("type", "send").put("address", "candlecast.history")
        .put("body", new JsonObject().put("symbol", "btcusd").put("tf", "1m").put("limit", 2))
        .put("replyAddress", "r2").encode());
    JsonObject reply = sock.next();
    assertThat(reply.getString("type")).isEqualTo("rec");
    assertThat(reply.getString("address")).isEqualTo("r2");
    assertThat(reply.getJsonObject("body").getJsonArray("candles")).hasSize(3);
    assertThat(historyRequests.poll(5, TimeUnit.SECONDS)).as("normalised by the gateway")
        .isEqualTo(new JsonObject().put("symbol", "BTCUSD").put("tf", "1m").put("limit", 2));
    sock.send(new JsonObject().put("type", "send").put("address", "candlecast.history")
        .put("body", new JsonObject().put("symbol", "BTC-USD")).put("replyAddress", "r3").encode());
    assertThat(sock.next().getString("body")).isEqualTo("rejected");
    assertThat(historyRequests).isEmpty();
    assertThat(gateway.sockJsSessions()).isEqualTo(1);
  }

  // ------------------------------------------------------------------ lifecycle

  @Test
  void undeployClosesTheServer() throws Exception {
    assertThat(get("/api/config").statusCode()).isEqualTo(200);
    await(vertx.undeploy(deploymentId));
    CompletableFuture<Throwable> failure = new CompletableFuture<>();
    http.get(port, "127.0.0.1", "/api/config").send().onComplete(ar -> failure.complete(ar.cause()));
    assertThat(failure.get(5, TimeUnit.SECONDS)).as("request after stop fails").isNotNull();
  }

  // ------------------------------------------------------------------ helpers

  private void historyResponder() {
    respond(Addresses.HISTORY, msg -> {
      JsonObject req = (JsonObject) msg.body();
      historyRequests.add(req);
      String symbol = req.getString("symbol");
      switch (symbol) {
        case "NOPE" -> msg.fail(404, "unknown symbol NOPE");
        case "REJECT" -> msg.fail(400, "history says no");
        case "GARBAGE" -> msg.reply(new JsonObject().put("nothing", true));
        default -> {
          Timeframe tf = Timeframe.parse(req.getString("tf"));
          JsonArray candles = new JsonArray();
          for (int i = 0; i < 3; i++) {
            candles.add(CandleCodec.toJson(new Candle(symbol, tf, T0 + i * 60_000L, 1, 2, 0.5, 1.5, 1, 1, true)));
          }
          msg.reply(new JsonObject().put("symbol", symbol).put("tf", tf.label()).put("candles", candles));
        }
      }
    });
  }

  private MessageConsumer<?> respond(String address, Consumer<Message<Object>> handler) {
    MessageConsumer<Object> c = vertx.eventBus().consumer(address, handler::accept);
    try {
      await(c.completion());
    } catch (Exception e) {
      throw new AssertionError(e);
    }
    responders.add(c);
    return c;
  }

  private void publish(Candle c) {
    vertx.eventBus().publish(Addresses.candles(c.symbol(), c.tf()), CandleCodec.toJson(c));
  }

  private static Candle candle(long openTime, double close) {
    return new Candle("BTCUSD", Timeframe.S1, openTime, close, close, close, close, 1, 1, false);
  }

  private static JsonObject subscribed(String symbol, String tf) {
    return new JsonObject().put("type", "subscribed").put("symbol", symbol).put("tf", tf);
  }

  private static JsonObject unsubscribed(int n) {
    return new JsonObject().put("type", "unsubscribed").put("count", n);
  }

  private static void assertError(JsonObject e, String code, String command) {
    assertThat(e.getString("type")).isEqualTo("error");
    assertThat(e.getString("code")).isEqualTo(code);
    assertThat(e.getString("command")).isEqualTo(command);
    assertThat(e.getString("message")).isNotBlank();
    if (!command.isEmpty() && !command.startsWith("<")) {
      assertThat(e.getString("message")).contains(command);
    }
  }

  private HttpResponse<Buffer> get(String uri) throws Exception {
    return await(http.get(port, "127.0.0.1", uri).send());
  }

  private WsProbe connect() throws Exception {
    return WsProbe.connect(wsClient, port);
  }

  private WsProbe connect(String path) throws Exception {
    return WsProbe.open(wsClient, new io.vertx.core.http.WebSocketConnectOptions().setHost("127.0.0.1").setPort(port)
        .setURI(path));
  }

  private static <T> T await(Future<T> f) throws Exception {
    return WsProbe.await(f);
  }
}
