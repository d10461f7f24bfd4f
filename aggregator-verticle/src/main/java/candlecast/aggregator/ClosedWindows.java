package candlecast.aggregator;

import candlecast.common.Timeframe;

/**
 * The closed windows of one {@link WindowRing} that a gap record arriving later can still mark
 * partial: the newest {@link #KEPT} closed windows <em>with trades</em>, in primitive arrays,
 * oldest first. Windows without trades need no room: a closed flat window has the close of the
 * nearest earlier window with trades (or {@link #baseClose} when that one is no longer kept), zero
 * volume and zero trades, so every closed window from {@link #floor} on can be rebuilt exactly.
 * Older closed windows are forgotten; a gap reaching back to them is reported, not silently
 * ignored.
 */
final class ClosedWindows {
  /** Closed windows with trades kept per timeframe. */
  static final int KEPT = 16;

  private final Timeframe tf;
  final long[] start = new long[KEPT];
  final double[] o = new double[KEPT];
  final double[] h = new double[KEPT];
  final double[] l = new double[KEPT];
  final double[] c = new double[KEPT];
  final double[] v = new double[KEPT];
  final long[] n = new long[KEPT];
  private int head;
  private int count;

  /**
   * Start of the oldest closed window that can be rebuilt; MIN_VALUE while no closed window was
   * forgotten.
   */
  private long knownFrom = Long.MIN_VALUE;

  /**
   * Close of the window before {@link #knownFrom}: flat windows before the oldest kept one show it.
   */
  private double baseClose;

  ClosedWindows(Timeframe tf) {
    this.tf = tf;
  }

  int count() {
    return count;
  }

  long knownFrom() {
    return knownFrom;
  }

  double baseClose() {
    return baseClose;
  }

  /** The array index of kept window {@code k} (0 = oldest). */
  int slot(int k) {
    int s = head + k;
    return s >= KEPT ? s - KEPT : s;
  }

  /**
   * Starts over from a checkpoint: nothing kept, windows before {@code from} forgotten (MIN_VALUE:
   * none).
   */
  void reset(long from, double close) {
    head = 0;
    count = 0;
    knownFrom = from;
    baseClose = close;
  }

  /** A window just closed (windows close in order). Only windows with trades take room. */
  void closed(
      long windowStart,
      double open,
      double high,
      double low,
      double close,
      double volume,
      long trades) {
    if (trades == 0) {
      return;
    }
    if (count == KEPT) {
      int s = head; // forget the oldest: the windows up to the next kept one are flat at its close
      knownFrom = tf.windowEnd(start[s]);
      baseClose = c[s];
      head = head + 1 == KEPT ? 0 : head + 1;
      count--;
    }
    int s = slot(count);
    start[s] = windowStart;
    o[s] = open;
    h[s] = high;
    l[s] = low;
    c[s] = close;
    v[s] = volume;
    n[s] = trades;
    count++;
  }

  /**
   * The start of the oldest closed window that can be rebuilt, given that the newest closed window
   * started at {@code newestClosed} (MIN_VALUE: none closed yet, nothing to rebuild).
   */
  long floor(long newestClosed) {
    if (knownFrom != Long.MIN_VALUE) {
      return knownFrom;
    }
    // nothing forgotten: the oldest kept window is the ring's first (a ring's first window always
    // has a trade)
    return count > 0 ? start[head] : tf.windowEnd(newestClosed);
  }

  /**
   * Re-emits, closed and partial, every kept closed window with trades up to {@code newestClosed}
   * that overlaps [{@code from}, {@code to}) and no span of {@code gaps} (those are partial
   * already), oldest first. Closed flat windows are not re-emitted: they are not stored, and
   * readers of history synthesize them partial where they overlap a gap span.
   *
   * @return whether closed windows overlapping the span lie before {@link #floor}: forgotten, so
   *     not re-emitted
   */
  boolean reemit(
      String symbol,
      Timeframe tf,
      long from,
      long to,
      long newestClosed,
      GapSpans gaps,
      CandleSink sink) {
    if (newestClosed == Long.MIN_VALUE || from >= to) {
      return false;
    }
    long first = this.tf.windowStart(from);
    long last = Math.min(newestClosed, this.tf.windowStart(to - 1));
    long floor = floor(newestClosed);
    boolean forgotten = knownFrom != Long.MIN_VALUE && first < floor && first <= last;
    for (int k = 0; k < count; k++) {
      int s = slot(k);
      long w = start[s];
      if (w >= first && w <= last && !gaps.overlaps(w, this.tf.windowEnd(w))) {
        sink.candle(symbol, tf, w, o[s], h[s], l[s], c[s], v[s], n[s], true, true);
      }
    }
    return forgotten;
  }
}
