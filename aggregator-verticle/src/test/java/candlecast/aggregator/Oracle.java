package candlecast.aggregator;

import candlecast.common.Candle;
import candlecast.common.DecodeException;
import candlecast.common.GapRecord;
import candlecast.common.Timeframe;
import candlecast.common.TradeCodec;
import candlecast.common.TradeLogRecord;
import candlecast.common.TradeRecord;
import candlecast.common.WatermarkRecord;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Set;
import java.util.TreeMap;

/**
 * The offline recomputation candles are checked against: an independent, deliberately plain
 * implementation of the rules in docs/PROTOCOL.md ("Candle semantics") over maps — no ring buffers,
 * no shared code with {@link CandleFolder}. Feed it every {@code trades} record value in log order;
 * {@link #latest()} gives the value every {@code candles} key must finally hold.
 *
 * <p>Gaps: every window overlapping a gap's span is partial — open ones when the gap arrives, later
 * ones when they open, and closed ones (re-emitted) as far back as the documented reach: all closed
 * windows from right after the {@code kept + 1}-th newest closed window with trades of the
 * timeframe (all of them while there are at most {@code kept}); closed windows without trades as
 * far back as they go (they are implied, and readers of history mark them from the gap spans). The
 * oracle keeps every closed window to apply that rule.
 */
final class Oracle {
  private final long grace;
  private final int dedupSize;
  private final int kept;
  private final Timeframe[] tfs;
  private final Map<String, Sym> symbols = new HashMap<>();
  private final Map<String, Candle> latest = new HashMap<>();
  long trades;
  long late;
  long duplicates;

  Oracle(long grace, int dedupSize) {
    this(grace, dedupSize, ClosedWindows.KEPT);
  }

  /**
   * @param kept closed windows with trades per timeframe that a later gap can still mark
   */
  Oracle(long grace, int dedupSize, int kept) {
    this(grace, dedupSize, kept, Timeframe.values());
  }

  /**
   * @param tfs the timeframes to recompute (a year at 1s is 31.5 M windows: too many to hold here)
   */
  Oracle(long grace, int dedupSize, int kept, Timeframe... tfs) {
    this.grace = grace;
    this.dedupSize = dedupSize;
    this.kept = kept;
    this.tfs = tfs.clone();
  }

  private static final class Win {
    final long start;
    double o;
    double h;
    double l;
    double c;
    double v;
    long n;
    boolean partial;

    Win(long start, double flat) {
      this.start = start;
      o = h = l = c = flat;
    }
  }

  private static final class Sym {
    final String symbol;
    boolean started;
    long wm = Long.MIN_VALUE;
    final ArrayDeque<Long> idOrder = new ArrayDeque<>();
    final Set<Long> ids = new HashSet<>();
    final Map<Timeframe, TreeMap<Long, Win>> open = new HashMap<>();
    final Map<Timeframe, Win> lastClosed = new HashMap<>();
    final Map<Timeframe, TreeMap<Long, Win>> closed = new HashMap<>();
    final List<long[]> gaps = new ArrayList<>();
    long firstSec;

    Sym(String symbol) {
      this.symbol = symbol;
      for (Timeframe tf : Timeframe.values()) {
        open.put(tf, new TreeMap<>());
        closed.put(tf, new TreeMap<>());
      }
    }

    boolean inGap(Timeframe tf, long start) {
      for (long[] g : gaps) {
        if (start < g[1] && g[0] < OracleWindows.end(tf, start)) {
          return true;
        }
      }
      return false;
    }

    /** A window opens: partial when it overlaps a gap already seen. */
    Win open(Timeframe tf, long start, double flat) {
      Win w = new Win(start, flat);
      w.partial = inGap(tf, start);
      open.get(tf).put(start, w);
      return w;
    }
  }

  void accept(byte[] value) {
    TradeLogRecord r;
    try {
      r = TradeCodec.decode(value);
    } catch (DecodeException e) {
      return;
    }
    Sym s = symbols.computeIfAbsent(r.symbol(), Sym::new);
    if (r instanceof GapRecord g) {
      gap(s, g.from(), g.to());
      return;
    }
    if (r instanceof WatermarkRecord w) {
      if (w.time() > s.wm) {
        s.wm = w.time();
        if (s.started) {
          advance(s, w.time());
        }
      }
      return;
    }
    var t = ((TradeRecord) r).trade();
    trades++;
    long sec = Timeframe.S1.windowStart(t.time());
    if (!s.started && s.wm != Long.MIN_VALUE && sec + 1000 + grace <= s.wm) {
      late++; // a watermark already passed the first trade's 1s window
      return;
    }
    if (s.started && lateAt(s, sec)) {
      late++;
      return;
    }
    if (s.ids.contains(t.id())) {
      duplicates++;
      return;
    }
    s.ids.add(t.id());
    s.idOrder.addLast(t.id());
    if (s.idOrder.size() > dedupSize) {
      s.ids.remove(s.idOrder.removeFirst());
    }
    if (!s.started) {
      s.started = true;
      s.firstSec = sec;
      for (Timeframe tf : tfs) {
        s.open(tf, OracleWindows.start(tf, t.time()), 0);
      }
      long earlier = s.wm;
      s.wm = t.time();
      if (earlier > t.time()) {
        s.wm = earlier;
        advance(s, earlier);
      }
    } else if (t.time() > s.wm) {
      s.wm = t.time();
      advance(s, t.time());
    }
    for (Timeframe tf : tfs) {
      TreeMap<Long, Win> m = s.open.get(tf);
      Win w = m.get(OracleWindows.start(tf, t.time()));
      if (w.n == 0) {
        w.o = w.h = w.l = w.c = t.price();
        w.v = t.amount();
        w.n = 1;
      } else {
        w.h = Math.max(w.h, t.price());
        w.l = Math.min(w.l, t.price());
        w.c = t.price();
        w.v += t.amount();
        w.n++;
      }
      emit(s, tf, w, false);
      for (Win later : m.tailMap(w.start, false).values()) {
        if (later.n != 0) {
          break;
        }
        later.o = later.h = later.l = later.c = t.price();
        emit(s, tf, later, false);
      }
    }
  }

  /** Whether a trade in the 1s window {@code sec} is late: that window is closed or never was. */
  private boolean lateAt(Sym s, long sec) {
    if (s.open.get(Timeframe.S1).isEmpty() && s.closed.get(Timeframe.S1).isEmpty()) {
      // 1s not recomputed: the window is closed once the watermark passed its end plus grace
      return sec < s.firstSec || sec + 1000 + grace <= s.wm;
    }
    return s.open.get(Timeframe.S1).isEmpty() || sec < s.open.get(Timeframe.S1).firstKey();
  }

  private void advance(Sym s, long time) {
    for (Timeframe tf : tfs) {
      TreeMap<Long, Win> m = s.open.get(tf);
      long target = OracleWindows.start(tf, time);
      Win newest = m.isEmpty() ? s.lastClosed.get(tf) : m.lastEntry().getValue();
      for (long ws = OracleWindows.end(tf, newest.start);
          ws <= target;
          ws = OracleWindows.end(tf, ws)) {
        Win prev = m.isEmpty() ? s.lastClosed.get(tf) : m.lastEntry().getValue();
        emit(s, tf, s.open(tf, ws, prev.c), false);
      }
      while (!m.isEmpty() && OracleWindows.end(tf, m.firstKey()) + grace <= time) {
        Win w = m.pollFirstEntry().getValue();
        s.lastClosed.put(tf, w);
        s.closed.get(tf).put(w.start, w);
        emit(s, tf, w, true);
      }
    }
  }

  private void gap(Sym s, long from, long to) {
    if (from >= to) {
      return;
    }
    s.gaps.add(new long[] {from, to});
    for (Timeframe tf : tfs) {
      for (Win w : s.open.get(tf).values()) {
        if (!w.partial && w.start < to && from < OracleWindows.end(tf, w.start)) {
          w.partial = true;
          emit(s, tf, w, false);
        }
      }
      long reach = reach(s.closed.get(tf), tf);
      for (Win w : s.closed.get(tf).values()) {
        if (!w.partial
            && (w.start >= reach || w.n == 0)
            && w.start < to
            && from < OracleWindows.end(tf, w.start)) {
          w.partial = true;
          emit(s, tf, w, true);
        }
      }
    }
  }

  /**
   * Start of the oldest closed window a gap can still mark: after the (kept + 1)-th newest one with
   * trades.
   */
  private long reach(NavigableMap<Long, Win> closed, Timeframe tf) {
    int withTrades = 0;
    for (Win w : closed.descendingMap().values()) {
      if (w.n > 0 && ++withTrades > kept) {
        return OracleWindows.end(tf, w.start);
      }
    }
    return Long.MIN_VALUE;
  }

  private void emit(Sym s, Timeframe tf, Win w, boolean closed) {
    Candle c = new Candle(s.symbol, tf, w.start, w.o, w.h, w.l, w.c, w.v, w.n, closed, w.partial);
    latest.put(c.key(), c);
  }

  /** Latest value of every key, as the compacted candles topic must finally hold it. */
  Map<String, Candle> latest() {
    return latest;
  }
}
