package candlecast.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import candlecast.common.Candle;
import candlecast.common.Timeframe;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.junit5.VertxExtension;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The TradingView UDF datafeed under /udf, against the documented shapes. */
@ExtendWith(VertxExtension.class)
class UdfTest extends GatewayTestBase {
  private static final long BASE = Timeframe.M1.windowStart(T0);
  private static final long BASE_S = BASE / 1000;
  private final List<Candle> held = new ArrayList<>();

  /** Candles 0..49 and 80..99 (a gap of 30 minutes). */
  private void seed() throws Exception {
    for (int i = 0; i < 100; i++) {
      if (i < 50 || i >= 80) {
        Candle c = candle("BTCUSD", Timeframe.M1, BASE + i * 60_000L, 1 + i % 5, true);
        held.add(c);
        agg.publish(c);
      }
    }
    agg.sync();
  }

  /** The oracle: the columnar answer of the held candles that match. */
  private JsonObject expected(Predicate<Candle> keep) {
    JsonObject j = new JsonObject().put("s", "ok");
    for (String k : new String[] {"t", "o", "h", "l", "c", "v"}) {
      j.put(k, new JsonArray());
    }
    for (Candle c : held) {
      if (keep.test(c)) {
        j.getJsonArray("t").add(c.openTime() / 1000);
        j.getJsonArray("o").add(c.open());
        j.getJsonArray("h").add(c.high());
        j.getJsonArray("l").add(c.low());
        j.getJsonArray("c").add(c.close());
        j.getJsonArray("v").add(c.volume());
      }
    }
    return j;
  }

  @Test
  void configTimeSymbolsAndSearch(Vertx vertx) throws Exception {
    start(vertx, c -> c);
    JsonObject config = get("/udf/config").bodyAsJsonObject();
    List<String> expectedRes = new ArrayList<>(List.of("1S", "1", "5", "15", "60", "240", "1D"));
    if (Timeframe.tryParse("1w") != null) {
      expectedRes.add("1W");
    }
    if (Timeframe.tryParse("1M") != null) {
      expectedRes.add("1M");
    }
    assertThat(config.getJsonArray("supported_resolutions").getList()).isEqualTo(expectedRes);
    assertThat(config.getBoolean("supports_search")).isTrue();
    assertThat(config.getBoolean("supports_group_request")).isFalse();
    assertThat(config.getBoolean("supports_time")).isTrue();

    long before = System.currentTimeMillis() / 1000;
    HttpResponse<Buffer> time = get("/udf/time");
    assertThat(time.getHeader("content-type")).startsWith("text/plain");
    assertThat(Long.parseLong(time.bodyAsString()))
        .isBetween(before, System.currentTimeMillis() / 1000);

    agg.publishTicker(FakeAggregator.ticker("ETHUSD", 0.0123, T0));
    agg.sync();
    JsonObject eth = get("/udf/symbols?symbol=CANDLECAST:eth-usd").bodyAsJsonObject();
    assertThat(eth.getString("name")).isEqualTo("ETHUSD");
    assertThat(eth.getString("ticker")).isEqualTo("ETHUSD");
    assertThat(eth.getString("session")).isEqualTo("24x7");
    assertThat(eth.getString("timezone")).isEqualTo("Etc/UTC");
    assertThat(eth.getLong("pricescale"))
        .as("5 significant digits of 0.0123")
        .isEqualTo(10_000_000L);
    assertThat(eth.getBoolean("has_intraday")).isTrue();
    assertThat(eth.getJsonArray("supported_resolutions").getList()).isEqualTo(expectedRes);
    assertThat(get("/udf/symbols?symbol=BTCUSD").bodyAsJsonObject().getLong("pricescale"))
        .as("no ticker yet")
        .isEqualTo(100L);
    assertError(get("/udf/symbols?symbol=NOPE"), 404, "unknown_symbol NOPE");
    assertError(get("/udf/symbols?symbol=BTC_USD"), 400, "symbol");

    JsonArray found = get("/udf/search?query=eth&type=&exchange=").bodyAsJsonArray();
    assertThat(found).hasSize(1);
    assertThat(found.getJsonObject(0).getString("symbol")).isEqualTo("ETHUSD");
    assertThat(found.getJsonObject(0).getString("full_name")).isEqualTo("CANDLECAST:ETHUSD");
    assertThat(get("/udf/search?query=usd&limit=1").bodyAsJsonArray()).hasSize(1);
    assertThat(get("/udf/search?query=usd").bodyAsJsonArray()).hasSize(2);
    assertThat(get("/udf/search?query=usd&type=stock").bodyAsJsonArray()).isEmpty();
    assertError(get("/udf/search?query=usd&limit=x"), 400, "limit");
  }

  @Test
  void historyIsColumnarWithToExclusiveAndCountback(Vertx vertx) throws Exception {
    start(vertx, c -> c);
    seed();
    long from = BASE + 10 * 60_000L;
    long to = BASE + 20 * 60_000L;
    JsonObject r =
        get("/udf/history?symbol=BTCUSD&resolution=1&from=" + from / 1000 + "&to=" + to / 1000)
            .bodyAsJsonObject();
    assertThat(r).isEqualTo(expected(c -> c.openTime() >= from && c.openTime() < to));
    assertThat(r.getJsonArray("t")).hasSize(10);

    long to2 = BASE + 90 * 60_000L;
    JsonObject back =
        get("/udf/history?symbol=BTCUSD&resolution=1&from="
                + from / 1000
                + "&to="
                + to2 / 1000
                + "&countback=15")
            .bodyAsJsonObject();
    List<Candle> before = held.stream().filter(c -> c.openTime() < to2).toList();
    long firstOfLast15 = before.get(before.size() - 15).openTime();
    assertThat(back)
        .as("countback: the newest 15 bars before to, from ignored (it reaches over the gap)")
        .isEqualTo(expected(c -> c.openTime() >= firstOfLast15 && c.openTime() < to2));
  }

  @Test
  void noDataCarriesNextTimeWhenOlderBarsExist(Vertx vertx) throws Exception {
    start(vertx, c -> c);
    seed();
    long gapFrom = BASE_S + 55 * 60;
    long gapTo = BASE_S + 75 * 60;
    JsonObject gap =
        get("/udf/history?symbol=BTCUSD&resolution=1&from=" + gapFrom + "&to=" + gapTo)
            .bodyAsJsonObject();
    assertThat(gap)
        .isEqualTo(new JsonObject().put("s", "no_data").put("nextTime", BASE_S + 49 * 60));
    JsonObject none =
        get("/udf/history?symbol=BTCUSD&resolution=1&from=" + (BASE_S - 3600) + "&to=" + BASE_S)
            .bodyAsJsonObject();
    assertThat(none).isEqualTo(new JsonObject().put("s", "no_data"));
    JsonObject otherTf =
        get("/udf/history?symbol=BTCUSD&resolution=1D&from=0&to=" + BASE_S).bodyAsJsonObject();
    assertThat(otherTf).isEqualTo(new JsonObject().put("s", "no_data"));
  }

  @Test
  void badHistoryRequestsAreUdfErrors(Vertx vertx) throws Exception {
    start(vertx, c -> c);
    String ok = "&from=1&to=2";
    assertError(
        get("/udf/history?symbol=BTCUSD&resolution=7" + ok), 400, "unsupported resolution '7'");
    assertError(
        get("/udf/history?symbol=BTCUSD&resolution=1m" + ok), 400, "unsupported resolution");
    assertError(
        get("/udf/history?symbol=BTCUSD&resolution=1&from=abc&to=2"),
        400,
        "from must be a whole number");
    assertError(
        get("/udf/history?symbol=BTCUSD&resolution=1&from=5&to=5"), 400, "must be before to");
    assertError(
        get("/udf/history?symbol=BTCUSD&resolution=1&from=1"), 400, "missing parameter 'to'");
    assertError(
        get("/udf/history?symbol=BTCUSD&resolution=1&to=2&countback=0"),
        400,
        "countback must be at least 1");
    assertError(
        get("/udf/history?symbol=BTCUSD&resolution=1&to=2&countback=x"),
        400,
        "countback must be a whole number");
    assertError(get("/udf/history?resolution=1" + ok), 400, "symbol");
    assertError(get("/udf/history?symbol=NOPE&resolution=1" + ok), 404, "unknown symbol NOPE");
    assertError(get("/udf/nothing"), 404, "no such endpoint");
    assertThat(agg.historyBodies).extracting(b -> b.getString("symbol")).containsOnly("NOPE");
  }

  private static void assertError(HttpResponse<Buffer> r, int status, String message) {
    assertThat(r.statusCode()).as(r.bodyAsString()).isEqualTo(status);
    JsonObject b = r.bodyAsJsonObject();
    assertThat(b.getString("s")).isEqualTo("error");
    assertThat(b.getString("errmsg")).contains(message);
  }
}
