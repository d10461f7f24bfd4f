package candlecast.gateway;

import static candlecast.gateway.Await.await;
import static org.assertj.core.api.Assertions.assertThat;

import candlecast.common.Addresses;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The HTTP side of the gateway over real sockets: {@code /api/candles}, {@code /api/symbols},
 * {@code /api/config}, {@code /health}, {@code /ready} against stand-in responders that answer,
 * fail, stay silent or are missing; static files; undeploy.
 */
class HttpEndpointsTest extends StandInTierTestBase {

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
    assertThat(arr)
        .hasSize(2); // the fake returns 3 regardless; the gateway keeps the newest 2, oldest first
    assertThat(arr.getJsonObject(0).getLong("t")).isEqualTo(T0 + 60_000);
    assertThat(arr.getJsonObject(1).getLong("t")).isEqualTo(T0 + 120_000);
    assertThat(historyRequests.poll(5, TimeUnit.SECONDS))
        .isEqualTo(
            new JsonObject()
                .put("symbol", "BTCUSD")
                .put("tf", "5m")
                .put("limit", 2)
                .put("from", 1000L)
                .put("to", 2000L));
  }

  @Test
  void badCandleQueriesAre400AndNeverReachHistory() throws Exception {
    historyResponder();
    String[][] cases = {
      {"/api/candles", "missing query parameter 'symbol'"},
      {"/api/candles?symbol=BTC_USD", "invalid symbol 'BTC_USD'"},
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
    assertThat(notFound.bodyAsJsonObject())
        .isEqualTo(new JsonObject().put("error", "unknown symbol NOPE"));

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
    assertThat(r.bodyAsJsonObject())
        .isEqualTo(new JsonObject().put("error", "history unavailable"));
  }

  @Test
  void silentHistoryResponderIs503AfterTheTimeout() throws Exception {
    respond(Addresses.HISTORY, msg -> {}); // never replies
    HttpResponse<Buffer> r = get("/api/candles?symbol=BTCUSD");
    assertThat(r.statusCode()).isEqualTo(503);
    assertThat(r.bodyAsJsonObject())
        .isEqualTo(new JsonObject().put("error", "history unavailable"));
  }

  @Test
  void symbols() throws Exception {
    assertThat(get("/api/symbols").statusCode()).isEqualTo(503);
    assertThat(get("/api/symbols").bodyAsJsonObject().getString("error"))
        .isEqualTo("symbols unavailable");
    respond(
        Addresses.SYMBOLS,
        msg ->
            msg.reply(
                new JsonObject().put("symbols", new JsonArray().add("BTCUSD").add("ETHUSD"))));
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
    assertThat(j.getJsonArray("timeframes"))
        .containsExactly("1s", "1m", "5m", "15m", "1h", "4h", "1d", "1w", "1M");
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
    assertThat(h.getJsonObject("components").getJsonObject("gateway").getInteger("connections"))
        .isEqualTo(1);
  }

  @Test
  void readyIsUpWhenEveryComponentIsUpAndHistoryAnswers() throws Exception {
    respond(
        "candlecast.health.feed",
        msg -> msg.reply(new JsonObject().put("status", "UP").put("source", "mock")));
    respond("candlecast.health.aggregator", msg -> msg.reply(new JsonObject().put("status", "UP")));
    historyResponder();
    HttpResponse<Buffer> r = get("/ready");
    assertThat(r.statusCode()).isEqualTo(200);
    JsonObject h = r.bodyAsJsonObject();
    assertThat(h.getString("status")).isEqualTo("UP");
    JsonObject c = h.getJsonObject("components");
    assertThat(c.fieldNames())
        .containsExactly("gateway", "feed", "aggregator", "history", "cluster");
    assertThat(c.getJsonObject("feed"))
        .isEqualTo(new JsonObject().put("status", "UP").put("source", "mock"));
    assertThat(c.getJsonObject("aggregator")).isEqualTo(new JsonObject().put("status", "UP"));
    assertThat(c.getJsonObject("history").getString("status")).isEqualTo("UP");
    assertThat(c.getJsonObject("cluster"))
        .isEqualTo(new JsonObject().put("status", "UP").put("clustered", false));
  }

  @Test
  void readyIs503WhenAComponentIsDownSilentOrMissing() throws Exception {
    historyResponder();
    respond("candlecast.health.feed", msg -> msg.reply(new JsonObject().put("status", "UP")));
    MessageConsumer<?> agg =
        respond(
            "candlecast.health.aggregator",
            msg ->
                msg.reply(
                    new JsonObject().put("status", "DOWN").put("reason", "kafka unreachable")));
    HttpResponse<Buffer> down = get("/ready");
    assertThat(down.statusCode()).isEqualTo(503);
    assertThat(down.bodyAsJsonObject().getString("status")).isEqualTo("DOWN");
    assertThat(
            down.bodyAsJsonObject()
                .getJsonObject("components")
                .getJsonObject("aggregator")
                .getString("reason"))
        .isEqualTo("kafka unreachable");
    assertThat(
            down.bodyAsJsonObject()
                .getJsonObject("components")
                .getJsonObject("feed")
                .getString("status"))
        .isEqualTo("UP");

    await(agg.unregister());
    HttpResponse<Buffer> missing = get("/ready");
    assertThat(missing.statusCode()).isEqualTo(503);
    assertThat(missing.bodyAsJsonObject().getJsonObject("components").getJsonObject("aggregator"))
        .isEqualTo(new JsonObject().put("status", "DOWN").put("error", "no responder"));

    respond("candlecast.health.aggregator", msg -> {}); // never replies
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

  // ------------------------------------------------------------------ lifecycle

  @Test
  void undeployClosesTheServer() throws Exception {
    assertThat(get("/api/config").statusCode()).isEqualTo(200);
    await(vertx.undeploy(deploymentId));
    assertThat(Await.awaitFailure(http.get(port, "127.0.0.1", "/api/config").send()))
        .as("request after stop fails")
        .isNotNull();
  }
}
