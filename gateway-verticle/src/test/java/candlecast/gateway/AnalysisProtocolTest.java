package candlecast.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import candlecast.common.Timeframe;
import candlecast.common.analysis.AnalysisSpec;
import candlecast.common.config.Settings;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The JSON /ws analysis channels (indicator, patterns, risk) over real sockets. */
@ExtendWith(VertxExtension.class)
class AnalysisProtocolTest extends GatewayTestBase {
  private static final Timeframe TF = Timeframe.M1;
  private FakeAnalysisOwner owner;

  private void start(Vertx vertx, int maxIndicators, int maxSubscriptions) throws Exception {
    start(
        vertx,
        c ->
            c.with(Settings.GATEWAY_MAX_INDICATORS, maxIndicators)
                .with(Settings.GATEWAY_MAX_SUBSCRIPTIONS, maxSubscriptions));
    owner = new FakeAnalysisOwner(agg);
    for (int i = 0; i < 12; i++) {
      owner.candle(candle(i, true));
    }
    agg.sync();
  }

  private static candlecast.common.Candle candle(int i, boolean closed) {
    return candle("BTCUSD", TF, T0 + i * TF.millis(), 5 + i, closed);
  }

  private static JsonObject sub(String channel, String name, JsonObject params) {
    JsonObject j =
        new JsonObject()
            .put("type", "subscribe")
            .put("channel", channel)
            .put("symbol", "BTCUSD")
            .put("tf", "1m");
    if (name != null) {
      j.put("name", name);
    }
    if (params != null) {
      j.put("params", params);
    }
    return j;
  }

  private List<JsonObject> oracle(AnalysisSpec spec) {
    return FakeAnalysisOwner.points(owner.candles("BTCUSD", TF), spec);
  }

  private static JsonArray newest(List<JsonObject> all, int n) {
    return new JsonArray(new ArrayList<>(all.subList(Math.max(0, all.size() - n), all.size())));
  }

  @Test
  void indicatorAcksThenSnapshotThenLiveUpdatesEqualToTheOwnersComputation(Vertx vertx)
      throws Exception {
    start(vertx, 16, 32);
    AnalysisSpec sma3 = AnalysisSpec.parse("sma", Map.of("period", 3));
    WsProbe ws = connect();
    ws.send(
        sub("indicator", "SMA", new JsonObject().put("period", 3))
            .put("limit", 4)
            .put("id", 7)
            .encode());
    assertThat(ws.next())
        .isEqualTo(
            new JsonObject()
                .put("type", "subscription")
                .put("status", "subscribed")
                .put("channel", "indicator")
                .put("symbol", "BTCUSD")
                .put("tf", "1m")
                .put("name", "sma")
                .put("key", "sma:3")
                .put("params", new JsonObject().put("period", 3))
                .put("id", 7));
    JsonObject snap = ws.next();
    assertThat(snap.getString("type")).isEqualTo("snapshot");
    assertThat(snap.getString("channel")).isEqualTo("indicator");
    assertThat(snap.getString("key")).isEqualTo("sma:3");
    assertThat(snap.getString("name")).isEqualTo("sma");
    assertThat(snap.getJsonArray("fields")).isEqualTo(new JsonArray().add("value"));
    assertThat(snap.getInteger("id")).isEqualTo(7);
    assertThat(snap.getJsonArray("points")).isEqualTo(newest(oracle(sma3), 4));

    owner.candle(candle(12, false));
    JsonObject u = ws.next();
    JsonObject expected =
        new JsonObject()
            .put("type", "indicator")
            .put("symbol", "BTCUSD")
            .put("tf", "1m")
            .put("key", "sma:3")
            .mergeIn(oracle(sma3).get(oracle(sma3).size() - 1));
    assertThat(u).isEqualTo(expected);
    assertThat(u.getBoolean("closed")).isFalse();
    owner.candle(candle(12, true));
    assertThat(ws.next().getBoolean("closed")).isTrue();
  }

  @Test
  void patternsAndRiskChannels(Vertx vertx) throws Exception {
    start(vertx, 16, 32);
    AnalysisSpec risk = AnalysisSpec.parse("risk", Map.of("window", 5));
    AnalysisSpec pat = AnalysisSpec.parse("patterns", Map.of("lookback", 3));
    WsProbe ws = connect();
    ws.send(sub("risk", null, null).put("key", "risk:5").encode());
    assertThat(ws.next().getString("key")).isEqualTo("risk:5");
    assertThat(ws.next().getJsonArray("points")).isEqualTo(newest(oracle(risk), 500));
    ws.send(sub("patterns", null, new JsonObject().put("lookback", 3)).put("limit", 2).encode());
    JsonObject ack = ws.next();
    assertThat(ack.getString("channel")).isEqualTo("patterns");
    assertThat(ack.getString("name")).isEqualTo("patterns");
    JsonObject snap = ws.next();
    assertThat(snap.getJsonArray("fields")).isEqualTo(new JsonArray().add("patterns"));
    assertThat(snap.getJsonArray("points")).isEqualTo(newest(oracle(pat), 2)).isNotEmpty();

    owner.candle(candle(12, true));
    JsonObject r = ws.nextOfType("risk");
    assertThat(r.getDouble("return")).isEqualTo(last(oracle(risk)).getDouble("return"));
    assertThat(r.getDouble("volatility")).isEqualTo(last(oracle(risk)).getDouble("volatility"));
    JsonObject p = ws.nextOfType("patterns");
    assertThat(p.getString("key")).isEqualTo("patterns:3");
    assertThat(p.getJsonArray("patterns")).isEqualTo(new JsonArray().add(last(oracle(pat))));
  }

  @Test
  void aBatchMessageReachesClientsAsOneFramePerPointInWindowOrder(Vertx vertx) throws Exception {
    start(vertx, 16, 32);
    AnalysisSpec sma3 = AnalysisSpec.parse("sma", Map.of("period", 3));
    AnalysisSpec pat = AnalysisSpec.parse("patterns", Map.of("lookback", 3));
    WsProbe ws = connect();
    ws.send(sub("indicator", "sma", new JsonObject().put("period", 3)).put("limit", 4).encode());
    ws.nextOfType("snapshot");
    ws.send(sub("patterns", null, new JsonObject().put("lookback", 3)).put("limit", 2).encode());
    ws.nextOfType("snapshot");

    // one fold batch: windows 12 and 13 open then close, 14 stays open
    owner.batch(
        List.of(
            candle(12, false),
            candle(12, true),
            candle(13, false),
            candle(13, true),
            candle(14, false)));
    List<JsonObject> indicator = new ArrayList<>();
    List<JsonObject> patterns = new ArrayList<>();
    while (indicator.size() + patterns.size() < 5) {
      JsonObject f = ws.next();
      (f.getString("type").equals("indicator") ? indicator : patterns).add(f);
    }
    List<JsonObject> sma = oracle(sma3);
    List<JsonObject> expected = new ArrayList<>();
    for (JsonObject p : sma.subList(sma.size() - 3, sma.size())) { // 12 and 13 closed, 14 open
      expected.add(
          new JsonObject()
              .put("type", "indicator")
              .put("symbol", "BTCUSD")
              .put("tf", "1m")
              .put("key", "sma:3")
              .mergeIn(p));
    }
    assertThat(indicator).isEqualTo(expected);
    assertThat(indicator)
        .extracting(f -> f.getBoolean("closed"))
        .containsExactly(true, true, false);
    List<JsonObject> found = oracle(pat);
    List<JsonObject> expectedPatterns = new ArrayList<>();
    for (JsonObject d : found.subList(found.size() - 2, found.size())) { // one per window
      expectedPatterns.add(
          new JsonObject()
              .put("type", "patterns")
              .put("symbol", "BTCUSD")
              .put("tf", "1m")
              .put("key", "patterns:3")
              .put("t", d.getLong("t"))
              .put("closed", true)
              .put("patterns", new JsonArray().add(d)));
    }
    assertThat(expectedPatterns)
        .extracting(f -> f.getLong("t"))
        .containsExactly(T0 + 12 * TF.millis(), T0 + 13 * TF.millis());
    assertThat(patterns).isEqualTo(expectedPatterns);

    // the held points took the batch: a new subscriber's snapshot ends with it
    WsProbe late = connect();
    late.send(sub("indicator", "sma", new JsonObject().put("period", 3)).put("limit", 3).encode());
    assertThat(late.nextOfType("snapshot").getJsonArray("points")).isEqualTo(newest(sma, 3));
  }

  @Test
  void listUnsubscribeAndReleases(Vertx vertx) throws Exception {
    start(vertx, 16, 32);
    WsProbe ws = connect();
    ws.send(sub("indicator", "sma", new JsonObject().put("period", 3)).encode());
    ws.nextOfType("snapshot");
    ws.send(sub("indicator", "sma", new JsonObject().put("period", 4)).encode());
    ws.nextOfType("snapshot");
    ws.send(sub("risk", null, null).encode());
    ws.nextOfType("snapshot");
    JsonArray list = ws.command("{\"type\":\"list\"}").getJsonArray("subscriptions");
    assertThat(list)
        .contains(
            new JsonObject()
                .put("channel", "risk")
                .put("symbol", "BTCUSD")
                .put("tf", "1m")
                .put("name", "risk")
                .put("key", "risk:30")
                .put("params", new JsonObject().put("window", 30)));
    assertThat(list).hasSize(3);
    assertThat(gateway.analysis().activeSeries()).isEqualTo(3);

    JsonObject un =
        ws.command(
            sub("indicator", "sma", new JsonObject().put("period", 3)).put("type", "unsubscribe"));
    assertThat(un.getString("status")).isEqualTo("unsubscribed");
    assertThat(un.getString("key")).isEqualTo("sma:3");
    JsonObject unKey =
        ws.command(
            new JsonObject()
                .put("type", "unsubscribe")
                .put("channel", "indicator")
                .put("symbol", "BTCUSD")
                .put("tf", "1m")
                .put("key", "sma:4"));
    assertThat(unKey.getString("status")).isEqualTo("unsubscribed");
    await().until(() -> gateway.analysis().activeSeries() == 1);
    JsonObject all = ws.command("{\"type\":\"unsubscribe\",\"all\":true}");
    assertThat(all.getString("status")).isEqualTo("unsubscribed");
    await().until(() -> gateway.analysis().activeSeries() == 0);

    ws.send(sub("risk", null, null).encode());
    ws.nextOfType("snapshot");
    await().until(() -> gateway.analysis().activeSeries() == 1);
    Await.await(ws.ws.close());
    await().until(() -> gateway.analysis().activeSeries() == 0);
  }

  @Test
  void twoConnectionsShareOneSeriesAndTheSameFrameBytes(Vertx vertx) throws Exception {
    start(vertx, 16, 32);
    WsProbe a = connect();
    WsProbe b = connect();
    for (WsProbe ws : List.of(a, b)) {
      ws.send(sub("indicator", "sma", new JsonObject().put("period", 3)).encode());
      ws.nextOfType("snapshot");
    }
    assertThat(owner.opens("sma:3")).isEqualTo(1);
    owner.candle(candle(12, false));
    assertThat(a.next()).isEqualTo(b.next());
  }

  /** With two event loops (as nodes deploy the gateway) the node still follows a series once. */
  @Test
  void oneSeriesPerNodeAcrossEventLoops(Vertx vertx) throws Exception {
    start(vertx, c -> c, 2);
    owner = new FakeAnalysisOwner(agg);
    for (int i = 0; i < 5; i++) {
      owner.candle(candle(i, true));
    }
    agg.sync();
    List<WsProbe> clients = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      WsProbe ws = connect();
      ws.send(sub("indicator", "sma", new JsonObject().put("period", 2)).encode());
      ws.nextOfType("snapshot");
      clients.add(ws);
    }
    assertThat(owner.opens("sma:2")).isEqualTo(1);
    assertThat(gateway.analysis().consumersRegistered()).isEqualTo(1);
    owner.candle(candle(5, false));
    JsonObject first = clients.get(0).next();
    assertThat(first.getString("type")).isEqualTo("indicator");
    for (WsProbe ws : clients.subList(1, clients.size())) {
      assertThat(ws.next()).isEqualTo(first);
    }
  }

  private static JsonObject last(List<JsonObject> l) {
    return l.get(l.size() - 1);
  }

  @Test
  void everyBadCommandGetsItsErrorCode(Vertx vertx) throws Exception {
    start(vertx, 2, 3);
    WsProbe ws = connect();
    JsonObject period = new JsonObject().put("period", 3);
    assertCode(ws.command(sub("indicator", "foo", null)), ErrorCodes.UNKNOWN_INDICATOR);
    assertCode(ws.command(sub("indicator", "patterns", null)), ErrorCodes.UNKNOWN_INDICATOR);
    assertCode(ws.command(sub("indicator", null, null)), ErrorCodes.MISSING_FIELD);
    assertCode(ws.command(sub("indicator", "sma", null).put("params", 5)), ErrorCodes.BAD_PARAMS);
    assertCode(
        ws.command(sub("indicator", "sma", new JsonObject().put("period", 0))),
        ErrorCodes.BAD_PARAMS);
    assertCode(
        ws.command(sub("indicator", "sma", new JsonObject().put("period", 100_000))),
        ErrorCodes.BAD_PARAMS);
    assertCode(
        ws.command(sub("indicator", "sma", new JsonObject().put("length", 3))),
        ErrorCodes.BAD_PARAMS);
    assertCode(
        ws.command(sub("indicator", null, null).put("key", "sma:03")), ErrorCodes.BAD_PARAMS);
    assertCode(
        ws.command(sub("patterns", null, null).put("key", "rsi:14")), ErrorCodes.UNKNOWN_INDICATOR);
    assertCode(ws.command(sub("indicator", "sma", period).put("limit", -1)), ErrorCodes.BAD_FIELD);
    assertCode(
        ws.command(sub("indicator", "sma", period).put("tf", "7m")), ErrorCodes.UNKNOWN_TIMEFRAME);
    assertCode(
        ws.command(sub("indicator", "sma", period).put("symbol", "XRPUSD")),
        ErrorCodes.UNKNOWN_SYMBOL);
    assertCode(
        ws.command(sub("indicator", "sma", period).put("type", "unsubscribe")),
        ErrorCodes.NOT_SUBSCRIBED);

    ws.send(sub("indicator", "sma", period).encode());
    ws.nextOfType("snapshot");
    assertCode(ws.command(sub("indicator", "sma", period)), ErrorCodes.ALREADY_SUBSCRIBED);
    ws.send(sub("risk", null, null).encode());
    ws.nextOfType("snapshot");
    assertCode(ws.command(sub("patterns", null, null)), ErrorCodes.TOO_MANY_INDICATORS);
    String ticker = "{\"type\":\"subscribe\",\"channel\":\"ticker\",\"symbol\":\"%s\"}";
    ws.send(ticker.formatted("BTCUSD"));
    ws.nextOfType("subscription");
    ws.nextOfType("error"); // the fake tier holds no ticker: ticker_unavailable, updates follow
    // the two analysis subscriptions count against max-subscriptions (3) too
    assertCode(ws.command(ticker.formatted("ETHUSD")), ErrorCodes.TOO_MANY_SUBSCRIPTIONS);
    ws.command(
        "{\"type\":\"unsubscribe\",\"channel\":\"risk\",\"symbol\":\"BTCUSD\",\"tf\":\"1m\"}");
    ws.send(ticker.formatted("ETHUSD"));
    ws.nextOfType("subscription");
    ws.nextOfType("error"); // the fake tier holds no ticker: ticker_unavailable, updates follow
    assertCode(ws.command(sub("patterns", null, null)), ErrorCodes.TOO_MANY_SUBSCRIPTIONS);
    ws.command("{\"type\":\"unsubscribe\",\"all\":true}");

    owner.failWith = 503;
    JsonObject e = ws.command(sub("indicator", "sma", period));
    assertCode(e, ErrorCodes.ANALYSIS_UNAVAILABLE);
    owner.failWith = null;
    owner.active.clear(); // the leases expired
    owner.maxSeries = 0;
    e = ws.command(sub("indicator", "sma", period));
    assertCode(e, ErrorCodes.ANALYSIS_UNAVAILABLE);
    assertThat(e.getString("message")).contains("too many");
    assertThat(ws.command("{\"type\":\"list\"}").getJsonArray("subscriptions")).isEmpty();
  }
}
