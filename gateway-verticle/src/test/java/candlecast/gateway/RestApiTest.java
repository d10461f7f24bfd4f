package candlecast.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import candlecast.common.Timeframe;
import candlecast.common.config.Settings;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.junit5.VertxExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** Batch history, tickers, the page configuration and the Prometheus endpoint. */
@ExtendWith(VertxExtension.class)
class RestApiTest extends GatewayTestBase {

  @Test
  void batchAnswersPerSymbolAndOneFailureDoesNotFailTheOthers(Vertx vertx) throws Exception {
    start(vertx, c -> c.with(Settings.GATEWAY_BATCH_MAX_SYMBOLS, 5));
    for (int i = 0; i < 4; i++) {
      agg.publish(candle("BTCUSD", Timeframe.M1, T0 + i * 60_000L, 1, true));
      agg.publish(candle("ETHUSD", Timeframe.M1, T0 + i * 60_000L, 1, true));
    }
    agg.sync();
    HttpResponse<Buffer> r =
        post(
            new JsonObject()
                .put(
                    "symbols",
                    new JsonArray().add("btcusd").add("NOPE").add("BTC_USD").add(5).add("ETH-USD"))
                .put("tf", "1m")
                .put("limit", 2)
                .put("from", T0));
    assertThat(r.statusCode()).isEqualTo(200);
    JsonObject body = r.bodyAsJsonObject();
    assertThat(body.getString("tf")).isEqualTo("1m");
    JsonArray results = body.getJsonArray("results");
    assertThat(results).hasSize(5);
    JsonObject btc = results.getJsonObject(0);
    assertThat(btc.getString("symbol")).isEqualTo("BTCUSD");
    assertThat(btc.getInteger("status")).isEqualTo(200);
    assertThat(btc.getJsonArray("candles")).hasSize(2);
    assertThat(btc.getJsonArray("candles").getJsonObject(1).getLong("t")).isEqualTo(T0 + 180_000L);
    assertThat(results.getJsonObject(1))
        .isEqualTo(
            new JsonObject()
                .put("symbol", "NOPE")
                .put("status", 404)
                .put("error", "unknown symbol NOPE"));
    assertThat(results.getJsonObject(2).getInteger("status")).isEqualTo(400);
    assertThat(results.getJsonObject(2).getString("error")).contains("invalid symbol 'BTC_USD'");
    assertThat(results.getJsonObject(3).getInteger("status")).isEqualTo(400);
    assertThat(results.getJsonObject(4).getInteger("status")).isEqualTo(200);
    assertThat(results.getJsonObject(4).getString("symbol"))
        .as("the dashed style is an alias")
        .isEqualTo("ETHUSD");
  }

  @Test
  void badBatchesAre400Or413(Vertx vertx) throws Exception {
    start(
        vertx,
        c ->
            c.with(Settings.GATEWAY_BATCH_MAX_SYMBOLS, 2)
                .with(Settings.GATEWAY_MAX_MESSAGE_BYTES, 256));
    assertBad(postRaw("not json"), 400, "body must be a JSON object");
    assertBad(post(new JsonObject()), 400, "'symbols' must be a non-empty array");
    assertBad(
        post(new JsonObject().put("symbols", new JsonArray())),
        400,
        "'symbols' must be a non-empty array");
    assertBad(
        post(new JsonObject().put("symbols", new JsonArray().add("AA").add("BB").add("CC"))),
        400,
        "at most 2 symbols");
    assertBad(
        post(new JsonObject().put("symbols", new JsonArray().add("AA")).put("tf", "2m")),
        400,
        "unknown timeframe");
    assertBad(
        post(new JsonObject().put("symbols", new JsonArray().add("AA")).put("limit", 0)),
        400,
        "limit");
    assertBad(
        post(
            new JsonObject().put("symbols", new JsonArray().add("AA")).put("from", 5).put("to", 1)),
        400,
        "after to");
    assertBad(postRaw("{\"symbols\":[\"" + "A".repeat(70_000) + "\"]}"), 413, "too large");
    assertThat(agg.historyRequests.get()).isZero();
  }

  @Test
  void tickers(Vertx vertx) throws Exception {
    start(vertx, c -> c);
    agg.publishTicker(FakeAggregator.ticker("BTCUSD", 101, T0));
    agg.publishTicker(FakeAggregator.ticker("ETHUSD", 99, T0));
    agg.sync();
    HttpResponse<Buffer> all = get("/api/ticker");
    assertThat(all.statusCode()).isEqualTo(200);
    assertThat(all.bodyAsJsonArray()).hasSize(2);
    HttpResponse<Buffer> one = get("/api/ticker?symbol=ethusd");
    assertThat(one.statusCode()).isEqualTo(200);
    assertThat(one.bodyAsJsonObject()).isEqualTo(FakeAggregator.ticker("ETHUSD", 99, T0));
    assertBad(get("/api/ticker?symbol=NOPE"), 404, "unknown symbol NOPE");
    assertBad(get("/api/ticker?symbol=no_pe"), 400, "invalid symbol");
    assertThat(get("/api/ticker?symbol=eth-usd").bodyAsJsonObject())
        .as("the dashed style is an alias")
        .isEqualTo(FakeAggregator.ticker("ETHUSD", 99, T0));
    Await.await(agg.close());
    assertBad(get("/api/ticker"), 503, "tickers unavailable");
  }

  @Test
  void uiConfigDefaultsAndConfigStayAvailable(Vertx vertx) throws Exception {
    start(vertx, c -> c.with(Settings.GATEWAY_DEFAULT_SYMBOL, "ETHUSD"));
    JsonObject ui = get("/api/ui-config").bodyAsJsonObject();
    assertThat(ui.getString("defaultSymbol")).isEqualTo("ETHUSD");
    assertThat(ui.getString("defaultTf")).isEqualTo("1m");
    assertThat(ui.getJsonObject("themes").getJsonObject("dark").getString("up")).isNotBlank();
    assertThat(get("/api/config").bodyAsJsonObject().getString("defaultSymbol"))
        .isEqualTo("ETHUSD");
  }

  @Test
  void uiConfigFileReplacesTheDefaults(Vertx vertx, @TempDir Path dir) throws Exception {
    Path file = dir.resolve("ui.json");
    Files.writeString(
        file,
        new JsonObject(UiConfig.builtIn())
            .put("layout", 4)
            .put("theme", "light")
            .put("defaultTf", "5m")
            .encode());
    start(vertx, c -> c.with(Settings.GATEWAY_UI_CONFIG_FILE, file.toString()));
    JsonObject ui = get("/api/ui-config").bodyAsJsonObject();
    assertThat(ui.getInteger("layout")).isEqualTo(4);
    assertThat(ui.getString("theme")).isEqualTo("light");
    assertThat(ui.getString("defaultTf")).isEqualTo("5m");
  }

  @Test
  void malformedUiConfigFileStopsStartUpWithAClearError(Vertx vertx, @TempDir Path dir)
      throws Exception {
    Path file = dir.resolve("ui.json");
    Files.writeString(file, "{\"layout\": 3}");
    Throwable err = deployFailure(vertx, file.toString());
    assertThat(err)
        .hasMessageContaining(
            "invalid UI configuration in CANDLECAST_GATEWAY_UI_CONFIG_FILE " + file)
        .hasMessageContaining("layout must be 1, 2 or 4");
    Throwable missing = deployFailure(vertx, dir.resolve("nope.json").toString());
    assertThat(missing).hasMessageContaining("cannot read CANDLECAST_GATEWAY_UI_CONFIG_FILE");
  }

  @Test
  void prometheusMetricsCountConnectionsMessagesAndLatencies() throws Exception {
    Vertx metricsVertx = Vertx.builder().with(GatewayMetrics.vertxOptions()).build();
    try {
      start(metricsVertx, c -> c);
      agg.publish(candle("BTCUSD", Timeframe.M1, T0, 1, true));
      agg.sync();
      WsProbe ws = connect();
      ws.send(
          new JsonObject()
              .put("type", "subscribe")
              .put("symbol", "BTCUSD")
              .put("tf", "1m")
              .encode());
      ws.nextOfType("snapshot");
      agg.publish(candle("BTCUSD", Timeframe.M1, T0 + 60_000, 1, false));
      ws.nextOfType("candle");
      HttpResponse<Buffer> r = get("/metrics");
      assertThat(r.statusCode()).isEqualTo(200);
      String text = r.bodyAsString();
      assertThat(text).contains("candlecast_gateway_connections{protocol=\"websocket\"} 1.0");
      assertThat(text).contains("candlecast_gateway_connections{protocol=\"sockjs\"} 0.0");
      assertThat(text).contains("candlecast_gateway_connections{protocol=\"socketio\"} 0.0");
      assertThat(text).contains("candlecast_gateway_messages_in_total{protocol=\"websocket\"} 1.0");
      assertThat(text).contains("candlecast_gateway_messages_out_total{kind=\"update\"} 1.0");
      assertThat(text).contains("candlecast_gateway_updates_dropped_total 0.0");
      assertThat(text).contains("candlecast_gateway_closes_total{reason=\"slow_client\"} 0.0");
      assertThat(text).contains("candlecast_gateway_fanout_seconds_count 1");
      assertThat(text).contains("candlecast_gateway_history_latency_seconds_count 1");
      assertThat(text).contains("vertx_http_server_active_connections");
      JsonObject conns = get("/connections").bodyAsJsonObject();
      assertThat(conns.getJsonObject("series"))
          .isEqualTo(
              new JsonObject()
                  .put("candles.BTCUSD.1m", new JsonObject().put("websocket", 1).put("sockjs", 0)));
    } finally {
      closeClients();
      http = null;
      wsClient = null;
      Await.await(metricsVertx.close());
    }
  }

  @Test
  void metricsOffIs503(Vertx vertx) throws Exception {
    start(vertx, c -> c);
    assertBad(get("/metrics"), 503, "metrics are off");
  }

  private Throwable deployFailure(Vertx vertx, String file) throws Exception {
    GatewayVerticle g =
        new GatewayVerticle(
            candlecast.common.config.CandlecastConfig.defaults()
                .with(Settings.HTTP_HOST, "127.0.0.1")
                .with(Settings.HTTP_PORT, 0)
                .with(Settings.GATEWAY_UI_CONFIG_FILE, file));
    try {
      Await.await(vertx.deployVerticle(g));
    } catch (ExecutionException e) {
      return e.getCause();
    }
    throw new AssertionError("deployment succeeded");
  }

  private HttpResponse<Buffer> post(JsonObject body) throws Exception {
    return postRaw(body.encode());
  }

  private HttpResponse<Buffer> postRaw(String body) throws Exception {
    return Await.await(
        http.post(port, "127.0.0.1", "/api/candles/batch")
            .putHeader("content-type", "application/json")
            .sendBuffer(Buffer.buffer(body)));
  }

  private static void assertBad(HttpResponse<Buffer> r, int status, String error) {
    assertThat(r.statusCode()).as(r.bodyAsString()).isEqualTo(status);
    assertThat(r.getHeader("content-type")).isEqualTo("application/json");
    assertThat(r.bodyAsJsonObject().getString("error")).contains(error);
  }
}
