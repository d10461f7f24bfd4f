package candlecast.aggregator;

import candlecast.common.Timeframe;

/**
 * The open windows of one symbol at one {@link Timeframe}, oldest at {@code head}: a ring of
 * contiguous windows in primitive arrays, part of a {@link CandleFolder}. Windows close when the
 * symbol's event time reaches their end plus the grace period; closed candles go to the {@link
 * CandleSink} at once, and the newest ones with trades stay in {@link #kept} for a gap record
 * arriving later. A window is partial when it overlaps a span of the folder's {@link GapSpans}:
 * decided when it opens, and when a gap arrives ({@link #markGap}).
 */
final class WindowRing {
  final String symbol;
  final Timeframe tf;
  final long graceMs;
  final int cap;
  final long[] start;
  final double[] o;
  final double[] h;
  final double[] l;
  final double[] c;
  final double[] v;
  final long[] n;
  final boolean[] dirty;
  final boolean[] partial;

  /** The folder's gap spans (shared by its rings). */
  final GapSpans gaps;

  /** The newest closed windows with trades, for gaps arriving after they closed. */
  final ClosedWindows kept;

  int head;
  int count;

  /** Start and slot of the newest open window (valid while count > 0): most trades land there. */
  long newestStart = Long.MIN_VALUE;

  int newestSlot;

  /** Start of the newest closed window (MIN_VALUE: none yet), and its close. */
  long lastClosedStart = Long.MIN_VALUE;

  double lastClosedClose;

  /**
   * The first time at which this ring must open a window, and close its oldest one (MIN_VALUE:
   * now).
   */
  long nextOpen = Long.MIN_VALUE;

  long nextClose = Long.MIN_VALUE;

  WindowRing(String symbol, Timeframe tf, long graceMs, int cap, GapSpans gaps) {
    this.symbol = symbol;
    this.tf = tf;
    this.graceMs = graceMs;
    this.cap = cap;
    start = new long[cap];
    o = new double[cap];
    h = new double[cap];
    l = new double[cap];
    c = new double[cap];
    v = new double[cap];
    n = new long[cap];
    dirty = new boolean[cap];
    partial = new boolean[cap];
    this.gaps = gaps;
    this.kept = new ClosedWindows(tf);
  }

  int slot(int k) {
    int s = head + k;
    return s >= cap ? s - cap : s;
  }

  void openFirst(long time) {
    head = 0;
    count = 1;
    start[0] = tf.windowStart(time);
    n[0] = 0;
    v[0] = 0;
    dirty[0] = true;
    partial[0] = gaps.overlaps(start[0], tf.windowEnd(start[0]));
    newestStart = start[0];
    newestSlot = 0;
    updateNextEvent();
  }

  private void openFlat(long windowStart, double prevClose) {
    int s = slot(count);
    start[s] = windowStart;
    o[s] = prevClose;
    h[s] = prevClose;
    l[s] = prevClose;
    c[s] = prevClose;
    v[s] = 0;
    n[s] = 0;
    dirty[s] = true;
    partial[s] = gaps.overlaps(windowStart, tf.windowEnd(windowStart));
    count++;
    newestStart = windowStart;
    newestSlot = s;
  }

  private void updateNextEvent() {
    nextOpen = count > 0 ? tf.windowEnd(newestStart) : Long.MIN_VALUE;
    nextClose = count > 0 ? tf.windowEnd(start[head]) + graceMs : Long.MIN_VALUE;
  }

  /**
   * Replaces the content with windows read from a checkpoint: {@code starts[j]} and {@code
   * trades[j]} of window j (oldest first), its open, high, low, close and volume at {@code ohlcv[5
   * * j]} onwards; none of them dirty, partial when they overlap a gap span (restore the spans
   * first). The kept closed windows are restored separately.
   */
  void restore(long closedStart, double closedClose, long[] starts, long[] trades, double[] ohlcv) {
    lastClosedStart = closedStart;
    lastClosedClose = closedClose;
    head = 0;
    count = starts.length;
    for (int j = 0; j < count; j++) {
      start[j] = starts[j];
      o[j] = ohlcv[5 * j];
      h[j] = ohlcv[5 * j + 1];
      l[j] = ohlcv[5 * j + 2];
      c[j] = ohlcv[5 * j + 3];
      v[j] = ohlcv[5 * j + 4];
      n[j] = trades[j];
      dirty[j] = false;
      partial[j] = gaps.overlaps(starts[j], tf.windowEnd(starts[j]));
    }
    if (count > 0) {
      newestSlot = count - 1;
      newestStart = start[count - 1];
    }
    updateNextEvent();
  }

  void advance(long time, CandleSink sink) {
    if (time < nextOpen && time < nextClose) {
      return; // fast path: the newest window still contains time and nothing is due to close
    }
    long target;
    if (count > 0 && time < nextOpen) {
      target = newestStart; // nextOpen is the newest window's end while count > 0
    } else if (count > 0 && time < tf.windowEnd(nextOpen)) {
      target = nextOpen; // the usual step: the next window
    } else {
      target = tf.windowStart(time);
    }
    while (true) {
      while (count > 0 && tf.windowEnd(start[head]) + graceMs <= time) {
        closeHead(sink);
      }
      long newest = count > 0 ? start[slot(count - 1)] : lastClosedStart;
      if (newest >= target) {
        updateNextEvent();
        return;
      }
      double prevClose = count > 0 ? c[slot(count - 1)] : lastClosedClose;
      long next = tf.windowEnd(newest);
      if (count == 0 && tf.windowEnd(next) + graceMs <= time) {
        jumpTo(next, time, sink);
        continue;
      }
      openFlat(next, prevClose);
    }
  }

  /** Event time before a jump whose implied windows are still published live (see jumpTo). */
  static final long LIVE_SPAN_MS = 60_000;

  /**
   * Jumps over an empty stretch in O(1): the ring is empty and the windows from {@code next} (the
   * one after the newest closed) up to the first one still open at {@code time} would open and
   * close at once, flat at the newest close. They are implied, never held: only those of the last
   * {@link #LIVE_SPAN_MS} of event time before the first open window (at least one, at most 60) are
   * emitted, closed and flat, so a live stream sees a pause of up to a minute without a hole and
   * readers know how far the series has closed; history readers synthesize the others
   * (docs/PROTOCOL.md, "Candle semantics").
   */
  private void jumpTo(long next, long time, CandleSink sink) {
    long firstOpen = tf.windowStart(time - graceMs); // the oldest window still open at time
    long live = tf.isFixed() ? Math.max(1, Math.min(60, LIVE_SPAN_MS / tf.millis())) : 1;
    long w = firstOpen;
    for (long k = 0; k < live && w > next; k++) {
      w = tf.windowStart(w - 1);
    }
    double flat = lastClosedClose;
    for (; w < firstOpen; w = tf.windowEnd(w)) {
      sink.candle(
          symbol, tf, w, flat, flat, flat, flat, 0, 0, true, gaps.overlaps(w, tf.windowEnd(w)));
    }
    lastClosedStart = tf.windowStart(firstOpen - 1);
  }

  private void closeHead(CandleSink sink) {
    int s = head;
    sink.candle(symbol, tf, start[s], o[s], h[s], l[s], c[s], v[s], n[s], true, partial[s]);
    kept.closed(start[s], o[s], h[s], l[s], c[s], v[s], n[s]);
    dirty[s] = false;
    lastClosedStart = start[s];
    lastClosedClose = c[s];
    head = head + 1 == cap ? 0 : head + 1;
    count--;
  }

  void addNewest(double price, double amount) {
    accumulate(newestSlot, price, amount);
  }

  /**
   * Folds in what the hot accumulator gathered for the newest window (which had trades before it).
   */
  void commitNewest(double high, double low, double close, double volume, long trades) {
    int s = newestSlot;
    if (high > h[s]) {
      h[s] = high;
    }
    if (low < l[s]) {
      l[s] = low;
    }
    c[s] = close;
    v[s] = volume;
    n[s] += trades;
    dirty[s] = true;
  }

  /** Folds one trade into the window in slot {@code s}. */
  private void accumulate(int s, double price, double amount) {
    if (n[s] == 0) {
      o[s] = price;
      h[s] = price;
      l[s] = price;
      c[s] = price;
      v[s] = amount;
      n[s] = 1;
    } else {
      if (price > h[s]) {
        h[s] = price;
      }
      if (price < l[s]) {
        l[s] = price;
      }
      c[s] = price;
      v[s] += amount;
      n[s]++;
    }
    dirty[s] = true;
  }

  void add(long time, double price, double amount) {
    int k;
    int s;
    if (time >= newestStart) {
      k = count - 1;
      s = newestSlot;
    } else {
      k = (int) (tf.windowIndex(time) - tf.windowIndex(start[head])); // windows are contiguous
      s = slot(k);
    }
    accumulate(s, price, amount);
    // Flat windows after this one follow its close.
    for (int j = k + 1, end = count; j < end; j++) {
      int t = slot(j);
      if (n[t] != 0) {
        break;
      }
      o[t] = price;
      h[t] = price;
      l[t] = price;
      c[t] = price;
      dirty[t] = true;
    }
  }

  void flush(CandleSink sink) {
    for (int j = 0; j < count; j++) {
      int s = slot(j);
      if (dirty[s]) {
        dirty[s] = false;
        sink.candle(symbol, tf, start[s], o[s], h[s], l[s], c[s], v[s], n[s], false, partial[s]);
      }
    }
  }

  void forEachOpen(CandleSink sink) {
    for (int j = 0; j < count; j++) {
      int s = slot(j);
      sink.candle(symbol, tf, start[s], o[s], h[s], l[s], c[s], v[s], n[s], false, partial[s]);
    }
  }

  /**
   * A gap [{@code from}, {@code to}) arrived (before it joins {@link #gaps}): re-emits the kept
   * closed windows it overlaps as partial, and marks the open windows it overlaps partial (and
   * changed: they go out on the next flush).
   *
   * @return whether closed windows it overlaps were forgotten already, so stay unmarked
   */
  boolean markGap(long from, long to, CandleSink sink) {
    boolean forgotten = kept.reemit(symbol, tf, from, to, lastClosedStart, gaps, sink);
    for (int j = 0; j < count; j++) {
      int s = slot(j);
      if (!partial[s] && start[s] < to && from < tf.windowEnd(start[s])) {
        partial[s] = true;
        dirty[s] = true;
      }
    }
    return forgotten;
  }

  /**
   * Start of the oldest window this ring can still emit or re-emit (MIN_VALUE: it has opened none
   * yet).
   */
  long floor() {
    if (lastClosedStart == Long.MIN_VALUE) {
      return count == 0 ? Long.MIN_VALUE : start[head];
    }
    return kept.floor(lastClosedStart);
  }
}
