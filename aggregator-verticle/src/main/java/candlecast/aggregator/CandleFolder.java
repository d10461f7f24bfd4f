package candlecast.aggregator;

import candlecast.common.Timeframe;

/**
 * Folds one symbol's trades, in log order, into candles at every {@link Timeframe}. Pure and
 * allocation-free on the hot path: state lives in primitive arrays, output goes to a {@link
 * CandleSink} as primitives.
 *
 * <p>Rules (docs/PROTOCOL.md, "Candle semantics"):
 *
 * <ul>
 *   <li>Windows are UTC-aligned by event time (the trade's own timestamp).
 *   <li>The symbol's event time (watermark) is the largest trade or watermark time seen. A window
 *       closes once the watermark reaches its end plus the grace period; its final value is emitted
 *       once with {@code closed=true}.
 *   <li>A trade whose 1s window is already closed, or lies before the symbol's first window, is
 *       late: it changes nothing ({@link #LATE}); so is a first trade whose 1s window a watermark
 *       has already passed (end plus grace).
 *   <li>A trade whose id is among the recently folded ids is a duplicate and changes nothing
 *       ({@link #DUPLICATE}).
 *   <li>Once the symbol has traded, every window up to the watermark exists: a window without
 *       trades is flat at the close of the window before it, with zero volume and zero trades. Such
 *       windows are implied: a ring jumps over an empty stretch in O(1) ({@link
 *       WindowRing#advance}), emitting only the windows it held and those still open at the new
 *       time; readers of history synthesize the rest.
 *   <li>Open windows that changed are emitted by {@link #flush} (at most once per series per
 *       batch).
 *   <li>A window that overlaps a gap of the log ({@link #gap}) is partial, at every timeframe:
 *       windows open when the gap arrives, windows opened later, and closed windows re-emitted once
 *       (the one change of a closed candle).
 * </ul>
 */
public final class CandleFolder {
  public static final int FOLDED = 0;
  public static final int DUPLICATE = 1;
  public static final int LATE = 2;

  private static final int TF = Timeframe.COUNT;

  private final String symbol;
  private final long graceMs;
  private final LongDedup seen;
  private final WindowRing[] series;
  private final GapSpans gaps;
  private long watermark = Long.MIN_VALUE;
  private boolean started;

  /**
   * Trades at times in [hotFrom, hotUntil) take the hot path (see {@link #refreshHot}); empty until
   * started.
   */
  private long hotFrom = Long.MAX_VALUE;

  private long hotUntil = Long.MIN_VALUE;
  /*
   * Hot accumulator. While the hot range is set, every newest window (one per timeframe, all with at least one trade)
   * receives the same trades, so high, low, close and count since the last commit are kept once for all of them, and
   * only the volumes, whose sums must keep their order bit for bit, per timeframe in hotVolume. The newest windows'
   * high, low, close, volume, count and dirty flag in the rings are stale until commitHot() writes them back; every
   * path that reads or changes the rings commits first.
   */
  private final double[] hotVolume = new double[TF];
  private double hotHigh = Double.NEGATIVE_INFINITY;
  private double hotLow = Double.POSITIVE_INFINITY;
  private double hotLast;
  private long hotTrades;

  public CandleFolder(String symbol, long graceMs, int dedupCapacity) {
    this(symbol, graceMs, new LongDedup(dedupCapacity), new GapSpans(), Long.MIN_VALUE, false, 0);
  }

  private CandleFolder(
      String symbol,
      long graceMs,
      LongDedup seen,
      GapSpans gaps,
      long watermark,
      boolean started,
      int minCapacity) {
    this(
        symbol, graceMs, seen, gaps, rings(symbol, graceMs, minCapacity, gaps), started, watermark);
  }

  /** A folder in a given state ({@link FolderStateCodec} restores checkpoints with it). */
  CandleFolder(
      String symbol,
      long graceMs,
      LongDedup seen,
      GapSpans gaps,
      WindowRing[] series,
      boolean started,
      long watermark) {
    if (series.length != TF) {
      throw new IllegalArgumentException(
          "one window ring per timeframe expected, got " + series.length);
    }
    for (WindowRing r : series) {
      if (r.gaps != gaps) {
        throw new IllegalArgumentException("the window rings must share the folder's gap spans");
      }
    }
    this.symbol = symbol;
    this.graceMs = graceMs;
    this.seen = seen;
    this.gaps = gaps;
    this.series = series;
    this.started = started;
    this.watermark = watermark;
    refreshHot();
  }

  /**
   * Empty window rings, one per timeframe, each holding at least {@code minCapacity} windows,
   * sharing {@code gaps}.
   */
  static WindowRing[] rings(String symbol, long graceMs, int minCapacity, GapSpans gaps) {
    WindowRing[] rings = new WindowRing[TF];
    for (int i = 0; i < TF; i++) {
      Timeframe tf = Timeframe.byIndex(i);
      int cap = (int) Math.max(graceMs / tf.minMillis() + 3, minCapacity);
      rings[i] = new WindowRing(symbol, tf, graceMs, cap, gaps);
    }
    return rings;
  }

  public String symbol() {
    return symbol;
  }

  public long watermark() {
    return watermark;
  }

  public boolean started() {
    return started;
  }

  long graceMs() {
    return graceMs;
  }

  /** The gap spans (read by {@link FolderStateCodec}). */
  GapSpans gaps() {
    return gaps;
  }

  /** The remembered trade ids (read by {@link FolderStateCodec}). */
  LongDedup seen() {
    return seen;
  }

  /**
   * The window rings, one per timeframe, with the hot accumulator written back (read by {@link
   * FolderStateCodec}).
   */
  WindowRing[] committedRings() {
    commitHot();
    return series;
  }

  /** Would a trade at {@code time} be late right now? */
  public boolean isLate(long time) {
    if (!started) {
      // a watermark before the first trade may already have passed the end plus grace of its 1s
      // window: that window can never open
      Timeframe sec = series[0].tf;
      return watermark != Long.MIN_VALUE
          && sec.windowEnd(sec.windowStart(time)) + graceMs <= watermark;
    }
    WindowRing s1 = series[0];
    // time's 1s window starts before the oldest one held, or it is due to close: the watermark
    // reached its end plus
    // grace (closes are emitted lazily, see refreshHot, so the ring may still hold a window that is
    // due)
    if (s1.count == 0 || time < s1.start[s1.head]) {
      return true;
    }
    if (time >= s1.newestStart) {
      return false; // the newest window is never due: the watermark cannot pass its end without
      // opening the next
    }
    return s1.tf.windowEnd(s1.tf.windowStart(time)) + graceMs <= watermark;
  }

  /**
   * Folds one trade. Closed candles (including flat ones the trade's time moves past) go to {@code
   * sink} at once; the open candles it changed are marked and go out on {@link #flush}.
   *
   * @return {@link #FOLDED}, {@link #DUPLICATE} or {@link #LATE}
   */
  public int fold(long id, long time, double price, double amount, CandleSink sink) {
    if (time >= hotFrom && time < hotUntil) {
      // Hot path: the trade lies in the newest window of every timeframe and moves no window to
      // close or open.
      if (!seen.add(id)) {
        return DUPLICATE;
      }
      if (time > watermark) {
        watermark = time;
      }
      addHot(price, amount);
      return FOLDED;
    }
    return foldSlow(id, time, price, amount, sink);
  }

  private void addHot(double price, double amount) {
    if (price > hotHigh) {
      hotHigh = price;
    }
    if (price < hotLow) {
      hotLow = price;
    }
    hotLast = price;
    hotTrades++;
    double[] hv = hotVolume;
    for (int i = 0; i < hv.length; i++) {
      hv[i] += amount;
    }
  }

  /**
   * Writes the hot accumulator back into the newest window of every timeframe (see {@link
   * #hotVolume}).
   */
  private void commitHot() {
    if (hotTrades == 0) {
      return;
    }
    for (int i = 0; i < TF; i++) {
      series[i].commitNewest(hotHigh, hotLow, hotLast, hotVolume[i], hotTrades);
    }
    hotHigh = Double.NEGATIVE_INFINITY;
    hotLow = Double.POSITIVE_INFINITY;
    hotTrades = 0;
  }

  /**
   * Recomputes the hot range: times at or after the newest 1s window's start (hence inside the
   * newest window of every timeframe, as every window boundary, also of weeks and months, is a 1s
   * boundary) and before the first moment a new window opens. Windows whose close falls into the
   * hot range (an older window's end plus grace) are closed lazily, at the next slow step or {@link
   * #flush} — in the same batch, with the same final value; lateness is judged from the watermark
   * ({@link #isLate}), so it does not depend on when the close is emitted.
   */
  private void refreshHot() {
    hotFrom = Long.MAX_VALUE;
    hotUntil = Long.MIN_VALUE;
    if (!started) {
      return;
    }
    long until = Long.MAX_VALUE;
    for (int i = 0; i < TF; i++) {
      WindowRing s = series[i];
      if (s.count == 0 || s.n[s.newestSlot] == 0) {
        return; // a newest window without trades: its first trade sets the open, so it goes the
        // general way
      }
      until = Math.min(until, s.nextOpen);
      hotVolume[i] = s.v[s.newestSlot];
    }
    hotFrom = series[0].newestStart;
    hotUntil = until;
  }

  private int foldSlow(long id, long time, double price, double amount, CandleSink sink) {
    if (isLate(time)) {
      return LATE;
    }
    if (!seen.add(id)) {
      return DUPLICATE;
    }
    commitHot();
    if (!started) {
      started = true;
      long earlier = watermark;
      watermark = time;
      for (int i = 0; i < TF; i++) {
        series[i].openFirst(time);
      }
      if (earlier > time) {
        watermark = earlier; // a watermark came before the first trade
        advanceRings(earlier, sink);
      }
    } else if (time > watermark) {
      watermark = time;
      advanceRings(time, sink);
    }
    if (time >= series[0].newestStart) {
      refreshHot();
      if (hotFrom != Long.MAX_VALUE) {
        addHot(
            price, amount); // the newest windows already have trades: the hot accumulator takes it
        return FOLDED;
      }
      for (int i = 0; i < TF; i++) {
        series[i].addNewest(price, amount);
      }
    } else {
      for (int i = 0; i < TF; i++) {
        series[i].add(time, price, amount);
      }
    }
    refreshHot();
    return FOLDED;
  }

  /**
   * Moves the symbol's event time to {@code time} (a watermark record: the market was quiet until
   * then). Closes every window whose end plus grace it reaches and opens flat windows up to it.
   * Never moves backwards.
   */
  public void advance(long time, CandleSink sink) {
    if (time <= watermark) {
      return;
    }
    watermark = time;
    if (!started) {
      return;
    }
    commitHot();
    advanceRings(time, sink);
    refreshHot();
  }

  /** Closes and opens windows up to {@code time} in every ring (the hot accumulator committed). */
  private void advanceRings(long time, CandleSink sink) {
    for (int i = 0; i < TF; i++) {
      series[i].advance(time, sink);
    }
  }

  /** Emits the windows due to close, then every open candle that changed since the last flush. */
  public void flush(CandleSink sink) {
    commitHot();
    if (started) {
      advanceRings(watermark, sink); // only closes: the hot range never reaches a window's opening
    }
    for (int i = 0; i < TF; i++) {
      series[i].flush(sink);
    }
  }

  /**
   * A gap record: the symbol's trades in [{@code from}, {@code to}) may be missing, so every window
   * overlapping the span, at every timeframe, is partial. Open windows are marked (and go out on
   * {@link #flush}); closed windows the folder still keeps ({@link ClosedWindows}) are re-emitted
   * at once, closed and partial — the one case where a closed candle changes: its values stay, but
   * they were final only as far as the log went, and the log now says it missed trades there.
   * Windows opened later are marked when they open. The event time does not move.
   *
   * <p>More than {@link GapSpans#MAX} spans held at once (never in practice: spans no window can
   * reach any more are dropped) join the two oldest, marking the windows between them too: partial
   * is never missing, rarely too much.
   *
   * @return the number of timeframes whose closed windows overlapping the span reach back beyond
   *     those kept (those stay unmarked); 0 when every overlapping candle is marked
   */
  public int gap(long from, long to, CandleSink sink) {
    if (from >= to) {
      return 0;
    }
    commitHot();
    int forgotten = mark(from, to, sink);
    gaps.add(from, to);
    gaps.pruneBefore(floor());
    while (gaps.count() > GapSpans.MAX) {
      long a = gaps.from(0);
      long b = gaps.to(1);
      mark(a, b, sink);
      gaps.add(a, b);
    }
    refreshHot();
    return forgotten;
  }

  private int mark(long from, long to, CandleSink sink) {
    int forgotten = 0;
    for (int i = 0; i < TF; i++) {
      if (series[i].markGap(from, to, sink)) {
        forgotten++;
      }
    }
    return forgotten;
  }

  /**
   * Start of the oldest window any ring can still emit or re-emit: spans ending before it matter no
   * more.
   */
  private long floor() {
    long floor = Long.MAX_VALUE;
    for (int i = 0; i < TF; i++) {
      floor = Math.min(floor, series[i].floor());
    }
    return floor;
  }

  /** Visits every open candle (for snapshots and history seeding). */
  public void forEachOpen(CandleSink sink) {
    commitHot();
    for (int i = 0; i < TF; i++) {
      series[i].forEachOpen(sink);
    }
  }
}
