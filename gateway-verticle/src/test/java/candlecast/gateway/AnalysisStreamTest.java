package candlecast.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import candlecast.common.Addresses;
import candlecast.common.Timeframe;
import candlecast.common.analysis.AnalysisSpec;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * {@code /ws/analysis} over real sockets, through the gateway's analysis hub, against a stand-in
 * for the series' owner on {@code candlecast.analysis} (the aggregator side is another part of
 * issue 16): the seed document's client (welcome, subscribe by symbol, data with {@code
 * data.technical_indicators} and {@code data.patterns}, heartbeat, ping, unsubscribe, errors), one
 * acquisition per series however many clients, and coalescing.
 */
class AnalysisStreamTest extends StandInTierTestBase {
  /** The seed's names in technical_indicators → (series key, point field). */
  private static final String[][] SEED_NAMES = {
    {"sma_20", "sma:20", "value"},
    {"sma_50", "sma:50", "value"},
    {"ema_12", "ema:12", "value"},
    {"ema_26", "ema:26", "value"},
    {"rsi_14", "rsi:14", "value"},
    {"macd.macd", "macd:12:26:9", "macd"},
    {"macd.signal", "macd:12:26:9", "signal"},
    {"macd.histogram", "macd:12:26:9", "hist"},
    {"bollinger_bands.upper", "bb:20:2", "upper"},
    {"bollinger_bands.middle", "bb:20:2", "middle"},
    {"bollinger_bands.lower", "bb:20:2", "lower"},
    {"atr_14", "atr:14", "value"},
    {"stochastic.k", "stoch:14:3", "k"},
    {"stochastic.d", "stoch:14:3", "d"},
    {"vwap", "vwap", "value"},
    {"obv", "obv", "value"},
  };

  /** The owner's side: answers {@code open}, records each; its series' newest points. */
  private final List<JsonObject> opens = new CopyOnWriteArrayList<>();

  private final Map<String, JsonObject> newest = new ConcurrentHashMap<>();

  private void owner() {
    respond(
        Addresses.ANALYSIS,
        msg -> {
          JsonObject req = (JsonObject) msg.body();
          if (!"open".equals(req.getString("op"))) {
            msg.fail(400, "stand-in answers open only");
            return;
          }
          String symbol = req.getString("symbol");
          if ("NOPE".equals(symbol)) {
            msg.fail(404, "unknown symbol NOPE");
            return;
          }
          if ("CAPPED".equals(symbol)) {
            msg.fail(429, "too many analysis series on this node (max 5)");
            return;
          }
          if (req.getInteger("limit", 500) > 0) {
            opens.add(req);
          }
          AnalysisSpec spec =
              AnalysisSpec.parse(req.getString("name"), req.getJsonObject("params").getMap());
          msg.reply(
              new JsonObject()
                  .put("symbol", symbol)
                  .put("tf", req.getString("tf"))
                  .put("name", spec.kind().wire())
                  .put("key", spec.key())
                  .put("params", req.getJsonObject("params"))
                  .put("fields", new JsonArray(new ArrayList<>(spec.fields())))
                  .put("points", snapshot(spec, req.getInteger("limit", 500))));
        });
  }

  /** Each indicator's snapshot: one point at T0; the patterns' the newest of 12 detections. */
  private JsonArray snapshot(AnalysisSpec spec, int limit) {
    JsonArray points = new JsonArray();
    if (spec.kind() == AnalysisSpec.Kind.PATTERNS) {
      for (int i = 0; i < 12; i++) {
        points.add(detection(T0 - (12 - i) * 60_000L, i % 2 == 0 ? "doji" : "hammer"));
      }
    } else {
      points.add(point(spec.key(), T0, 1));
    }
    int from = Math.max(0, points.size() - limit);
    return new JsonArray(new ArrayList<>(points.getList().subList(from, points.size())));
  }

  private static JsonObject detection(long t, String pattern) {
    return new JsonObject()
        .put("t", t)
        .put("closed", true)
        .put("pattern", pattern)
        .put("direction", "neutral")
        .put("inputs", new JsonObject().put("open", 1.0).put("close", 1.0));
  }

  /** A point whose values derive from the key, the field and {@code round}. */
  private JsonObject point(String key, long t, int round) {
    AnalysisSpec spec = AnalysisSpec.fromKey(key);
    JsonObject p = new JsonObject().put("t", t).put("closed", false);
    int f = 0;
    for (String field : spec.fields()) {
      p.put(field, key.hashCode() % 1000 + 0.25 * f++ + 1000.0 * round);
    }
    newest.put(key, p);
    return p;
  }

  private void publish(String symbol, Timeframe tf, String key, JsonObject fields) {
    JsonObject body = new JsonObject().put("symbol", symbol).put("tf", tf.label()).put("key", key);
    if (fields.containsKey("patterns")) { // the owner's shape: detections, or points
      body.put("patterns", fields.getJsonArray("patterns"));
    } else {
      body.put("points", new JsonArray().add(fields));
    }
    vertx.eventBus().publish(Addresses.analysis(symbol, tf, key), body);
  }

  /** A new round of points for every indicator and the risk metrics, published at {@code t}. */
  private void publishRound(String symbol, Timeframe tf, long t, int round) {
    for (AnalysisSpec s : AnalysisFrames.DEFAULT_SET) {
      if (s.kind() != AnalysisSpec.Kind.PATTERNS) {
        publish(symbol, tf, s.key(), point(s.key(), t, round));
      }
    }
  }

  private static Object at(JsonObject j, String path) {
    Object v = j;
    for (String part : path.split("\\.", -1)) {
      v = ((JsonObject) v).getValue(part);
    }
    return v;
  }

  /** The data message shows exactly the owner's newest points under the seed's names. */
  private void assertShowsNewest(JsonObject data) {
    JsonObject ti = data.getJsonObject("technical_indicators");
    for (String[] n : SEED_NAMES) {
      assertThat(at(ti, n[0])).as(n[0]).isEqualTo(newest.get(n[1]).getDouble(n[2]));
    }
    JsonObject risk = newest.get("risk:30");
    assertThat(data.getJsonObject("risk_metrics"))
        .isEqualTo(
            new JsonObject()
                .put("volatility", risk.getDouble("volatility"))
                .put("max_drawdown", risk.getDouble("max_drawdown"))
                .put("return", risk.getDouble("return"))
                .put("window", 30));
  }

  WsProbe analysis() throws Exception {
    long before = System.currentTimeMillis();
    WsProbe p = open(new WebSocketConnectOptions().setURI("/ws/analysis"));
    JsonObject hello = p.next();
    assertThat(hello.fieldNames()).containsExactly("type", "status", "timestamp", "message");
    assertThat(hello.getString("type")).isEqualTo("connection");
    assertThat(hello.getString("status")).isEqualTo("connected");
    assertThat(hello.getString("message"))
        .isEqualTo("WebSocket connection established successfully");
    assertThat(iso(hello.getString("timestamp"))).isBetween(before, System.currentTimeMillis());
    return p;
  }

  static long iso(String s) {
    assertThat(s).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z");
    return Instant.parse(s).toEpochMilli();
  }

  static JsonObject subscribe(String symbol) {
    return new JsonObject().put("type", "subscribe").put("symbol", symbol);
  }

  private static void assertError(JsonObject e, String code, String message) {
    assertThat(e.fieldNames()).containsExactly("type", "code", "message", "timestamp");
    assertThat(e.getString("type")).isEqualTo("error");
    assertThat(e.getString("code")).as(e.encode()).isEqualTo(code);
    assertThat(e.getString("message")).as(e.encode()).contains(message);
    iso(e.getString("timestamp"));
  }

  @Test
  void theSeedDocumentsClientGetsTheAnalysisOfItsSymbol() throws Exception {
    owner();
    WsProbe ws = analysis();
    // analysisWs.send(JSON.stringify({type: 'subscribe', symbol: 'RELIANCE'})) with our symbol
    JsonObject ack = ws.command(subscribe("btc-usd"));
    assertThat(ack.fieldNames()).containsExactly("type", "status", "symbol", "timestamp");
    assertThat(ack.getString("type")).isEqualTo("subscription");
    assertThat(ack.getString("status")).isEqualTo("subscribed");
    assertThat(ack.getString("symbol")).as("as the client wrote it").isEqualTo("btc-usd");
    // the current analysis follows at once: if (data.type === 'data') updateIndicators(...)
    JsonObject first = ws.next();
    assertThat(first.fieldNames()).containsExactly("type", "symbol", "timestamp", "data");
    assertThat(first.getString("type")).isEqualTo("data");
    assertThat(first.getString("symbol")).isEqualTo("btc-usd");
    iso(first.getString("timestamp"));
    JsonObject data = first.getJsonObject("data");
    assertShowsNewest(data);
    JsonArray patterns = data.getJsonArray("patterns");
    assertThat(patterns).as("the 10 newest detections").hasSize(10);
    for (int i = 0; i < 10; i++) {
      assertThat(patterns.getJsonObject(i).getLong("t"))
          .as("newest first")
          .isEqualTo(T0 - (i + 1) * 60_000L);
    }
    assertThat(data.getString("timeframe")).isEqualTo("1m");
    assertThat(iso(data.getString("candle_time"))).isEqualTo(T0);
    assertThat(opens).hasSize(AnalysisFrames.DEFAULT_SET.size());
    for (JsonObject o : opens) {
      assertThat(o.getString("symbol")).isEqualTo("BTCUSD");
      assertThat(o.getString("tf")).isEqualTo("1m");
    }

    // live: a candle update of every series, then a detection
    publishRound("BTCUSD", Timeframe.M1, T0 + 60_000L, 2);
    JsonObject live = ws.nextMatching(j -> "data".equals(j.getString("type")) && sameAsNewest(j));
    assertThat(iso(live.getJsonObject("data").getString("candle_time"))).isEqualTo(T0 + 60_000L);
    JsonObject doji = detection(T0 + 60_000L, "doji");
    publish(
        "BTCUSD",
        Timeframe.M1,
        "patterns:20",
        new JsonObject()
            .put("t", T0 + 60_000L)
            .put("closed", true)
            .put("patterns", new JsonArray().add(doji)));
    JsonObject withPattern =
        ws.nextMatching(
            j ->
                "data".equals(j.getString("type"))
                    && j.getJsonObject("data")
                        .getJsonArray("patterns")
                        .getJsonObject(0)
                        .equals(doji));
    assertThat(withPattern.getJsonObject("data").getJsonArray("patterns")).hasSize(10);

    // heartbeat, ping, unsubscribe as /ws/stream
    JsonObject hb = ws.command("{\"type\":\"heartbeat\",\"timestamp\":1706352600.123}");
    assertThat(hb.fieldNames()).containsExactly("type", "status", "timestamp");
    assertThat(hb.getString("status")).isEqualTo("ack");
    JsonObject pong = ws.command("{\"type\":\"ping\",\"timestamp\":1706352600.123}");
    assertThat(pong.fieldNames()).containsExactly("type", "timestamp");
    assertThat(pong.getString("type")).isEqualTo("pong");
    JsonObject unsub =
        ws.command(new JsonObject().put("type", "unsubscribe").put("symbol", "btc-usd"));
    assertThat(unsub.getString("type")).isEqualTo("subscription");
    assertThat(unsub.getString("status")).isEqualTo("unsubscribed");
    assertThat(unsub.getString("symbol")).isEqualTo("btc-usd");
    publishRound("BTCUSD", Timeframe.M1, T0 + 120_000L, 3);
    JsonObject after = ws.command("{\"type\":\"ping\"}");
    assertThat(after.getString("type")).as("no data after the unsubscribe").isEqualTo("pong");
  }

  private boolean sameAsNewest(JsonObject frame) {
    try {
      assertShowsNewest(frame.getJsonObject("data"));
      return true;
    } catch (AssertionError e) {
      return false;
    }
  }

  @Test
  void theTimeframeOfTheSubscribeSelectsTheSeries() throws Exception {
    owner();
    WsProbe ws = analysis();
    JsonObject ack = ws.command(subscribe("ETHUSD").put("timeframe", "5m"));
    assertThat(ack.getString("status")).isEqualTo("subscribed");
    JsonObject data = ws.nextOfType("data").getJsonObject("data");
    assertThat(data.getString("timeframe")).isEqualTo("5m");
    assertThat(opens).allSatisfy(o -> assertThat(o.getString("tf")).isEqualTo("5m"));
    assertThat(opens.stream().map(o -> o.getString("name")))
        .containsExactlyInAnyOrder(
            "sma",
            "sma",
            "ema",
            "ema",
            "rsi",
            "macd",
            "bb",
            "atr",
            "stoch",
            "vwap",
            "obv",
            "patterns",
            "risk");
  }

  @Test
  void twoClientsOnOneSymbolShareOneAcquisitionPerSeriesAndOneFrame() throws Exception {
    owner();
    WsProbe a = analysis();
    WsProbe b = analysis();
    assertThat(a.command(subscribe("BTCUSD")).getString("status")).isEqualTo("subscribed");
    a.nextOfType("data");
    assertThat(b.command(subscribe("btcusd")).getString("status")).isEqualTo("subscribed");
    b.nextOfType("data");
    WsProbe c = analysis();
    assertThat(c.command(subscribe("BTCUSD")).getString("status")).isEqualTo("subscribed");
    c.nextOfType("data");
    assertThat(opens)
        .as("one open per series on the node")
        .hasSize(AnalysisFrames.DEFAULT_SET.size());
    assertThat(opens.stream().map(o -> o.getString("name") + o.getJsonObject("params").encode()))
        .doesNotHaveDuplicates();
    publishRound("BTCUSD", Timeframe.M1, T0 + 60_000L, 2);
    JsonObject fa = a.nextMatching(this::sameAsNewest);
    JsonObject fc = c.nextMatching(this::sameAsNewest);
    JsonObject fb = b.nextMatching(this::sameAsNewest);
    assertThat(fc).as("the same frame, timestamp included").isEqualTo(fa);
    assertThat(fb.getString("symbol")).isEqualTo("btcusd");
    assertThat(fb.getString("timestamp")).isEqualTo(fa.getString("timestamp"));
    assertThat(fb.getJsonObject("data")).isEqualTo(fa.getJsonObject("data"));
    AnalysisHub hub = gateway.analysis();
    for (AnalysisSpec spec : AnalysisFrames.DEFAULT_SET) {
      assertThat(holders(hub, spec)).as("holders of %s: the one composer", spec.key()).isEqualTo(1);
    }
    for (WsProbe p : List.of(a, b, c)) {
      p.send(new JsonObject().put("type", "unsubscribe").put("symbol", "BTCUSD").encode());
    }
    await()
        .atMost(Duration.ofSeconds(5))
        .untilAsserted(() -> assertThat(hub.activeSeries()).as("all released").isZero());
  }

  private static int holders(AnalysisHub hub, AnalysisSpec spec) throws Exception {
    CompletableFuture<Integer> f = new CompletableFuture<>();
    hub.home.runOnContext(v -> f.complete(hub.holders("BTCUSD", Timeframe.M1, spec)));
    return f.get(5, TimeUnit.SECONDS);
  }

  @Test
  void updatesAreCoalescedToOneMessagePer250Ms() throws Exception {
    owner();
    WsProbe ws = analysis();
    ws.command(subscribe("BTCUSD"));
    ws.nextOfType("data");
    int n = 60;
    long[] timer = new long[1];
    int[] sent = {0};
    timer[0] =
        vertx.setPeriodic(
            10,
            id -> {
              sent[0]++;
              publish(
                  "BTCUSD",
                  Timeframe.M1,
                  "sma:20",
                  new JsonObject()
                      .put("t", T0)
                      .put("closed", false)
                      .put("value", (double) sent[0]));
              if (sent[0] == n) {
                vertx.cancelTimer(id);
              }
            });
    List<Long> arrivals = new ArrayList<>();
    double last = -1;
    long start = System.nanoTime();
    while (last != n) {
      JsonObject f = ws.nextOfType("data");
      arrivals.add(System.nanoTime());
      last = f.getJsonObject("data").getJsonObject("technical_indicators").getDouble("sma_20");
      assertThat(System.nanoTime() - start).isLessThan(TimeUnit.SECONDS.toNanos(10));
    }
    long spanMs = TimeUnit.NANOSECONDS.toMillis(arrivals.get(arrivals.size() - 1) - start);
    assertThat(arrivals.size())
        .as("%d updates in %d ms gave %d messages", n, spanMs, arrivals.size())
        .isLessThanOrEqualTo((int) (spanMs / AnalysisComposer.INTERVAL_MS) + 2)
        .isLessThan(n / 3);
    for (int i = 1; i < arrivals.size(); i++) {
      assertThat(TimeUnit.NANOSECONDS.toMillis(arrivals.get(i) - arrivals.get(i - 1)))
          .as("gap between messages %d and %d", i - 1, i)
          .isGreaterThanOrEqualTo(AnalysisComposer.INTERVAL_MS - 60);
    }
  }

  @Test
  void badMessagesAndRefusedSubscriptionsGetTheStreamErrors() throws Exception {
    owner();
    WsProbe ws = analysis();
    assertError(ws.command("not json"), ErrorCodes.INVALID_JSON, "Invalid JSON format");
    assertError(ws.command("[1,2]"), ErrorCodes.INVALID_JSON, "a message is a JSON object");
    assertError(
        ws.command("{\"symbol\":\"BTCUSD\"}"), ErrorCodes.MISSING_FIELD, "missing field 'type'");
    assertError(
        ws.command("{\"type\":\"fly\"}"), ErrorCodes.UNKNOWN_TYPE, "unknown message type 'fly'");
    assertError(
        ws.command("{\"type\":\"subscribe\"}"),
        ErrorCodes.MISSING_FIELD,
        "subscribe needs 'symbol'");
    assertError(ws.command(subscribe("BTC_USD!")), ErrorCodes.BAD_SYMBOL, "bad symbol 'BTC_USD!'");
    assertError(
        ws.command(subscribe("BTCUSD").put("timeframe", "2m")),
        ErrorCodes.UNKNOWN_TIMEFRAME,
        "unknown timeframe '2m'");
    assertError(ws.command(subscribe("nope")), ErrorCodes.UNKNOWN_SYMBOL, "unknown symbol nope");
    assertError(
        ws.command(subscribe("CAPPED")),
        ErrorCodes.ANALYSIS_UNAVAILABLE,
        "analysis of CAPPED unavailable: series cap reached: too many analysis series");
    assertError(
        ws.command(new JsonObject().put("type", "unsubscribe").put("symbol", "ETHUSD")),
        ErrorCodes.NOT_SUBSCRIBED,
        "not subscribed to ETHUSD");
    assertThat(ws.command(subscribe("BTCUSD")).getString("status")).isEqualTo("subscribed");
  }

  @Test
  void withoutAnOwnerTheAnalysisIsUnavailable() throws Exception {
    WsProbe ws = analysis();
    assertError(
        ws.command(subscribe("BTCUSD")),
        ErrorCodes.ANALYSIS_UNAVAILABLE,
        "analysis of BTCUSD unavailable");
    assertThat(ws.command("{\"type\":\"ping\"}").getString("type")).isEqualTo("pong");
  }
}
