package candlecast.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import candlecast.common.Addresses;
import candlecast.common.CandleCodec;
import candlecast.common.Timeframe;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Issue 19: a symbol whose owner is being replaced (the aggregator answers 503) gets a retryable
 * error with a retry hint and keeps its subscription; an unknown one (404) is told so without a
 * hint. Over real sockets, the test standing in for the aggregator on the event bus.
 */
@ExtendWith(VertxExtension.class)
class RetryHintTest extends GatewayTestBase {
  static final String MOVING =
      "symbol BTCUSD is being taken over by another aggregator; retry shortly";

  private void start(Vertx vertx) throws Exception {
    startAlone(vertx, c -> c);
    vertx.eventBus().<JsonObject>consumer(Addresses.HISTORY, RetryHintTest::owner);
    vertx.eventBus().<JsonObject>consumer(Addresses.TRADES, RetryHintTest::owner);
  }

  /** BTCUSD: its owner is moving (503); any other symbol does not exist (404). */
  private static void owner(Message<JsonObject> m) {
    if ("BTCUSD".equals(m.body().getString("symbol"))) {
      m.fail(503, MOVING);
    } else {
      m.fail(404, "unknown symbol " + m.body().getString("symbol"));
    }
  }

  private static JsonObject sub(String symbol) {
    return new JsonObject()
        .put("type", "subscribe")
        .put("symbol", symbol)
        .put("tf", "1m")
        .put("id", 7);
  }

  @Test
  void aMovingOwnersSymbolIsRetryableWithAHintAndStaysSubscribed(Vertx vertx) throws Exception {
    start(vertx);
    WsProbe ws = connect();
    ws.send(sub("BTCUSD").encode());
    assertThat(ws.next().getString("status")).isEqualTo("subscribed");
    JsonObject e = ws.next();
    assertCode(e, ErrorCodes.HISTORY_UNAVAILABLE);
    assertThat(e.getString("message")).contains("being taken over");
    assertThat(e.getLong("retryAfterMs")).isEqualTo(BusErrors.RETRY_AFTER_MS);
    vertx
        .eventBus()
        .publish(
            "candles.BTCUSD.1m", CandleCodec.toJson(candle("BTCUSD", Timeframe.M1, T0, 1, false)));
    assertThat(ws.next().getString("type")).isEqualTo("candle");

    ws.send(
        new JsonObject()
            .put("type", "subscribe")
            .put("channel", "trades")
            .put("symbol", "BTCUSD")
            .encode());
    JsonObject t = ws.nextOfType("error");
    assertCode(t, ErrorCodes.TRADES_UNAVAILABLE);
    assertThat(t.getLong("retryAfterMs")).isEqualTo(BusErrors.RETRY_AFTER_MS);
  }

  @Test
  void anUnknownSymbolIsToldSoWithoutAHint(Vertx vertx) throws Exception {
    start(vertx);
    WsProbe ws = connect();
    ws.send(sub("NOPE").encode());
    JsonObject e = ws.next();
    assertCode(e, ErrorCodes.UNKNOWN_SYMBOL);
    assertThat(e.containsKey("retryAfterMs")).isFalse();
  }

  @Test
  void restAnswers503WithRetryAfterAnd404WithoutIt(Vertx vertx) throws Exception {
    start(vertx);
    HttpResponse<Buffer> moving = get("/api/candles?symbol=BTCUSD&tf=1m");
    assertThat(moving.statusCode()).isEqualTo(503);
    assertThat(moving.getHeader("Retry-After")).isEqualTo("1");
    assertThat(moving.bodyAsJsonObject().getString("error")).contains("being taken over");
    HttpResponse<Buffer> unknown = get("/api/candles?symbol=NOPE&tf=1m");
    assertThat(unknown.statusCode()).isEqualTo(404);
    assertThat(unknown.getHeader("Retry-After")).isNull();
    HttpResponse<Buffer> trades = get("/api/trades?symbol=BTCUSD");
    assertThat(trades.statusCode()).isEqualTo(503);
    assertThat(trades.getHeader("Retry-After")).isEqualTo("1");
  }
}
