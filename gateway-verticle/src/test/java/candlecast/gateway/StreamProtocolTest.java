package candlecast.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import candlecast.common.Candle;
import candlecast.common.TapeTrade;
import candlecast.common.Timeframe;
import candlecast.common.config.Settings;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.junit5.VertxExtension;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * {@code /ws/stream} over real sockets against the {@link FakeAggregator}: a client written to the
 * seed's document (welcome, subscribe by symbol, data, heartbeat, ping, unsubscribe, errors) and
 * the dialect's own additions (tick and candle data, data types, timeframe), each compared with
 * what the stand-in tier published.
 */
@ExtendWith(VertxExtension.class)
class StreamProtocolTest extends GatewayTestBase {

  static JsonObject subscribe(String symbol) {
    return new JsonObject().put("type", "subscribe").put("symbol", symbol);
  }

  /** Connects to /ws/stream and checks the welcome. */
  WsProbe stream() throws Exception {
    long before = System.currentTimeMillis();
    WsProbe p = open(new WebSocketConnectOptions().setURI("/ws/stream"));
    JsonObject hello = p.next();
    assertThat(hello.fieldNames()).containsExactly("type", "status", "timestamp", "message");
    assertThat(hello.getString("type")).isEqualTo("connection");
    assertThat(hello.getString("status")).isEqualTo("connected");
    assertThat(hello.getString("message"))
        .isEqualTo("WebSocket connection established successfully");
    assertNow(hello, before);
    return p;
  }

  /** An ISO-8601 UTC timestamp with milliseconds between {@code before} and now. */
  static void assertNow(JsonObject j, long before) {
    long t = iso(j.getString("timestamp"));
    assertThat(t).as(j.encode()).isBetween(before, System.currentTimeMillis());
  }

  static long iso(String s) {
    assertThat(s).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z");
    return Instant.parse(s).toEpochMilli();
  }

  static void assertError(JsonObject e, String code, String text) {
    assertThat(e.getString("type")).as(e.encode()).isEqualTo("error");
    assertThat(e.getString("code")).as(e.encode()).isEqualTo(code);
    assertThat(e.getString("message")).contains(text);
    iso(e.getString("timestamp"));
  }

  /**
   * The next message after everything sent so far: the pong of a ping (what arrived before it is
   * returned).
   */
  static List<JsonObject> untilPong(WsProbe ws) throws Exception {
    ws.send("{\"type\":\"ping\"}");
    List<JsonObject> before = new ArrayList<>();
    while (true) {
      JsonObject j = ws.next();
      if ("pong".equals(j.getString("type"))) {
        return before;
      }
      before.add(j);
    }
  }

  /** The data message the seed documents, checked against the ticker it was made of. */
  static void assertData(JsonObject d, String symbol, JsonObject ticker, long before) {
    assertThat(d.fieldNames()).containsExactly("type", "symbol", "timestamp", "data");
    assertThat(d.getString("type")).isEqualTo("data");
    assertThat(d.getString("symbol")).isEqualTo(symbol);
    assertNow(d, before);
    JsonObject data = d.getJsonObject("data");
    assertThat(data.fieldNames()).containsExactly("price", "volume", "change", "change_percent");
    assertThat(data.getDouble("price")).isEqualTo(ticker.getDouble("last"));
    assertThat(data.getDouble("volume")).isEqualTo(ticker.getDouble("volume"));
    assertThat(data.getDouble("change")).isEqualTo(ticker.getDouble("change"));
    assertThat(data.getDouble("change_percent"))
        .isEqualTo(
            Double.parseDouble(String.format(Locale.ROOT, "%.2f", ticker.getDouble("changePct"))));
  }

  @Test
  void aClientOfTheSeedsDocumentSubscribesByDashedSymbolAndGetsDataTicksAndCandles(Vertx vertx)
      throws Exception {
    start(vertx, c -> c);
    JsonObject t0 = FakeAggregator.ticker("BTCUSD", 101.25, T0);
    agg.publishTicker(t0);
    agg.sync();
    WsProbe ws = stream();
    long before = System.currentTimeMillis();
    ws.send(subscribe("BTC-USD").encode());
    JsonObject ack = ws.next();
    assertThat(ack.fieldNames()).containsExactly("type", "status", "symbol", "timestamp");
    assertThat(ack.getString("type")).isEqualTo("subscription");
    assertThat(ack.getString("status")).isEqualTo("subscribed");
    assertThat(ack.getString("symbol")).isEqualTo("BTC-USD");
    assertNow(ack, before);
    assertData(ws.next(), "BTC-USD", t0, before); // the current price at once

    JsonObject t1 = FakeAggregator.ticker("BTCUSD", 99.5, T0 + 250);
    agg.publishTicker(t1);
    assertData(ws.nextOfType("data"), "BTC-USD", t1, before);

    List<TapeTrade> trades = agg.trades("BTCUSD", 4);
    JsonObject ticks = ws.nextOfType("tick_data");
    assertThat(ticks.getString("symbol")).isEqualTo("BTC-USD");
    assertNow(ticks, before);
    JsonArray got = ticks.getJsonObject("data").getJsonArray("ticks");
    assertThat(got).hasSize(trades.size());
    for (int i = 0; i < trades.size(); i++) {
      JsonObject g = got.getJsonObject(i);
      TapeTrade t = trades.get(i);
      assertThat(g.getLong("id")).isEqualTo(t.id());
      assertThat(g.getDouble("price")).isEqualTo(t.price());
      assertThat(g.getDouble("quantity")).isEqualTo(t.amount());
      assertThat(g.getString("side")).isEqualTo(t.side().wire());
      assertThat(iso(g.getString("timestamp"))).isEqualTo(t.time());
    }

    Candle m1 = candle("BTCUSD", Timeframe.M1, T0, 4, false);
    agg.publish(candle("BTCUSD", Timeframe.M5, T0, 4, false)); // not the timeframe subscribed
    agg.publish(m1);
    JsonObject cd = ws.nextOfType("candle_data");
    assertThat(cd.getString("symbol")).isEqualTo("BTC-USD");
    JsonObject d = cd.getJsonObject("data");
    assertThat(d.getString("timeframe")).isEqualTo("1m");
    assertThat(iso(d.getString("open_time"))).isEqualTo(m1.openTime());
    assertThat(
            List.of(
                d.getDouble("open"),
                d.getDouble("high"),
                d.getDouble("low"),
                d.getDouble("close"),
                d.getDouble("volume")))
        .containsExactly(m1.open(), m1.high(), m1.low(), m1.close(), m1.volume());
    assertThat(d.getLong("trades")).isEqualTo(m1.trades());
    assertThat(d.getBoolean("closed")).isFalse();

    agg.publishTicker(FakeAggregator.ticker("ETHUSD", 7, T0)); // another symbol
    agg.sync();
    assertThat(untilPong(ws)).as("nothing else: no 5m candle, no other symbol").isEmpty();

    JsonObject hb = ws.command("{\"type\":\"heartbeat\",\"timestamp\":1706352600.123}");
    assertThat(hb.fieldNames()).containsExactly("type", "status", "timestamp");
    assertThat(hb.getString("type")).isEqualTo("heartbeat");
    assertThat(hb.getString("status")).isEqualTo("ack");
    assertNow(hb, before);
    JsonObject pong = ws.command("{\"type\":\"ping\",\"timestamp\":1706352600.123}");
    assertThat(pong.fieldNames()).containsExactly("type", "timestamp");
    assertThat(pong.getString("type")).isEqualTo("pong");
    assertNow(pong, before);

    JsonObject off =
        ws.command(new JsonObject().put("type", "unsubscribe").put("symbol", "btc-usd"));
    assertThat(off.getString("type")).isEqualTo("subscription");
    assertThat(off.getString("status")).isEqualTo("unsubscribed");
    assertThat(off.getString("symbol")).isEqualTo("btc-usd");
    assertNow(off, before);
    assertThat(gateway.hub().activeSeries()).as("no consumer left").isZero();
    agg.publishTicker(FakeAggregator.ticker("BTCUSD", 103, T0 + 500));
    agg.trades("BTCUSD", 2);
    agg.publish(candle("BTCUSD", Timeframe.M1, T0, 6, false));
    agg.sync();
    assertThat(untilPong(ws)).as("nothing after unsubscribing").isEmpty();
  }

  @Test
  void dataTypesAndTimeframeChooseWhatComes(Vertx vertx) throws Exception {
    start(vertx, c -> c);
    WsProbe ws = stream();
    ws.send(
        subscribe("ETHUSD")
            .put("data_types", new JsonArray().add("candle_data"))
            .put("timeframe", "5m")
            .encode());
    assertThat(ws.next().getString("status")).isEqualTo("subscribed");
    assertThat(gateway.hub().activeSeries()).isEqualTo(1);
    agg.publishTicker(FakeAggregator.ticker("ETHUSD", 101, T0));
    agg.trades("ETHUSD", 3);
    agg.publish(candle("ETHUSD", Timeframe.M1, T0, 2, false));
    Candle m5 = candle("ETHUSD", Timeframe.M5, T0, 3, true);
    agg.publish(m5);
    JsonObject cd = ws.next();
    assertThat(cd.getString("type")).isEqualTo("candle_data");
    assertThat(cd.getJsonObject("data").getString("timeframe")).isEqualTo("5m");
    assertThat(cd.getJsonObject("data").getBoolean("closed")).isTrue();
    assertThat(cd.getJsonObject("data").getLong("trades")).isEqualTo(m5.trades());
    assertThat(untilPong(ws)).isEmpty();

    // market data only: no current price yet (the tier has none for the symbol) is no error;
    // updates follow
    ws.send(subscribe("BTCUSD").put("data_types", new JsonArray().add("market_data")).encode());
    assertThat(ws.next().getString("status")).isEqualTo("subscribed");
    JsonObject t = FakeAggregator.ticker("BTCUSD", 100.125, T0);
    long before = System.currentTimeMillis();
    agg.publishTicker(t);
    assertData(ws.next(), "BTCUSD", t, before);
  }

  @Test
  void tradesPublishedAgainAreNotSentTwice(Vertx vertx) throws Exception {
    start(vertx, c -> c);
    WsProbe ws = stream();
    ws.send(subscribe("BTCUSD").put("data_types", new JsonArray().add("tick_data")).encode());
    assertThat(ws.next().getString("status")).isEqualTo("subscribed");
    List<TapeTrade> first = agg.trades("BTCUSD", 3);
    assertThat(ids(ws.next()))
        .containsExactlyElementsOf(first.stream().map(TapeTrade::id).toList());
    List<TapeTrade> second = agg.trades("BTCUSD", 3);
    assertThat(ids(ws.next()))
        .containsExactlyElementsOf(second.stream().map(TapeTrade::id).toList());
    // an aggregator that took over publishes again: the same update, then one that overlaps the
    // last trade sent
    agg.publishTapeUpdate("BTCUSD", first.get(2).seq(), second);
    List<TapeTrade> overlap = new ArrayList<>(second.subList(1, 3));
    List<TapeTrade> third = agg.trades("BTCUSD", 2, false);
    overlap.addAll(third);
    agg.publishTapeUpdate("BTCUSD", second.get(0).seq(), overlap);
    assertThat(ids(ws.next()))
        .as("only the trades not sent yet")
        .containsExactlyElementsOf(third.stream().map(TapeTrade::id).toList());
    agg.sync();
    assertThat(untilPong(ws)).isEmpty();
  }

  private static List<Long> ids(JsonObject tickData) {
    assertThat(tickData.getString("type")).as(tickData.encode()).isEqualTo("tick_data");
    List<Long> out = new ArrayList<>();
    for (Object o : tickData.getJsonObject("data").getJsonArray("ticks")) {
      out.add(((JsonObject) o).getLong("id"));
    }
    return out;
  }

  @Test
  void badMessagesGetErrorsInTheSeedsShape(Vertx vertx) throws Exception {
    start(vertx, c -> c.with(Settings.GATEWAY_MAX_SUBSCRIPTIONS, 4));
    WsProbe ws = stream();
    assertError(ws.command("{not json"), ErrorCodes.INVALID_JSON, "Invalid JSON format");
    assertError(ws.command("sub-1m"), ErrorCodes.INVALID_JSON, "Invalid JSON format");
    assertError(ws.command("[]"), ErrorCodes.INVALID_JSON, "a message is a JSON object");
    assertError(
        ws.command("{\"type\":\"data\"}"), ErrorCodes.UNKNOWN_TYPE, "unknown message type 'data'");
    assertError(
        ws.command("{\"symbol\":\"BTCUSD\"}"), ErrorCodes.MISSING_FIELD, "missing field 'type'");
    assertError(ws.command("{\"type\":\"subscribe\"}"), ErrorCodes.MISSING_FIELD, "needs 'symbol'");
    assertError(ws.command(subscribe("BTC_USD")), ErrorCodes.BAD_SYMBOL, "bad symbol 'BTC_USD'");
    assertError(
        ws.command(subscribe("BTCUSD").put("data_types", new JsonArray().add("news"))),
        ErrorCodes.BAD_FIELD,
        "'data_types'");
    assertError(
        ws.command(subscribe("BTCUSD").put("timeframe", "7m")),
        ErrorCodes.UNKNOWN_TIMEFRAME,
        "'7m'");
    Await.await(ws.ws.writeBinaryMessage(Buffer.buffer(new byte[] {1, 2, 3})));
    assertError(ws.next(), ErrorCodes.BINARY_NOT_SUPPORTED, "got 3 bytes");
    assertError(
        ws.command(new JsonObject().put("type", "unsubscribe").put("symbol", "BTC-USD")),
        ErrorCodes.NOT_SUBSCRIBED,
        "not subscribed to BTC-USD");
    // the ticker tier does not know the symbol: refused, nothing kept
    assertError(ws.command(subscribe("NOPE")), ErrorCodes.UNKNOWN_SYMBOL, "unknown symbol NOPE");
    assertThat(gateway.hub().activeSeries()).isZero();

    // each data type is one subscription: 3 + 3 > 4, 3 + 1 fits
    assertThat(ws.command(subscribe("BTC-USD")).getString("status")).isEqualTo("subscribed");
    assertThat(ws.command(subscribe("BTCUSD")).getString("status"))
        .as("subscribing again is acked again")
        .isEqualTo("subscribed");
    assertError(
        ws.command(subscribe("ETHUSD")),
        ErrorCodes.TOO_MANY_SUBSCRIPTIONS,
        "it takes 3 subscriptions");
    assertThat(
            ws.command(subscribe("ETHUSD").put("data_types", new JsonArray().add("tick_data")))
                .getString("status"))
        .isEqualTo("subscribed");
    assertThat(gateway.hub().activeSeries()).isEqualTo(4);
    ws.ws.close();
    await().atMost(Duration.ofSeconds(5)).until(() -> gateway.hub().activeSeries() == 0);
  }

  @Test
  void everyClientOfOneSpellingGetsTheSameBytesFromOneConsumer(Vertx vertx) throws Exception {
    start(vertx, c -> c);
    WsProbe a = stream();
    WsProbe b = stream();
    WsProbe plain = stream();
    WsProbe json = connect(); // the JSON protocol on /ws shares the consumer
    for (WsProbe p : List.of(a, b)) {
      assertThat(
              p.command(subscribe("BTC-USD").put("data_types", new JsonArray().add("market_data")))
                  .getString("status"))
          .isEqualTo("subscribed");
    }
    assertThat(
            plain
                .command(subscribe("BTCUSD").put("data_types", new JsonArray().add("market_data")))
                .getString("symbol"))
        .isEqualTo("BTCUSD");
    json.send(
        new JsonObject()
            .put("type", "subscribe")
            .put("channel", "ticker")
            .put("symbol", "BTCUSD")
            .encode());
    json.nextOfType("subscription");
    assertCode(json.next(), ErrorCodes.TICKER_UNAVAILABLE); // no ticker yet
    TickerKey key = new TickerKey("BTCUSD");
    assertThat(gateway.hub().subscribers(key)).isEqualTo(4);
    assertThat(gateway.hub().activeSeries()).isEqualTo(1);
    JsonObject counts = get("/connections").bodyAsJsonObject();
    assertThat(
            counts.getJsonObject("series").getJsonObject("ticker.BTCUSD").getInteger("websocket"))
        .isEqualTo(4);
    assertThat(counts.getJsonObject("protocols").getInteger("websocket")).isEqualTo(4);

    long registered = gateway.hub().consumersRegistered();
    agg.publishTicker(FakeAggregator.ticker("BTCUSD", 104, T0));
    String ta = a.texts.poll(5, java.util.concurrent.TimeUnit.SECONDS);
    String tb = b.texts.poll(5, java.util.concurrent.TimeUnit.SECONDS);
    assertThat(ta).isNotNull().isEqualTo(tb);
    assertThat(plain.next().getString("symbol")).isEqualTo("BTCUSD");
    assertThat(json.next().getString("type")).isEqualTo("ticker");
    assertThat(gateway.hub().consumersRegistered()).isEqualTo(registered);
    assertThat(gateway.hub().updatesReceived()).as("one message for all four clients").isEqualTo(1);
  }

  @Test
  void testAndUpgradeRulesOfTheEndpoint(Vertx vertx) throws Exception {
    start(
        vertx,
        c ->
            c.with(Settings.GATEWAY_MESSAGES_PER_SECOND, 1.0)
                .with(Settings.GATEWAY_MESSAGES_BURST, 3)
                .with(Settings.GATEWAY_RATE_STRIKES, 2));
    long before = System.currentTimeMillis();
    HttpResponse<Buffer> test = get("/test");
    assertThat(test.statusCode()).isEqualTo(200);
    assertThat(test.getHeader("content-type")).isEqualTo("application/json");
    JsonObject body = test.bodyAsJsonObject();
    assertThat(body.getString("status")).isEqualTo("ok");
    assertThat(body.getJsonObject("endpoints").getString("stream")).isEqualTo("/ws/stream");
    assertNow(body, before);
    assertThat(get("/health").statusCode()).isEqualTo(200);
    HttpResponse<Buffer> plainGet = get("/ws/stream");
    assertThat(plainGet.statusCode()).isEqualTo(400);
    assertThat(plainGet.bodyAsJsonObject().getString("error")).contains("/ws/stream");

    // the Origin rule of /ws applies
    Throwable refused =
        Await.awaitFailure(
            wsClient.connect(
                new WebSocketConnectOptions()
                    .setHost("127.0.0.1")
                    .setPort(port)
                    .setURI("/ws/stream")
                    .putHeader("Origin", "https://evil.example")));
    assertThat(refused).isInstanceOf(io.vertx.core.http.UpgradeRejectedException.class);
    assertThat(((io.vertx.core.http.UpgradeRejectedException) refused).getStatus()).isEqualTo(403);
    WsProbe local =
        open(
            new WebSocketConnectOptions()
                .setURI("/ws/stream")
                .putHeader("Origin", "http://localhost:3000"));
    assertThat(local.next().getString("type")).isEqualTo("connection");

    // and its message rate limit, with the error in this dialect's shape
    for (int i = 0; i < 6; i++) {
      local.ws.writeTextMessage("{\"type\":\"ping\"}");
    }
    for (int i = 0; i < 3; i++) {
      assertThat(local.next().getString("type")).isEqualTo("pong");
    }
    assertError(local.next(), ErrorCodes.RATE_LIMITED, "too many messages");
    assertThat(local.awaitClosed()).isEqualTo((short) 1008);
  }

  @Test
  void jwtGuardsTheEndpointLikeWs(Vertx vertx) throws Exception {
    String secret = "test-secret-that-is-long-enough-for-hs256";
    start(vertx, c -> c.with(Settings.GATEWAY_JWT_SECRET, secret));
    Throwable refused =
        Await.awaitFailure(
            wsClient.connect(
                new WebSocketConnectOptions()
                    .setHost("127.0.0.1")
                    .setPort(port)
                    .setURI("/ws/stream")));
    assertThat(((io.vertx.core.http.UpgradeRejectedException) refused).getStatus()).isEqualTo(401);
    io.vertx.ext.auth.jwt.JWTAuth signer =
        io.vertx.ext.auth.jwt.JWTAuth.create(
            vertx,
            new io.vertx.ext.auth.jwt.JWTAuthOptions()
                .addPubSecKey(
                    new io.vertx.ext.auth.PubSecKeyOptions()
                        .setAlgorithm("HS256")
                        .setBuffer(secret)));
    String token = signer.generateToken(new JsonObject().put("sub", "seed-client"));
    WsProbe ok = open(new WebSocketConnectOptions().setURI("/ws/stream?access_token=" + token));
    assertThat(ok.next().getString("message")).isEqualTo(StreamFrames.WELCOME);
    assertThat(get("/test").statusCode()).as("like /health, for probes").isEqualTo(200);
  }
}
