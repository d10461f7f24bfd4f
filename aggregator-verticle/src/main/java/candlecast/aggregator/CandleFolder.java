package candlecast.aggregator;

import candlecast.common.Timeframe;

/**
 * Folds one symbol's trades, in log order, into candles at every {@link Timeframe}. Pure and allocation-free on the
 * hot path: state lives in primitive arrays, output goes to a {@link CandleSink} as primitives.
 *
 * <p>Rules (docs/PROTOCOL.md, "Candle semantics"):
 * <ul>
 *   <li>Windows are UTC-aligned by event time (the trade's own timestamp).</li>
 *   <li>The symbol's event time (watermark) is the largest trade or watermark time seen. A window closes once the
 *       watermark reaches its end plus the grace period; its final value is emitted once with {@code closed=true}.</li>
 *   <li>A trade whose 1s window is already closed, or lies before the symbol's first window, is late: it changes
 *       nothing ({@link #LATE}).</li>
 *   <li>A trade whose id is among the recently folded ids is a duplicate and changes nothing ({@link #DUPLICATE}).</li>
 *   <li>Once the symbol has traded, every window up to the watermark exists: a window without trades is flat at the
 *       close of the window before it, with zero volume and zero trades.</li>
 *   <li>Open windows that changed are emitted by {@link #flush} (at most once per series per batch).</li>
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
  private final Series[] series = new Series[TF];
  private long watermark = Long.MIN_VALUE;
  private boolean started;
  /** Trades at times in [hotFrom, hotUntil) take the hot path (see {@link #refreshHot}); empty until started. */
  private long hotFrom = Long.MAX_VALUE;
  private long hotUntil = Long.MIN_VALUE;
  /*
   * Hot accumulator. While the hot range is set, every newest window (one per timeframe, all with at least one trade)
   * receives the same trades, so high, low, close and count since the last commit are kept once for all seven, and
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
    this(symbol, graceMs, dedupCapacity, 0);
  }

  private CandleFolder(String symbol, long graceMs, int dedupCapacity, int minCapacity) {
    this.symbol = symbol;
    this.graceMs = graceMs;
    this.seen = new LongDedup(dedupCapacity);
    for (int i = 0; i < TF; i++) {
      Timeframe tf = Timeframe.byIndex(i);
      int cap = (int) Math.max(graceMs / tf.millis() + 3, minCapacity);
      series[i] = new Series(tf, cap);
    }
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

  /** Would a trade at {@code time} be late right now? */
  public boolean isLate(long time) {
    if (!started) {
      return false;
    }
    Series s1 = series[0];
    // time's 1s window starts before the oldest one held, or it is due to close: the watermark reached its end plus
    // grace (closes are emitted lazily, see refreshHot, so the ring may still hold a window that is due)
    if (s1.count == 0 || time < s1.start[s1.head]) {
      return true;
    }
    if (time >= s1.newestStart) {
      return false; // the newest window is never due: the watermark cannot pass its end without opening the next
    }
    return Math.floorDiv(time, s1.dur) * s1.dur + s1.dur + graceMs <= watermark;
  }

  /**
   * Folds one trade. Closed candles (including flat ones the trade's time moves past) go to {@code sink} at once; the
   * open candles it changed are marked and go out on {@link #flush}.
   *
   * @return {@link #FOLDED}, {@link #DUPLICATE} or {@link #LATE}
   */
  public int fold(long id, long time, double price, double amount, CandleSink sink) {
    if (time >= hotFrom && time < hotUntil) {
      // Hot path: the trade lies in the newest window of every timeframe and moves no window to close or open.
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

  /** Writes the hot accumulator back into the newest window of every timeframe (see {@link #hotVolume}). */
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
   * Recomputes the hot range: times at or after the newest 1s window's start (hence inside the newest window of
   * every timeframe, as windows nest) and before the first moment a new window opens. Windows whose close falls into
   * the hot range (an older window's end plus grace) are closed lazily, at the next slow step or {@link #flush} —
   * in the same batch, with the same final value; lateness is judged from the watermark ({@link #isLate}), so it does
   * not depend on when the close is emitted.
   */
  private void refreshHot() {
    hotFrom = Long.MAX_VALUE;
    hotUntil = Long.MIN_VALUE;
    if (!started) {
      return;
    }
    long until = Long.MAX_VALUE;
    for (int i = 0; i < TF; i++) {
      Series s = series[i];
      if (s.count == 0 || s.n[s.newestSlot] == 0) {
        return; // a newest window without trades: its first trade sets the open, so it goes the general way
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
        addHot(price, amount); // the newest windows already have trades: the hot accumulator takes it
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
   * Moves the symbol's event time to {@code time} (a watermark record: the market was quiet until then). Closes every
   * window whose end plus grace it reaches and opens flat windows up to it. Never moves backwards.
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

  /** Visits every open candle (for snapshots and history seeding). */
  public void forEachOpen(CandleSink sink) {
    commitHot();
    for (int i = 0; i < TF; i++) {
      series[i].forEachOpen(sink);
    }
  }

  // ---------------------------------------------------------------- checkpoint state

  private static final int STATE_VERSION = 1;

  /** Writes the complete fold state (watermark, remembered ids, open windows) for a checkpoint. */
  public void writeState(java.io.DataOutput out) throws java.io.IOException {
    commitHot();
    out.writeByte(STATE_VERSION);
    out.writeUTF(symbol);
    out.writeLong(graceMs);
    out.writeBoolean(started);
    out.writeLong(watermark);
    long[] ids = seen.toArray();
    out.writeInt(seen.capacity());
    out.writeInt(ids.length);
    long prev = 0;
    for (long id : ids) { // zig-zag varint deltas: consecutive ids cost a byte each
      long d = id - prev;
      prev = id;
      long z = (d << 1) ^ (d >> 63);
      while ((z & ~0x7FL) != 0) {
        out.writeByte((int) ((z & 0x7F) | 0x80));
        z >>>= 7;
      }
      out.writeByte((int) z);
    }
    for (int i = 0; i < TF; i++) {
      Series s = series[i];
      out.writeLong(s.lastClosedStart);
      out.writeDouble(s.lastClosedClose);
      out.writeInt(s.count);
      for (int j = 0; j < s.count; j++) {
        int k = s.slot(j);
        out.writeLong(s.start[k]);
        out.writeDouble(s.o[k]);
        out.writeDouble(s.h[k]);
        out.writeDouble(s.l[k]);
        out.writeDouble(s.c[k]);
        out.writeDouble(s.v[k]);
        out.writeLong(s.n[k]);
      }
    }
  }

  /**
   * Restores a folder written by {@link #writeState}. The grace period and id window are the checkpoint's own, so a
   * replay after recovery folds exactly as the run that wrote it (a changed setting applies to new symbols).
   */
  public static CandleFolder readState(java.io.DataInput in) throws java.io.IOException {
    int version = in.readByte();
    if (version != STATE_VERSION) {
      throw new java.io.IOException("unsupported fold state version " + version);
    }
    String symbol = in.readUTF();
    long grace = in.readLong();
    boolean started = in.readBoolean();
    long watermark = in.readLong();
    int dedupCap = in.readInt();
    int n = in.readInt();
    if (dedupCap < 1 || n < 0 || n > dedupCap) {
      throw new java.io.IOException("corrupt fold state for " + symbol);
    }
    long[] ids = new long[n];
    long prev = 0;
    for (int i = 0; i < n; i++) {
      long z = 0;
      int shift = 0;
      while (true) {
        int b = in.readByte();
        z |= (long) (b & 0x7F) << shift;
        if ((b & 0x80) == 0) {
          break;
        }
        shift += 7;
        if (shift > 63) {
          throw new java.io.IOException("corrupt fold state for " + symbol);
        }
      }
      long d = (z >>> 1) ^ -(z & 1);
      prev += d;
      ids[i] = prev;
    }
    long[] lastClosedStart = new long[TF];
    double[] lastClosedClose = new double[TF];
    long[][] windows = new long[TF][];
    double[][] values = new double[TF][];
    int maxCount = 0;
    for (int i = 0; i < TF; i++) {
      lastClosedStart[i] = in.readLong();
      lastClosedClose[i] = in.readDouble();
      int count = in.readInt();
      if (count < 0 || count > 1_000_000) {
        throw new java.io.IOException("corrupt fold state for " + symbol);
      }
      maxCount = Math.max(maxCount, count);
      windows[i] = new long[count * 2];
      values[i] = new double[count * 5];
      for (int j = 0; j < count; j++) {
        windows[i][2 * j] = in.readLong();
        values[i][5 * j] = in.readDouble();
        values[i][5 * j + 1] = in.readDouble();
        values[i][5 * j + 2] = in.readDouble();
        values[i][5 * j + 3] = in.readDouble();
        values[i][5 * j + 4] = in.readDouble();
        windows[i][2 * j + 1] = in.readLong();
      }
    }
    CandleFolder f = new CandleFolder(symbol, grace, dedupCap, maxCount + 3);
    f.started = started;
    f.watermark = watermark;
    for (long id : ids) {
      f.seen.add(id);
    }
    for (int i = 0; i < TF; i++) {
      Series s = f.series[i];
      s.lastClosedStart = lastClosedStart[i];
      s.lastClosedClose = lastClosedClose[i];
      s.head = 0;
      s.count = windows[i].length / 2;
      for (int j = 0; j < s.count; j++) {
        s.start[j] = windows[i][2 * j];
        s.o[j] = values[i][5 * j];
        s.h[j] = values[i][5 * j + 1];
        s.l[j] = values[i][5 * j + 2];
        s.c[j] = values[i][5 * j + 3];
        s.v[j] = values[i][5 * j + 4];
        s.n[j] = windows[i][2 * j + 1];
        s.dirty[j] = false;
      }
      if (s.count > 0) {
        s.newestSlot = s.count - 1;
        s.newestStart = s.start[s.count - 1];
      }
      s.updateNextEvent();
    }
    f.refreshHot();
    return f;
  }

  /** Open windows of one timeframe: a ring of contiguous windows, oldest at {@code head}. */
  final class Series {
    final Timeframe tf;
    final long dur;
    final int cap;
    final long[] start;
    final double[] o;
    final double[] h;
    final double[] l;
    final double[] c;
    final double[] v;
    final long[] n;
    final boolean[] dirty;
    int head;
    int count;
    /** Start and slot of the newest open window (valid while count > 0): most trades land there. */
    long newestStart = Long.MIN_VALUE;
    int newestSlot;
    /** Start of the newest closed window (only meaningful when {@code count == 0}), and its close. */
    long lastClosedStart = Long.MIN_VALUE;
    double lastClosedClose;

    Series(Timeframe tf, int cap) {
      this.tf = tf;
      this.dur = tf.millis();
      this.cap = cap;
      start = new long[cap];
      o = new double[cap];
      h = new double[cap];
      l = new double[cap];
      c = new double[cap];
      v = new double[cap];
      n = new long[cap];
      dirty = new boolean[cap];
    }

    private int slot(int k) {
      int s = head + k;
      return s >= cap ? s - cap : s;
    }

    void openFirst(long time) {
      head = 0;
      count = 1;
      start[0] = Math.floorDiv(time, dur) * dur;
      n[0] = 0;
      v[0] = 0;
      dirty[0] = true;
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
      count++;
      newestStart = windowStart;
      newestSlot = s;
    }

    /** The first time at which this series must open a window, and close its oldest one (MIN_VALUE: now). */
    long nextOpen = Long.MIN_VALUE;
    long nextClose = Long.MIN_VALUE;

    private void updateNextEvent() {
      nextOpen = count > 0 ? newestStart + dur : Long.MIN_VALUE;
      nextClose = count > 0 ? start[head] + dur + graceMs : Long.MIN_VALUE;
    }

    void advance(long time, CandleSink sink) {
      if (time < nextOpen && time < nextClose) {
        return; // fast path: the newest window still contains time and nothing is due to close
      }
      long target;
      if (count > 0 && time < newestStart + 2 * dur) {
        target = time < newestStart + dur ? newestStart : newestStart + dur; // the usual step: no division
      } else {
        target = Math.floorDiv(time, dur) * dur;
      }
      while (true) {
        while (count > 0 && start[head] + dur + graceMs <= time) {
          closeHead(sink);
        }
        long newest = count > 0 ? start[slot(count - 1)] : lastClosedStart;
        if (newest >= target) {
          updateNextEvent();
          return;
        }
        double prevClose = count > 0 ? c[slot(count - 1)] : lastClosedClose;
        openFlat(newest + dur, prevClose);
      }
    }

    private void closeHead(CandleSink sink) {
      int s = head;
      sink.candle(symbol, tf, start[s], o[s], h[s], l[s], c[s], v[s], n[s], true);
      dirty[s] = false;
      lastClosedStart = start[s];
      lastClosedClose = c[s];
      head = head + 1 == cap ? 0 : head + 1;
      count--;
    }

    void addNewest(double price, double amount) {
      accumulate(newestSlot, price, amount);
    }

    /** Folds in what the hot accumulator gathered for the newest window (which had trades before it). */
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
        long w = Math.floorDiv(time, dur) * dur;
        k = (int) ((w - start[head]) / dur);
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
          sink.candle(symbol, tf, start[s], o[s], h[s], l[s], c[s], v[s], n[s], false);
        }
      }
    }

    void forEachOpen(CandleSink sink) {
      for (int j = 0; j < count; j++) {
        int s = slot(j);
        sink.candle(symbol, tf, start[s], o[s], h[s], l[s], c[s], v[s], n[s], false);
      }
    }
  }
}
