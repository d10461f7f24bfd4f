package candlecast.aggregator;

import candlecast.common.Timeframe;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The fires of alerts over an {@link AlertStream}, computed offline and plainly from the contract
 * (docs/PROTOCOL.md "Alerts"), independently of the AlertBook's heaps, deques and rings: every
 * window, level and average is recomputed from the trade list for every evaluation.
 */
final class AlertOracle {
  /** What a fire says: the trade (null for candles closed by a watermark or flat), time, value. */
  record Fire(Long tradeId, Long tradeOffset, long firedAt, Double value) {}

  /**
   * A folded trade, or a watermark ({@code trade} false), of one symbol, with the event time after
   * it.
   */
  private record Ev(
      long offset, boolean trade, long id, long t, double price, double amount, long wm) {}

  private final Map<String, List<Ev>> events = new LinkedHashMap<>();
  private final Map<String, Fire> fires = new LinkedHashMap<>();

  AlertOracle(AlertStream stream) {
    Map<String, Set<Long>> seen = new LinkedHashMap<>();
    Map<String, Long> wm = new LinkedHashMap<>();
    for (int i = 0; i < stream.recs.size(); i++) {
      AlertStream.Rec r = stream.recs.get(i);
      List<Ev> ev = events.computeIfAbsent(r.symbol(), s -> new ArrayList<>());
      if (!r.watermark() && !seen.computeIfAbsent(r.symbol(), s -> new HashSet<>()).add(r.id())) {
        continue; // duplicate
      }
      long w = Math.max(wm.getOrDefault(r.symbol(), Long.MIN_VALUE), r.time());
      wm.put(r.symbol(), w);
      ev.add(new Ev(i, !r.watermark(), r.id(), r.time(), r.price(), r.amount(), w));
    }
  }

  Map<String, Fire> fires() {
    return fires;
  }

  /** Evaluates one alert record. */
  void evaluate(JsonObject alert) {
    JsonObject c = alert.getJsonObject("condition");
    switch (c.getString("kind")) {
      case "price_above", "price_below" -> price(alert, c);
      case "move_up", "move_down" -> move(alert, c);
      case "breakout_high", "breakout_low" -> breakout(alert, c);
      default -> candles(alert, c);
    }
  }

  /** Fire bookkeeping shared by every kind: once, rearm with cool-down, expiry. */
  private static final class Life {
    final boolean rearm;
    final long cooldown;
    final long expiresAt;
    int seq;
    long last;
    boolean over;

    Life(JsonObject a) {
      rearm = "rearm".equals(a.getString("mode"));
      cooldown = a.getLong("cooldownMs", 60_000L);
      expiresAt = a.getLong("expiresAt", Long.MAX_VALUE);
    }

    boolean expired(long t) {
      if (t >= expiresAt) {
        over = true;
      }
      return over;
    }

    boolean fire(long t) {
      if (over || (seq > 0 && t < last + cooldown)) {
        return false;
      }
      seq++;
      last = t;
      over = !rearm;
      return true;
    }
  }

  private List<Ev> trades(String symbol) {
    return events.get(symbol).stream().filter(Ev::trade).toList();
  }

  private void tradeFire(JsonObject a, Ev e, double value) {
    fires.put(a.getString("id") + "|t:" + e.offset(), new Fire(e.id(), e.offset(), e.t(), value));
  }

  private void price(JsonObject a, JsonObject c) {
    boolean above = c.getString("kind").equals("price_above");
    double level = c.getDouble("level");
    Life life = new Life(a);
    double prev = Double.NaN;
    for (Ev e : trades(a.getString("symbol"))) {
      if (e.offset() >= a.getLong("fromOffset") && !life.expired(e.t()) && !Double.isNaN(prev)) {
        boolean cross =
            above ? e.price() >= level && prev < level : e.price() <= level && prev > level;
        if (cross && life.fire(e.t())) {
          tradeFire(a, e, e.price());
        }
      }
      prev = e.price();
    }
  }

  private void move(JsonObject a, JsonObject c) {
    boolean up = c.getString("kind").equals("move_up");
    double pct = c.getDouble("pct");
    Object w = c.getValue("window");
    long window =
        w instanceof String text
            ? Long.parseLong(text.substring(0, text.length() - 1))
                * (text.endsWith("s") ? 1000 : text.endsWith("m") ? 60_000 : 3_600_000)
            : ((Number) w).longValue();
    Life life = new Life(a);
    List<Ev> group = new ArrayList<>();
    List<Long> et = new ArrayList<>();
    boolean held = false;
    for (Ev e : trades(a.getString("symbol"))) {
      if (e.offset() < a.getLong("fromOffset")) {
        continue;
      }
      group.add(e);
      et.add(Math.max(et.isEmpty() ? Long.MIN_VALUE : et.get(et.size() - 1), e.t()));
      long now = et.get(et.size() - 1);
      double lo = Double.POSITIVE_INFINITY;
      double hi = Double.NEGATIVE_INFINITY;
      for (int j = 0; j < group.size(); j++) {
        if (et.get(j) >= now - window) {
          lo = Math.min(lo, group.get(j).price());
          hi = Math.max(hi, group.get(j).price());
        }
      }
      boolean holds = up ? e.price() >= lo * (1 + pct / 100) : e.price() <= hi * (1 - pct / 100);
      if (!life.expired(e.t()) && holds && !held && life.fire(e.t())) {
        tradeFire(a, e, up ? (e.price() / lo - 1) * 100 : (1 - e.price() / hi) * 100);
      }
      held = holds;
    }
  }

  private void breakout(JsonObject a, JsonObject c) {
    boolean high = c.getString("kind").equals("breakout_high");
    Timeframe tf = Timeframe.parse(c.getString("tf"));
    int n = c.getInteger("n");
    Life life = new Life(a);
    TreeMap<Long, double[]> windows = new TreeMap<>(); // index -> high, low, close
    double prev = Double.NaN;
    for (Ev e : trades(a.getString("symbol"))) {
      long idx = tf.windowIndex(e.t());
      double level = level(windows, idx, n, high);
      if (e.offset() >= a.getLong("fromOffset")
          && !life.expired(e.t())
          && !Double.isNaN(prev)
          && !Double.isNaN(level)) {
        boolean cross =
            high ? e.price() > level && prev <= level : e.price() < level && prev >= level;
        if (cross && life.fire(e.t())) {
          tradeFire(a, e, e.price());
        }
      }
      double[] w =
          windows.computeIfAbsent(idx, k -> new double[] {e.price(), e.price(), e.price()});
      w[0] = Math.max(w[0], e.price());
      w[1] = Math.min(w[1], e.price());
      w[2] = e.price();
      prev = e.price();
    }
  }

  /** Highest high / lowest low of windows [idx - n, idx), flats at the close before them. */
  private static double level(
      java.util.NavigableMap<Long, double[]> windows, long idx, int n, boolean high) {
    Long first = windows.floorKey(idx - n);
    if (first == null) {
      return Double.NaN;
    }
    double best = high ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY;
    for (long k = idx - n; k < idx; k++) {
      Map.Entry<Long, double[]> w = windows.floorEntry(k);
      double v = w.getKey() == k ? (high ? w.getValue()[0] : w.getValue()[1]) : w.getValue()[2];
      best = high ? Math.max(best, v) : Math.min(best, v);
    }
    return best;
  }

  // ------------------------------------------------------------------ candle kinds

  /**
   * A closed window: values, and its cause (null trade: a watermark or none), the time it counts
   * at.
   */
  private record Closed(
      long t, double o, double h, double l, double c, double v, Ev cause, long time) {}

  private List<Closed> closed(String symbol, Timeframe tf) {
    List<Ev> ev = events.get(symbol);
    TreeMap<Long, double[]> w = new TreeMap<>(); // start -> o h l c v n
    for (Ev e : ev) {
      if (e.trade()) {
        double[] x =
            w.computeIfAbsent(
                tf.windowStart(e.t()),
                k -> new double[] {e.price(), e.price(), e.price(), 0, 0, 0});
        x[1] = Math.max(x[1], e.price());
        x[2] = Math.min(x[2], e.price());
        x[3] = e.price();
        x[4] += e.amount();
        x[5]++;
      }
    }
    long wm = ev.get(ev.size() - 1).wm();
    List<Closed> out = new ArrayList<>();
    double prevClose = Double.NaN;
    for (long s = w.firstKey(); tf.windowEnd(s) + AlertStream.GRACE <= wm; s = tf.windowEnd(s)) {
      double[] x = w.get(s);
      long due = tf.windowEnd(s) + AlertStream.GRACE;
      if (x == null) {
        out.add(
            new Closed(s, prevClose, prevClose, prevClose, prevClose, 0, null, tf.windowEnd(s)));
        continue;
      }
      Ev cause = ev.stream().filter(e -> e.wm() >= due).findFirst().orElseThrow();
      out.add(new Closed(s, x[0], x[1], x[2], x[3], x[4], cause, cause.t()));
      prevClose = x[3];
    }
    return out;
  }

  private void candles(JsonObject a, JsonObject c) {
    Timeframe tf = Timeframe.parse(c.getString("tf"));
    List<Closed> all = closed(a.getString("symbol"), tf);
    Life life = new Life(a);
    for (int j = 0; j < all.size(); j++) {
      List<Closed> ring = all.subList(Math.max(0, j - 199), j + 1); // the newest 200 closed windows
      int k = ring.size() - 1;
      Closed w = all.get(j);
      if (life.over || life.expired(w.time()) || k < 1) {
        continue;
      }
      Double value = candleValue(c, ring, k);
      if (value != null && life.fire(w.time())) {
        Ev cause = w.cause();
        boolean trade = cause != null && cause.trade();
        fires.put(
            a.getString("id") + "|c:" + tf.label() + ":" + w.t(),
            new Fire(
                trade ? cause.id() : null,
                trade ? cause.offset() : null,
                w.time(),
                Double.isNaN(value) ? null : value));
      }
    }
  }

  /**
   * The observed value when the condition fires on window k of the ring (NaN: fires, no value),
   * else null.
   */
  private static Double candleValue(JsonObject c, List<Closed> ring, int k) {
    switch (c.getString("kind")) {
      case "volume_spike" -> {
        int n = c.getInteger("n");
        if (k < n) {
          return null;
        }
        double sum = 0;
        for (int j = k - n; j < k; j++) {
          sum += ring.get(j).v();
        }
        double mean = sum / n;
        return ring.get(k).v() > c.getDouble("k") * mean
            ? (mean > 0 ? ring.get(k).v() / mean : Double.NaN)
            : null;
      }
      case "rsi_above", "rsi_below" -> {
        int p = c.getInteger("period");
        if (k - 1 < p) {
          return null;
        }
        double now = rsi(ring, k, p);
        double before = rsi(ring, k - 1, p);
        double lv = c.getDouble("level");
        boolean up = c.getString("kind").equals("rsi_above");
        return (up ? before <= lv && lv < now : before >= lv && lv > now) ? now : null;
      }
      default -> {
        int p = c.getInteger("period");
        if (k - 1 < p - 1) {
          return null;
        }
        double now = sma(ring, k, p);
        double before = sma(ring, k - 1, p);
        double close = ring.get(k).c();
        double prevClose = ring.get(k - 1).c();
        boolean up = c.getString("kind").equals("sma_cross_above");
        return (up ? prevClose <= before && close > now : prevClose >= before && close < now)
            ? close
            : null;
      }
    }
  }

  private static double sma(List<Closed> ring, int k, int p) {
    double sum = 0;
    for (int j = k - p + 1; j <= k; j++) {
      sum += ring.get(j).c();
    }
    return sum / p;
  }

  /** Wilder RSI seeded with the mean of the ring's first p changes. */
  private static double rsi(List<Closed> ring, int k, int p) {
    double g = 0;
    double l = 0;
    for (int j = 1; j <= p; j++) {
      double d = ring.get(j).c() - ring.get(j - 1).c();
      g += Math.max(d, 0);
      l += Math.max(-d, 0);
    }
    g /= p;
    l /= p;
    for (int j = p + 1; j <= k; j++) {
      double d = ring.get(j).c() - ring.get(j - 1).c();
      g = (g * (p - 1) + Math.max(d, 0)) / p;
      l = (l * (p - 1) + Math.max(-d, 0)) / p;
    }
    return g + l == 0 ? 50 : 100 * g / (g + l);
  }
}
