package candlecast.common.alerts;

import io.vertx.core.json.JsonObject;

/** Validation of alert fields; every failure is {@code bad_alert: <field>: <why>}. */
final class AlertFields {
  private AlertFields() {}

  static IllegalArgumentException bad(String field, String why) {
    return new IllegalArgumentException("bad_alert: " + field + ": " + why);
  }

  /** A finite number in (min, max] ({@code minInclusive}: [min, max]); required. */
  static double doubleRequired(
      JsonObject o, String field, String key, double min, boolean minInclusive, double max) {
    Object v = o.getValue(key);
    if (v == null) {
      throw bad(field, "missing");
    }
    return doubleValue(v, field, min, minInclusive, max);
  }

  /** Like {@link #doubleRequired}, {@code dflt} when absent. */
  static double doubleIn(
      JsonObject o,
      String field,
      String key,
      double min,
      boolean minInclusive,
      double max,
      double dflt) {
    Object v = o.getValue(key);
    return v == null ? dflt : doubleValue(v, field, min, minInclusive, max);
  }

  private static double doubleValue(
      Object v, String field, double min, boolean minInclusive, double max) {
    if (!(v instanceof Number num)) {
      throw bad(field, "must be a number");
    }
    double d = num.doubleValue();
    if (!Double.isFinite(d)) {
      throw bad(field, "must be finite");
    }
    boolean low = minInclusive ? d < min : d <= min;
    if (low || d > max) {
      String range = (minInclusive ? "[" : "(") + fmt(min) + ", " + fmt(max) + "]";
      throw bad(field, "must be in " + range + ", was " + d);
    }
    return d;
  }

  private static String fmt(double d) {
    return d == Math.rint(d) && Math.abs(d) < 1e15 ? Long.toString((long) d) : Double.toString(d);
  }

  /** An integer in [min, max], {@code dflt} when absent. */
  static int intIn(JsonObject o, String field, String key, int min, int max, int dflt) {
    Object v = o.getValue(key);
    if (v == null) {
      return dflt;
    }
    return (int) longValue(v, field, min, max);
  }

  /** An integral number in [min, max]. */
  static long longValue(Object v, String field, long min, long max) {
    if (!(v instanceof Number num)) {
      throw bad(field, "must be an integer");
    }
    double d = num.doubleValue();
    if (!Double.isFinite(d) || d != Math.rint(d)) {
      throw bad(field, "must be an integer");
    }
    if (d < min || d > max) {
      throw bad(field, "must be in [" + min + ", " + max + "], was " + num);
    }
    return num.longValue();
  }

  /** A move window: ms 1000–3600000, or "30s", "5m", "1h". */
  static long window(Object v) {
    String field = "condition.window";
    if (v == null) {
      throw bad(field, "missing");
    }
    if (v instanceof String s) {
      long ms = durationText(s);
      if (ms < 0) {
        throw bad(field, "'" + s + "' is not a duration (e.g. 30s, 5m, 1h)");
      }
      v = ms;
    }
    return longValue(v, field, AlertCondition.MIN_WINDOW_MS, AlertCondition.MAX_WINDOW_MS);
  }

  /** "<digits><s|m|h>" in ms, or -1. */
  private static long durationText(String s) {
    if (s.length() < 2 || s.length() > 9) {
      return -1;
    }
    long unit =
        switch (s.charAt(s.length() - 1)) {
          case 's' -> 1000L;
          case 'm' -> 60_000L;
          case 'h' -> 3_600_000L;
          default -> -1L;
        };
    String digits = s.substring(0, s.length() - 1);
    if (unit < 0 || !digits.chars().allMatch(Character::isDigit)) {
      return -1;
    }
    return Long.parseLong(digits) * unit;
  }

  /** An optional string of at most {@code max} chars; null when absent. */
  static String optionalText(JsonObject o, String key, int max) {
    Object v = o.getValue(key);
    if (v == null) {
      return null;
    }
    if (!(v instanceof String s)) {
      throw bad(key, "must be a string");
    }
    if (s.length() > max) {
      throw bad(key, "longer than " + max + " characters");
    }
    return s;
  }
}
