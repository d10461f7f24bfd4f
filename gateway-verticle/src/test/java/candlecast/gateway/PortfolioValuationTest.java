package candlecast.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Valuations against an independent computation in plain double arithmetic. */
class PortfolioValuationTest {
  private static JsonObject pos(String s, double q, double c) {
    return new JsonObject().put("symbol", s).put("quantity", q).put("avgCost", c);
  }

  private static JsonObject ticker(String s, double last, double changePct) {
    return new JsonObject().put("symbol", s).put("last", last).put("changePct", changePct);
  }

  @Test
  void matchesAnIndependentComputationOnRandomPortfolios() {
    Random rnd = new Random(17);
    for (int round = 0; round < 500; round++) {
      JsonArray positions = new JsonArray();
      Map<String, JsonObject> tickers = new HashMap<>();
      int n = 1 + rnd.nextInt(12);
      for (int i = 0; i < n; i++) {
        String sym = "S" + i + "USD";
        double q = (rnd.nextBoolean() ? 1 : -1) * (0.001 + rnd.nextDouble() * 50);
        positions.add(pos(sym, q, 0.01 + rnd.nextDouble() * 60_000));
        if (rnd.nextInt(5) > 0) {
          tickers.put(sym, ticker(sym, 0.01 + rnd.nextDouble() * 60_000, rnd.nextGaussian() * 3));
        }
      }
      JsonObject record = new JsonObject().put("owner", "o").put("positions", positions);
      JsonObject v = PortfolioValuation.valuation("o", 42, record, tickers);
      assertThat(v.getString("type")).isEqualTo("portfolio");
      assertThat(v.getLong("time")).isEqualTo(42);
      double value = 0;
      double cost = 0;
      int unpriced = 0;
      for (int i = 0; i < n; i++) {
        JsonObject p = positions.getJsonObject(i);
        JsonObject out = v.getJsonArray("positions").getJsonObject(i);
        double q = p.getDouble("quantity");
        double c = q * p.getDouble("avgCost");
        assertThat(out.getString("symbol")).isEqualTo(p.getString("symbol"));
        assertThat(out.getString("side")).isEqualTo(q > 0 ? "long" : "short");
        close(out.getDouble("cost"), c);
        JsonObject t = tickers.get(p.getString("symbol"));
        if (t == null) {
          unpriced++;
          assertThat(out.getValue("price")).isNull();
          assertThat(out.getValue("value")).isNull();
          assertThat(out.getValue("pnl")).isNull();
          assertThat(out.getValue("pnlPct")).isNull();
          continue;
        }
        double val = q * t.getDouble("last");
        assertThat(out.getDouble("price")).isEqualTo(t.getDouble("last"));
        close(out.getDouble("value"), val);
        close(out.getDouble("pnl"), val - c);
        close(out.getDouble("pnlPct"), (val - c) / Math.abs(c) * 100);
        assertThat(out.getDouble("change24hPct")).isEqualTo(t.getDouble("changePct"));
        value += val;
        cost += c;
      }
      JsonObject totals = v.getJsonObject("totals");
      close(totals.getDouble("value"), value);
      close(totals.getDouble("cost"), cost);
      close(totals.getDouble("pnl"), value - cost);
      if (cost != 0) {
        assertThat(totals.getDouble("pnlPct"))
            .isCloseTo(
                (value - cost) / Math.abs(cost) * 100,
                within(1e-6 * Math.max(1, Math.abs((value - cost) / cost * 100))));
      }
      assertThat(totals.getInteger("unpriced")).isEqualTo(unpriced);
    }
  }

  @Test
  void decimalArithmeticIsExact() {
    JsonObject record =
        new JsonObject()
            .put("owner", "o")
            .put("positions", new JsonArray().add(pos("AUSD", 3, 0.1)).add(pos("BUSD", -2, 10)));
    JsonObject v =
        PortfolioValuation.valuation(
            "o",
            1,
            record,
            Map.of("AUSD", ticker("AUSD", 0.2, 1.5), "BUSD", ticker("BUSD", 12.5, -1)));
    JsonObject a = v.getJsonArray("positions").getJsonObject(0);
    // 3 × 0.1 in double is 0.30000000000000004; the decimal rule gives 0.3
    assertThat(a.getDouble("cost")).isEqualTo(0.3);
    assertThat(a.getDouble("value")).isEqualTo(0.6);
    assertThat(a.getDouble("pnl")).isEqualTo(0.3);
    assertThat(a.getDouble("pnlPct")).isEqualTo(100.0);
    JsonObject b = v.getJsonArray("positions").getJsonObject(1);
    // short 2 at 10, now 12.5: value -25, cost -20, pnl -5, pnl% = -5 / 20 × 100
    assertThat(b.getDouble("value")).isEqualTo(-25.0);
    assertThat(b.getDouble("cost")).isEqualTo(-20.0);
    assertThat(b.getDouble("pnl")).isEqualTo(-5.0);
    assertThat(b.getDouble("pnlPct")).isEqualTo(-25.0);
    assertThat(b.getString("side")).isEqualTo("short");
    JsonObject t = v.getJsonObject("totals");
    assertThat(t.getDouble("value")).isEqualTo(-24.4);
    assertThat(t.getDouble("cost")).isEqualTo(-19.7);
    assertThat(t.getDouble("pnl")).isEqualTo(-4.7);
  }

  @Test
  void emptyAndUnpricedPortfoliosHaveZeroTotals() {
    JsonObject empty = new JsonObject().put("owner", "o").put("positions", new JsonArray());
    JsonObject t = PortfolioValuation.valuation("o", 1, empty, Map.of()).getJsonObject("totals");
    assertThat(t.getDouble("value")).isZero();
    assertThat(t.getValue("pnlPct")).isNull();
    JsonObject one =
        new JsonObject().put("owner", "o").put("positions", new JsonArray().add(pos("AUSD", 1, 5)));
    JsonObject u = PortfolioValuation.valuation("o", 1, one, Map.of()).getJsonObject("totals");
    assertThat(u.getDouble("cost")).isZero();
    assertThat(u.getInteger("unpriced")).isEqualTo(1);
  }

  @Test
  void seedDataOfAPositionAndOfASymbolWithout() {
    JsonObject record =
        new JsonObject()
            .put("owner", "o")
            .put("positions", new JsonArray().add(pos("BTCUSD", 0.5, 40000)));
    JsonObject v =
        PortfolioValuation.valuation(
            "o", 1, record, Map.of("BTCUSD", ticker("BTCUSD", 42000, 2.5)));
    JsonObject d =
        PortfolioValuation.seedData("btc-usd", "BTCUSD", "2026-01-01T00:00:00.000Z", v, 42000.0);
    assertThat(d.getString("type")).isEqualTo("data");
    assertThat(d.getString("symbol")).isEqualTo("btc-usd");
    JsonObject p = d.getJsonObject("data").getJsonObject("position");
    assertThat(p.getDouble("current_value")).isEqualTo(21000.0);
    assertThat(p.getDouble("cost_basis")).isEqualTo(20000.0);
    assertThat(p.getDouble("unrealized_pnl")).isEqualTo(1000.0);
    assertThat(p.getDouble("unrealized_pnl_pct")).isEqualTo(5.0);
    assertThat(p.getDouble("change_24h_pct")).isEqualTo(2.5);
    assertThat(p.getDouble("avg_cost")).isEqualTo(40000.0);
    assertThat(p.getDouble("current_price")).isEqualTo(42000.0);
    assertThat(p.getString("side")).isEqualTo("long");
    assertThat(d.getJsonObject("data").getDouble("pnl")).isEqualTo(1000.0);
    JsonObject totals = d.getJsonObject("data").getJsonObject("portfolio");
    assertThat(totals.getDouble("total_value")).isEqualTo(21000.0);
    assertThat(totals.getDouble("total_pnl_pct")).isEqualTo(5.0);
    JsonObject flat = PortfolioValuation.seedData("RELIANCE", "RELIANCE", "x", v, null);
    JsonObject fp = flat.getJsonObject("data").getJsonObject("position");
    assertThat(fp.getDouble("quantity")).isZero();
    assertThat(fp.getDouble("current_value")).isZero();
    assertThat(fp.getValue("current_price")).isNull();
    assertThat(flat.getJsonObject("data").getDouble("pnl")).isZero();
    assertThat(flat.getJsonObject("data").getJsonObject("portfolio")).isEqualTo(totals);
  }

  private static void close(double actual, double expected) {
    assertThat(actual).isCloseTo(expected, within(1e-9 * Math.max(1, Math.abs(expected))));
  }
}
