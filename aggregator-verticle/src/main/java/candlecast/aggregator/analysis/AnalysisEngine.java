package candlecast.aggregator.analysis;

import candlecast.aggregator.HistoryStore;
import candlecast.aggregator.SeriesHistory;
import candlecast.common.Addresses;
import candlecast.common.Candle;
import candlecast.common.Timeframe;
import candlecast.common.analysis.AnalysisSpec;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;
import java.util.function.LongSupplier;

/**
 * The analysis series an aggregator keeps live for the symbols it owns (issue 16): activation and
 * warm-up from the owner's history, leases renewed by opens (a series lives {@link #LEASE_MS} after
 * the last), a cap on live series, one update message per live series per fold batch, and points
 * from history for snapshots and queries. Pure (no Vert.x runtime): the clock and the publisher are
 * injected; called on one thread (the aggregator's event loop).
 *
 * <p>{@link #onCandle} costs O(live series of the candle's symbol and timeframe): one map lookup by
 * the symbol string (no key is built), then per series an O(1) update and, when it gives a point,
 * the point's JsonObject kept on the series. {@link #flush()}, called once at the end of a batch,
 * hands each series with news one body {@code {"symbol","tf","key","points":[…]}} (patterns: {@code
 * "patterns":[…]}) to the publisher: its closed points in window order, then its newest provisional
 * point unless a later close of the batch superseded it.
 */
public final class AnalysisEngine {
  /** A series stays live this long after the last open. */
  public static final long LEASE_MS = 20_000;

  /** Hands an update to the event bus (publish). */
  public interface Publisher {
    void publish(String address, JsonObject body);
  }

  /** One live series. */
  private static final class Live {
    final String symbol;
    final String tf;
    final String key;
    final String address;
    final AnalysisSpec spec;
    final boolean patterns;
    final AnchoredSeries series;
    long expires;

    /** The batch's closed points (or detections) not yet flushed, in window order. */
    final List<JsonObject> pending = new ArrayList<>(4);

    /** The batch's newest provisional point not yet flushed (null: none). */
    JsonObject provisional;

    /** The window of {@link #provisional}. */
    long provisionalT;

    /** Whether the series is in the engine's dirty list. */
    boolean dirty;

    Live(String symbol, Timeframe tf, AnalysisSpec spec, AnchoredSeries series) {
      this.symbol = symbol;
      this.tf = tf.label();
      this.key = spec.key();
      this.address = Addresses.analysis(symbol, tf, key);
      this.spec = spec;
      this.patterns = spec.kind() == AnalysisSpec.Kind.PATTERNS;
      this.series = series;
    }
  }

  private final HistoryStore history;
  private final LongSupplier clock;
  private final int maxSeries;
  private final BiFunction<AnalysisSpec, Timeframe, Indicator> factory;
  private final Detections detections;
  private final HistoryPoints points;
  private final Publisher publisher;

  /** Per symbol, per timeframe index, the live series. */
  private final Map<String, List<List<Live>>> bySymbol = new HashMap<>();

  /** Series with points not yet flushed, in the order they got their first one in the batch. */
  private final List<Live> dirty = new ArrayList<>();

  private int live;

  /**
   * @param factory creates the indicator of a spec ({@code Studies::create} in production)
   * @param detections the pattern set's detections JSON
   */
  public AnalysisEngine(
      HistoryStore history,
      LongSupplier clock,
      int maxSeries,
      BiFunction<AnalysisSpec, Timeframe, Indicator> factory,
      Detections detections,
      Publisher publisher) {
    this.history = history;
    this.clock = clock;
    this.maxSeries = maxSeries;
    this.factory = factory;
    this.detections = detections;
    this.points = new HistoryPoints(factory, detections);
    this.publisher = publisher;
  }

  /** Live series on this node. */
  public int liveCount() {
    return live;
  }

  /**
   * Activates (warming it up from history) or renews a series and gives its newest points.
   *
   * @throws AnalysisException 400 bad request, 404 unknown symbol, 429 cap reached
   */
  public JsonObject open(JsonObject body) {
    AnalysisRequest r = AnalysisRequest.parse(body, true);
    SeriesHistory h = known(r);
    Live s = find(r.symbol(), r.tf(), r.spec().key());
    if (s == null) {
      if (live >= maxSeries) {
        throw new AnalysisException(
            429, "too many analysis series on this node (max " + maxSeries + ")");
      }
      s = activate(r, h);
    }
    s.expires = clock.getAsLong() + LEASE_MS;
    return PointJson.reply(
        r, points.query(h, r.tf(), r.spec(), Long.MIN_VALUE, Long.MAX_VALUE, r.limit()));
  }

  /**
   * The points of a range, from history, without activating anything.
   *
   * @throws AnalysisException 400 bad request, 404 unknown symbol
   */
  public JsonObject query(JsonObject body) {
    AnalysisRequest r = AnalysisRequest.parse(body, false);
    SeriesHistory h = known(r);
    return PointJson.reply(r, points.query(h, r.tf(), r.spec(), r.from(), r.to(), r.limit()));
  }

  private SeriesHistory known(AnalysisRequest r) {
    SeriesHistory h = history.series(r.symbol(), r.tf());
    if (h == null) {
      throw new AnalysisException(404, "unknown symbol " + r.symbol());
    }
    return h;
  }

  private Live find(String symbol, Timeframe tf, String key) {
    List<List<Live>> byTf = bySymbol.get(symbol);
    if (byTf == null) {
      return null;
    }
    for (Live s : byTf.get(tf.index())) {
      if (s.key.equals(key)) {
        return s;
      }
    }
    return null;
  }

  /** A new live series, its state warmed up from history to the newest closed window. */
  private Live activate(AnalysisRequest r, SeriesHistory h) {
    Timeframe tf = r.tf();
    AnchoredSeries series = new AnchoredSeries(r.spec(), tf, factory);
    if (h.count() > 0) {
      series.firstWindow(h.oldestOpenTime());
      long newest = tf.windowIndex(h.newestOpenTime());
      long closedMs = h.newestClosedOpenTime();
      long from =
          closedMs == Long.MIN_VALUE
              ? tf.windowIndex(h.oldestOpenTime())
              : series.warmStartIndex(tf.windowIndex(closedMs));
      if (from <= newest) {
        int n = (int) Math.min(Integer.MAX_VALUE, newest - from + 1);
        for (Candle c : h.query(tf.windowStartOfIndex(from), Long.MAX_VALUE, n)) {
          series.update(
              c.openTime(), c.open(), c.high(), c.low(), c.close(), c.volume(), c.closed());
        }
      }
    }
    Live s = new Live(r.symbol(), tf, r.spec(), series);
    bySymbol.computeIfAbsent(r.symbol(), k -> newByTf()).get(tf.index()).add(s);
    live++;
    return s;
  }

  private static List<List<Live>> newByTf() {
    List<List<Live>> byTf = new ArrayList<>(Timeframe.COUNT);
    for (int i = 0; i < Timeframe.COUNT; i++) {
      byTf.add(new ArrayList<>(2));
    }
    return byTf;
  }

  /**
   * Advances the live series of the candle's symbol and timeframe and keeps their new points for
   * the next {@link #flush()}.
   */
  public void onCandle(Candle c) {
    List<List<Live>> byTf = bySymbol.get(c.symbol());
    if (byTf == null) {
      return;
    }
    List<Live> list = byTf.get(c.tf().index());
    for (int i = 0; i < list.size(); i++) {
      Live s = list.get(i);
      AnchoredSeries a = s.series;
      int got =
          a.update(c.openTime(), c.open(), c.high(), c.low(), c.close(), c.volume(), c.closed());
      if ((got & AnchoredSeries.CLOSED) != 0) {
        keepClosed(s);
      }
      if ((got & AnchoredSeries.OPEN) != 0 && !s.patterns) {
        s.provisionalT = a.openTime();
        s.provisional = PointJson.point(s.provisionalT, false, s.spec.fields(), a.openOut());
        markDirty(s);
      }
    }
  }

  private void keepClosed(Live s) {
    AnchoredSeries a = s.series;
    long t = a.closedTime();
    if (s.patterns) {
      List<JsonObject> found = detections.of((int) a.closedOut()[0], a.closedSource());
      if (found.isEmpty()) {
        return;
      }
      s.pending.addAll(found);
    } else {
      s.pending.add(PointJson.point(t, true, s.spec.fields(), a.closedOut()));
      if (s.provisional != null && s.provisionalT <= t) {
        s.provisional = null; // superseded by its own close (or a newer window's)
      }
    }
    markDirty(s);
  }

  private void markDirty(Live s) {
    if (!s.dirty) {
      s.dirty = true;
      dirty.add(s);
    }
  }

  /**
   * Publishes one message per series that got points since the last flush (called once at the end
   * of each fold batch).
   */
  public void flush() {
    for (int i = 0; i < dirty.size(); i++) {
      Live s = dirty.get(i);
      s.dirty = false;
      if (s.provisional != null) {
        s.pending.add(s.provisional);
        s.provisional = null;
      }
      if (s.pending.isEmpty()) {
        continue;
      }
      JsonObject body =
          s.patterns
              ? PointJson.patterns(s.symbol, s.tf, s.key, s.pending)
              : PointJson.update(s.symbol, s.tf, s.key, s.pending);
      s.pending.clear();
      publisher.publish(s.address, body);
    }
    dirty.clear();
  }

  /**
   * Drops the series whose lease has expired.
   *
   * @return how many were dropped
   */
  public int expire() {
    long now = clock.getAsLong();
    int dropped = 0;
    for (Iterator<List<List<Live>>> it = bySymbol.values().iterator(); it.hasNext(); ) {
      int left = 0;
      for (List<Live> list : it.next()) {
        int before = list.size();
        list.removeIf(s -> s.expires <= now);
        dropped += before - list.size();
        left += list.size();
      }
      if (left == 0) {
        it.remove();
      }
    }
    live -= dropped;
    return dropped;
  }

  /** Forgets the series of a symbol this instance no longer owns. */
  public void dropSymbol(String symbol) {
    List<List<Live>> byTf = bySymbol.remove(symbol);
    if (byTf != null) {
      for (List<Live> list : byTf) {
        live -= list.size();
      }
    }
  }
}
