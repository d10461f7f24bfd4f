package candlecast.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import candlecast.common.Timeframe;
import candlecast.common.analysis.AnalysisSpec;
import candlecast.common.config.Settings;
import io.vertx.core.Vertx;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Analysis over the SockJS event-bus bridge (raw SockJS WebSocket transport, real sockets). */
@ExtendWith(VertxExtension.class)
class AnalysisBridgeTest extends GatewayTestBase {
  private static final Timeframe TF = Timeframe.M1;
  private static final AnalysisSpec SMA3 = AnalysisSpec.parse("sma", Map.of("period", 3));
  private FakeAnalysisOwner owner;

  @BeforeEach
  void setUp(Vertx vertx) throws Exception {
    start(vertx, c -> c.with(Settings.GATEWAY_MAX_SUBSCRIPTIONS, 2));
    owner = new FakeAnalysisOwner(agg);
    for (int i = 0; i < 8; i++) {
      owner.candle(candle(i, true));
    }
    agg.sync();
  }

  private static candlecast.common.Candle candle(int i, boolean closed) {
    return candle("BTCUSD", TF, T0 + i * TF.millis(), 5 + i, closed);
  }

  private WsProbe bridge() throws Exception {
    return open(new WebSocketConnectOptions().setURI("/eventbus/websocket"));
  }

  private static String register(String address) {
    return new JsonObject().put("type", "register").put("address", address).encode();
  }

  private static String send(JsonObject body, String reply) {
    return new JsonObject()
        .put("type", "send")
        .put("address", "candlecast.analysis")
        .put("body", body)
        .put("replyAddress", reply)
        .encode();
  }

  private List<JsonObject> oracle(AnalysisSpec spec) {
    return FakeAnalysisOwner.points(owner.candles("BTCUSD", TF), spec);
  }

  @Test
  void registeringAcquiresTheSeriesAndDeliversItsUpdatesUntilUnregistered() throws Exception {
    WsProbe sock = bridge();
    sock.send(register("analysis.BTCUSD.1m.sma:3"));
    await().until(() -> gateway.analysis().activeSeries() == 1);
    assertThat(owner.active).containsKey("analysis.BTCUSD.1m.sma:3");
    // one fold batch: window 8 opens and closes, 9 opens; the owner's one message passes as is
    owner.batch(List.of(candle(8, false), candle(8, true), candle(9, false)));
    JsonObject rec = sock.next();
    assertThat(rec.getString("address")).isEqualTo("analysis.BTCUSD.1m.sma:3");
    List<JsonObject> all = oracle(SMA3);
    assertThat(rec.getJsonObject("body"))
        .isEqualTo(
            new JsonObject()
                .put("symbol", "BTCUSD")
                .put("tf", "1m")
                .put("key", "sma:3")
                .put(
                    "points",
                    new JsonArray(new ArrayList<>(all.subList(all.size() - 2, all.size())))));
    assertThat(all.get(all.size() - 1).getBoolean("closed")).isFalse();
    sock.send(
        new JsonObject()
            .put("type", "unregister")
            .put("address", "analysis.BTCUSD.1m.sma:3")
            .encode());
    await().until(() -> gateway.analysis().activeSeries() == 0);

    sock.send(register("analysis.BTCUSD.1m.risk:5"));
    await().until(() -> gateway.analysis().activeSeries() == 1);
    Await.await(sock.ws.close());
    await().until(() -> gateway.analysis().activeSeries() == 0);
  }

  @Test
  void badAddressesAndUnavailableSeriesAreRefused() throws Exception {
    WsProbe sock = bridge();
    for (String bad :
        new String[] {
          "analysis.BTCUSD.1m.sma:03", // not canonical
          "analysis.BTCUSD.1m.foo:3", // unknown indicator
          "analysis.BTCUSD.1m.sma:0", // bad period
          "analysis.XRPUSD.1m.sma:3" // unknown symbol (the owner says 404)
        }) {
      sock.send(register(bad));
      assertThat(sock.next().getString("body")).as(bad).isEqualTo("rejected");
    }
    for (String denied : new String[] {"analysis.btcusd.1m.sma:3", "analysis.BTCUSD.7m.sma:3"}) {
      sock.send(register(denied));
      assertThat(sock.next().getString("body")).as(denied).isEqualTo("access_denied");
    }
    owner.failWith = 503;
    sock.send(register("analysis.BTCUSD.1m.sma:3"));
    assertThat(sock.next().getString("body")).isEqualTo("rejected");
    owner.failWith = null;
    // max-subscriptions 2: the third registration is refused
    sock.send(register("analysis.BTCUSD.1m.sma:3"));
    sock.send(register("candles.BTCUSD.1m"));
    await().until(() -> gateway.analysis().activeSeries() == 1);
    sock.send(register("analysis.BTCUSD.1m.sma:4"));
    assertThat(sock.next().getString("body")).isEqualTo("max_handlers_reached");
    assertThat(gateway.analysis().activeSeries()).isEqualTo(1);
  }

  @Test
  void aSendToCandlecastAnalysisIsAQueryAnsweredWithTheSnapshot() throws Exception {
    WsProbe sock = bridge();
    sock.send(
        send(
            new JsonObject()
                .put("symbol", "btc-usd")
                .put("tf", "1m")
                .put("name", "SMA")
                .put("params", new JsonObject().put("period", 3))
                .put("limit", 2)
                .put("op", "open"),
            "r1"));
    JsonObject reply = sock.next();
    assertThat(reply.getString("address")).isEqualTo("r1");
    List<JsonObject> all = oracle(SMA3);
    assertThat(reply.getJsonObject("body").getJsonArray("points"))
        .isEqualTo(new JsonArray(new ArrayList<>(all.subList(all.size() - 2, all.size()))));
    JsonObject req = owner.requests.get(owner.requests.size() - 1);
    assertThat(req)
        .as("normalised, and never an open")
        .isEqualTo(
            new JsonObject()
                .put("op", "query")
                .put("symbol", "BTCUSD")
                .put("tf", "1m")
                .put("name", "sma")
                .put("params", new JsonObject().put("period", 3))
                .put("limit", 2));
    assertThat(owner.active).isEmpty();
    for (JsonObject bad :
        new JsonObject[] {
          new JsonObject().put("symbol", "BTCUSD").put("tf", "1m").put("name", "nope"),
          new JsonObject()
              .put("symbol", "BTCUSD")
              .put("tf", "1m")
              .put("name", "sma")
              .put("params", 3),
          new JsonObject()
              .put("symbol", "BTCUSD")
              .put("tf", "1m")
              .put("name", "sma")
              .put("params", new JsonObject().put("period", 100_000)),
          new JsonObject().put("symbol", "BTCUSD").put("tf", "2m").put("name", "sma"),
          new JsonObject().put("symbol", "BTC_USD").put("tf", "1m").put("name", "sma"),
          new JsonObject()
              .put("symbol", "BTCUSD")
              .put("tf", "1m")
              .put("name", "sma")
              .put("limit", 6000),
          new JsonObject()
              .put("symbol", "BTCUSD")
              .put("tf", "1m")
              .put("name", "sma")
              .put("limit", 0)
        }) {
      sock.send(send(bad, "r2"));
      assertThat(sock.next().getString("body")).as(bad.encode()).isEqualTo("rejected");
    }
  }
}
