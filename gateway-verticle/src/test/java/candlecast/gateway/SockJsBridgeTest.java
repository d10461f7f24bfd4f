package candlecast.gateway;

import static candlecast.gateway.Await.await;
import static org.assertj.core.api.Assertions.assertThat;

import candlecast.common.Candle;
import candlecast.common.CandleCodec;
import io.vertx.core.json.JsonObject;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The SockJS event-bus bridge on {@code /eventbus}: what it lets through in each direction, and its
 * HTTP transports.
 */
class SockJsBridgeTest extends StandInTierTestBase {

  @Test
  void xhrPollAnswersSayTheConnectionCloses() throws Exception {
    // vertx-web closes the TCP connection after each poll answer; without the header keep-alive
    // clients reuse it
    var first = await(http.post(port, "127.0.0.1", "/eventbus/000/pollsess/xhr").send());
    assertThat(first.statusCode()).isEqualTo(200);
    assertThat(first.bodyAsString()).startsWith("o"); // the session's open frame
    assertThat(first.getHeader("connection")).isEqualToIgnoringCase("close");
    var send =
        await(
            http.post(port, "127.0.0.1", "/eventbus/000/pollsess/xhr_send")
                .sendBuffer(
                    io.vertx.core.buffer.Buffer.buffer("[\"{\\\"type\\\":\\\"ping\\\"}\"]")));
    assertThat(send.statusCode()).isEqualTo(204);
    assertThat(send.getHeader("connection"))
        .as("other SockJS requests keep the connection")
        .isNull();
  }

  /**
   * Week and month series are bridged under their case-sensitive labels: {@code .1M} is months,
   * {@code .1m} minutes, {@code .1W} nothing.
   */
  @Test
  void sockJsBridgeDeliversWeekAndMonthSeries() throws Exception {
    WsProbe sock = connect("/eventbus/websocket");
    for (String tf : new String[] {"1M", "1w"}) {
      sock.send(
          new JsonObject().put("type", "register").put("address", "candles.BTCUSD." + tf).encode());
    }
    sock.send(
        new JsonObject().put("type", "register").put("address", "candles.BTCUSD.1W").encode());
    assertThat(sock.next().getString("body")).isEqualTo("access_denied");
    long feb2024 = java.time.Instant.parse("2024-02-01T00:00:00Z").toEpochMilli();
    Candle month =
        new Candle("BTCUSD", candlecast.common.Timeframe.MN1, feb2024, 1, 2, 0.5, 1.5, 3, 4, false);
    publish(month);
    JsonObject rec = sock.next();
    assertThat(rec.getString("address")).isEqualTo("candles.BTCUSD.1M");
    assertThat(rec.getJsonObject("body")).isEqualTo(CandleCodec.toJson(month));
    long monday = java.time.Instant.parse("2025-12-29T00:00:00Z").toEpochMilli();
    Candle week =
        new Candle("BTCUSD", candlecast.common.Timeframe.W1, monday, 1, 2, 0.5, 1.5, 3, 4, false);
    publish(week);
    rec = sock.next();
    assertThat(rec.getString("address")).isEqualTo("candles.BTCUSD.1w");
    assertThat(rec.getJsonObject("body").getString("tf")).isEqualTo("1w");
  }

  @Test
  void sockJsBridgeDeliversPermittedSeriesAndDeniesEverythingElse() throws Exception {
    // Vert.x's raw SockJS websocket transport sends the bridge's JSON as binary frames; the probe
    // decodes them
    WsProbe sock = connect("/eventbus/websocket");
    sock.send(
        new JsonObject().put("type", "register").put("address", "candles.BTCUSD.1s").encode());
    // frames of one socket are handled in order: this denial proves the first registration is done
    sock.send(
        new JsonObject().put("type", "register").put("address", "candlecast.history").encode());
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
    sock.send(
        new JsonObject().put("type", "register").put("address", "candles.btcusd.1s").encode());
    assertThat(sock.next().getString("body")).isEqualTo("access_denied");
    sock.send(
        new JsonObject().put("type", "register").put("address", "candles.BTCUSD.2m").encode());
    assertThat(sock.next().getString("body")).isEqualTo("access_denied");
    // inbound: no publish at all, no send but the history request
    sock.send(
        new JsonObject()
            .put("type", "publish")
            .put("address", "candles.BTCUSD.1s")
            .put("body", new JsonObject())
            .encode());
    assertThat(sock.next().getString("body")).isEqualTo("rejected");
    sock.send(
        new JsonObject()
            .put("type", "send")
            .put("address", "candles.BTCUSD.1s")
            .put("body", new JsonObject())
            .put("replyAddress", "r1")
            .encode());
    assertThat(sock.next().getString("body")).isEqualTo("access_denied");
    historyResponder();
    sock.send(
        new JsonObject()
            .put("type", "send")
            .put("address", "candlecast.history")
            .put("body", new JsonObject().put("symbol", "btcusd").put("tf", "1m").put("limit", 2))
            .put("replyAddress", "r2")
            .encode());
    JsonObject reply = sock.next();
    assertThat(reply.getString("type")).isEqualTo("rec");
    assertThat(reply.getString("address")).isEqualTo("r2");
    assertThat(reply.getJsonObject("body").getJsonArray("candles")).hasSize(3);
    assertThat(historyRequests.poll(5, TimeUnit.SECONDS))
        .as("normalised by the gateway")
        .isEqualTo(new JsonObject().put("symbol", "BTCUSD").put("tf", "1m").put("limit", 2));
    sock.send(
        new JsonObject()
            .put("type", "send")
            .put("address", "candlecast.history")
            .put("body", new JsonObject().put("symbol", "eth-usd").put("tf", "5m"))
            .put("replyAddress", "r4")
            .encode());
    assertThat(sock.next().getString("address")).isEqualTo("r4");
    assertThat(historyRequests.poll(5, TimeUnit.SECONDS))
        .as("the dashed style is an alias")
        .isEqualTo(new JsonObject().put("symbol", "ETHUSD").put("tf", "5m").put("limit", 500));
    sock.send(
        new JsonObject()
            .put("type", "send")
            .put("address", "candlecast.history")
            .put("body", new JsonObject().put("symbol", "BTC_USD"))
            .put("replyAddress", "r3")
            .encode());
    assertThat(sock.next().getString("body")).isEqualTo("rejected");
    assertThat(historyRequests).isEmpty();
    assertThat(gateway.sockJsSessions()).isEqualTo(1);
  }

  /**
   * An aggregator taking over re-publishes the windows it restored (re-opened, then closed again):
   * a bridge session gets each closed window once; a gap re-marking a window partial still reaches
   * it.
   */
  @Test
  void aRepublishedWindowReachesABridgeSessionOnce() throws Exception {
    WsProbe sock = connect("/eventbus/websocket");
    sock.send(
        new JsonObject().put("type", "register").put("address", "candles.BTCUSD.1s").encode());
    sock.send(
        new JsonObject().put("type", "register").put("address", "candlecast.history").encode());
    assertThat(sock.next().getString("body")).isEqualTo("access_denied"); // registered by now
    Candle closed1 =
        new Candle("BTCUSD", candlecast.common.Timeframe.S1, T0, 1, 2, 0.5, 1.5, 3, 4, true);
    Candle closed2 =
        new Candle(
            "BTCUSD", candlecast.common.Timeframe.S1, T0 + 1_000, 1, 2, 0.5, 1.5, 3, 4, true);
    publish(closed1);
    publish(closed2);
    publish(
        new Candle(
            "BTCUSD", candlecast.common.Timeframe.S1, T0 + 1_000, 1, 2, 0.5, 1.5, 3, 2, false));
    publish(closed2);
    Candle partial1 =
        new Candle("BTCUSD", candlecast.common.Timeframe.S1, T0, 1, 2, 0.5, 1.5, 3, 4, true, true);
    publish(partial1);
    Candle closed3 =
        new Candle(
            "BTCUSD", candlecast.common.Timeframe.S1, T0 + 2_000, 1, 2, 0.5, 1.5, 3, 4, true);
    publish(closed3);
    java.util.List<JsonObject> bodies = new java.util.ArrayList<>();
    for (int i = 0; i < 4; i++) {
      bodies.add(sock.next().getJsonObject("body"));
    }
    assertThat(bodies)
        .containsExactly(
            CandleCodec.toJson(closed1),
            CandleCodec.toJson(closed2),
            CandleCodec.toJson(partial1),
            CandleCodec.toJson(closed3));
  }

  /**
   * Chaos run60's 11 bridge duplicates: a client whose session dropped registers again on a new
   * session, which knew nothing of what the old one sent, so the windows a takeover re-publishes
   * reached it twice. With {@code headers.since} the new session skips what the client has.
   */
  @Test
  void aSessionRegisteredWithSinceSkipsTheWindowsTheClientAlreadyHas() throws Exception {
    Candle first = closedAt(T0);
    Candle second = closedAt(T0 + 1_000);
    WsProbe old = connect("/eventbus/websocket");
    registerAndWait(old, new JsonObject());
    publish(first);
    publish(second);
    assertThat(old.next().getJsonObject("body")).isEqualTo(CandleCodec.toJson(first));
    assertThat(old.next().getJsonObject("body")).isEqualTo(CandleCodec.toJson(second));
    await(old.ws.close());

    // the client resumes on a new session from the first window it does not have
    WsProbe sock = connect("/eventbus/websocket");
    registerAndWait(sock, new JsonObject().put("since", String.valueOf(T0 + 2_000)));
    publish(first); // the new owner re-publishes what it restored
    publish(
        new Candle(
            "BTCUSD", candlecast.common.Timeframe.S1, T0 + 1_000, 1, 2, 0.5, 1.5, 3, 2, false));
    publish(second);
    Candle third = closedAt(T0 + 2_000);
    publish(third);
    assertThat(sock.next().getJsonObject("body")).isEqualTo(CandleCodec.toJson(third));

    // without the header a new session cannot know: the re-published window goes out
    WsProbe plain = connect("/eventbus/websocket");
    registerAndWait(plain, new JsonObject());
    publish(second);
    assertThat(plain.next().getJsonObject("body")).isEqualTo(CandleCodec.toJson(second));
  }

  @Test
  void aMalformedSinceHeaderIsRejected() throws Exception {
    WsProbe sock = connect("/eventbus/websocket");
    for (Object bad : new Object[] {"yesterday", "-5", "", 1.5, -1, new JsonObject()}) {
      sock.send(
          new JsonObject()
              .put("type", "register")
              .put("address", "candles.BTCUSD.1s")
              .put("headers", new JsonObject().put("since", bad))
              .encode());
      JsonObject e = sock.next();
      assertThat(e.getString("type")).as(String.valueOf(bad)).isEqualTo("err");
      assertThat(e.getString("body")).as(String.valueOf(bad)).isEqualTo("rejected");
    }
    // a number works as well as its string
    registerAndWait(sock, new JsonObject().put("since", T0 + 1_000));
    publish(closedAt(T0));
    Candle next = closedAt(T0 + 1_000);
    publish(next);
    assertThat(sock.next().getJsonObject("body")).isEqualTo(CandleCodec.toJson(next));
  }

  private static Candle closedAt(long t) {
    return new Candle("BTCUSD", candlecast.common.Timeframe.S1, t, 1, 2, 0.5, 1.5, 3, 4, true);
  }

  /** Registers candles.BTCUSD.1s with {@code headers}; returns once the registration is done. */
  private static void registerAndWait(WsProbe sock, JsonObject headers) throws Exception {
    sock.send(
        new JsonObject()
            .put("type", "register")
            .put("address", "candles.BTCUSD.1s")
            .put("headers", headers)
            .encode());
    // frames of one socket are handled in order: this denial proves the registration is done
    sock.send(
        new JsonObject().put("type", "register").put("address", "candlecast.history").encode());
    assertThat(sock.next().getString("body")).isEqualTo("access_denied");
  }
}
