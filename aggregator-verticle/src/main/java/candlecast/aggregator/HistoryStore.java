package candlecast.aggregator;

import candlecast.common.Candle;
import candlecast.common.Timeframe;
import java.util.List;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/** All series histories held by one aggregator instance, and the retention per timeframe. */
public final class HistoryStore implements CandleSink {
  private final long[] retentionMs;
  private final ConcurrentHashMap<String, SeriesHistory[]> bySymbol = new ConcurrentHashMap<>();

  /**
   * @param retentionMs per timeframe index; 0 = unlimited
   */
  public HistoryStore(long[] retentionMs) {
    this.retentionMs = retentionMs.clone();
  }

  /** Defaults: 1s one day, 1m thirty days, 5m and above unlimited. */
  public static long[] defaultRetention() {
    long[] r = new long[Timeframe.COUNT];
    r[Timeframe.S1.index()] = 86_400_000L;
    r[Timeframe.M1.index()] = 30L * 86_400_000L;
    return r;
  }

  private SeriesHistory[] seriesOf(String symbol) {
    return bySymbol.computeIfAbsent(
        symbol,
        s -> {
          SeriesHistory[] a = new SeriesHistory[Timeframe.COUNT];
          HistoryGaps gaps = new HistoryGaps();
          for (int i = 0; i < a.length; i++) {
            a[i] = new SeriesHistory(s, Timeframe.byIndex(i), retentionMs[i], gaps);
          }
          return a;
        });
  }

  @Override
  public void candle(
      String symbol,
      Timeframe tf,
      long openTime,
      double open,
      double high,
      double low,
      double close,
      double volume,
      long trades,
      boolean closed,
      boolean partial) {
    seriesOf(symbol)[tf.index()].put(
        openTime, open, high, low, close, volume, trades, closed, partial);
  }

  /**
   * Stores a candle of any origin; a downloaded or imported one never replaces a trades candle.
   *
   * @return false when it was not stored for that reason
   */
  public boolean put(Candle c) {
    return seriesOf(c.symbol())[c.tf().index()].putCandle(c);
  }

  /** The series of a symbol, created empty when the symbol is new (an import's first bars). */
  public SeriesHistory seriesOrCreate(String symbol, Timeframe tf) {
    return seriesOf(symbol)[tf.index()];
  }

  /**
   * A gap record of {@code symbol}: implied flat windows overlapping [{@code from}, {@code to}) are
   * partial from now on (stored windows are marked by the candles the folder re-emits).
   */
  public void gap(String symbol, long from, long to) {
    seriesOf(symbol)[0].gaps().add(from, to);
  }

  /**
   * Takes what a restored fold state knows beyond the stored candles: its open windows (flat ones
   * included: they set the newest window) and, per timeframe, its newest closed window.
   */
  void seed(CandleFolder folder) {
    if (!folder.started()) {
      return;
    }
    folder.forEachOpen(this);
    SeriesHistory[] a = seriesOf(folder.symbol());
    WindowRing[] rings = folder.committedRings();
    for (int i = 0; i < rings.length; i++) {
      if (rings[i].lastClosedStart != Long.MIN_VALUE) {
        a[i].closedThrough(rings[i].lastClosedStart);
      }
    }
  }

  public boolean hasSymbol(String symbol) {
    return bySymbol.containsKey(symbol);
  }

  public Set<String> symbols() {
    return new TreeMap<>(bySymbol).keySet();
  }

  /**
   * Takes over every series of {@code other} (a partition's rebuilt history), replacing what was
   * held for them.
   */
  public void merge(HistoryStore other) {
    bySymbol.putAll(other.bySymbol);
  }

  public void removeSymbol(String symbol) {
    bySymbol.remove(symbol);
  }

  /** Null when the symbol is unknown. */
  public List<Candle> query(String symbol, Timeframe tf, long from, long to, int limit) {
    SeriesHistory[] a = bySymbol.get(symbol);
    if (a == null) {
      return null;
    }
    return a[tf.index()].query(from, to, limit);
  }

  public SeriesHistory series(String symbol, Timeframe tf) {
    SeriesHistory[] a = bySymbol.get(symbol);
    return a == null ? null : a[tf.index()];
  }

  public long memoryBytes(String symbol) {
    SeriesHistory[] a = bySymbol.get(symbol);
    long sum = 0;
    if (a != null) {
      for (SeriesHistory s : a) {
        sum += s.memoryBytes();
      }
    }
    return sum;
  }
}
