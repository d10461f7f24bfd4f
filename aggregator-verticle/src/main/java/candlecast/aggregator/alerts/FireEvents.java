package candlecast.aggregator.alerts;

import candlecast.common.Timeframe;
import io.vertx.core.json.JsonObject;

/** Builds fire events and updated alert records (docs/PROTOCOL.md "Alerts"). */
final class FireEvents {
  private FireEvents() {}

  static String tradeFireId(String alertId, long offset) {
    return alertId + "|t:" + offset;
  }

  static String candleFireId(String alertId, Timeframe tf, long openTime) {
    return alertId + "|c:" + tf.label() + ":" + openTime;
  }

  static JsonObject trade(long id, long time, double price, double amount, long offset) {
    return new JsonObject()
        .put("id", id)
        .put("t", time)
        .put("price", price)
        .put("amount", amount)
        .put("offset", offset);
  }

  static JsonObject candle(Timeframe tf, long t, double o, double h, double l, double c, double v) {
    return new JsonObject()
        .put("tf", tf.label())
        .put("t", t)
        .put("o", o)
        .put("h", h)
        .put("l", l)
        .put("c", c)
        .put("v", v);
  }

  /** A fire event without {@code recordedAt} (set when it is written). */
  static JsonObject event(
      Alert a,
      String fireId,
      JsonObject trade,
      JsonObject candle,
      Double value,
      double threshold,
      long firedAt) {
    return new JsonObject()
        .put("type", "alert")
        .put("fire", fireId)
        .put("alert", a.id)
        .put("owner", a.owner)
        .put("symbol", a.def.symbol())
        .put("kind", a.cond.kind().wire())
        .put("condition", a.cond.toJson())
        .put("note", a.def.note())
        .put("trade", trade)
        .put("candle", candle)
        .put("value", value)
        .put("threshold", threshold)
        .put("firedAt", firedAt)
        .put("recordedAt", null)
        .put("seq", a.seq)
        .put("final", !a.def.rearm());
  }

  /** The alert's record after a fire ({@code event} non-null) or an expiry. */
  static JsonObject record(Alert a, JsonObject event, boolean expired) {
    JsonObject r = a.record.copy();
    String state = expired ? "expired" : a.done ? "fired" : "armed";
    r.put("state", state).put("fireCount", a.seq);
    if (event != null) {
      r.put("lastFire", event);
    }
    a.record = r;
    return r;
  }
}
