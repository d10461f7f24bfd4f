package candlecast.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import candlecast.common.Addresses;
import candlecast.common.Timeframe;
import candlecast.common.analysis.AnalysisSpec;
import candlecast.common.config.Settings;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * {@code /ws/analysis} on a gateway node of several instances (event loops): one composer and one
 * hold per series for the whole node, the same frame for clients on every event loop; and a
 * subscribed symbol counts as one subscription against {@code gateway.max-subscriptions}.
 */
@ExtendWith(VertxExtension.class)
class AnalysisStreamNodeTest extends GatewayTestBase {
  private final List<JsonObject> opens = new CopyOnWriteArrayList<>();

  /** Answers every open with one point at T0 (patterns: none). */
  private void owner() throws Exception {
    Await.await(
        vertx
            .eventBus()
            .consumer(
                Addresses.ANALYSIS,
                msg -> {
                  JsonObject req = (JsonObject) msg.body();
                  if (req.getInteger("limit", 500) > 0) {
                    opens.add(req);
                  }
                  AnalysisSpec spec =
                      AnalysisSpec.parse(
                          req.getString("name"), req.getJsonObject("params").getMap());
                  JsonArray points = new JsonArray();
                  if (spec.kind() != AnalysisSpec.Kind.PATTERNS) {
                    JsonObject p = new JsonObject().put("t", T0).put("closed", false);
                    spec.fields().forEach(f -> p.put(f, 1.0));
                    points.add(p);
                  }
                  msg.reply(
                      new JsonObject()
                          .put("symbol", req.getString("symbol"))
                          .put("tf", req.getString("tf"))
                          .put("name", spec.kind().wire())
                          .put("key", spec.key())
                          .put("params", req.getJsonObject("params"))
                          .put("fields", new JsonArray(new ArrayList<>(spec.fields())))
                          .put("points", points));
                })
            .completion());
  }

  private static <T> T on(Context c, Supplier<T> action) throws Exception {
    CompletableFuture<T> f = new CompletableFuture<>();
    c.runOnContext(v -> f.complete(action.get()));
    return f.get(5, TimeUnit.SECONDS);
  }

  @Test
  void clientsOnEveryEventLoopShareOneComposerAndOneFrame(Vertx vertx) throws Exception {
    start(vertx, c -> c, 2);
    owner();
    List<WsProbe> clients = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      WsProbe p = open(new WebSocketConnectOptions().setURI("/ws/analysis"));
      assertThat(p.next().getString("type")).isEqualTo("connection");
      JsonObject ack = p.command(new JsonObject().put("type", "subscribe").put("symbol", "BTCUSD"));
      assertThat(ack.getString("status")).isEqualTo("subscribed");
      assertThat(p.nextOfType("data").getString("symbol")).isEqualTo("BTCUSD");
      clients.add(p);
    }
    AnalysisStreams streams = gateway.analysisStreams();
    SeriesKey key = new SeriesKey("BTCUSD", Timeframe.M1);
    assertThat(on(streams.home, () -> streams.subscriberContexts(key)))
        .as("the clients are spread over both event loops")
        .isEqualTo(2L);
    assertThat(on(streams.home, streams::composers)).isEqualTo(1);
    AnalysisHub hub = gateway.analysis();
    for (AnalysisSpec spec : AnalysisFrames.DEFAULT_SET) {
      assertThat(on(hub.home, () -> hub.holders("BTCUSD", Timeframe.M1, spec)))
          .as("holders of %s on the node", spec.key())
          .isEqualTo(1);
    }
    assertThat(opens).hasSize(AnalysisFrames.DEFAULT_SET.size());

    vertx
        .eventBus()
        .publish(
            Addresses.analysis("BTCUSD", Timeframe.M1, "rsi:14"),
            new JsonObject()
                .put("symbol", "BTCUSD")
                .put("tf", "1m")
                .put("key", "rsi:14")
                .put(
                    "points",
                    new JsonArray()
                        .add(
                            new JsonObject()
                                .put("t", T0 + 60_000L)
                                .put("closed", false)
                                .put("value", 61.5))));
    List<JsonObject> frames = new ArrayList<>();
    for (WsProbe p : clients) {
      frames.add(
          p.nextMatching(
              j ->
                  "data".equals(j.getString("type"))
                      && Double.valueOf(61.5)
                          .equals(
                              j.getJsonObject("data")
                                  .getJsonObject("technical_indicators")
                                  .getDouble("rsi_14"))));
    }
    assertThat(frames)
        .as("one frame, timestamp included, on both event loops")
        .containsOnly(frames.get(0));
  }

  @Test
  void eachSymbolIsOneSubscriptionAgainstTheLimit(Vertx vertx) throws Exception {
    start(vertx, c -> c.with(Settings.GATEWAY_MAX_SUBSCRIPTIONS, 2));
    owner();
    WsProbe p = open(new WebSocketConnectOptions().setURI("/ws/analysis"));
    p.next();
    for (String symbol : List.of("BTCUSD", "ETHUSD")) {
      JsonObject ack = p.command(new JsonObject().put("type", "subscribe").put("symbol", symbol));
      assertThat(ack.getString("status")).isEqualTo("subscribed");
      p.nextOfType("data");
    }
    p.send(new JsonObject().put("type", "subscribe").put("symbol", "SOLUSD").encode());
    JsonObject refused = p.nextOfType("error");
    assertThat(refused.getString("code")).isEqualTo(ErrorCodes.TOO_MANY_SUBSCRIPTIONS);
    assertThat(refused.getString("message")).contains("at most 2 subscriptions");
    assertThat(opens.stream().map(o -> o.getString("symbol")).distinct())
        .containsExactlyInAnyOrder("BTCUSD", "ETHUSD");
  }
}
