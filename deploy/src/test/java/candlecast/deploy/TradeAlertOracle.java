package candlecast.deploy;

import candlecast.common.TradeCodec;
import candlecast.common.TradeRecord;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * The fires of trade-driven alerts ({@code price_*}, {@code move_*}) computed offline from the
 * {@code trades} log and the alert records in {@code alerts}, plainly from the contract
 * (docs/PROTOCOL.md "Alerts"): a fire id is {@code <alertId>|t:<offset>} of the crossing trade.
 * Duplicate trade ids of a symbol are skipped (the aggregator folds a trade once).
 */
final class TradeAlertOracle {
  /** The trade a fire names and the alert's fire number. */
  record Fire(String symbol, long tradeId, long offset, long t, double price, int seq) {}

  /** A folded trade with its partition offset. */
  record T(long offset, long id, long t, double price) {}

  private final Map<String, List<T>> trades = new LinkedHashMap<>();

  /** From {@code trades} records (any partitions; each symbol lives in one). */
  TradeAlertOracle(List<ConsumerRecord<String, byte[]>> log) {
    Map<String, Set<Long>> seen = new LinkedHashMap<>();
    for (ConsumerRecord<String, byte[]> r : log) {
      if (r.value() != null && TradeCodec.decode(r.value()) instanceof TradeRecord tr) {
        var t = tr.trade();
        if (seen.computeIfAbsent(r.key(), s -> new HashSet<>()).add(t.id())) {
          trades
              .computeIfAbsent(r.key(), s -> new ArrayList<>())
              .add(new T(r.offset(), t.id(), t.time(), t.price()));
        }
      }
    }
  }

  /** The largest trade offset of the symbol in the log (-1 when none). */
  long lastOffset(String symbol) {
    List<T> l = trades.getOrDefault(symbol, List.of());
    return l.isEmpty() ? -1 : l.get(l.size() - 1).offset();
  }

  /** The latest value of every alert in {@code alerts} (tombstones drop it). */
  static Map<String, JsonObject> alerts(List<ConsumerRecord<String, byte[]>> records) {
    Map<String, JsonObject> out = new LinkedHashMap<>();
    for (ConsumerRecord<String, byte[]> r : records) {
      if (r.value() == null) {
        out.remove(r.key());
      } else {
        out.put(
            r.key(),
            new JsonObject(new String(r.value(), java.nio.charset.StandardCharsets.UTF_8)));
      }
    }
    return out;
  }

  /** Every fire of the alerts, by fire id. */
  Map<String, Fire> fires(Iterable<JsonObject> alerts) {
    Map<String, Fire> out = new LinkedHashMap<>();
    for (JsonObject a : alerts) {
      String kind = a.getJsonObject("condition").getString("kind");
      List<T> l = trades.getOrDefault(a.getString("symbol"), List.of());
      if (kind.startsWith("price_")) {
        price(a, l, out);
      } else if (kind.startsWith("move_")) {
        move(a, l, out);
      } else {
        throw new IllegalArgumentException("not a trade-driven kind: " + kind);
      }
    }
    return out;
  }

  /** Once / rearm with cool-down (no expiry in these tests). */
  private static final class Life {
    final boolean rearm;
    final long cooldown;
    int seq;
    long last;
    boolean over;

    Life(JsonObject a) {
      rearm = "rearm".equals(a.getString("mode"));
      cooldown = a.getLong("cooldownMs", 60_000L);
      if (a.getValue("expiresAt") != null) {
        throw new IllegalArgumentException("expiry is not modelled");
      }
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

  private static void put(Map<String, Fire> out, JsonObject a, T e, Life life) {
    out.put(
        a.getString("id") + "|t:" + e.offset(),
        new Fire(a.getString("symbol"), e.id(), e.offset(), e.t(), e.price(), life.seq));
  }

  private static void price(JsonObject a, List<T> l, Map<String, Fire> out) {
    boolean above = a.getJsonObject("condition").getString("kind").equals("price_above");
    double level = a.getJsonObject("condition").getDouble("level");
    long from = a.getLong("fromOffset");
    Life life = new Life(a);
    double prev = Double.NaN;
    for (T e : l) {
      if (e.offset() >= from && !Double.isNaN(prev)) {
        boolean cross =
            above ? e.price() >= level && prev < level : e.price() <= level && prev > level;
        if (cross && life.fire(e.t())) {
          put(out, a, e, life);
        }
      }
      prev = e.price();
    }
  }

  private static void move(JsonObject a, List<T> l, Map<String, Fire> out) {
    JsonObject c = a.getJsonObject("condition");
    boolean up = c.getString("kind").equals("move_up");
    double pct = c.getDouble("pct");
    Object w = c.getValue("window");
    long window =
        w instanceof String text
            ? Long.parseLong(text.substring(0, text.length() - 1))
                * (text.endsWith("s") ? 1000 : text.endsWith("m") ? 60_000 : 3_600_000)
            : ((Number) w).longValue();
    long from = a.getLong("fromOffset");
    Life life = new Life(a);
    List<T> group = new ArrayList<>();
    List<Long> clock = new ArrayList<>(); // event time after each trade (never goes back)
    boolean held = false;
    for (T e : l) {
      if (e.offset() < from) {
        continue;
      }
      group.add(e);
      clock.add(Math.max(clock.isEmpty() ? Long.MIN_VALUE : clock.get(clock.size() - 1), e.t()));
      long now = clock.get(clock.size() - 1);
      double lo = Double.POSITIVE_INFINITY;
      double hi = Double.NEGATIVE_INFINITY;
      for (int j = group.size() - 1; j >= 0 && clock.get(j) >= now - window; j--) {
        lo = Math.min(lo, group.get(j).price());
        hi = Math.max(hi, group.get(j).price());
      }
      boolean holds = up ? e.price() >= lo * (1 + pct / 100) : e.price() <= hi * (1 - pct / 100);
      if (holds && !held && life.fire(e.t())) {
        put(out, a, e, life);
      }
      held = holds;
    }
  }
}
