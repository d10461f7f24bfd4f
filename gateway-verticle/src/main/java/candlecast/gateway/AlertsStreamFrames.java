package candlecast.gateway;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.math.BigDecimal;
import java.util.List;

/**
 * The {@code data} message of {@code /ws/alerts} (issue 17, the seed's alerts stream): a symbol's
 * alerts of one owner grouped as the seed groups them ({@code price_alerts}: price and move kinds;
 * {@code volume_alerts}; {@code breakout_alerts}; {@code indicator_alerts}: RSI and SMA kinds),
 * each as {@code {"id","type":kind,"triggered","state","symbol","condition","level"?,"price"?,
 * "triggered_at"?,"message"}}. Pure.
 */
final class AlertsStreamFrames {
  static final String PRICE = "price_alerts";
  static final String VOLUME = "volume_alerts";
  static final String BREAKOUT = "breakout_alerts";
  static final String INDICATOR = "indicator_alerts";

  private AlertsStreamFrames() {}

  /** The group of a condition kind. */
  static String group(String kind) {
    if (kind == null) {
      return PRICE;
    }
    if (kind.startsWith("volume_")) {
      return VOLUME;
    }
    if (kind.startsWith("breakout_")) {
      return BREAKOUT;
    }
    if (kind.startsWith("rsi_") || kind.startsWith("sma_")) {
      return INDICATOR;
    }
    return PRICE;
  }

  /** {@code {"type":"data","symbol":spelling,"timestamp":iso,"data":{groups}}} of the records. */
  static JsonObject data(String spelling, long nowMs, List<JsonObject> records) {
    JsonObject groups =
        new JsonObject()
            .put(PRICE, new JsonArray())
            .put(VOLUME, new JsonArray())
            .put(BREAKOUT, new JsonArray())
            .put(INDICATOR, new JsonArray());
    for (JsonObject r : records) {
      JsonObject cond = r.getJsonObject("condition", new JsonObject());
      groups.getJsonArray(group(cond.getString("kind"))).add(element(r, nowMs));
    }
    return new JsonObject()
        .put("type", "data")
        .put("symbol", spelling)
        .put("timestamp", IsoTime.format(nowMs))
        .put("data", groups);
  }

  /** One record as the seed's alert element. */
  static JsonObject element(JsonObject r, long nowMs) {
    JsonObject cond = r.getJsonObject("condition", new JsonObject());
    String kind = cond.getString("kind", "");
    JsonObject last = r.getValue("lastFire") instanceof JsonObject f ? f : null;
    String state = state(r, nowMs);
    JsonObject e =
        new JsonObject()
            .put("id", r.getString("id"))
            .put("type", kind)
            .put("triggered", last != null || r.getLong("fireCount", 0L) > 0)
            .put("state", state)
            .put("symbol", r.getString("symbol"))
            .put("condition", cond);
    if (cond.getValue("level") instanceof Number level) {
      e.put("level", level);
    }
    if (last != null) {
      if (last.getValue("trade") instanceof JsonObject t
          && t.getValue("price") instanceof Number p) {
        e.put("price", p);
      }
      if (last.getValue("firedAt") instanceof Number at) {
        e.put("triggered_at", IsoTime.format(at.longValue()));
      }
    }
    return e.put("message", message(r.getString("symbol", ""), cond));
  }

  /** The record's state; {@code expired} once now is past {@code expiresAt} (as list/get say). */
  static String state(JsonObject r, long nowMs) {
    String s = r.getString("state", "armed");
    if ("armed".equals(s)
        && r.getValue("expiresAt") instanceof Number exp
        && nowMs >= exp.longValue()) {
      return "expired";
    }
    return s;
  }

  /** A person's sentence for the condition, e.g. {@code "BTCUSD crossed above 50000"}. */
  static String message(String symbol, JsonObject cond) {
    String kind = cond.getString("kind", "");
    return switch (kind) {
      case "price_above" -> symbol + " crossed above " + num(cond.getValue("level"));
      case "price_below" -> symbol + " crossed below " + num(cond.getValue("level"));
      case "move_up" ->
          symbol + " rose " + num(cond.getValue("pct")) + "% within " + cond.getValue("window");
      case "move_down" ->
          symbol + " fell " + num(cond.getValue("pct")) + "% within " + cond.getValue("window");
      case "volume_spike" ->
          symbol
              + " "
              + cond.getValue("tf")
              + " volume above "
              + num(cond.getValue("k"))
              + "x its "
              + cond.getValue("n")
              + "-candle average";
      case "breakout_high" ->
          symbol
              + " broke above its "
              + cond.getValue("n")
              + "-bar "
              + cond.getValue("tf")
              + " high";
      case "breakout_low" ->
          symbol
              + " broke below its "
              + cond.getValue("n")
              + "-bar "
              + cond.getValue("tf")
              + " low";
      case "rsi_above" ->
          symbol + " " + cond.getValue("tf") + " RSI crossed above " + num(cond.getValue("level"));
      case "rsi_below" ->
          symbol + " " + cond.getValue("tf") + " RSI crossed below " + num(cond.getValue("level"));
      case "sma_cross_above" ->
          symbol
              + " "
              + cond.getValue("tf")
              + " close crossed above its SMA("
              + cond.getValue("period")
              + ")";
      case "sma_cross_below" ->
          symbol
              + " "
              + cond.getValue("tf")
              + " close crossed below its SMA("
              + cond.getValue("period")
              + ")";
      default -> symbol + " " + kind;
    };
  }

  /** A number as written by a person: 50000, 2.5 (no trailing ".0"). */
  static String num(Object v) {
    if (v instanceof Number n) {
      return new BigDecimal(n.toString()).stripTrailingZeros().toPlainString();
    }
    return String.valueOf(v);
  }

  /**
   * The record after a fire: {@code lastFire}, {@code fireCount} = the fire's seq, {@code state}
   * fired when final. Returns a copy; the fire's own alert id must match.
   */
  static JsonObject afterFire(JsonObject record, JsonObject fire) {
    JsonObject r = record.copy();
    r.put("lastFire", fire);
    r.put("fireCount", Math.max(r.getLong("fireCount", 0L), fire.getLong("seq", 1L)));
    if (Boolean.TRUE.equals(fire.getBoolean("final"))) {
      r.put("state", "rearm".equals(r.getString("mode")) ? "expired" : "fired");
    }
    return r;
  }
}
