package candlecast.aggregator;

import candlecast.common.Candle;
import candlecast.common.Timeframe;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;

/**
 * Candles of one series in compact memory: parallel primitive arrays sorted by open time, no object
 * per candle. Keeps at most {@code retentionMs} of history measured back from the newest window (0
 * = unlimited).
 *
 * <p>Only windows with trades are stored. A window without trades is implied: {@link #query}
 * synthesizes it, flat at the close of the stored window before it, with zero volume and zero
 * trades, closed when the series has closed it (its newest closed window, {@link #closedHorizon},
 * is at or after it), partial when it overlaps a span of the symbol's {@link HistoryGaps}; up to
 * the newest window the series has seen ({@link #horizon}, flat ones included). So readers see no
 * holes, while memory depends on the trades only. A trade count is held as an unsigned int (up to
 * 4,294,967,295 trades per window).
 */
public final class SeriesHistory {
  private static final byte CLOSED = 1;
  private static final byte PARTIAL = 2;
  private final String symbol;
  private final Timeframe tf;
  private final long retentionMs;
  private final HistoryGaps gaps;

  /** Open time of the newest window seen, with or without trades (MIN_VALUE: none). */
  private long horizon = Long.MIN_VALUE;

  /** Open time of the newest window seen closed (MIN_VALUE: none). */
  private long closedHorizon = Long.MIN_VALUE;

  private int from; // first live index (trimmed prefix is reclaimed on growth)
  private int size; // one past the last live index
  private long[] t = new long[16];
  private double[] o = new double[16];
  private double[] h = new double[16];
  private double[] l = new double[16];
  private double[] c = new double[16];
  private double[] v = new double[16];
  private int[] n = new int[16];

  /** {@link #CLOSED} and {@link #PARTIAL} bits per candle. */
  private byte[] x = new byte[16];

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

  public int count() {
    return size - from;
  }

  /** Open time of the newest window (stored or implied flat; MIN_VALUE: nothing stored). */
  public long newestOpenTime() {
    return size > from ? Math.max(t[size - 1], horizon) : Long.MIN_VALUE;
  }

  /**
   * The series has closed every window up to {@code openTime} (a restored fold state tells it, see
   * {@link HistoryStore#seed}).
   */
  void closedThrough(long openTime) {
    closedHorizon = Math.max(closedHorizon, openTime);
    horizon = Math.max(horizon, openTime);
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

  /** Inserts or replaces the candle with this open time. */
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
    byte flags = (byte) ((closed ? CLOSED : 0) | (partial ? PARTIAL : 0));
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
    n[i] = (int) Math.min(trades, 0xFFFF_FFFFL);
    x[i] = flags;
  }

  private void trim() {
    if (retentionMs <= 0) {
      return;
    }
    long cutoff = Math.max(t[size - 1], horizon) - retentionMs;
    while (from < size && t[from] < cutoff) {
      from++;
    }
  }

  private void ensureCapacity() {
    if (size < t.length) {
      return;
    }
    int live = size - from;
    // grow by a quarter, not double: a year of 1m candles (525,600) would sit in arrays of
    // 1,048,576
    int newCap = live * 2 >= t.length ? t.length + Math.max(16, t.length >> 2) : t.length;
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

  private int[] move(int[] a, int cap, int live) {
    int[] b = cap == a.length ? a : new int[cap];
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
   * Windows with {@code fromMs <= openTime <= toMs}, the newest {@code limit} of them, oldest
   * first: the stored ones and, between them and up to the newest window, the implied flat ones.
   * Walks back from the newest window in range, so a query costs its limit, never the length of an
   * empty stretch.
   */
  public List<Candle> query(long fromMs, long toMs, int limit) {
    if (size == from) {
      return new ArrayList<>(0);
    }
    long newest = newestOpenTime();
    long w = toMs >= newest ? newest : tf.windowStart(toMs);
    long oldest = Math.max(t[from], fromMs);
    int i = lowerBound(w == Long.MAX_VALUE ? w : w + 1) - 1; // newest stored at or before w
    ArrayList<Candle> out = new ArrayList<>((int) Math.min(limit, 1024));
    while (out.size() < limit && w >= oldest) {
      if (t[i] == w) {
        out.add(stored(i));
        i--;
      } else {
        double flat = c[i]; // t[i] < w: the stored window before it, as w >= t[from]
        out.add(
            new Candle(
                symbol,
                tf,
                w,
                flat,
                flat,
                flat,
                flat,
                0,
                0,
                w <= closedHorizon,
                gaps.overlaps(w, windowEnd(w))));
      }
      w = tf.windowStart(w - 1);
    }
    Collections.reverse(out);
    return out;
  }

  private Candle stored(int i) {
    return new Candle(
        symbol,
        tf,
        t[i],
        o[i],
        h[i],
        l[i],
        c[i],
        v[i],
        Integer.toUnsignedLong(n[i]),
        (x[i] & CLOSED) != 0,
        (x[i] & PARTIAL) != 0);
  }

  /** End of the window opened at {@code openTime} (the one place that knows window lengths). */
  private long windowEnd(long openTime) {
    return openTime + tf.millis();
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
    return (long) t.length * (8 * 6 + 4 + 1);
  }
}
