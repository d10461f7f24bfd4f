package candlecast.gateway;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.math.BigDecimal;
import java.math.MathContext;
import java.util.Map;

/**
 * A portfolio's valuation (issue 17, docs/PROTOCOL.md "Portfolio") from its record and the 24 h
 * tickers of its symbols. Per position: {@code price} = the ticker's {@code last}, {@code value} =
 * quantity × price, {@code cost} = quantity × avgCost, {@code pnl} = value − cost, {@code pnlPct} =
 * pnl / |cost| × 100, {@code change24hPct} = the ticker's {@code changePct}, {@code side} long
 * (quantity &gt; 0) or short. Totals sum value and cost of the priced positions; {@code pnl} =
 * value − cost, {@code pnlPct} = pnl / |cost| × 100 (null when cost is 0).
 *
 * <p>Arithmetic: every input is taken as the shortest decimal that names its double ({@link
 * BigDecimal#valueOf(double)}, e.g. 0.1 is 0.1), products and sums are exact decimals, percentages
 * are divided to 17 significant digits ({@link MathContext#DECIMAL64} plus one), and each figure is
 * rounded once to the nearest double at the end. So 0.1 × 3 gives 0.3, and a sum does not drift
 * with the order of the positions.
 *
 * <p>A position whose symbol has no ticker yet gets {@code price}, {@code value}, {@code pnl},
 * {@code pnlPct} and {@code change24hPct} null and is left out of the totals ({@code
 * totals.unpriced} counts them). Pure.
 */
final class PortfolioValuation {
  private static final MathContext PCT = new MathContext(17);
  private static final BigDecimal HUNDRED = BigDecimal.valueOf(100);

  private PortfolioValuation() {}

  /**
   * The {@code {"type":"portfolio",…}} message.
   *
   * @param record {@code {"owner","positions":[{"symbol","quantity","avgCost"}],"updatedAt"}}
   * @param tickers ticker JSON ({@code last}, {@code changePct}) by symbol; absent = no price
   */
  static JsonObject valuation(
      String owner, long time, JsonObject record, Map<String, JsonObject> tickers) {
    JsonArray out = new JsonArray();
    BigDecimal value = BigDecimal.ZERO;
    BigDecimal cost = BigDecimal.ZERO;
    int unpriced = 0;
    JsonArray positions = record.getJsonArray("positions", new JsonArray());
    for (int i = 0; i < positions.size(); i++) {
      JsonObject p = positions.getJsonObject(i);
      JsonObject ticker = tickers.get(p.getString("symbol"));
      Double last = ticker == null ? null : number(ticker.getValue("last"));
      BigDecimal q = BigDecimal.valueOf(p.getDouble("quantity"));
      BigDecimal c = q.multiply(BigDecimal.valueOf(p.getDouble("avgCost")));
      JsonObject v = position(p, c);
      if (last == null) {
        unpriced++;
      } else {
        BigDecimal val = q.multiply(BigDecimal.valueOf(last));
        BigDecimal pnl = val.subtract(c);
        v.put("price", last)
            .put("value", val.doubleValue())
            .put("pnl", pnl.doubleValue())
            .put("pnlPct", pct(pnl, c))
            .put("change24hPct", number(ticker.getValue("changePct")));
        value = value.add(val);
        cost = cost.add(c);
      }
      out.add(v);
    }
    BigDecimal pnl = value.subtract(cost);
    JsonObject totals =
        new JsonObject()
            .put("value", value.doubleValue())
            .put("cost", cost.doubleValue())
            .put("pnl", pnl.doubleValue())
            .put("pnlPct", pct(pnl, cost))
            .put("unpriced", unpriced);
    return new JsonObject()
        .put("type", "portfolio")
        .put("owner", owner)
        .put("time", time)
        .put("positions", out)
        .put("totals", totals);
  }

  /** A position without a price yet. */
  private static JsonObject position(JsonObject p, BigDecimal cost) {
    double q = p.getDouble("quantity");
    return new JsonObject()
        .put("symbol", p.getString("symbol"))
        .put("quantity", q)
        .put("avgCost", p.getDouble("avgCost"))
        .putNull("price")
        .putNull("value")
        .put("cost", cost.doubleValue())
        .putNull("pnl")
        .putNull("pnlPct")
        .putNull("change24hPct")
        .put("side", q > 0 ? "long" : "short");
  }

  /** pnl / |cost| × 100, null when cost is 0. */
  private static Double pct(BigDecimal pnl, BigDecimal cost) {
    if (cost.signum() == 0) {
      return null;
    }
    return pnl.multiply(HUNDRED).divide(cost.abs(), PCT).doubleValue();
  }

  private static Double number(Object v) {
    return v instanceof Number n && Double.isFinite(n.doubleValue()) ? n.doubleValue() : null;
  }

  /**
   * The seed's {@code /ws/portfolio} data message of one symbol (as the client wrote it) from a
   * valuation: the position (quantity 0 and values 0 without one; {@code current_price} null
   * without a ticker), {@code pnl} = its unrealised P&amp;L, and the totals.
   */
  static JsonObject seedData(
      String spelling, String symbol, String timestamp, JsonObject valuation, Double price) {
    JsonObject pos = null;
    JsonArray positions = valuation.getJsonArray("positions");
    for (int i = 0; i < positions.size() && pos == null; i++) {
      if (symbol.equals(positions.getJsonObject(i).getString("symbol"))) {
        pos = positions.getJsonObject(i);
      }
    }
    JsonObject position = pos == null ? flat(spelling, price) : seedPosition(spelling, pos);
    JsonObject t = valuation.getJsonObject("totals");
    JsonObject totals =
        new JsonObject()
            .put("total_value", t.getValue("value"))
            .put("total_cost", t.getValue("cost"))
            .put("total_pnl", t.getValue("pnl"))
            .put("total_pnl_pct", t.getValue("pnlPct"));
    return new JsonObject()
        .put("type", "data")
        .put("symbol", spelling)
        .put("timestamp", timestamp)
        .put(
            "data",
            new JsonObject()
                .put("position", position)
                .put("pnl", position.getValue("unrealized_pnl"))
                .put("portfolio", totals));
  }

  private static JsonObject seedPosition(String spelling, JsonObject p) {
    return new JsonObject()
        .put("symbol", spelling)
        .put("quantity", p.getValue("quantity"))
        .put("avg_cost", p.getValue("avgCost"))
        .put("current_price", p.getValue("price"))
        .put("current_value", p.getValue("value"))
        .put("cost_basis", p.getValue("cost"))
        .put("unrealized_pnl", p.getValue("pnl"))
        .put("unrealized_pnl_pct", p.getValue("pnlPct"))
        .put("change_24h_pct", p.getValue("change24hPct"))
        .put("side", p.getValue("side"));
  }

  /** No position in the symbol: quantity 0, values 0. */
  private static JsonObject flat(String spelling, Double price) {
    return new JsonObject()
        .put("symbol", spelling)
        .put("quantity", 0.0)
        .put("avg_cost", 0.0)
        .put("current_price", price)
        .put("current_value", 0.0)
        .put("cost_basis", 0.0)
        .put("unrealized_pnl", 0.0)
        .put("unrealized_pnl_pct", 0.0)
        .putNull("change_24h_pct")
        .put("side", "flat");
  }
}
