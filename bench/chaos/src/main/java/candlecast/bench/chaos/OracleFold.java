package candlecast.bench.chaos;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The checker's own fold of ground-truth trades into candles, written from the protocol's candle
 * semantics (docs/PROTOCOL.md "Candle semantics"), independently of the aggregator's CandleFolder:
 * UTC-aligned windows, trades in log order, {@code o} first price, {@code c} last, {@code h}/{@code
 * l} max/min, {@code v} the sum of amounts in log order, {@code n} the count. Windows without
 * trades are flat at the previous window's close with {@code v=0}, {@code n=0}.
 */
final class OracleFold {
  /** OHLCV of one window. */
  record Bar(long t, double o, double h, double l, double c, double v, long n) {
    String show() {
      return "t=" + t + " o=" + o + " h=" + h + " l=" + l + " c=" + c + " v=" + v + " n=" + n;
    }
  }

  /** Timeframes aligned to epoch multiples (1w and 1M are calendar-based and not checked). */
  static final Map<String, Long> TIMEFRAMES =
      Map.of(
          "1s", 1_000L,
          "1m", 60_000L,
          "5m", 300_000L,
          "15m", 900_000L,
          "1h", 3_600_000L,
          "4h", 14_400_000L,
          "1d", 86_400_000L);

  private final TreeMap<Long, Bar> bars = new TreeMap<>();

  /** Folds one symbol's trades (in log order) at a timeframe of {@code tfMs}. */
  OracleFold(List<GroundTruth.Trade> trades, long tfMs) {
    for (GroundTruth.Trade tr : trades) {
      long t = Math.floorDiv(tr.time(), tfMs) * tfMs;
      Bar b = bars.get(t);
      bars.put(
          t,
          b == null
              ? new Bar(t, tr.price(), tr.price(), tr.price(), tr.price(), tr.amount(), 1)
              : new Bar(
                  t,
                  b.o(),
                  Math.max(b.h(), tr.price()),
                  Math.min(b.l(), tr.price()),
                  tr.price(),
                  b.v() + tr.amount(),
                  b.n() + 1));
    }
  }

  /**
   * The expected value of window {@code t}: the folded bar, or the implied flat window at the
   * previous close; null before the first trade.
   */
  Bar expected(long t) {
    Bar b = bars.get(t);
    if (b != null) {
      return b;
    }
    Map.Entry<Long, Bar> prev = bars.lowerEntry(t);
    if (prev == null) {
      return null;
    }
    double c = prev.getValue().c();
    return new Bar(t, c, c, c, c, 0.0, 0);
  }

  /** Whether any trade of the fold lies in window {@code t}. */
  boolean traded(long t) {
    return bars.containsKey(t);
  }
}
