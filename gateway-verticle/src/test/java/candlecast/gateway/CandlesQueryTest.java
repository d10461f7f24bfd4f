package candlecast.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CandlesQueryTest {
  private static final int MAX = 5000;

  @Test
  void defaults() {
    CandlesQuery.Ok ok = ok(Map.of("symbol", "BTCUSD"));
    assertThat(ok.request())
        .isEqualTo(new JsonObject().put("symbol", "BTCUSD").put("tf", "1m").put("limit", 500));
    assertThat(ok.limit()).isEqualTo(500);
  }

  @Test
  void defaultLimitNeverExceedsTheMaximum() {
    CandlesQuery.Result r = CandlesQuery.parse(Map.of("symbol", "BTCUSD")::get, 100);
    assertThat(((CandlesQuery.Ok) r).limit()).isEqualTo(100);
  }

  @Test
  void everyParameter() {
    CandlesQuery.Ok ok =
        ok(Map.of("symbol", "ethusd", "tf", "15m", "limit", "5000", "from", "1000", "to", "2000"));
    assertThat(ok.request())
        .isEqualTo(
            new JsonObject()
                .put("symbol", "ETHUSD")
                .put("tf", "15m")
                .put("limit", 5000)
                .put("from", 1000L)
                .put("to", 2000L));
    assertThat(ok.limit()).isEqualTo(5000);
    assertThat(ok(Map.of("symbol", "BTCUSD", "from", "5", "to", "5")).request().getLong("to"))
        .isEqualTo(5L);
    assertThat(ok(Map.of("symbol", "BTCUSD", "limit", "1")).limit()).isEqualTo(1);
  }

  @Test
  void missingOrBadSymbol() {
    assertThat(bad(Map.of())).contains("missing query parameter 'symbol'");
    assertThat(bad(Map.of("symbol", ""))).contains("missing query parameter 'symbol'");
    assertThat(bad(Map.of("symbol", "BTC_USD")))
        .isEqualTo("invalid symbol 'BTC_USD': expected 2 to 20 letters or digits");
    assertThat(bad(Map.of("symbol", "BTC--USD"))).startsWith("invalid symbol 'BTC--USD'");
  }

  @Test
  void badTimeframe() {
    assertThat(bad(Map.of("symbol", "BTCUSD", "tf", "2m")))
        .contains("unknown timeframe '2m'")
        .contains("1s, 1m");
    assertThat(bad(Map.of("symbol", "BTCUSD", "tf", ""))).contains("unknown timeframe ''");
  }

  @Test
  void badLimit() {
    assertThat(bad(Map.of("symbol", "BTCUSD", "limit", "ten")))
        .isEqualTo("limit must be a whole number, was 'ten'");
    assertThat(bad(Map.of("symbol", "BTCUSD", "limit", "0")))
        .isEqualTo("limit must be between 1 and 5000, was 0");
    assertThat(bad(Map.of("symbol", "BTCUSD", "limit", "-3"))).contains("between 1 and 5000");
    assertThat(bad(Map.of("symbol", "BTCUSD", "limit", "5001")))
        .isEqualTo("limit must be between 1 and 5000, was 5001");
    assertThat(bad(Map.of("symbol", "BTCUSD", "limit", "99999999999999999999")))
        .contains("whole number");
  }

  @Test
  void badFromTo() {
    assertThat(bad(Map.of("symbol", "BTCUSD", "from", "yesterday")))
        .contains("from must be epoch milliseconds");
    assertThat(bad(Map.of("symbol", "BTCUSD", "to", "1.5")))
        .contains("to must be epoch milliseconds");
    assertThat(bad(Map.of("symbol", "BTCUSD", "from", "-1")))
        .contains("from must be epoch milliseconds >= 0");
    assertThat(bad(Map.of("symbol", "BTCUSD", "from", "10", "to", "9")))
        .isEqualTo("from (10) is after to (9)");
  }

  @Test
  void echoedValuesAreClipped() {
    assertThat(bad(Map.of("symbol", "x".repeat(500)))).hasSizeLessThan(120);
  }

  @Test
  void candlesOfKeepsTheNewest() {
    JsonArray all = new JsonArray().add(c(1)).add(c(2)).add(c(3));
    JsonObject reply = new JsonObject().put("symbol", "BTCUSD").put("tf", "1m").put("candles", all);
    assertThat(CandlesQuery.candlesOf(reply, 5)).isEqualTo(all);
    assertThat(CandlesQuery.candlesOf(reply, 2)).isEqualTo(new JsonArray().add(c(2)).add(c(3)));
    assertThat(CandlesQuery.candlesOf(new JsonObject(), 2)).isNull();
    assertThat(CandlesQuery.candlesOf(new JsonObject().put("candles", "no"), 2)).isNull();
    assertThat(CandlesQuery.candlesOf("text", 2)).isNull();
  }

  private static JsonObject c(long t) {
    return new JsonObject().put("t", t);
  }

  private static CandlesQuery.Ok ok(Map<String, String> params) {
    CandlesQuery.Result r = CandlesQuery.parse(new HashMap<>(params)::get, MAX);
    assertThat(r).isInstanceOf(CandlesQuery.Ok.class);
    return (CandlesQuery.Ok) r;
  }

  private static String bad(Map<String, String> params) {
    CandlesQuery.Result r = CandlesQuery.parse(new HashMap<>(params)::get, MAX);
    assertThat(r).isInstanceOf(CandlesQuery.Bad.class);
    return ((CandlesQuery.Bad) r).error();
  }
}
