package candlecast.feed;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The gap bookkeeping of one source's {@link TradeGate}: the open gap (trades lost while the log's
 * buffer was full), the most recent closed gaps and their count, and the gap records that mark
 * trades lost for good. Call it from the feed's context only.
 */
final class TradeGaps {
  // The gate's logger: these lines keep the category they had before the split.
  private static final Logger LOG = LoggerFactory.getLogger(TradeGate.class);
  private static final int MAX_GAPS_KEPT = 10;

  private final String source;
  private final TradeLog log;
  private final Deque<JsonObject> gaps = new ArrayDeque<>();
  private Gap openGap;
  private long gapCount;

  private static final class Gap {
    long from = Long.MAX_VALUE;
    long to = Long.MIN_VALUE;
    long count;
  }

  TradeGaps(String source, TradeLog log) {
    this.source = source;
    this.log = log;
  }

  /**
   * Records in the log that {@code symbol}'s trades in [{@code fromMs}, {@code toMs}) may be
   * missing for good (the exchange no longer serves them): candles overlapping the span are marked
   * partial downstream. False when the buffer is full (nothing taken).
   */
  boolean gap(String symbol, long fromMs, long toMs) {
    if (toMs <= fromMs || !log.offer(new LogRecord.GapRecord(symbol, fromMs, toMs))) {
      return toMs <= fromMs;
    }
    LOG.warn(
        "feed {}: {} trades between {} and {} are lost for good (older than the exchange serves); a gap record "
            + "marks the candles they touch as partial",
        source,
        symbol,
        Instant.ofEpochMilli(fromMs),
        Instant.ofEpochMilli(toMs));
    return true;
  }

  /**
   * Counts trades a source lost while the log was full into the open gap (opening one if needed).
   */
  void dropped(long fromTime, long toTime, long count) {
    if (openGap == null) {
      openGap = new Gap();
      LOG.warn(
          "feed {}: Kafka buffer full (records waiting for Kafka reached the bound); recording a gap",
          source);
    }
    openGap.from = Math.min(openGap.from, fromTime);
    openGap.to = Math.max(openGap.to, toTime);
    openGap.count += count;
  }

  boolean isOpen() {
    return openGap != null;
  }

  /**
   * Closes the open gap, if any: logs it and keeps it among the recent gaps with how many trades
   * the source recovered for it ({@code recovered}, -1 = the source cannot recover).
   */
  void close(long recovered) {
    Gap g = openGap;
    if (g == null) {
      return;
    }
    openGap = null;
    gapCount++;
    JsonObject j = new JsonObject().put("from", g.from).put("to", g.to).put("count", g.count);
    if (recovered >= 0) {
      j.put("recovered", recovered);
    }
    gaps.addLast(j);
    while (gaps.size() > MAX_GAPS_KEPT) {
      gaps.removeFirst();
    }
    if (recovered >= 0) {
      LOG.warn(
          "feed {}: gap closed: {} trades from {} to {} were not written while the Kafka buffer was full; {}"
              + " trades recovered for it",
          source,
          g.count,
          g.from,
          g.to,
          recovered);
    } else {
      LOG.warn(
          "feed {}: gap closed: {} trades from {} to {} were not written while the Kafka buffer was full",
          source,
          g.count,
          g.from,
          g.to);
    }
  }

  /** Gaps closed so far. */
  long count() {
    return gapCount;
  }

  /** Adds {@code openGap} and {@code recentGaps} to {@code j} when there are any. */
  void putDetails(JsonObject j) {
    if (openGap != null) {
      j.put(
          "openGap",
          new JsonObject()
              .put("from", openGap.from)
              .put("to", openGap.to)
              .put("count", openGap.count));
    }
    if (!gaps.isEmpty()) {
      j.put("recentGaps", new JsonArray(new ArrayList<>(gaps)));
    }
  }
}
