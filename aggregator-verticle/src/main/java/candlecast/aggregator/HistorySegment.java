package candlecast.aggregator;

import java.util.Arrays;

/**
 * A run of up to {@link #MAX} candles of one {@link SeriesHistory}, sorted by open time, in
 * parallel primitive arrays. Segments keep every array small: no copy of a whole series when it
 * grows, and no array large enough to be a G1 "humongous" object (a year of 1m candles in one
 * {@code long[]} is 4.2 MB, and G1 gives such an array whole regions: measured, twice the heap).
 */
final class HistorySegment {
  /** Candles per segment at most: 8,192 (64 KiB per {@code long[]}). */
  static final int MAX = 8_192;

  /** Bytes per candle slot: open time, five doubles, the trade count (int) and the flags. */
  static final int SLOT_BYTES = 8 * 6 + 4 + 1;

  long[] t;
  double[] o;
  double[] h;
  double[] l;
  double[] c;
  double[] v;
  int[] n;
  byte[] x;
  int len;

  HistorySegment(int capacity) {
    t = new long[capacity];
    o = new double[capacity];
    h = new double[capacity];
    l = new double[capacity];
    c = new double[capacity];
    v = new double[capacity];
    n = new int[capacity];
    x = new byte[capacity];
  }

  int capacity() {
    return t.length;
  }

  boolean full() {
    return len == t.length;
  }

  /** Doubles the capacity (up to {@link #MAX}). */
  void grow() {
    int cap = Math.min(MAX, t.length * 2);
    t = Arrays.copyOf(t, cap);
    o = Arrays.copyOf(o, cap);
    h = Arrays.copyOf(h, cap);
    l = Arrays.copyOf(l, cap);
    c = Arrays.copyOf(c, cap);
    v = Arrays.copyOf(v, cap);
    n = Arrays.copyOf(n, cap);
    x = Arrays.copyOf(x, cap);
  }

  /** Moves the upper half into a new segment, which it returns. */
  HistorySegment split() {
    int keep = len / 2;
    int move = len - keep;
    HistorySegment b = new HistorySegment(MAX);
    System.arraycopy(t, keep, b.t, 0, move);
    System.arraycopy(o, keep, b.o, 0, move);
    System.arraycopy(h, keep, b.h, 0, move);
    System.arraycopy(l, keep, b.l, 0, move);
    System.arraycopy(c, keep, b.c, 0, move);
    System.arraycopy(v, keep, b.v, 0, move);
    System.arraycopy(n, keep, b.n, 0, move);
    System.arraycopy(x, keep, b.x, 0, move);
    b.len = move;
    len = keep;
    return b;
  }

  /** Opens a free slot at {@code i} (the segment is not full). */
  void openAt(int i) {
    int move = len - i;
    System.arraycopy(t, i, t, i + 1, move);
    System.arraycopy(o, i, o, i + 1, move);
    System.arraycopy(h, i, h, i + 1, move);
    System.arraycopy(l, i, l, i + 1, move);
    System.arraycopy(c, i, c, i + 1, move);
    System.arraycopy(v, i, v, i + 1, move);
    System.arraycopy(n, i, n, i + 1, move);
    System.arraycopy(x, i, x, i + 1, move);
    len++;
  }

  void set(
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

  /** Index of the first candle in [{@code from}, len) opened at or after {@code key}. */
  int lowerBound(int from, long key) {
    int lo = from;
    int hi = len;
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

  long bytes() {
    return (long) t.length * SLOT_BYTES;
  }
}
