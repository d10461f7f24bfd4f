package candlecast.common.alerts;

import candlecast.common.Timeframe;
import io.vertx.core.json.JsonObject;

/**
 * An alert's condition: its kind and the parameters that kind uses (the others are 0 or null).
 *
 * @param level price level (price kinds) or RSI level
 * @param pct move in percent (move kinds)
 * @param windowMs move window in ms (move kinds)
 * @param tf timeframe of candle kinds
 * @param n windows of history (volume spike, breakout)
 * @param k volume multiple (volume spike)
 * @param period RSI or SMA period
 */
public record AlertCondition(
    AlertKind kind,
    double level,
    double pct,
    long windowMs,
    Timeframe tf,
    int n,
    double k,
    int period) {
  static final long MIN_WINDOW_MS = 1000;
  static final long MAX_WINDOW_MS = 3_600_000;

  /**
   * Reads and validates a condition object.
   *
   * @throws IllegalArgumentException {@code bad_alert: condition.<field>: <why>}
   */
  public static AlertCondition parse(Object value) {
    if (!(value instanceof JsonObject c)) {
      throw AlertFields.bad("condition", "must be an object");
    }
    Object kindValue = c.getValue("kind");
    if (!(kindValue instanceof String ks)) {
      throw AlertFields.bad("condition.kind", "missing (one of " + AlertKind.wireNames() + ")");
    }
    AlertKind kind = AlertKind.ofWire(ks);
    if (kind == null) {
      throw AlertFields.bad(
          "condition.kind", "unknown kind '" + ks + "' (one of " + AlertKind.wireNames() + ")");
    }
    return switch (kind) {
      case PRICE_ABOVE, PRICE_BELOW -> price(kind, c);
      case MOVE_UP, MOVE_DOWN -> move(kind, c);
      case VOLUME_SPIKE ->
          new AlertCondition(
              kind,
              0,
              0,
              0,
              tf(c),
              AlertFields.intIn(c, "condition.n", "n", 2, 200, 20),
              AlertFields.doubleIn(c, "condition.k", "k", 0, false, 1000, 3),
              0);
      case BREAKOUT_HIGH, BREAKOUT_LOW ->
          new AlertCondition(
              kind, 0, 0, 0, tf(c), AlertFields.intIn(c, "condition.n", "n", 1, 200, 20), 0, 0);
      case RSI_ABOVE, RSI_BELOW ->
          new AlertCondition(
              kind,
              AlertFields.doubleRequired(c, "condition.level", "level", 0, true, 100),
              0,
              0,
              tf(c),
              0,
              0,
              AlertFields.intIn(c, "condition.period", "period", 2, 50, 14));
      case SMA_CROSS_ABOVE, SMA_CROSS_BELOW ->
          new AlertCondition(
              kind,
              0,
              0,
              0,
              tf(c),
              0,
              0,
              AlertFields.intIn(c, "condition.period", "period", 2, 200, 20));
    };
  }

  private static AlertCondition price(AlertKind kind, JsonObject c) {
    double level =
        AlertFields.doubleRequired(c, "condition.level", "level", 0, false, Double.MAX_VALUE);
    return new AlertCondition(kind, level, 0, 0, null, 0, 0, 0);
  }

  private static AlertCondition move(AlertKind kind, JsonObject c) {
    double pct = AlertFields.doubleRequired(c, "condition.pct", "pct", 0, false, 100);
    long window = AlertFields.window(c.getValue("window"));
    return new AlertCondition(kind, 0, pct, window, null, 0, 0, 0);
  }

  private static Timeframe tf(JsonObject c) {
    Object v = c.getValue("tf");
    if (!(v instanceof String s)) {
      throw AlertFields.bad("condition.tf", "missing (one of " + Timeframe.labels() + ")");
    }
    Timeframe tf = Timeframe.tryParse(s);
    if (tf == null) {
      throw AlertFields.bad(
          "condition.tf", "unknown timeframe '" + s + "' (one of " + Timeframe.labels() + ")");
    }
    return tf;
  }

  /** The condition as on the wire: its kind and the parameters of that kind (window in ms). */
  public JsonObject toJson() {
    JsonObject o = new JsonObject().put("kind", kind.wire());
    switch (kind) {
      case PRICE_ABOVE, PRICE_BELOW -> o.put("level", level);
      case MOVE_UP, MOVE_DOWN -> o.put("pct", pct).put("window", windowMs);
      case VOLUME_SPIKE -> o.put("tf", tf.label()).put("n", n).put("k", k);
      case BREAKOUT_HIGH, BREAKOUT_LOW -> o.put("tf", tf.label()).put("n", n);
      case RSI_ABOVE, RSI_BELOW ->
          o.put("tf", tf.label()).put("period", period).put("level", level);
      case SMA_CROSS_ABOVE, SMA_CROSS_BELOW -> o.put("tf", tf.label()).put("period", period);
    }
    return o;
  }

  /**
   * The closed windows of {@link #tf} the condition needs before the one it evaluates (candle kinds
   * only): n for volume spikes and breakouts, the period for SMA, 4 × period for RSI (its Wilder
   * smoothing is seeded over the ring).
   */
  public int history() {
    return switch (kind) {
      case VOLUME_SPIKE, BREAKOUT_HIGH, BREAKOUT_LOW -> n;
      case RSI_ABOVE, RSI_BELOW -> Math.min(200, period * 4);
      case SMA_CROSS_ABOVE, SMA_CROSS_BELOW -> period;
      default -> 0;
    };
  }
}
