package candlecast.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import candlecast.common.Candle;
import candlecast.common.CandleCodec;
import candlecast.common.Timeframe;
import candlecast.common.config.Settings;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A partial candle (its window overlaps a gap of the trade log) shows {@code "partial":true} on
 * every surface — text and JSON {@code /ws} frames and snapshots, the SockJS bridge, {@code
 * /api/candles} — and nothing changes for the others.
 */
@ExtendWith(VertxExtension.class)
class PartialCandlesTest extends GatewayTestBase {

  private static Candle partial(Candle c) {
    return new Candle(
        c.symbol(),
        c.tf(),
        c.openTime(),
        c.open(),
        c.high(),
        c.low(),
        c.close(),
        c.volume(),
        c.trades(),
        c.closed(),
        true);
  }

  @Test
  void textFramesSayPartialOnlyWhenItIs(Vertx vertx) throws Exception {
    start(vertx, c -> c);
    WsProbe ws = connect();
    assertThat(ws.command("sub-1m").getString("type")).isEqualTo("subscribed");
    Candle open = candle("BTCUSD", Timeframe.M1, T0, 3, false);
    agg.publish(open);
    JsonObject whole = ws.next();
    assertThat(whole).isEqualTo(Frames.candleUpdateJson(open));
    assertThat(whole.containsKey("partial")).isFalse();
    Candle closed = partial(candle("BTCUSD", Timeframe.M1, T0, 3, true));
    agg.publish(closed);
    JsonObject marked = ws.next();
    assertThat(marked.getBoolean("partial")).isTrue();
    assertThat(marked.getBoolean("closed")).isTrue();
    assertThat(marked).isEqualTo(Frames.candleUpdateJson(closed));
  }

  /**
   * The snapshot shows which candles are partial; live updates too; and a closed candle re-emitted
   * as partial after the snapshot showed it whole reaches the client once (the seam lets it
   * through), as does an open one marked.
   */
  @Test
  void jsonSnapshotsAndUpdatesSayPartialAndTheSeamLetsAMarkThrough(Vertx vertx) throws Exception {
    start(vertx, c -> c.with(Settings.GATEWAY_SNAPSHOT_SIZE, 3));
    Candle first = candle("BTCUSD", Timeframe.M1, T0, 5, true);
    Candle second = partial(candle("BTCUSD", Timeframe.M1, T0 + 60_000, 5, true));
    Candle third = candle("BTCUSD", Timeframe.M1, T0 + 120_000, 2, false);
    agg.publish(first);
    agg.publish(second);
    agg.publish(third);
    agg.sync();
    WsProbe ws = connect();
    ws.send(
        new JsonObject()
            .put("type", "subscribe")
            .put("symbol", "BTCUSD")
            .put("tf", "1m")
            .put("id", 1)
            .encode());
    ws.nextOfType("subscription");
    JsonArray snap = ws.nextOfType("snapshot").getJsonArray("candles");
    assertThat(snap)
        .containsExactly(
            Frames.snapshotElement(first),
            Frames.snapshotElement(second),
            Frames.snapshotElement(third));
    assertThat(snap.getJsonObject(0).containsKey("partial")).isFalse();
    assertThat(snap.getJsonObject(1).getBoolean("partial")).isTrue();

    agg.publish(
        partial(first)); // a gap arrived after the snapshot: the closed candle again, partial
    assertThat(ws.next()).isEqualTo(Frames.candleUpdateJson(partial(first)));
    agg.publish(partial(first)); // already shown partial: not again
    agg.publish(partial(third)); // the open candle marked, no new trade
    assertThat(ws.next()).isEqualTo(Frames.candleUpdateJson(partial(third)));
    Candle more = partial(candle("BTCUSD", Timeframe.M1, T0 + 120_000, 3, false));
    agg.publish(more);
    assertThat(ws.next()).isEqualTo(Frames.candleUpdateJson(more));
  }

  @Test
  void theSockJsBridgeCarriesTheCandleJsonWithTheFlag(Vertx vertx) throws Exception {
    start(vertx, c -> c);
    WsProbe sock = open(new WebSocketConnectOptions().setURI("/eventbus/websocket"));
    sock.send(
        new JsonObject().put("type", "register").put("address", "candles.ETHUSD.5m").encode());
    // frames of one socket are handled in order: this denial proves the registration is done
    sock.send(
        new JsonObject().put("type", "register").put("address", "candlecast.history").encode());
    assertThat(sock.next().getString("body")).isEqualTo("access_denied");
    Candle c = partial(candle("ETHUSD", Timeframe.M5, T0, 4, true));
    agg.publish(c);
    JsonObject rec = sock.next();
    assertThat(rec.getString("address")).isEqualTo("candles.ETHUSD.5m");
    assertThat(rec.getJsonObject("body")).isEqualTo(CandleCodec.toJson(c));
    assertThat(rec.getJsonObject("body").getBoolean("partial")).isTrue();
    Candle whole = candle("ETHUSD", Timeframe.M5, T0 + 300_000, 1, false);
    agg.publish(whole);
    assertThat(sock.next().getJsonObject("body").containsKey("partial")).isFalse();
  }

  @Test
  void restCandlesSayPartialOnlyWhenItIs(Vertx vertx) throws Exception {
    start(vertx, c -> c);
    Candle a = candle("BTCUSD", Timeframe.M1, T0, 2, true);
    Candle b = partial(candle("BTCUSD", Timeframe.M1, T0 + 60_000, 0, true));
    agg.publish(a);
    agg.publish(b);
    agg.sync();
    HttpResponse<Buffer> r = get("/api/candles?symbol=BTCUSD&tf=1m");
    assertThat(r.statusCode()).isEqualTo(200);
    JsonArray arr = r.bodyAsJsonArray();
    assertThat(arr).containsExactly(CandleCodec.toJson(a), CandleCodec.toJson(b));
    assertThat(arr.getJsonObject(0).containsKey("partial")).isFalse();
    assertThat(arr.getJsonObject(1).getBoolean("partial")).isTrue();
    assertThat(CandleCodec.fromJson(arr.getJsonObject(1))).isEqualTo(b);
  }
}
