package candlecast.aggregator.analysis;

import candlecast.common.Timeframe;
import candlecast.common.analysis.AnalysisSpec;
import java.util.function.BiFunction;

/**
 * Drives the {@link Indicator}s of one series (symbol, timeframe, spec) with deterministic
 * anchoring, so a value never depends on when the computing process started (docs/DECISIONS.md,
 * "Issue 16 — where analysis lives"): the value at window index {@code i} ({@code
 * tf.windowIndex(openTime)}) equals that of a fresh indicator fed the series' windows from {@link
 * #anchorIndex anchor(i)} to {@code i}, implied flat windows included.
 *
 * <ul>
 *   <li>Block kinds: anchor(i) = (floor(i / W) − 1)·W, W = {@code spec.warmup()}, clipped to the
 *       series' first window. Two instances see every window: the mature one (anchored one block
 *       back) gives the values, the warming one (anchored at the current block) takes over when a
 *       window of the next block commits, and the old mature one is reset to warm up anew.
 *   <li>Session kinds (VWAP, OBV): one instance, reset at each session start; a session is the UTC
 *       day for timeframes under 1d, for 1d and longer the candle itself (VWAP) or the UTC year
 *       (OBV: its first window starting in the year).
 * </ul>
 *
 * <p>Windows without an update in between are filled flat at the previous close with volume 0; when
 * the stretch is longer than the anchoring needs (two blocks, or back to the session start) the
 * states restart at the new anchor (bounded work). An update for a window at or before the last
 * committed one is ignored. An open window directly after the last committed one is evaluated
 * provisionally ({@code commit = false}); a newer open window waits ({@link #update} evaluates it
 * once the windows before it have closed). Not thread-safe; no allocation per update.
 */
public final class AnchoredSeries {
  /** {@link #update} produced no point. */
  public static final int NONE = 0;

  /**
   * {@link #update} produced the committed window's point ({@link #closedTime}, {@link
   * #closedOut}).
   */
  public static final int CLOSED = 1;

  /** {@link #update} produced a provisional point ({@link #openTime}, {@link #openOut}). */
  public static final int OPEN = 2;

  /** Slots of a point's output array (fields, or the pattern set's mask and extras). */
  static final int OUT_SLOTS = 16;

  private static final long DAY_MS = 86_400_000L;

  private enum Session {
    NONE,
    DAY,
    CANDLE,
    YEAR
  }

  private final Timeframe tf;
  private final long w;
  private final Session session;
  private final int fields;
  private final double[] closedOut = new double[OUT_SLOTS];
  private final double[] openOut = new double[OUT_SLOTS];
  private final double[] scratch = new double[OUT_SLOTS];
  private Indicator mature;
  private Indicator warming;

  /** Window index of the series' first window (anchors are clipped to it). */
  private long first = Long.MIN_VALUE;

  private boolean started;

  /** Block (block kinds) or session key (session kinds) of the committed state. */
  private long block;

  /** Index of the last committed window; its close fills the windows after it. */
  private long last;

  private double lastClose;
  private long closedTime;
  private Indicator closedBy;
  private long openTime;

  /** A newer open window waiting for the ones before it to close; index MIN_VALUE: none. */
  private long pendingIndex = Long.MIN_VALUE;

  private long pendingTime;
  private double po;
  private double ph;
  private double pl;
  private double pc;
  private double pv;

  public AnchoredSeries(
      AnalysisSpec spec, Timeframe tf, BiFunction<AnalysisSpec, Timeframe, Indicator> factory) {
    this.tf = tf;
    this.w = spec.warmup();
    this.session = sessionOf(spec.kind(), tf);
    this.fields = spec.fields().size();
    this.mature = factory.apply(spec, tf);
    this.warming = session == Session.NONE ? factory.apply(spec, tf) : null;
  }

  private static Session sessionOf(AnalysisSpec.Kind kind, Timeframe tf) {
    boolean intraday = tf.isFixed() && tf.millis() < DAY_MS;
    if (kind == AnalysisSpec.Kind.VWAP) {
      return intraday ? Session.DAY : Session.CANDLE;
    }
    if (kind == AnalysisSpec.Kind.OBV) {
      return intraday ? Session.DAY : Session.YEAR;
    }
    return Session.NONE;
  }

  /**
   * Declares the series' first window (the oldest candle its history holds): anchors never reach
   * before it. Without it the first window updated is taken as the first.
   */
  public void firstWindow(long firstOpenTime) {
    this.first = tf.windowIndex(firstOpenTime);
  }

  /**
   * The window index whose candle must be fed first so that the value at window {@code index} is
   * exact: its anchor, clipped to the series' first window.
   */
  public long anchorIndex(long index) {
    long a;
    if (session == Session.NONE) {
      a = (Math.floorDiv(index, w) - 1) * w;
    } else {
      a = sessionStartIndex(index);
    }
    return Math.max(a, first);
  }

  /**
   * The first window index to feed, closed, from history to resume after the last closed window
   * {@code lastClosed}: the anchor of the next window, or {@code lastClosed} itself when the next
   * window needs nothing before it (so the state knows where the series stands).
   */
  public long warmStartIndex(long lastClosed) {
    return Math.min(anchorIndex(lastClosed + 1), lastClosed);
  }

  /** The indicator that computed the last committed point (the pattern set's detections). */
  public Indicator closedSource() {
    return closedBy;
  }

  /** Index of the last committed window; MIN_VALUE before the first. */
  public long lastCommitted() {
    return started ? last : Long.MIN_VALUE;
  }

  public long closedTime() {
    return closedTime;
  }

  /** The committed point's fields (valid after {@link #update} returned {@link #CLOSED}). */
  public double[] closedOut() {
    return closedOut;
  }

  public long openTime() {
    return openTime;
  }

  /** The provisional point's fields (valid after {@link #update} returned {@link #OPEN}). */
  public double[] openOut() {
    return openOut;
  }

  /**
   * One candle update of window {@code t}: closed ones commit (after the implied flat windows
   * before them), open ones are evaluated provisionally.
   *
   * @return a bit set of {@link #CLOSED} and {@link #OPEN}: which points were produced
   */
  public int update(
      long t, double open, double high, double low, double close, double volume, boolean closed) {
    long i = tf.windowIndex(t);
    if (!started) {
      begin(i);
    } else if (i <= last) {
      return NONE; // re-emitted (e.g. marked partial) or older than what is committed
    }
    if (!closed) {
      if (i == last + 1) {
        return provisional(i, t, open, high, low, close, volume) ? OPEN : NONE;
      }
      if (i >= pendingIndex) {
        pend(i, t, open, high, low, close, volume);
      }
      return NONE;
    }
    fill(i);
    int produced = commit(i, t, open, high, low, close, volume) ? CLOSED : NONE;
    if (pendingIndex != Long.MIN_VALUE && pendingIndex <= last + 1) {
      long p = pendingIndex;
      pendingIndex = Long.MIN_VALUE;
      if (p == last + 1 && provisional(p, pendingTime, po, ph, pl, pc, pv)) {
        produced |= OPEN;
      }
    }
    return produced;
  }

  private void begin(long i) {
    started = true;
    if (first == Long.MIN_VALUE || first > i) {
      first = i;
    }
    last = i - 1;
    block = blockOf(i, tf.windowStartOfIndex(i));
    mature.reset();
    if (warming != null) {
      warming.reset();
    }
  }

  private void pend(long i, long t, double o, double h, double l, double c, double v) {
    pendingIndex = i;
    pendingTime = t;
    po = o;
    ph = h;
    pl = l;
    pc = c;
    pv = v;
  }

  /** Commits the implied flat windows between the last committed one and {@code i}. */
  private void fill(long i) {
    long from = anchorIndex(i);
    if (last + 1 < from) {
      // a stretch longer than the anchoring needs: restart from the anchor of i
      mature.reset();
      if (warming != null) {
        warming.reset();
      }
      last = from - 1;
      long start = tf.windowStartOfIndex(from);
      block = session == Session.NONE ? Math.floorDiv(from, w) : sessionKey(start);
    }
    double c = lastClose;
    for (long j = last + 1; j < i; j++) {
      commit(j, tf.windowStartOfIndex(j), c, c, c, c, 0);
    }
  }

  private boolean commit(long i, long t, double o, double h, double l, double c, double v) {
    long b = blockOf(i, t);
    if (b != block) {
      enter(b);
    }
    boolean defined = mature.apply(t, o, h, l, c, v, true, closedOut);
    closedBy = mature;
    if (warming != null) {
      warming.apply(t, o, h, l, c, v, true, scratch);
    }
    last = i;
    lastClose = c;
    closedTime = t;
    return defined && finite(closedOut, fields);
  }

  /** Moves the committed state into block (or session) {@code b}. */
  private void enter(long b) {
    if (warming == null) {
      mature.reset();
    } else if (b == block + 1) {
      Indicator old = mature;
      mature = warming;
      warming = old;
      warming.reset();
    } else {
      mature.reset();
      warming.reset();
    }
    block = b;
  }

  private boolean provisional(long i, long t, double o, double h, double l, double c, double v) {
    long b = blockOf(i, t);
    Indicator ind;
    if (warming == null) {
      if (b != block) {
        enter(b); // a new session: the old one's state is needed no more
      }
      ind = mature;
    } else {
      ind = b == block ? mature : warming; // b == block + 1: the warming one is anchored at b·W
    }
    openTime = t;
    return ind.apply(t, o, h, l, c, v, false, openOut) && finite(openOut, fields);
  }

  private long blockOf(long i, long t) {
    return session == Session.NONE ? Math.floorDiv(i, w) : sessionKey(t);
  }

  private static boolean finite(double[] out, int n) {
    for (int k = 0; k < n; k++) {
      if (!Double.isFinite(out[k])) {
        return false;
      }
    }
    return true;
  }

  /** The session of the window opening at {@code t} (session kinds). */
  private long sessionKey(long t) {
    if (session == Session.DAY) {
      return Math.floorDiv(t, DAY_MS);
    }
    if (session == Session.YEAR) {
      return Math.floorDiv(Timeframe.MN1.windowIndex(t), 12);
    }
    return tf.windowIndex(t);
  }

  private long sessionStartIndex(long index) {
    long t = tf.windowStartOfIndex(index);
    if (session == Session.DAY) {
      return tf.windowIndex(Math.floorDiv(t, DAY_MS) * DAY_MS);
    }
    if (session == Session.YEAR) {
      long yearStart =
          Timeframe.MN1.windowStartOfIndex(Math.floorDiv(Timeframe.MN1.windowIndex(t), 12) * 12);
      long k = tf.windowIndex(yearStart);
      return tf.windowStartOfIndex(k) < yearStart ? k + 1 : k;
    }
    return index;
  }
}
