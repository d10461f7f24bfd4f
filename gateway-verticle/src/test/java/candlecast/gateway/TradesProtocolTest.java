package candlecast.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import candlecast.common.TapeTrade;
import candlecast.common.config.Settings;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The trades channel of the JSON protocol over real sockets, against the {@link FakeAggregator}'s
 * tape (the oracle): snapshot, live, batching, resume, the seam, repairs of missed updates, gap
 * markers and every error.
 */
@ExtendWith(VertxExtension.class)
class TradesProtocolTest extends GatewayTestBase {
  static final int SNAPSHOT = 5;
  static final int BATCH_MAX = 3;

  private void start(Vertx vertx) throws Exception {
    start(
        vertx,
        c ->
            c.with(Settings.GATEWAY_TRADES_SNAPSHOT_SIZE, SNAPSHOT)
                .with(Settings.GATEWAY_TRADES_BATCH_MAX, BATCH_MAX)
                .with(Settings.GATEWAY_MAX_SUBSCRIPTIONS, 3));
  }

  static JsonObject sub(String symbol) {
    return new JsonObject().put("type", "subscribe").put("channel", "trades").put("symbol", symbol);
  }

  /** A trade as the protocol shows it, reduced to comparable text. */
  static String shown(JsonObject e) {
    return e.getLong("id")
        + "|"
        + e.getLong("t")
        + "|"
        + e.getDouble("p")
        + "|"
        + e.getDouble("q")
        + "|"
        + e.getString("side")
        + "|"
        + e.size();
  }

  static String shown(TapeTrade t) {
    return t.id()
        + "|"
        + t.time()
        + "|"
        + t.price()
        + "|"
        + t.amount()
        + "|"
        + t.side().wire()
        + "|5";
  }

  static List<String> shownAll(List<TapeTrade> ts) {
    return ts.stream().map(TradesProtocolTest::shown).toList();
  }

  /**
   * Reads frames until {@code n} trades came in snapshot and trades frames; fails on anything else.
   */
  static List<String> trades(WsProbe ws, int n, List<JsonObject> frames) throws Exception {
    List<String> out = new ArrayList<>();
    while (out.size() < n) {
      JsonObject f = ws.next();
      frames.add(f);
      assertThat(f.getString("type")).as(f.encode()).isIn("snapshot", "trades");
      assertThat(f.getString("symbol")).isEqualTo("BTCUSD");
      for (Object o : f.getJsonArray("trades")) {
        out.add(shown((JsonObject) o));
      }
    }
    assertThat(out).hasSize(n);
    return out;
  }

  static List<String> trades(WsProbe ws, int n) throws Exception {
    return trades(ws, n, new ArrayList<>());
  }

  static <T> List<T> tail(List<T> l, int n) {
    return l.subList(Math.max(0, l.size() - n), l.size());
  }

  @Test
  void subscribeAcksThenSnapshotThenEveryLiveTradeOnceInFramesOfTheBatch(Vertx vertx)
      throws Exception {
    start(vertx);
    List<TapeTrade> before = agg.trades("BTCUSD", 8);
    WsProbe ws = connect();
    ws.send(sub("btc-usd").put("id", 7).encode());
    assertThat(ws.next())
        .isEqualTo(
            new JsonObject()
                .put("type", "subscription")
                .put("status", "subscribed")
                .put("channel", "trades")
                .put("symbol", "BTCUSD")
                .put("batch", BATCH_MAX)
                .put("id", 7));
    JsonObject snap = ws.next();
    assertThat(snap.getString("type")).isEqualTo("snapshot");
    assertThat(snap.getString("channel")).isEqualTo("trades");
    assertThat(snap.getInteger("id")).isEqualTo(7);
    assertThat(snap.getInteger("count")).isEqualTo(SNAPSHOT);
    assertThat(snap.containsKey("recovered")).isFalse();
    assertThat(snap.getJsonArray("trades")).hasSize(BATCH_MAX);
    List<String> got = new ArrayList<>();
    snap.getJsonArray("trades").forEach(o -> got.add(shown((JsonObject) o)));
    got.addAll(trades(ws, SNAPSHOT - BATCH_MAX));
    assertThat(got)
        .as("the newest trades, oldest first")
        .isEqualTo(shownAll(tail(before, SNAPSHOT)));

    List<TapeTrade> live = agg.trades("BTCUSD", 7);
    List<JsonObject> frames = new ArrayList<>();
    assertThat(trades(ws, 7, frames)).isEqualTo(shownAll(live));
    assertThat(frames).extracting(f -> f.getJsonArray("trades").size()).containsExactly(3, 3, 1);
    assertThat(frames.get(0).fieldNames()).containsExactly("type", "symbol", "trades");

    agg.publishTapeUpdate(
        "BTCUSD", before.get(before.size() - 1).seq(), live); // published again (takeover)
    List<TapeTrade> next = agg.trades("BTCUSD", 1);
    assertThat(trades(ws, 1)).as("nothing twice").isEqualTo(shownAll(next));
  }

  @Test
  void theBatchOptionIsCappedByTheServer(Vertx vertx) throws Exception {
    start(vertx);
    WsProbe small = connect();
    small.send(sub("BTCUSD").put("batch", 2).encode());
    assertThat(small.next().getInteger("batch")).isEqualTo(2);
    assertThat(small.next().getInteger("count")).isZero();
    WsProbe big = connect();
    big.send(sub("BTCUSD").put("batch", 1_000).encode());
    assertThat(big.next().getInteger("batch")).as("server cap").isEqualTo(BATCH_MAX);
    big.next();
    List<TapeTrade> live = agg.trades("BTCUSD", 5);
    List<JsonObject> smallFrames = new ArrayList<>();
    List<JsonObject> bigFrames = new ArrayList<>();
    assertThat(trades(small, 5, smallFrames)).isEqualTo(shownAll(live));
    assertThat(trades(big, 5, bigFrames)).isEqualTo(shownAll(live));
    assertThat(smallFrames)
        .extracting(f -> f.getJsonArray("trades").size())
        .containsExactly(2, 2, 1);
    assertThat(bigFrames).extracting(f -> f.getJsonArray("trades").size()).containsExactly(3, 2);
    JsonObject list = small.command(new JsonObject().put("type", "list"));
    assertThat(list.getJsonArray("subscriptions"))
        .containsExactly(
            new JsonObject().put("channel", "trades").put("symbol", "BTCUSD").put("batch", 2));
  }

  @Test
  void resumingWithSinceGetsExactlyTheTradesAfterItOrIsToldItCannot(Vertx vertx) throws Exception {
    start(vertx);
    agg.trades("BTCUSD", 4);
    WsProbe ws = connect();
    ws.send(sub("BTCUSD").encode());
    ws.next();
    trades(ws, 4);
    List<TapeTrade> first = agg.trades("BTCUSD", 2);
    List<String> seen = trades(ws, 2);
    ws.ws.close();

    List<TapeTrade> missed = agg.trades("BTCUSD", 7); // while away
    WsProbe again = connect();
    long lastId = Long.parseLong(seen.get(seen.size() - 1).split("\\|", -1)[0]);
    assertThat(lastId).isEqualTo(first.get(1).id());
    again.send(sub("BTCUSD").put("since", lastId).put("id", "r").encode());
    again.next();
    JsonObject snap = again.next();
    assertThat(snap.getBoolean("recovered")).isTrue();
    assertThat(snap.getInteger("count")).isEqualTo(7);
    List<String> got = new ArrayList<>();
    snap.getJsonArray("trades").forEach(o -> got.add(shown((JsonObject) o)));
    got.addAll(trades(again, 7 - BATCH_MAX));
    assertThat(got).isEqualTo(shownAll(missed));
    List<TapeTrade> live = agg.trades("BTCUSD", 2);
    assertThat(trades(again, 2)).isEqualTo(shownAll(live));

    // nothing missed: an empty recovered snapshot
    WsProbe upToDate = connect();
    upToDate.send(sub("BTCUSD").put("since", live.get(1).id()).encode());
    upToDate.next();
    JsonObject none = upToDate.next();
    assertThat(none.getBoolean("recovered")).isTrue();
    assertThat(none.getJsonArray("trades")).isEmpty();

    // the trades after that id are no longer held: said plainly, with the newest trades instead
    agg.tapeFloor = live.get(0).seq();
    WsProbe late = connect();
    late.send(sub("BTCUSD").put("since", first.get(0).id()).encode());
    late.next();
    JsonObject plain = late.next();
    assertThat(plain.getBoolean("recovered")).isFalse();
    assertThat(plain.getInteger("count")).isEqualTo(1);
    assertThat(plain.getJsonArray("trades").getJsonObject(0).getLong("id"))
        .isEqualTo(live.get(1).id());
  }

  @Test
  void aResumeLongerThanTheLimitIsNotRecovered(Vertx vertx) throws Exception {
    start(
        vertx,
        c ->
            c.with(Settings.GATEWAY_TRADES_SNAPSHOT_SIZE, 2)
                .with(Settings.GATEWAY_TRADES_MAX_LIMIT, 4));
    List<TapeTrade> all = agg.trades("BTCUSD", 9);
    WsProbe ws = connect();
    ws.send(sub("BTCUSD").put("since", all.get(2).id()).encode());
    ws.next();
    JsonObject snap = ws.next();
    assertThat(snap.getBoolean("recovered")).isFalse();
    assertThat(snap.getInteger("count")).isEqualTo(2);
  }

  @Test
  void tradesPublishedWhileSubscribingArriveOnceAndInOrder(Vertx vertx) throws Exception {
    start(vertx);
    agg.trades("BTCUSD", 3);
    long timer =
        agg.run(() -> vertx.setPeriodic(1, t -> agg.append("BTCUSD", 1 + (int) (t % 2), true)));
    List<WsProbe> clients = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      WsProbe ws = connect();
      ws.send(sub("BTCUSD").put("batch", 1 + i).encode());
      clients.add(ws);
    }
    await()
        .atMost(Duration.ofSeconds(5))
        .until(() -> agg.run(() -> agg.tapes.get("BTCUSD").size()) > 150);
    agg.run(() -> vertx.cancelTimer(timer));
    List<TapeTrade> tape = agg.run(() -> List.copyOf(agg.tapes.get("BTCUSD")));
    List<String> all = shownAll(tape);
    for (WsProbe ws : clients) {
      assertThat(ws.next().getString("status")).isEqualTo("subscribed");
      JsonObject snap = ws.next();
      List<String> got = new ArrayList<>();
      snap.getJsonArray("trades").forEach(o -> got.add(shown((JsonObject) o)));
      int start = all.indexOf(got.get(0));
      got.addAll(trades(ws, all.size() - start - got.size()));
      assertThat(got)
          .as("a contiguous slice of the tape up to its end")
          .isEqualTo(all.subList(start, all.size()));
    }
  }

  @Test
  void missedUpdatesAreFetchedFromTheOwnerOrShownAsAGap(Vertx vertx) throws Exception {
    start(vertx);
    agg.trades("BTCUSD", 2);
    WsProbe ws = connect();
    ws.send(sub("BTCUSD").encode());
    ws.next();
    List<String> snap = trades(ws, 2);

    List<TapeTrade> lost = agg.trades("BTCUSD", 4, false); // the bus lost this update
    List<TapeTrade> next = agg.trades("BTCUSD", 2);
    List<TapeTrade> expected = new ArrayList<>(lost);
    expected.addAll(next);
    assertThat(trades(ws, 6)).isEqualTo(shownAll(expected));
    assertThat(agg.tradeRequests).anyMatch(r -> r.containsKey("afterSeq"));

    List<TapeTrade> gone = agg.trades("BTCUSD", 3, false);
    agg.tapeFloor = gone.get(2).seq(); // ... and the owner no longer holds it
    List<TapeTrade> after = agg.trades("BTCUSD", 1);
    JsonObject gap = ws.next();
    assertThat(gap)
        .isEqualTo(
            new JsonObject()
                .put("type", "gap")
                .put("channel", "trades")
                .put("symbol", "BTCUSD")
                .put("since", next.get(1).id()));
    assertThat(trades(ws, 1)).isEqualTo(shownAll(after));
    assertThat(snap).hasSize(2);
  }

  @Test
  void everyBadCommandGetsItsError(Vertx vertx) throws Exception {
    start(vertx);
    WsProbe ws = connect();
    assertCode(ws.command(sub("NOPE").put("id", 1)), ErrorCodes.UNKNOWN_SYMBOL);
    assertCode(ws.command(sub("B-").put("id", 2)), ErrorCodes.BAD_SYMBOL);
    assertCode(ws.command(sub("BTCUSD").put("since", -1)), ErrorCodes.BAD_FIELD);
    assertCode(ws.command(sub("BTCUSD").put("since", "12")), ErrorCodes.BAD_FIELD);
    assertCode(ws.command(sub("BTCUSD").put("batch", 0)), ErrorCodes.BAD_FIELD);
    assertCode(ws.command(sub("BTCUSD").put("batch", 2.5)), ErrorCodes.BAD_FIELD);
    JsonObject channel = ws.command(sub("BTCUSD").put("channel", "tradez"));
    assertCode(channel, ErrorCodes.UNKNOWN_CHANNEL);
    assertThat(channel.getString("message")).contains("trades");
    JsonObject notSub =
        ws.command(
            new JsonObject()
                .put("type", "unsubscribe")
                .put("channel", "trades")
                .put("symbol", "BTCUSD")
                .put("id", 3));
    assertCode(notSub, ErrorCodes.NOT_SUBSCRIBED);
    assertThat(notSub.getInteger("id")).isEqualTo(3);

    ws.send(sub("BTCUSD").encode());
    ws.next();
    ws.next();
    assertCode(ws.command(sub("BTC-USD").put("id", 4)), ErrorCodes.ALREADY_SUBSCRIBED);
    assertThat(
            ws.command(
                new JsonObject()
                    .put("type", "unsubscribe")
                    .put("channel", "trades")
                    .put("symbol", "btc-usd")
                    .put("id", 5)))
        .isEqualTo(
            new JsonObject()
                .put("type", "subscription")
                .put("status", "unsubscribed")
                .put("channel", "trades")
                .put("symbol", "BTCUSD")
                .put("id", 5));
    agg.trades("BTCUSD", 2);
    assertThat(ws.command(new JsonObject().put("type", "ping")).getString("type"))
        .as("no trades after unsubscribe")
        .isEqualTo("pong");
    assertThat(ws.command(new JsonObject().put("type", "list")).getJsonArray("subscriptions"))
        .isEqualTo(new JsonArray());
  }

  @Test
  void withoutItsOwnerASubscriptionSaysSoAndStillStreams(Vertx vertx) throws Exception {
    start(vertx);
    Await.await(agg.close());
    WsProbe ws = connect();
    ws.send(sub("BTCUSD").put("id", 9).encode());
    assertThat(ws.next().getString("status")).isEqualTo("subscribed");
    JsonObject err = ws.next();
    assertCode(err, ErrorCodes.TRADES_UNAVAILABLE);
    assertThat(err.getString("message")).contains("BTCUSD", "live trades follow");
    assertThat(err.getInteger("id")).isEqualTo(9);
    List<TapeTrade> live = List.of(new TapeTrade(40, 7, T0, 1.5, 2, candlecast.common.Side.BUY));
    agg.publishTapeUpdate("BTCUSD", 30, live);
    assertThat(trades(ws, 1)).isEqualTo(shownAll(live));
  }

  @Test
  void aClientThatStopsReadingGetsTheNewestTradesAfterAGapMarker(Vertx vertx) throws Exception {
    start(
        vertx,
        c ->
            c.with(Settings.GATEWAY_WRITE_QUEUE_BYTES, 1024)
                .with(Settings.GATEWAY_SLOW_CLIENT_MS, 60_000L)
                .with(Settings.GATEWAY_TRADES_BACKLOG, 20)
                .with(Settings.GATEWAY_TRADES_BATCH_MAX, 5));
    // a small receive buffer (no autotuning): the paused client's kernel buffers fill after ~100
    // KB, not megabytes
    WsProbe slow =
        WsProbe.connect(
            vertx.createWebSocketClient(
                new io.vertx.core.http.WebSocketClientOptions().setReceiveBufferSize(4096)),
            port);
    slow.send(sub("BTCUSD").encode());
    assertThat(slow.next().getString("status")).isEqualTo("subscribed");
    assertThat(slow.next().getInteger("count")).isZero();
    slow.ws.pause();
    await()
        .atMost(Duration.ofSeconds(30))
        .pollDelay(Duration.ZERO)
        .pollInterval(Duration.ofMillis(1))
        .pollInSameThread()
        .alias("trades dropped for the paused client")
        .until(
            () -> {
              agg.run(
                  () -> {
                    for (int k = 0; k < 100; k++) {
                      agg.append("BTCUSD", 1 + k % 7, true);
                    }
                    return null;
                  });
              return gateway.metrics().updatesDropped.sum() > 0;
            });
    agg.trades("BTCUSD", 3);
    List<TapeTrade> tape = agg.run(() -> List.copyOf(agg.tapes.get("BTCUSD")));
    long lastId = tape.get(tape.size() - 1).id();
    slow.ws.resume();

    // what the client reads adds up to the tape: trades in order, each gap naming where it starts
    // and its size
    int at = 0;
    int gaps = 0;
    int afterLastGap = 0;
    while (at < tape.size()) {
      JsonObject f = slow.next(10);
      if ("gap".equals(f.getString("type"))) {
        gaps++;
        afterLastGap = 0;
        assertThat(f.getLong("since")).isEqualTo(at == 0 ? null : tape.get(at - 1).id());
        at += f.getInteger("dropped");
        continue;
      }
      assertThat(f.getString("type")).as(f.encode()).isEqualTo("trades");
      assertThat(f.getJsonArray("trades").size()).isLessThanOrEqualTo(5);
      for (Object o : f.getJsonArray("trades")) {
        assertThat(((JsonObject) o).getLong("id")).isEqualTo(tape.get(at).id());
        at++;
        afterLastGap++;
      }
    }
    assertThat(gaps).isPositive();
    assertThat(tape.get(at - 1).id()).isEqualTo(lastId);
    assertThat(slow.ws.isClosed()).isFalse();
    // after the last gap: what was parked (at most the backlog and the newest frame), plus what
    // came after the drain
    assertThat(afterLastGap).isGreaterThan(0);
  }
}
