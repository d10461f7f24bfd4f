package candlecast.aggregator;

import candlecast.common.Candle;
import candlecast.common.CandleSource;
import candlecast.common.Timeframe;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Imported bars and the coarser timeframes built from them: every timeframe whose windows are whole
 * multiples of the bars' (1m bars → 5m … 1d; 1d bars → 1w and 1M where those exist, reached through
 * {@link Timeframe#tryParse}). A coarser window is folded from the bars inside it: open of the
 * first, close of the last, highest high, lowest low, summed volume. Pure.
 */
final class ImportBars {
  private static final long DAY_MS = 86_400_000L;

  private ImportBars() {}

  /** The bars under their timeframe, then each coarser timeframe's folded candles. */
  static Map<Timeframe, List<Candle>> withCoarser(Timeframe tf, List<Candle> bars) {
    Map<Timeframe, List<Candle>> out = new LinkedHashMap<>();
    out.put(tf, bars);
    for (Timeframe t : Timeframe.LIST) {
      if (coarser(tf, t)) {
        out.put(t, fold(t, bars));
      }
    }
    return out;
  }

  /** Whether {@code t}'s windows are whole multiples of {@code tf}'s. */
  static boolean coarser(Timeframe tf, Timeframe t) {
    if (t == tf || t.millis() <= tf.millis()) {
      return false;
    }
    boolean calendar = t.label().equals("1w") || t.label().equals("1M");
    return calendar ? DAY_MS % tf.millis() == 0 : t.millis() % tf.millis() == 0;
  }

  /** The bars (oldest first) folded into windows of {@code t}. */
  static List<Candle> fold(Timeframe t, List<Candle> bars) {
    TreeMap<Long, Candle> out = new TreeMap<>();
    for (Candle b : bars) {
      long w = t.windowStart(b.openTime());
      Candle acc = out.get(w);
      out.put(
          w,
          acc == null
              ? new Candle(
                  b.symbol(),
                  t,
                  w,
                  b.open(),
                  b.high(),
                  b.low(),
                  b.close(),
                  b.volume(),
                  0,
                  true,
                  false,
                  CandleSource.IMPORT)
              : new Candle(
                  b.symbol(),
                  t,
                  w,
                  acc.open(),
                  Math.max(acc.high(), b.high()),
                  Math.min(acc.low(), b.low()),
                  b.close(),
                  acc.volume() + b.volume(),
                  0,
                  true,
                  false,
                  CandleSource.IMPORT));
    }
    return new ArrayList<>(out.values());
  }
}
