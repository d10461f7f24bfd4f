package candlecast.bench.e2e;

import io.vertx.core.json.JsonObject;
import java.util.Arrays;

/**
 * The trade-to-client path cut into legs, per measured update (its n-th trade), each from the
 * trade's record timestamp t0 (ms, set by the feed's producer):
 *
 * <ul>
 *   <li>{@code appended}: t0 → a {@code read_uncommitted} reader's poll returns the trade (the
 *       broker appended it; its transaction may be open);
 *   <li>{@code committed}: t0 → a {@code read_committed} reader's poll returns it (as the
 *       aggregator can see it at the earliest);
 *   <li>{@code candleWritten}: t0 → the record timestamp of the 1s candle version holding it, set
 *       when the aggregator sends it to {@code candles} right after the fold (ms resolution on both
 *       ends);
 *   <li>{@code candleToClient}: that candle record's timestamp → the client's receipt (the event
 *       bus, the gateway, the WebSocket; ms resolution at the start).
 * </ul>
 *
 * Readers' clocks are their own polls: a leg is what an independent consumer observes, not the
 * aggregator's internals.
 */
final class Legs {
  private final TradeTimes appended;
  private final TradeTimes committed;
  private final CandleTimes candles;
  private final Series appendedMs = new Series();
  private final Series committedMs = new Series();
  private final Series candleWrittenMs = new Series();
  private final Series candleToClientMs = new Series();

  Legs(TradeTimes appended, TradeTimes committed, CandleTimes candles) {
    this.appended = appended;
    this.committed = committed;
    this.candles = candles;
  }

  /** One update of symbol's window with n trades: t0 and the receipt in µs. */
  void add(String symbol, long windowSec, long n, long t0Micros, long receiptMicros) {
    long a = appended.seenOf(symbol, windowSec, n);
    if (a >= 0) {
      appendedMs.add(a - t0Micros);
    }
    long c = committed.seenOf(symbol, windowSec, n);
    if (c >= 0) {
      committedMs.add(c - t0Micros);
    }
    long k = candles.timestampOf(symbol, windowSec, n);
    if (k >= 0) {
      candleWrittenMs.add(k * 1000 - t0Micros);
      candleToClientMs.add(receiptMicros - k * 1000);
    }
  }

  JsonObject json() {
    return new JsonObject()
        .put("appended", appendedMs.json())
        .put("committed", committedMs.json())
        .put("candleWritten", candleWrittenMs.json())
        .put("candleToClient", candleToClientMs.json());
  }

  /** Values in µs; percentiles reported in ms. */
  private static final class Series {
    private long[] v = new long[1024];
    private int n;

    void add(long micros) {
      if (n == v.length) {
        v = Arrays.copyOf(v, n * 2);
      }
      v[n++] = micros;
    }

    JsonObject json() {
      long[] s = Arrays.copyOf(v, n);
      Arrays.sort(s);
      return new JsonObject()
          .put("count", n)
          .put("p50", EndToEnd.pct(s, 50))
          .put("p90", EndToEnd.pct(s, 90))
          .put("p99", EndToEnd.pct(s, 99));
    }
  }
}
