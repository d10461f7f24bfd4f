package candlecast.aggregator;

import candlecast.common.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.LongUnaryOperator;

/**
 * The ranges of one series already asked of the exchange (deep history): disjoint, merged ranges of
 * window open times, inclusive at both ends. A range is added once its bars are stored, also when
 * the exchange had none, so the same range is never asked twice. Its JSON form is the value of the
 * series' {@code candles.fetched} record.
 */
final class FetchedRanges {
  /** Open time of each range's first window → open time of its last window. */
  private final TreeMap<Long, Long> ranges = new TreeMap<>();

  /**
   * Adds [{@code from}, {@code to}], merging with overlapping or adjacent ranges ({@code next}
   * gives the open time of the window after a window: adjacent ranges touch through it).
   */
  void add(long from, long to, LongUnaryOperator next) {
    long lo = from;
    long hi = to;
    Map.Entry<Long, Long> e = ranges.floorEntry(next.applyAsLong(hi));
    while (e != null && next.applyAsLong(e.getValue()) >= lo) {
      lo = Math.min(lo, e.getKey());
      hi = Math.max(hi, e.getValue());
      ranges.remove(e.getKey());
      e = ranges.floorEntry(next.applyAsLong(hi));
    }
    ranges.put(lo, hi);
  }

  /**
   * The parts of [{@code from}, {@code to}] not yet fetched, oldest first; each starts at a window
   * ({@code from} or the window after a fetched range, {@code next} as in {@link #add}).
   */
  List<long[]> missing(long from, long to, LongUnaryOperator next) {
    List<long[]> out = new ArrayList<>();
    long cursor = from;
    Map.Entry<Long, Long> before = ranges.floorEntry(from);
    if (before != null && before.getValue() >= from) {
      cursor = next.applyAsLong(before.getValue());
    }
    for (Map.Entry<Long, Long> r : ranges.tailMap(from, false).entrySet()) {
      if (cursor > to || r.getKey() > to) {
        break;
      }
      if (r.getKey() > cursor) {
        out.add(new long[] {cursor, r.getKey() - 1});
      }
      cursor = Math.max(cursor, next.applyAsLong(r.getValue()));
    }
    if (cursor <= to) {
      out.add(new long[] {cursor, to});
    }
    return out;
  }

  boolean isEmpty() {
    return ranges.isEmpty();
  }

  JsonObject toJson(String symbol, String tf) {
    JsonArray a = new JsonArray();
    ranges.forEach((k, v) -> a.add(new JsonArray().add(k).add(v)));
    return new JsonObject().put("symbol", symbol).put("tf", tf).put("ranges", a);
  }

  /**
   * Reads a record's value.
   *
   * @throws DecodeException when it is not {@code {"ranges":[[from,to],...]}}
   */
  static FetchedRanges fromJson(JsonObject j) {
    FetchedRanges r = new FetchedRanges();
    if (!(j.getValue("ranges") instanceof JsonArray a)) {
      throw new DecodeException("fetched ranges: field 'ranges' must be an array");
    }
    for (Object o : a) {
      if (!(o instanceof JsonArray pair)
          || pair.size() != 2
          || !(pair.getValue(0) instanceof Number f)
          || !(pair.getValue(1) instanceof Number t)
          || f.longValue() > t.longValue()) {
        throw new DecodeException("fetched ranges: malformed range " + o);
      }
      r.add(f.longValue(), t.longValue(), x -> x + 1);
    }
    return r;
  }
}
