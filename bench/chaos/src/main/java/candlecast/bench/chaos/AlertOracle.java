package candlecast.bench.chaos;

import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The fires of price alerts expected from the {@code trades} log, written from the contract
 * (docs/PROTOCOL.md "Alerts"), not from the aggregator's code: a {@code price_above} alert fires on
 * the trade with price &ge; level when the symbol's previous trade was &lt; level ({@code
 * price_below}: &le;, &gt;), evaluated from the record's {@code fromOffset} on (the previous trade
 * may lie before it); a {@code rearm} alert fires again on the next crossing whose time &ge; the
 * last fire's time + {@code cooldownMs} (a crossing inside the cool-down is consumed), a {@code
 * once} alert fires once. A duplicate trade (an id seen before) is not evaluated and does not
 * change the previous price. The fire id is {@code <alertId>|t:<offset>}.
 */
final class AlertOracle {
  /** A trade of the log at its partition offset. */
  record LogTrade(long offset, long id, long time, double price) {}

  /** An expected fire: the crossing trade and the alert's 1-based fire number. */
  record Fire(String fire, String alert, String symbol, LogTrade trade, int seq) {}

  private AlertOracle() {}

  /** Every expected fire of {@code alerts} (alert records), by fire id in log order per alert. */
  static Map<String, Fire> fires(
      Map<String, List<LogTrade>> bySymbol, Iterable<JsonObject> alerts) {
    Map<String, Fire> out = new LinkedHashMap<>();
    for (JsonObject a : alerts) {
      for (Fire f : fires(bySymbol.getOrDefault(a.getString("symbol"), List.of()), a)) {
        out.put(f.fire(), f);
      }
    }
    return out;
  }

  /** The fires of one price alert over its symbol's trades in log order. */
  static List<Fire> fires(List<LogTrade> trades, JsonObject alert) {
    JsonObject cond = alert.getJsonObject("condition");
    String kind = cond.getString("kind");
    if (!"price_above".equals(kind) && !"price_below".equals(kind)) {
      throw new IllegalArgumentException("only price alerts are modelled, not " + kind);
    }
    boolean above = "price_above".equals(kind);
    double level = cond.getDouble("level");
    boolean rearm = "rearm".equals(alert.getString("mode"));
    long cooldown = alert.getLong("cooldownMs", 60_000L);
    long from = alert.getLong("fromOffset");
    List<Fire> out = new ArrayList<>();
    Set<Long> seen = new HashSet<>();
    Double prev = null;
    long lastFire = 0;
    for (LogTrade t : trades) {
      if (!seen.add(t.id())) {
        continue;
      }
      boolean crossed =
          prev != null
              && (above ? t.price() >= level && prev < level : t.price() <= level && prev > level);
      prev = t.price();
      if (!crossed || t.offset() < from) {
        continue;
      }
      if (out.isEmpty() || (rearm && t.time() >= lastFire + cooldown)) {
        out.add(
            new Fire(
                alert.getString("id") + "|t:" + t.offset(),
                alert.getString("id"),
                alert.getString("symbol"),
                t,
                out.size() + 1));
        lastFire = t.time();
      }
    }
    return out;
  }

  /**
   * Price levels that {@code prices} (a symbol's prices over the run, in time order) crosses often:
   * the given quantiles of their sorted values.
   */
  static double level(List<Double> prices, double quantile) {
    if (prices.isEmpty()) {
      throw new IllegalArgumentException("no prices");
    }
    List<Double> sorted = new ArrayList<>(prices);
    sorted.sort(null);
    return sorted.get((int) Math.min(sorted.size() - 1, Math.floor(quantile * sorted.size())));
  }
}
