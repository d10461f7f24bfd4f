package candlecast.aggregator;

import candlecast.common.Candle;
import candlecast.common.CandleSource;
import candlecast.common.Timeframe;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Candles of one series in compact memory: segments of parallel primitive arrays ({@link
 * HistorySegment}) sorted by open time, no object per candle. Keeps at most {@code retentionMs} of
 * history measured back from the newest window (0 = unlimited).
 *
 * <p>Only windows with trades are stored. A window without trades is implied: {@link #query}
 * synthesizes it, flat at the close of the stored window before it, with zero volume and zero
 * trades, closed when the series has closed it (its newest closed window, {@link #closedHorizon},
 * is at or after it), partial when it overlaps a span of the symbol's {@link HistoryGaps}; up to
 * the newest window the series has seen ({@link #horizon}, flat ones included). So readers see no
 * holes, while memory depends on the trades only. Nothing is implied after a downloaded or imported
 * bar (a daily stock series has no weekend days). A trade count is held as an unsigned int (up to
 * 4,294,967,295 trades per window).
 *
 * <p>Each candle keeps its origin ({@link CandleSource}) in two flag bits: a candle downloaded from
 * the exchange or imported (no trade count, stored although its trades are 0) never replaces one
 * folded from trades ({@link #putCandle}).
 */
public final class SeriesHistory {
  private static final byte CLOSED = 1;
  private static final byte PARTIAL = 2;
  private static final byte EXCHANGE = 4;
  private static final byte IMPORT = 8;
  private static final byte SOURCE_BITS = EXCHANGE | IMPORT;
  private final String symbol;
  private final Timeframe tf;
  private final long retentionMs;
  private final HistoryGaps gaps;

  /** Open time of the newest window seen, with or without trades (MIN_VALUE: none). */
  private long horizon = Long.MIN_VALUE;

  /** Open time of the newest window seen closed (MIN_VALUE: none). */
  private long closedHorizon = Long.MIN_VALUE;

  /** The segments, oldest first; the live candles of the first start at {@link #first}. */
  private final ArrayList<HistorySegment> segs = new ArrayList<>();

  private int first;
  private int count;

  /** Oldest open time of a trades candle ever put here (also after retention trimmed it). */
  private long oldestTrades = Long.MAX_VALUE;

  public SeriesHistory(String symbol, Timeframe tf, long retentionMs) {
    this(symbol, tf, retentionMs, new HistoryGaps());
  }

  SeriesHistory(String symbol, Timeframe tf, long retentionMs, HistoryGaps gaps) {
    this.symbol = symbol;
    this.tf = tf;
    this.retentionMs = retentionMs;
    this.gaps = gaps;
  }

  HistoryGaps gaps() {
    return gaps;
  }

  /** Candles stored (windows with trades). */
  public int count() {
    return count;
  }

  /** Open time of the newest window (stored or implied flat; MIN_VALUE: nothing stored). */
  public long newestOpenTime() {
    if (count == 0) {
      return Long.MIN_VALUE;
    }
    HistorySegment last = segs.get(segs.size() - 1);
    return Math.max(last.t[last.len - 1], horizon);
  }

  /**
   * The series has closed every window up to {@code openTime} (a restored fold state tells it, see
   * {@link HistoryStore#seed}).
   */
  void closedThrough(long openTime) {
    closedHorizon = Math.max(closedHorizon, openTime);
    horizon = Math.max(horizon, openTime);
  }

  /** Open time of the newest window seen closed (MIN_VALUE: none), implied flat ones included. */
  public long newestClosedOpenTime() {
    return closedHorizon;
  }

  public long oldestOpenTime() {
    return count > 0 ? segs.get(0).t[first] : Long.MIN_VALUE;
  }

  /** Inserts or replaces the candle with this open time (not partial). */
  public void put(
      long openTime,
      double open,
      double high,
      double low,
      double close,
      double volume,
      long trades,
      boolean closed) {
    put(openTime, open, high, low, close, volume, trades, closed, false);
  }

  /**
   * Inserts or replaces the candle with this open time; a window without trades only moves the
   * newest (and newest closed) window.
   */
  public void put(
      long openTime,
      double open,
      double high,
      double low,
      double close,
      double volume,
      long trades,
      boolean closed,
      boolean partial) {
    horizon = Math.max(horizon, openTime);
    if (closed) {
      closedHorizon = Math.max(closedHorizon, openTime);
    }
    if (trades == 0) {
      return; // implied: synthesized by query
    }
    oldestTrades = Math.min(oldestTrades, openTime);
    byte flags = (byte) ((closed ? CLOSED : 0) | (partial ? PARTIAL : 0));
    store(openTime, open, high, low, close, volume, trades, flags);
  }

  /**
   * Stores a candle of any origin: a trades candle as {@link #put}, a downloaded or imported one
   * only when no trades candle holds its window.
   *
   * @return false when a trades candle holds the window (nothing changed)
   */
  public boolean putCandle(Candle c) {
    if (c.fromTrades()) {
      put(
          c.openTime(),
          c.open(),
          c.high(),
          c.low(),
          c.close(),
          c.volume(),
          c.trades(),
          c.closed(),
          c.partial());
      return true;
    }
    if (holdsTrades(c.openTime())) {
      return false;
    }
    horizon = Math.max(horizon, c.openTime());
    if (c.closed()) {
      closedHorizon = Math.max(closedHorizon, c.openTime());
    }
    byte flags =
        (byte)
            ((c.closed() ? CLOSED : 0)
                | (c.partial() ? PARTIAL : 0)
                | (c.src() == CandleSource.EXCHANGE ? EXCHANGE : IMPORT));
    store(c.openTime(), c.open(), c.high(), c.low(), c.close(), c.volume(), c.trades(), flags);
    return true;
  }

  /** Whether a candle folded from trades holds the window opening at {@code openTime}. */
  public boolean holdsTrades(long openTime) {
    int k = count == 0 ? -1 : floorSegment(openTime);
    if (k < 0) {
      return false;
    }
    HistorySegment seg = segs.get(k);
    int i = seg.lowerBound(k == 0 ? first : 0, openTime);
    return i < seg.len && seg.t[i] == openTime && (seg.x[i] & SOURCE_BITS) == 0;
  }

  /**
   * Oldest open time of a candle folded from trades ever stored here, retention notwithstanding;
   * {@link Long#MAX_VALUE} when none.
   */
  public long oldestTradesOpenTime() {
    return oldestTrades;
  }

  private void store(
      long openTime,
      double open,
      double high,
      double low,
      double close,
      double volume,
      long trades,
      byte flags) {
    if (count == 0) {
      segs.clear();
      segs.add(new HistorySegment(16));
      first = 0;
    }
    HistorySegment last = segs.get(segs.size() - 1);
    if (last.len == 0 || openTime > last.t[last.len - 1]) {
      append(openTime, open, high, low, close, volume, trades, flags);
      trim();
      return;
    }
    int k = floorSegment(openTime);
    if (k < 0) {
      if (retentionMs > 0 && openTime < newestOpenTime() - retentionMs) {
        return; // older than the retention: not kept
      }
      k = 0;
    }
    HistorySegment seg = segs.get(k);
    int i = seg.lowerBound(k == 0 ? first : 0, openTime);
    if (i < seg.len && seg.t[i] == openTime) {
      seg.set(i, openTime, open, high, low, close, volume, trades, flags);
      return;
    }
    insert(k, i, openTime, open, high, low, close, volume, trades, flags);
  }

  private void append(
      long openTime,
      double open,
      double high,
      double low,
      double close,
      double volume,
      long trades,
      byte flags) {
    HistorySegment last = segs.get(segs.size() - 1);
    if (last.full()) {
      if (last.capacity() < HistorySegment.MAX) {
        last.grow();
      } else {
        last = new HistorySegment(16); // grows like the first: a series' tail wastes little
        segs.add(last);
      }
    }
    last.set(last.len++, openTime, open, high, low, close, volume, trades, flags);
    count++;
  }

  /** Inserts at index {@code i} of segment {@code k} (an out-of-order candle: rare). */
  private void insert(
      int k,
      int i,
      long openTime,
      double open,
      double high,
      double low,
      double close,
      double volume,
      long trades,
      byte flags) {
    HistorySegment seg = segs.get(k);
    if (seg.full()) {
      if (seg.capacity() < HistorySegment.MAX) {
        seg.grow();
      } else {
        HistorySegment upper = seg.split();
        segs.add(k + 1, upper);
        if (i > seg.len) {
          i -= seg.len;
          seg = upper;
        }
      }
    }
    seg.openAt(i);
    seg.set(i, openTime, open, high, low, close, volume, trades, flags);
    count++;
  }

  /** Drops the candles older than the retention, measured back from the newest window. */
  private void trim() {
    if (retentionMs <= 0) {
      return;
    }
    long cutoff = newestOpenTime() - retentionMs;
    while (count > 1 && segs.get(0).t[first] < cutoff) {
      first++;
      count--;
      if (first == segs.get(0).len) {
        segs.remove(0);
        first = 0;
      }
    }
  }

  /** The last segment whose oldest live candle opened at or before {@code time}; -1: none. */
  private int floorSegment(long time) {
    int lo = 0;
    int hi = segs.size();
    while (lo < hi) {
      int mid = (lo + hi) >>> 1;
      HistorySegment s = segs.get(mid);
      if (s.t[mid == 0 ? first : 0] <= time) {
        lo = mid + 1;
      } else {
        hi = mid;
      }
    }
    return lo - 1;
  }

  /**
   * Windows with {@code fromMs <= openTime <= toMs}, the newest {@code limit} of them, oldest
   * first: the stored ones and, between them and up to the newest window, the implied flat ones.
   * Walks back from the newest window in range, so a query costs its limit, never the length of an
   * empty stretch.
   */
  public List<Candle> query(long fromMs, long toMs, int limit) {
    if (count == 0) {
      return new ArrayList<>(0);
    }
    long newest = newestOpenTime();
    long w = toMs >= newest ? newest : tf.windowStart(toMs);
    long oldest = Math.max(oldestOpenTime(), fromMs);
    ArrayList<Candle> out = new ArrayList<>((int) Math.min(limit, 1024));
    if (w < oldest) {
      return out;
    }
    int k = floorSegment(w); // >= 0: w >= the oldest candle
    HistorySegment seg = segs.get(k);
    int i = seg.lowerBound(k == 0 ? first : 0, w == Long.MAX_VALUE ? w : w + 1) - 1;
    while (out.size() < limit && w >= oldest) {
      if (seg.t[i] == w) {
        out.add(stored(seg, i));
        if (--i < (k == 0 ? first : 0) && k > 0) {
          seg = segs.get(--k);
          i = seg.len - 1;
        }
      } else if ((seg.x[i] & SOURCE_BITS) != 0) {
        // after a downloaded or imported bar nothing is implied: such series have no trades to
        // vouch for a quiet window (a stock's weekend is no flat day), so go straight to the bar
        w = seg.t[i];
        continue;
      } else {
        out.add(flat(w, seg.c[i])); // seg.t[i] < w: the stored window before it
      }
      w = tf.windowStart(w - 1);
    }
    Collections.reverse(out);
    return out;
  }

  private Candle stored(HistorySegment s, int i) {
    return new Candle(
        symbol,
        tf,
        s.t[i],
        s.o[i],
        s.h[i],
        s.l[i],
        s.c[i],
        s.v[i],
        Integer.toUnsignedLong(s.n[i]),
        (s.x[i] & CLOSED) != 0,
        (s.x[i] & PARTIAL) != 0,
        sourceOf(s.x[i]));
  }

  private static CandleSource sourceOf(byte flags) {
    if ((flags & EXCHANGE) != 0) {
      return CandleSource.EXCHANGE;
    }
    return (flags & IMPORT) != 0 ? CandleSource.IMPORT : CandleSource.TRADES;
  }

  private Candle flat(long w, double close) {
    return new Candle(
        symbol,
        tf,
        w,
        close,
        close,
        close,
        close,
        0,
        0,
        w <= closedHorizon,
        gaps.overlaps(w, windowEnd(w)));
  }

  /** End of the window opened at {@code openTime} (the one place that knows window lengths). */
  private long windowEnd(long openTime) {
    return tf.windowEnd(openTime);
  }

  /** Bytes held by the arrays (capacity, not just live entries). */
  public long memoryBytes() {
    long sum = 0;
    for (HistorySegment s : segs) {
      sum += s.bytes();
    }
    return sum;
  }
}
