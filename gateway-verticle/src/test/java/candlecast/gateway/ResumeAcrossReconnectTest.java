package candlecast.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import candlecast.common.Timeframe;
import candlecast.common.config.Settings;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A client streams a fast series, is cut off by a gateway restart while the series keeps moving,
 * reconnects with {@code since} and ends up with exactly the closed candles that {@code
 * /api/candles} serves: no gap, no duplicate.
 */
@ExtendWith(VertxExtension.class)
class ResumeAcrossReconnectTest extends GatewayTestBase {

  @Test
  void resumeHasNoGapAndNoDuplicate(Vertx vertx) throws Exception {
    start(vertx, c -> c.with(Settings.GATEWAY_SNAPSHOT_SIZE, 20));
    // the stream: per 1s window three open versions, the next window opens before the previous one
    // closes (grace)
    int[] state = {0, 0}; // window, trades (touched by the timer only)
    java.util.concurrent.atomic.AtomicInteger window =
        new java.util.concurrent.atomic.AtomicInteger();
    java.util.concurrent.atomic.AtomicInteger stopAt =
        new java.util.concurrent.atomic.AtomicInteger(Integer.MAX_VALUE);
    long timer =
        vertx.setPeriodic(
            2,
            id -> {
              int w = state[0];
              if (w >= stopAt.get()) {
                return;
              }
              if (state[1] < 3) {
                state[1]++;
                agg.publish(candle("BTCUSD", Timeframe.S1, T0 + w * 1000L, state[1], false));
              } else {
                agg.publish(candle("BTCUSD", Timeframe.S1, T0 + (w + 1) * 1000L, 1, false));
                agg.publish(candle("BTCUSD", Timeframe.S1, T0 + w * 1000L, 3, true));
                state[0] = w + 1;
                state[1] = 1;
                window.set(w + 1);
              }
            });
    try {
      TreeMap<Long, JsonObject> closed = new TreeMap<>();
      int[] duplicates = {0};
      WsProbe ws = connect();
      ws.send(
          new JsonObject()
              .put("type", "subscribe")
              .put("symbol", "BTCUSD")
              .put("tf", "1s")
              .encode());
      ws.nextOfType("subscription");
      JsonObject snap = ws.next();
      assertThat(snap.getString("type")).isEqualTo("snapshot");
      long first = record(snap.getJsonArray("candles"), closed, duplicates);
      while (closed.size() < 60) {
        record(new JsonArray().add(ws.next()), closed, duplicates);
      }

      restartGateway(); // every client is cut off; the stream goes on
      ws.awaitClosed();
      long since = closed.lastKey() + 1000;
      WsProbe again = connect();
      again.send(
          new JsonObject()
              .put("type", "subscribe")
              .put("symbol", "BTCUSD")
              .put("tf", "1s")
              .put("since", since)
              .encode());
      again.nextOfType("subscription");
      JsonObject resumed = again.next();
      assertThat(resumed.getBoolean("recovered")).isTrue();
      assertThat(resumed.getJsonArray("candles").getJsonObject(0).getLong("t")).isEqualTo(since);
      record(resumed.getJsonArray("candles"), closed, duplicates);
      while (closed.size() < 160) {
        record(new JsonArray().add(again.next()), closed, duplicates);
      }
      stopAt.set(window.get() + 5);
      long last = T0 + (stopAt.get() - 1) * 1000L;
      while (!closed.containsKey(last)) {
        String t = again.texts.poll(10, TimeUnit.SECONDS);
        assertThat(t).as("stream continues").isNotNull();
        record(new JsonArray().add(new JsonObject(t)), closed, duplicates);
      }

      JsonArray served =
          get("/api/candles?symbol=BTCUSD&tf=1s&limit=5000&from=" + first).bodyAsJsonArray();
      List<Long> servedClosed = new ArrayList<>();
      for (Object o : served) {
        JsonObject c = (JsonObject) o;
        if (c.getBoolean("x") && c.getLong("t") <= last) {
          servedClosed.add(c.getLong("t"));
          JsonObject mine = closed.get(c.getLong("t"));
          assertThat(mine).as("closed candle " + c.getLong("t")).isNotNull();
          assertThat(mine.getDouble("close")).isEqualTo(c.getDouble("c"));
          assertThat(mine.getLong("trades")).isEqualTo(c.getLong("n"));
        }
      }
      assertThat(new ArrayList<>(closed.keySet())).as("no gap").isEqualTo(servedClosed);
      assertThat(duplicates[0]).as("no duplicate").isZero();
      assertThat(servedClosed.size()).isGreaterThan(150);
    } finally {
      vertx.cancelTimer(timer);
    }
  }

  /** Records closed candles (counting duplicates); returns the first open time seen. */
  private static long record(JsonArray frames, Map<Long, JsonObject> closed, int[] duplicates) {
    long first = Long.MAX_VALUE;
    for (Object o : frames) {
      JsonObject c = (JsonObject) o;
      if (c.containsKey("type") && !"candle".equals(c.getString("type"))) {
        continue;
      }
      long t = c.getLong("t");
      first = Math.min(first, t);
      if (c.getBoolean("closed")) {
        if (closed.put(t, c) != null) {
          duplicates[0]++;
        }
      }
    }
    return first;
  }
}
