package candlecast.aggregator;

import candlecast.common.Candle;
import candlecast.common.CandleSource;
import candlecast.common.Timeframe;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Candles of one series in compact memory: parallel primitive arrays sorted by open time, no object
 * per candle. Keeps at most {@code retentionMs} of history measured back from the newest candle (0
 * = unlimited). Each candle keeps its origin ({@link CandleSource}) in two flag bits: a candle
 * downloaded from the exchange or imported never replaces one folded from trades ({@link #putBar}).
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
  private int from; // first live index (trimmed prefix is reclaimed on growth)
  private int size; // one past the last live index
  private long[] t = new long[16];
  private double[] o = new double[16];
  private double[] h = new double[16];
  private double[] l = new double[16];
  private double[] c = new double[16];
  private double[] v = new double[16];
  private long[] n = new long[16];

  /** {@link #CLOSED}, {@link #PARTIAL} and source ({@link #SOURCE_BITS}) bits per candle. */
  private byte[] x = new byte[16];

  /** Oldest open time of a trades candle ever put here (also after retention trimmed it). */
  private long oldestTrades = Long.MAX_VALUE;

  public SeriesHistory(String symbol, Timeframe tf, long retentionMs) {
    this.symbol = symbol;
    this.tf = tf;
    this.retentionMs = retentionMs;
  }

  public int count() {
    return size - from;
  }

  public long newestOpenTime() {
    return size > from ? t[size - 1] : Long.MIN_VALUE;
  }

  public long oldestOpenTime() {
    return size > from ? t[from] : Long.MIN_VALUE;
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

  /** Inserts or replaces the candle with this open time (folded from trades). */
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
    oldestTrades = Math.min(oldestTrades, openTime);
    byte flags = (byte) ((closed ? CLOSED : 0) | (partial ? PARTIAL : 0));
    put(openTime, open, high, low, close, volume, trades, flags);
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
    return putBar(c);
  }

  private boolean putBar(Candle c) {
    if (holdsTrades(c.openTime())) {
      return false;
    }
    byte flags =
        (byte)
            ((c.closed() ? CLOSED : 0)
                | (c.partial() ? PARTIAL : 0)
                | (c.src() == CandleSource.EXCHANGE ? EXCHANGE : IMPORT));
    put(c.openTime(), c.open(), c.high(), c.low(), c.close(), c.volume(), c.trades(), flags);
    return true;
  }

  /** Whether a candle folded from trades holds the window opening at {@code openTime}. */
  public boolean holdsTrades(long openTime) {
    int i = size > from ? Arrays.binarySearch(t, from, size, openTime) : -1;
    return i >= 0 && (x[i] & SOURCE_BITS) == 0;
  }

  /**
   * Oldest open time of a candle folded from trades ever stored here, retention notwithstanding;
   * {@link Long#MAX_VALUE} when none.
   */
  public long oldestTradesOpenTime() {
    return oldestTrades;
  }

  private void put(
      long openTime,
      double open,
      double high,
      double low,
      double close,
      double volume,
      long trades,
      byte flags) {
    int i;
    if (size > from && openTime <= t[size - 1]) {
      i = Arrays.binarySearch(t, from, size, openTime);
      if (i >= 0) {
        set(i, openTime, open, high, low, close, volume, trades, flags);
        return;
      }
      i = -i - 1;
      if (i == from && retentionMs > 0 && openTime < t[size - 1] - retentionMs) {
        return; // older than the retention: not kept
      }
      ensureCapacity();
      i = Arrays.binarySearch(t, from, size, openTime);
      i = -i - 1;
      int move = size - i;
      shift(i, move);
      size++;
      set(i, openTime, open, high, low, close, volume, trades, flags);
      return;
    }
    ensureCapacity();
    set(size, openTime, open, high, low, close, volume, trades, flags);
    size++;
    trim();
  }

  private void shift(int i, int move) {
    System.arraycopy(t, i, t, i + 1, move);
    System.arraycopy(o, i, o, i + 1, move);
    System.arraycopy(h, i, h, i + 1, move);
    System.arraycopy(l, i, l, i + 1, move);
    System.arraycopy(c, i, c, i + 1, move);
    System.arraycopy(v, i, v, i + 1, move);
    System.arraycopy(n, i, n, i + 1, move);
    System.arraycopy(x, i, x, i + 1, move);
  }

  private void set(
      int i,
      long openTime,
      double open,
      double high,
      double low,
      double close,
      double volume,
      long trades,
      byte flags) {
    t[i] = openTime;
    o[i] = open;
    h[i] = high;
    l[i] = low;
    c[i] = close;
    v[i] = volume;
    n[i] = trades;
    x[i] = flags;
  }

  private void trim() {
    if (retentionMs <= 0) {
      return;
    }
    long cutoff = t[size - 1] - retentionMs;
    while (from < size && t[from] < cutoff) {
      from++;
    }
  }

  private void ensureCapacity() {
    if (size < t.length) {
      return;
    }
    int live = size - from;
    int newCap = live * 2 >= t.length ? t.length * 2 : t.length;
    t = move(t, newCap, live);
    o = move(o, newCap, live);
    h = move(h, newCap, live);
    l = move(l, newCap, live);
    c = move(c, newCap, live);
    v = move(v, newCap, live);
    n = move(n, newCap, live);
    x = move(x, newCap, live);
    size = live;
    from = 0;
  }

  private long[] move(long[] a, int cap, int live) {
    long[] b = cap == a.length ? a : new long[cap];
    System.arraycopy(a, from, b, 0, live);
    return b;
  }

  private double[] move(double[] a, int cap, int live) {
    double[] b = cap == a.length ? a : new double[cap];
    System.arraycopy(a, from, b, 0, live);
    return b;
  }

  private byte[] move(byte[] a, int cap, int live) {
    byte[] b = cap == a.length ? a : new byte[cap];
    System.arraycopy(a, from, b, 0, live);
    return b;
  }

  /**
   * Candles with {@code fromMs <= openTime <= toMs}, the newest {@code limit} of them, oldest
   * first.
   */
  public List<Candle> query(long fromMs, long toMs, int limit) {
    int lo = lowerBound(fromMs);
    int hi = lowerBound(toMs == Long.MAX_VALUE ? Long.MAX_VALUE : toMs + 1); // exclusive
    if (hi - lo > limit) {
      lo = hi - limit;
    }
    List<Candle> out = new ArrayList<>(Math.max(0, hi - lo));
    for (int i = lo; i < hi; i++) {
      out.add(
          new Candle(
              symbol,
              tf,
              t[i],
              o[i],
              h[i],
              l[i],
              c[i],
              v[i],
              n[i],
              (x[i] & CLOSED) != 0,
              (x[i] & PARTIAL) != 0,
              sourceOf(x[i])));
    }
    return out;
  }

  private static CandleSource sourceOf(byte flags) {
    if ((flags & EXCHANGE) != 0) {
      return CandleSource.EXCHANGE;
    }
    return (flags & IMPORT) != 0 ? CandleSource.IMPORT : CandleSource.TRADES;
  }

  private int lowerBound(long key) {
    int lo = from;
    int hi = size;
    while (lo < hi) {
      int mid = (lo + hi) >>> 1;
      if (t[mid] < key) {
        lo = mid + 1;
      } else {
        hi = mid;
      }
    }
    return lo;
  }

  /** Bytes held by the arrays (capacity, not just live entries). */
  public long memoryBytes() {
    return (long) t.length * (8 * 7 + 1);
  }
}
