package candlecast.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import candlecast.common.CandleCodec;
import candlecast.common.Timeframe;
import candlecast.common.config.Settings;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Every JSON command of /ws and every error code it can answer, over real sockets. */
@ExtendWith(VertxExtension.class)
class JsonProtocolTest extends GatewayTestBase {

  private void start(Vertx vertx) throws Exception {
    start(
        vertx,
        c -> c.with(Settings.GATEWAY_SNAPSHOT_SIZE, 3).with(Settings.GATEWAY_MAX_SUBSCRIPTIONS, 3));
  }

  private static JsonObject sub(String symbol, String tf, Object id) {
    return new JsonObject()
        .put("type", "subscribe")
        .put("symbol", symbol)
        .put("tf", tf)
        .put("id", id);
  }

  @Test
  void subscribeAcksThenSnapshotThenLiveUpdates(Vertx vertx) throws Exception {
    start(vertx);
    for (int i = 0; i < 5; i++) {
      agg.publish(candle("BTCUSD", Timeframe.M5, T0 + i * 300_000L, 10 + i, i < 4));
    }
    agg.sync();
    WsProbe ws = connect();
    ws.send(sub("BTCUSD", "5m", 7).encode());
    assertThat(ws.next())
        .isEqualTo(
            new JsonObject()
                .put("type", "subscription")
                .put("status", "subscribed")
                .put("symbol", "BTCUSD")
                .put("tf", "5m")
                .put("id", 7));
    JsonObject snap = ws.next();
    assertThat(snap.getString("type")).isEqualTo("snapshot");
    assertThat(snap.getString("symbol")).isEqualTo("BTCUSD");
    assertThat(snap.getString("tf")).isEqualTo("5m");
    assertThat(snap.getInteger("id")).isEqualTo(7);
    assertThat(snap.containsKey("recovered")).isFalse();
    JsonArray candles = snap.getJsonArray("candles");
    assertThat(candles).hasSize(3); // snapshot-size 3: the newest three, oldest first
    assertThat(candles.getJsonObject(0).getLong("t")).isEqualTo(T0 + 2 * 300_000L);
    assertThat(candles.getJsonObject(2).getLong("t")).isEqualTo(T0 + 4 * 300_000L);
    assertThat(candles.getJsonObject(2).getBoolean("closed")).isFalse();
    assertThat(candles.getJsonObject(2).getLong("trades")).isEqualTo(14L);
    assertThat(candles.getJsonObject(2).getLong("unix_timestamp"))
        .isEqualTo((T0 + 4 * 300_000L) / 1000);

    agg.publish(candle("BTCUSD", Timeframe.M5, T0 + 4 * 300_000L, 15, false));
    JsonObject u = ws.next();
    assertThat(u.getString("type")).isEqualTo("candle");
    assertThat(u.getLong("t")).isEqualTo(T0 + 4 * 300_000L);
    assertThat(u.getLong("trades")).isEqualTo(15L);
  }

  @Test
  void unsubscribeListPingHeartbeat(Vertx vertx) throws Exception {
    start(vertx);
    WsProbe ws = connect();
    ws.send(sub("BTCUSD", "1m", 1).encode());
    ws.nextOfType("snapshot");
    ws.send(sub("ETHUSD", "1h", null).put("throttleMs", 500).encode());
    ws.nextOfType("snapshot");
    agg.publishTicker(FakeAggregator.ticker("BTCUSD", 101, T0));
    ws.send(
        new JsonObject()
            .put("type", "subscribe")
            .put("channel", "ticker")
            .put("symbol", "BTCUSD")
            .encode());
    ws.nextOfType("ticker");

    JsonObject list = ws.command(new JsonObject().put("type", "list").put("id", "L"));
    assertThat(list)
        .isEqualTo(
            new JsonObject()
                .put("type", "subscriptions")
                .put(
                    "subscriptions",
                    new JsonArray()
                        .add(
                            new JsonObject()
                                .put("channel", "candles")
                                .put("symbol", "BTCUSD")
                                .put("tf", "1m"))
                        .add(
                            new JsonObject()
                                .put("channel", "candles")
                                .put("symbol", "ETHUSD")
                                .put("tf", "1h")
                                .put("throttleMs", 500))
                        .add(new JsonObject().put("channel", "ticker").put("symbol", "BTCUSD")))
                .put("id", "L"));

    JsonObject pong = ws.command(new JsonObject().put("type", "ping").put("id", 5));
    assertThat(pong.getString("type")).isEqualTo("pong");
    assertThat(pong.getInteger("id")).isEqualTo(5);
    assertThat(pong.getLong("timestamp"))
        .isCloseTo(System.currentTimeMillis(), org.assertj.core.data.Offset.offset(10_000L));
    JsonObject hb = ws.command(new JsonObject().put("type", "heartbeat"));
    assertThat(hb.getString("type")).isEqualTo("heartbeat");
    assertThat(hb.getString("status")).isEqualTo("ack");
    assertThat(hb.getLong("timestamp")).isPositive();

    assertThat(
            ws.command(
                new JsonObject()
                    .put("type", "unsubscribe")
                    .put("symbol", "ETHUSD")
                    .put("tf", "1h")
                    .put("id", 9)))
        .isEqualTo(
            new JsonObject()
                .put("type", "subscription")
                .put("status", "unsubscribed")
                .put("symbol", "ETHUSD")
                .put("tf", "1h")
                .put("id", 9));
    assertThat(
            ws.command(
                new JsonObject()
                    .put("type", "unsubscribe")
                    .put("channel", "ticker")
                    .put("symbol", "BTCUSD")))
        .isEqualTo(
            new JsonObject()
                .put("type", "subscription")
                .put("status", "unsubscribed")
                .put("channel", "ticker")
                .put("symbol", "BTCUSD"));
    assertThat(
            ws.command(new JsonObject().put("type", "unsubscribe").put("all", true).put("id", 10)))
        .isEqualTo(
            new JsonObject()
                .put("type", "subscription")
                .put("status", "unsubscribed")
                .put("all", true)
                .put("count", 1)
                .put("id", 10));
    assertThat(gateway.hub().activeSeries()).isZero();
    assertThat(ws.command(new JsonObject().put("type", "list")).getJsonArray("subscriptions"))
        .isEmpty();
  }

  @Test
  void tickerChannelSendsTheCurrentTickerThenUpdates(Vertx vertx) throws Exception {
    start(vertx);
    agg.publishTicker(FakeAggregator.ticker("ETHUSD", 101.5, T0));
    agg.sync();
    WsProbe ws = connect();
    ws.send(
        new JsonObject()
            .put("type", "subscribe")
            .put("channel", "ticker")
            .put("symbol", "ethusd")
            .put("id", 3)
            .encode());
    assertThat(ws.next())
        .isEqualTo(
            new JsonObject()
                .put("type", "subscription")
                .put("status", "subscribed")
                .put("channel", "ticker")
                .put("symbol", "ETHUSD")
                .put("id", 3));
    JsonObject t = ws.next();
    assertThat(t.getString("type")).isEqualTo("ticker");
    assertThat(t.getDouble("last")).isEqualTo(101.5);
    assertThat(t.fieldNames())
        .contains(
            "symbol", "last", "open24h", "change", "changePct", "high", "low", "volume", "time");
    agg.publishTicker(FakeAggregator.ticker("ETHUSD", 102.0, T0 + 250));
    assertThat(ws.next().getDouble("last")).isEqualTo(102.0);

    // unknown symbol: the ticker tier says 404
    ws.send(
        new JsonObject()
            .put("type", "subscribe")
            .put("channel", "ticker")
            .put("symbol", "NOPE")
            .put("id", 4)
            .encode());
    JsonObject e = ws.next();
    assertCode(e, ErrorCodes.UNKNOWN_SYMBOL);
    assertThat(e.getInteger("id")).isEqualTo(4);
  }

  @Test
  void resumeSendsExactlyTheCandlesFromSince(Vertx vertx) throws Exception {
    start(vertx);
    for (int i = 0; i < 10; i++) {
      agg.publish(candle("BTCUSD", Timeframe.M1, T0 + i * 60_000L, i + 1, i < 9));
    }
    agg.sync();
    WsProbe ws = connect();
    ws.send(sub("BTCUSD", "1m", 1).put("since", T0 + 6 * 60_000L).encode());
    ws.nextOfType("subscription");
    JsonObject snap = ws.next();
    assertThat(snap.getBoolean("recovered")).isTrue();
    List<Long> ts = new ArrayList<>();
    snap.getJsonArray("candles").forEach(o -> ts.add(((JsonObject) o).getLong("t")));
    assertThat(ts)
        .containsExactly(T0 + 6 * 60_000L, T0 + 7 * 60_000L, T0 + 8 * 60_000L, T0 + 9 * 60_000L);

    // since older than the history held: said plainly, and the plain snapshot instead
    agg.retainFrom = T0 + 5 * 60_000L;
    ws.send(sub("BTCUSD", "5m", 2).put("since", T0).encode());
    ws.nextOfType("subscription");
    JsonObject noHistory = ws.next();
    assertThat(noHistory.getBoolean("recovered")).isFalse();
    assertThat(noHistory.getJsonArray("candles")).isEmpty();
    ws.send(sub("BTCUSD", "1s", 3).put("since", T0).encode()); // nothing held at all for 1s
    ws.nextOfType("subscription");
    assertThat(ws.next().getBoolean("recovered")).isFalse();
    ws.send(sub("ETHUSD", "1m", 4).put("since", T0).encode());
    assertCode(ws.next(), ErrorCodes.TOO_MANY_SUBSCRIPTIONS);
  }

  @Test
  void throttledSubscriptionGetsTheLatestOpenValueAtMostOncePerIntervalAndEveryClose(Vertx vertx)
      throws Exception {
    start(vertx);
    WsProbe ws = connect();
    ws.send(sub("BTCUSD", "1s", 1).put("throttleMs", 300).encode());
    ws.nextOfType("snapshot");
    long start = System.nanoTime();
    for (int n = 1; n <= 50; n++) {
      agg.publish(candle("BTCUSD", Timeframe.S1, T0, n, false));
    }
    agg.publish(candle("BTCUSD", Timeframe.S1, T0, 50, true));
    agg.sync();
    List<JsonObject> got = new ArrayList<>();
    while (got.isEmpty() || !got.get(got.size() - 1).getBoolean("closed")) {
      got.add(ws.next());
    }
    // the first open update goes at once, the rest within the interval collapse; the close always
    // goes
    assertThat(got.get(0).getLong("trades")).isEqualTo(1L);
    assertThat(got.size()).isLessThanOrEqualTo(3);
    assertThat(got.get(got.size() - 1).getLong("trades")).isEqualTo(50L);
    // a pending open value is flushed after the interval
    agg.publish(candle("BTCUSD", Timeframe.S1, T0 + 1000, 1, false));
    agg.publish(candle("BTCUSD", Timeframe.S1, T0 + 1000, 2, false));
    agg.publish(candle("BTCUSD", Timeframe.S1, T0 + 1000, 3, false));
    List<Long> trades = new ArrayList<>();
    while (trades.isEmpty() || trades.get(trades.size() - 1) != 3L) {
      trades.add(ws.next().getLong("trades"));
    }
    assertThat(trades.size()).isLessThanOrEqualTo(2);
    assertThat(System.nanoTime() - start).isGreaterThan(250_000_000L);
  }

  @Test
  void everyJsonErrorCode(Vertx vertx) throws Exception {
    start(vertx);
    WsProbe ws = connect();
    assertCode(ws.command("{nope"), ErrorCodes.INVALID_JSON);
    assertCode(ws.command("[]"), ErrorCodes.INVALID_JSON);
    assertCode(ws.command("{\"id\":1}"), ErrorCodes.MISSING_FIELD);
    assertCode(ws.command("{\"type\":\"fly\",\"id\":2}"), ErrorCodes.UNKNOWN_TYPE);
    assertCode(
        ws.command("{\"type\":\"subscribe\",\"channel\":\"depth\",\"symbol\":\"BTCUSD\"}"),
        ErrorCodes.UNKNOWN_CHANNEL);
    assertCode(ws.command(sub("BTC/USD", "1m", 3)), ErrorCodes.BAD_SYMBOL);
    assertCode(ws.command(sub("BTCUSD", "2m", 4)), ErrorCodes.UNKNOWN_TIMEFRAME);
    assertCode(ws.command(sub("BTCUSD", "1m", 5).put("throttleMs", -1)), ErrorCodes.BAD_FIELD);
    JsonObject unknown = ws.command(sub("DOGEUSD", "1m", 6));
    assertCode(unknown, ErrorCodes.UNKNOWN_SYMBOL);
    assertThat(unknown.getInteger("id")).isEqualTo(6);
    assertThat(gateway.hub().activeSeries())
        .as("an unknown symbol's subscription is dropped")
        .isZero();
    assertCode(
        ws.command(
            new JsonObject().put("type", "unsubscribe").put("symbol", "BTCUSD").put("tf", "1m")),
        ErrorCodes.NOT_SUBSCRIBED);
    assertCode(
        ws.command(
            new JsonObject()
                .put("type", "unsubscribe")
                .put("channel", "ticker")
                .put("symbol", "BTCUSD")),
        ErrorCodes.NOT_SUBSCRIBED);
    ws.send(sub("BTCUSD", "1m", 7).encode());
    ws.nextOfType("snapshot");
    JsonObject again = ws.command(sub("BTCUSD", "1m", 8));
    assertCode(again, ErrorCodes.ALREADY_SUBSCRIBED);
    assertThat(again.getInteger("id")).isEqualTo(8);
    ws.send(sub("BTCUSD", "5m", 9).encode());
    ws.nextOfType("snapshot");
    ws.send(
        new JsonObject()
            .put("type", "subscribe")
            .put("channel", "ticker")
            .put("symbol", "BTCUSD")
            .encode());
    ws.nextOfType("subscription");
    assertCode(
        ws.nextOfType("error"), ErrorCodes.TICKER_UNAVAILABLE); // subscribed, but no ticker yet
    assertCode(ws.command(sub("BTCUSD", "1h", 10)), ErrorCodes.TOO_MANY_SUBSCRIPTIONS);
    assertCode(
        ws.command(
            new JsonObject()
                .put("type", "subscribe")
                .put("channel", "ticker")
                .put("symbol", "ETHUSD")),
        ErrorCodes.TOO_MANY_SUBSCRIPTIONS);
    // the text protocol's codes on the same connection
    assertCode(ws.command("   "), ErrorCodes.EMPTY_COMMAND);
    assertCode(ws.command("hello"), ErrorCodes.UNKNOWN_COMMAND);
    Await.await(ws.ws.writeBinaryMessage(io.vertx.core.buffer.Buffer.buffer("x")));
    assertCode(ws.next(), ErrorCodes.BINARY_NOT_SUPPORTED);
    assertThat(ws.ws.isClosed()).isFalse();
  }

  @Test
  void historyDownStillSubscribesAndSaysSo(Vertx vertx) throws Exception {
    start(vertx);
    Await.await(agg.close()); // no history, no tickers
    WsProbe ws = connect();
    ws.send(sub("BTCUSD", "1m", 1).encode());
    assertThat(ws.next().getString("status")).isEqualTo("subscribed");
    JsonObject e = ws.next();
    assertCode(e, ErrorCodes.HISTORY_UNAVAILABLE);
    assertThat(e.getInteger("id")).isEqualTo(1);
    vertx
        .eventBus()
        .publish(
            "candles.BTCUSD.1m", CandleCodec.toJson(candle("BTCUSD", Timeframe.M1, T0, 1, false)));
    assertThat(ws.next().getString("type")).isEqualTo("candle");
  }

  @Test
  void liveUpdatesDuringTheSnapshotAreMergedWithoutGapOrDuplicate(Vertx vertx) throws Exception {
    start(vertx);
    for (int i = 0; i < 3; i++) {
      agg.publish(candle("BTCUSD", Timeframe.S1, T0 + i * 1000L, 5, true));
    }
    agg.publish(candle("BTCUSD", Timeframe.S1, T0 + 3000, 1, false));
    agg.sync();
    // hold history replies until live updates have been published behind them
    MessageConsumer<Object> slowHistory = vertx.eventBus().consumer("candlecast.history.slow");
    slowHistory.handler(m -> {});
    List<io.vertx.core.eventbus.Message<Object>> held = new ArrayList<>();
    vertx
        .eventBus()
        .addInboundInterceptor(
            ctx -> {
              // the subscription's snapshot request (not the hub's priming of the new series)
              if ("candlecast.history".equals(ctx.message().address())
                  && ctx.message().replyAddress() != null
                  && ctx.message().body() instanceof JsonObject q
                  && q.getInteger("limit", 0) != SeriesRepair.PRIME_LIMIT
                  && held.isEmpty()) {
                held.add(null);
                // let the live stream move on before history answers
                for (int n = 2; n <= 4; n++) {
                  agg.publish(candle("BTCUSD", Timeframe.S1, T0 + 3000, n, false));
                }
                agg.publish(candle("BTCUSD", Timeframe.S1, T0 + 3000, 4, true));
                agg.publish(candle("BTCUSD", Timeframe.S1, T0 + 4000, 1, false));
                vertx.setTimer(100, t -> ctx.next());
                return;
              }
              ctx.next();
            });
    WsProbe ws = connect();
    ws.send(sub("BTCUSD", "1s", 1).encode());
    ws.nextOfType("subscription");
    JsonObject snap = ws.next();
    List<JsonObject> seen = new ArrayList<>();
    snap.getJsonArray("candles").forEach(o -> seen.add((JsonObject) o));
    while (!(seen.get(seen.size() - 1).getLong("t") == T0 + 4000)) {
      seen.add(ws.next());
    }
    // every closed candle exactly once, and versions of one window never go backwards
    List<Long> closed = new ArrayList<>();
    long lastT = Long.MIN_VALUE;
    long lastTrades = -1;
    for (JsonObject c : seen) {
      long t = c.getLong("t");
      assertThat(t).isGreaterThanOrEqualTo(lastT);
      if (t == lastT) {
        assertThat(c.getLong("trades")).isGreaterThanOrEqualTo(lastTrades);
      }
      lastT = t;
      lastTrades = c.getLong("trades");
      if (c.getBoolean("closed")) {
        closed.add(t);
      }
    }
    // the snapshot (3 newest) was taken after the stream moved on: the buffered updates were all
    // older or equal
    assertThat(closed).containsExactly(T0 + 2000, T0 + 3000);
    assertThat(held).hasSize(1);
    agg.publish(candle("BTCUSD", Timeframe.S1, T0 + 4000, 2, true));
    JsonObject next = ws.next();
    assertThat(next.getLong("t")).as("nothing buffered was sent twice").isEqualTo(T0 + 4000);
    assertThat(next.getLong("trades")).isEqualTo(2L);
    assertThat(next.getBoolean("closed")).isTrue();
  }
}
