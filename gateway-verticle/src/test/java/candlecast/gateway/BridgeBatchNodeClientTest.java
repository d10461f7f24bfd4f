package candlecast.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import candlecast.common.Candle;
import candlecast.common.CandleCodec;
import candlecast.common.Timeframe;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.io.BufferedReader;
import java.io.File;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A history batch from the official JavaScript event-bus client ({@code
 * src/test/node/bridge-batch-client.cjs}), as docs/PROTOCOL.md tells a browser to run one: its own
 * registered address receives the frames in order; the reply is the acknowledgement.
 */
@ExtendWith(VertxExtension.class)
class BridgeBatchNodeClientTest extends GatewayTestBase {

  @Test
  void theJsClientGetsTheBatchFramesOnItsOwnAddress(Vertx vertx) throws Exception {
    start(vertx, c -> c);
    assertThat(
            new File(
                BridgeNodeClientTest.NODE_DIR,
                "node_modules/@vertx/eventbus-bridge-client.js/vertx-eventbus.js"))
        .exists();
    List<Candle> btc = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      Candle c = candle("BTCUSD", Timeframe.M1, T0 + i * 60_000L, 1 + i, true);
      btc.add(c);
      agg.publish(c);
    }
    agg.sync();
    Process node =
        new ProcessBuilder(
                "node", "bridge-batch-client.cjs", "http://127.0.0.1:" + port + "/eventbus")
            .directory(BridgeNodeClientTest.NODE_DIR)
            .redirectErrorStream(true)
            .start();
    List<JsonObject> events = new ArrayList<>();
    List<String> noise = new ArrayList<>();
    try (BufferedReader r =
        new BufferedReader(new InputStreamReader(node.getInputStream(), StandardCharsets.UTF_8))) {
      String line;
      while ((line = r.readLine()) != null) {
        if (line.startsWith("{")) {
          events.add(new JsonObject(line));
        } else {
          noise.add(line);
        }
      }
    }
    assertThat(node.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(node.exitValue()).as(events + " " + noise).isZero();
    JsonObject ack = only(events, "ack");
    assertThat(ack.getValue("err")).isNull();
    assertThat(ack.getJsonObject("body"))
        .isEqualTo(
            new JsonObject()
                .put("type", "batch_started")
                .put("tf", "1m")
                .put("symbols", 3)
                .put("id", "js1"));
    JsonObject refused = only(events, "ack-no-address");
    assertThat(refused.getJsonObject("err").getInteger("failureCode")).isEqualTo(400);
    assertThat(refused.getJsonObject("err").getString("message")).contains("progressAddress");
    List<JsonObject> frames =
        events.stream()
            .filter(e -> "frame".equals(e.getString("event")))
            .map(e -> e.getJsonObject("body"))
            .toList();
    assertThat(frames)
        .extracting(f -> f.getString("type") + ":" + f.getString("symbol", ""))
        .containsExactly(
            "batch_progress:BTCUSD",
            "history:BTCUSD",
            "batch_progress:NOPE",
            "error:NOPE",
            "batch_progress:ETHUSD",
            "history:ETHUSD",
            "batch_done:");
    assertThat(frames.get(0).getString("progress")).isEqualTo("1/3");
    assertThat(frames.get(1).getJsonArray("candles"))
        .isEqualTo(CandleCodec.toJsonArray(btc.subList(1, 3)));
    assertThat(frames.get(5).getJsonArray("candles")).isEqualTo(new JsonArray());
    assertThat(frames.get(6).getInteger("ok")).isEqualTo(2);
    assertThat(frames).allSatisfy(f -> assertThat(f.getString("id")).isEqualTo("js1"));
  }

  private static JsonObject only(List<JsonObject> events, String name) {
    List<JsonObject> m = events.stream().filter(e -> name.equals(e.getString("event"))).toList();
    assertThat(m).as(name + " in " + events).hasSize(1);
    return m.get(0);
  }
}
