package candlecast.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import candlecast.common.Addresses;
import candlecast.common.Candle;
import candlecast.common.CandleCodec;
import candlecast.common.Timeframe;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * Issue 19 on the wire: closed windows lost on the bus that history cannot give are announced to a
 * JSON-protocol client with a {@code gap} notice right before the next window, after the repair
 * asked again following a retryable failure; they are never skipped silently.
 */
class SeriesGapProtocolTest extends StandInTierTestBase {

  private static Candle closedAt(long t) {
    return new Candle("BTCUSD", Timeframe.S1, t, 1, 2, 0.5, 1.5, 3, 4, true);
  }

  @Test
  void aHoleHistoryCannotGiveIsAnnouncedBeforeTheNextWindow() throws Exception {
    AtomicInteger repairs = new AtomicInteger();
    respond(
        Addresses.HISTORY,
        msg -> {
          JsonObject req = (JsonObject) msg.body();
          if (!req.containsKey("to")) { // the subscription's snapshot
            msg.reply(
                new JsonObject()
                    .put("candles", new JsonArray().add(CandleCodec.toJson(closedAt(T0)))));
          } else if (repairs.getAndIncrement() == 0) {
            msg.fail(503, "symbol BTCUSD is being taken over by another aggregator; retry shortly");
          } else {
            msg.fail(400, "history says no"); // no retry cures this one
          }
        });
    WsProbe ws = connect("/ws");
    assertThat(ws.next().getString("type")).isEqualTo("connection");
    ws.send(
        new JsonObject()
            .put("type", "subscribe")
            .put("symbol", "BTCUSD")
            .put("tf", "1s")
            .put("id", 1)
            .encode());
    assertThat(ws.next().getString("status")).isEqualTo("subscribed");
    assertThat(ws.next().getString("type")).isEqualTo("snapshot");

    publish(closedAt(T0 + 1_000));
    publish(closedAt(T0 + 3_000)); // T0 + 2 s never arrived on the bus
    publish(closedAt(T0 + 4_000));
    JsonObject one = ws.next();
    assertThat(one.getString("type")).isEqualTo("candle");
    assertThat(one.getLong("t")).isEqualTo(T0 + 1_000);
    assertThat(ws.next())
        .isEqualTo(
            new JsonObject()
                .put("type", "gap")
                .put("channel", "candles")
                .put("symbol", "BTCUSD")
                .put("tf", "1s")
                .put("from", T0 + 2_000)
                .put("to", T0 + 3_000));
    assertThat(ws.next().getLong("t")).isEqualTo(T0 + 3_000);
    assertThat(ws.next().getLong("t")).isEqualTo(T0 + 4_000);
    assertThat(repairs.get()).isEqualTo(2); // asked again after the 503
  }
}
