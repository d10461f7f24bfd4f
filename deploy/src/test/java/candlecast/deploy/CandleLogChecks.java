package candlecast.deploy;

import candlecast.common.Candle;
import candlecast.common.CandleCodec;
import candlecast.common.Topics;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * What {@link FailoverIT} reads back from the {@code candles} topic of the local cluster's broker.
 */
final class CandleLogChecks {
  private CandleLogChecks() {}

  /**
   * The closed value of every key in the log; each key holding two different closed values goes to
   * conflicts.
   */
  static Map<String, JsonObject> closedValues(String bootstrap, List<String> conflicts) {
    Map<String, JsonObject> closedValue = new HashMap<>();
    for (ConsumerRecord<String, byte[]> r : StackFixture.readAll(bootstrap, Topics.CANDLES)) {
      if (r.value() == null || isGap(r.key())) {
        continue;
      }
      JsonObject c = CandleCodec.toJson(CandleCodec.decode(r.value()));
      if (Boolean.TRUE.equals(c.getBoolean("x"))) {
        JsonObject prev = closedValue.putIfAbsent(r.key(), c);
        if (prev != null && !prev.equals(c)) {
          conflicts.add(r.key() + ": " + prev.encode() + " vs " + c.encode());
        }
      }
    }
    return closedValue;
  }

  /** A gap span record of the {@code candles} topic (key {@code SYMBOL|gap|from|to}). */
  static boolean isGap(String key) {
    return key != null && key.contains("|gap|");
  }

  /**
   * Keys whose latest value in the log differs from the expected one, or that are not expected at
   * all. Only windows with trades are stored (flat windows are implied): the expected windows
   * without trades are left out.
   */
  static List<String> differences(Map<String, Candle> expectedAll, String bootstrap) {
    Map<String, Candle> expected = new HashMap<>();
    expectedAll.forEach(
        (k, c) -> {
          if (c.trades() > 0) {
            expected.put(k, c);
          }
        });
    Map<String, Candle> actual = new HashMap<>();
    for (ConsumerRecord<String, byte[]> r : StackFixture.readAll(bootstrap, Topics.CANDLES)) {
      if (!isGap(r.key())) {
        actual.put(r.key(), r.value() == null ? null : CandleCodec.decode(r.value()));
      }
    }
    List<String> diff = new ArrayList<>();
    for (Map.Entry<String, Candle> e : expected.entrySet()) {
      if (!e.getValue().equals(actual.get(e.getKey()))) {
        diff.add(e.getKey() + ": expected " + e.getValue() + " got " + actual.get(e.getKey()));
      }
    }
    for (String k : actual.keySet()) {
      if (!expected.containsKey(k)) {
        diff.add(k + ": not derived by the oracle");
      }
    }
    return diff;
  }

  /**
   * A candle record's JSON (short field names) as the values a client holds (see {@link
   * ResumingClient#values}).
   */
  static JsonObject fromRecord(JsonObject k) {
    return new JsonObject()
        .put("t", k.getLong("t"))
        .put("open", k.getDouble("o"))
        .put("high", k.getDouble("h"))
        .put("low", k.getDouble("l"))
        .put("close", k.getDouble("c"))
        .put("volume", k.getDouble("v"))
        .put("trades", k.getLong("n"));
  }

  /** The closed values of one series ({@code prefix}: {@code SYMBOL|tf|}) by open time. */
  static NavigableMap<Long, JsonObject> series(Map<String, JsonObject> closedValue, String prefix) {
    NavigableMap<Long, JsonObject> out = new TreeMap<>();
    closedValue.forEach(
        (k, c) -> {
          if (k.startsWith(prefix)) {
            out.put(c.getLong("t"), c);
          }
        });
    return out;
  }

  /**
   * The values a client holds for the implied flat window at {@code t}: the close of the stored
   * window before it, no volume, no trades (null when none is stored before it).
   */
  static JsonObject impliedFlat(NavigableMap<Long, JsonObject> stored, long t) {
    Map.Entry<Long, JsonObject> before = stored.lowerEntry(t);
    if (before == null) {
      return null;
    }
    double close = before.getValue().getDouble("c");
    return new JsonObject()
        .put("t", t)
        .put("open", close)
        .put("high", close)
        .put("low", close)
        .put("close", close)
        .put("volume", 0.0)
        .put("trades", 0L);
  }
}
