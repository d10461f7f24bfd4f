package candlecast.aggregator.alerts;

import candlecast.aggregator.HistoryStore;
import candlecast.aggregator.SeriesHistory;
import candlecast.common.Candle;
import candlecast.common.alerts.AlertCondition;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;

/** How alert records are shown in replies, and the candle seed of a new alert. */
final class AlertViews {
  /** Closed windows seeded for RSI and SMA alerts (their longest need). */
  static final int INDICATOR_SEED = 200;

  private AlertViews() {}

  /**
   * The record as replied: {@code webhookSecret} replaced by whether one is set, and an armed alert
   * whose {@code expiresAt} has passed shown {@code expired}.
   */
  static JsonObject view(JsonObject record, long nowMs) {
    JsonObject v = record.copy();
    Object secret = record.getValue("webhookSecret");
    v.put(
        "webhookSecret",
        secret instanceof Boolean b ? b : secret instanceof String s && !s.isEmpty());
    Long expiresAt = record.getLong("expiresAt");
    if ("armed".equals(record.getString("state")) && expiresAt != null && nowMs >= expiresAt) {
      v.put("state", "expired");
    }
    return v;
  }

  /**
   * The closed windows of the condition's timeframe a candle-kind alert needs, from the owner's
   * history, oldest first, as {@code [[openTime,o,h,l,c,v],…]} (implied flat windows synthesized as
   * history queries do); null for trade kinds.
   */
  static JsonArray seed(HistoryStore history, String symbol, AlertCondition c) {
    if (!c.kind().candleKind()) {
      return null;
    }
    int n =
        switch (c.kind()) {
          case RSI_ABOVE, RSI_BELOW, SMA_CROSS_ABOVE, SMA_CROSS_BELOW -> INDICATOR_SEED;
          default -> c.n();
        };
    JsonArray out = new JsonArray();
    SeriesHistory s = history.series(symbol, c.tf());
    if (s == null || s.newestClosedOpenTime() == Long.MIN_VALUE) {
      return out;
    }
    List<Candle> closed = s.query(Long.MIN_VALUE, s.newestClosedOpenTime(), n);
    for (Candle k : closed) {
      if (k.closed()) {
        out.add(
            new JsonArray()
                .add(k.openTime())
                .add(k.open())
                .add(k.high())
                .add(k.low())
                .add(k.close())
                .add(k.volume()));
      }
    }
    return out;
  }
}
