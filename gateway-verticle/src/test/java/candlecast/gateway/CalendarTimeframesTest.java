package candlecast.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import candlecast.common.Timeframe;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.time.Instant;
import java.time.YearMonth;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * 1w and 1M over real WebSockets: the text protocol's {@code sub-1M} (months, distinct from {@code
 * sub-1m} minutes) and a JSON subscribe to {@code 1w}, each getting its candles.
 */
@ExtendWith(VertxExtension.class)
class CalendarTimeframesTest extends GatewayTestBase {
  private static final long JAN_2024 = Instant.parse("2024-01-01T00:00:00Z").toEpochMilli();
  private static final long FEB_2024 = Instant.parse("2024-02-01T00:00:00Z").toEpochMilli();

  /** Monday 2025-12-22 and Monday 2025-12-29 (the week holding New Year 2026). */
  private static final long WEEK_1 = Instant.parse("2025-12-22T00:00:00Z").toEpochMilli();

  private static final long WEEK_2 = Instant.parse("2025-12-29T00:00:00Z").toEpochMilli();

  @Test
  void textSub1MonthGetsMonthCandlesAndSub1mStaysMinutes(Vertx vertx) throws Exception {
    start(vertx, c -> c);
    WsProbe months = connect();
    WsProbe minutes = connect();
    JsonObject ack = months.command("sub-1M");
    assertThat(ack.getString("type")).isEqualTo("subscribed");
    assertThat(ack.getString("tf")).isEqualTo("1M");
    assertThat(minutes.command("sub-1m").getString("tf")).isEqualTo("1m");
    agg.publish(candle("BTCUSD", Timeframe.MN1, FEB_2024, 7, false));
    agg.publish(candle("BTCUSD", Timeframe.M1, FEB_2024, 3, false));
    JsonObject m = months.nextMatching(j -> "candle".equals(j.getString("type")));
    assertThat(m.getString("tf")).isEqualTo("1M");
    assertThat(m.getLong("t")).isEqualTo(FEB_2024);
    assertThat(m.getLong("trades")).isEqualTo(7L);
    assertThat(m.getLong("time_window_seconds"))
        .as("February 2024 has 29 days")
        .isEqualTo(YearMonth.of(2024, 2).lengthOfMonth() * 86_400L);
    JsonObject n = minutes.nextMatching(j -> "candle".equals(j.getString("type")));
    assertThat(n.getString("tf")).isEqualTo("1m");
    assertThat(n.getLong("trades")).isEqualTo(3L);
    assertThat(months.drain())
        .as("no minute candle reaches the month subscriber")
        .noneMatch(j -> "1m".equals(j.getString("tf")));
  }

  @Test
  void jsonSubscribeToOneWeekGetsSnapshotThenUpdates(Vertx vertx) throws Exception {
    start(vertx, c -> c);
    agg.publish(candle("BTCUSD", Timeframe.W1, WEEK_1, 40, true));
    agg.publish(candle("BTCUSD", Timeframe.W1, WEEK_2, 12, false));
    agg.publish(candle("BTCUSD", Timeframe.MN1, JAN_2024, 99, false));
    agg.sync();
    WsProbe ws = connect();
    ws.send(
        new JsonObject()
            .put("type", "subscribe")
            .put("symbol", "BTCUSD")
            .put("tf", "1w")
            .put("id", 5)
            .encode());
    JsonObject ack = ws.nextOfType("subscription");
    assertThat(ack.getString("tf")).isEqualTo("1w");
    JsonObject snap = ws.nextOfType("snapshot");
    assertThat(snap.getString("tf")).isEqualTo("1w");
    assertThat(snap.getLong("time_window_seconds")).isEqualTo(7 * 86_400L);
    JsonArray candles = snap.getJsonArray("candles");
    assertThat(candles).hasSize(2);
    assertThat(candles.getJsonObject(0).getLong("t")).isEqualTo(WEEK_1);
    assertThat(candles.getJsonObject(1).getLong("t")).isEqualTo(WEEK_2);
    agg.publish(candle("BTCUSD", Timeframe.W1, WEEK_2, 13, false));
    JsonObject u = ws.nextOfType("candle");
    assertThat(u.getString("tf")).isEqualTo("1w");
    assertThat(u.getLong("t")).isEqualTo(WEEK_2);
    assertThat(u.getLong("trades")).isEqualTo(13L);
    assertThat(u.getLong("time_window_seconds")).isEqualTo(7 * 86_400L);
  }

  @Test
  void unknownCalendarSpellingsAreRejected(Vertx vertx) throws Exception {
    start(vertx, c -> c);
    WsProbe ws = connect();
    for (String bad : new String[] {"sub-1W", "sub-1mo", "sub-1y"}) {
      JsonObject e = ws.command(bad);
      assertCode(e, ErrorCodes.UNKNOWN_TIMEFRAME);
      assertThat(e.getString("message")).contains("1w, 1M");
    }
  }
}
