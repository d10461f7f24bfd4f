package candlecast.aggregator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import candlecast.common.Timeframe;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

class HistoryQueryTest {
  @Test
  void parsesDefaultsAndBounds() {
    HistoryQuery q =
        HistoryQuery.parse(new JsonObject().put("symbol", "btcusd").put("tf", "5m"), 500);
    assertThat(q)
        .isEqualTo(new HistoryQuery("BTCUSD", Timeframe.M5, Long.MIN_VALUE, Long.MAX_VALUE, 500));
    q =
        HistoryQuery.parse(
            new JsonObject()
                .put("symbol", "ETHUSD")
                .put("tf", "1s")
                .put("from", 5)
                .put("to", 9L)
                .put("limit", 3),
            500);
    assertThat(q).isEqualTo(new HistoryQuery("ETHUSD", Timeframe.S1, 5, 9, 3));
  }

  @Test
  void rejectsEachBadFieldWithAReason() {
    assertBad(null, "JSON object");
    assertBad(new JsonObject().put("tf", "1m"), "symbol");
    assertBad(new JsonObject().put("symbol", "BTC_USD").put("tf", "1m"), "symbol");
    assertBad(new JsonObject().put("symbol", "BTC--USD").put("tf", "1m"), "symbol");
    assertThat(
            HistoryQuery.parse(new JsonObject().put("symbol", "btc-usd").put("tf", "1m"), 5)
                .symbol())
        .as("the dashed style is an alias")
        .isEqualTo("BTCUSD");
    assertBad(new JsonObject().put("symbol", 7).put("tf", "1m"), "symbol");
    assertBad(new JsonObject().put("symbol", "BTCUSD").put("tf", "7m"), "unknown timeframe 7m");
    assertBad(new JsonObject().put("symbol", "BTCUSD"), "unknown timeframe null");
    assertBad(
        new JsonObject().put("symbol", "BTCUSD").put("tf", "1m").put("from", "yesterday"),
        "from must be an integer");
    assertBad(
        new JsonObject().put("symbol", "BTCUSD").put("tf", "1m").put("from", 10).put("to", 5),
        "from must not be after to");
    assertBad(
        new JsonObject().put("symbol", "BTCUSD").put("tf", "1m").put("limit", 0),
        "limit must be 1..");
    assertBad(
        new JsonObject().put("symbol", "BTCUSD").put("tf", "1m").put("limit", 1_000_000),
        "limit must be 1..");
    assertBad(
        new JsonObject().put("symbol", "BTCUSD").put("tf", "1m").put("limit", 2.5),
        "limit must be an integer");
  }

  private static void assertBad(JsonObject body, String reason) {
    assertThatThrownBy(() -> HistoryQuery.parse(body, 500))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(reason);
  }
}
