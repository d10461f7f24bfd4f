package candlecast.aggregator;

import candlecast.common.Timeframe;

/**
 * Receives candle values from a {@link CandleFolder} as primitives, so folding itself never
 * allocates.
 */
@FunctionalInterface
public interface CandleSink {
  /**
   * One candle; {@code partial} when its window overlaps a gap of the trade log (see {@link
   * CandleFolder#gap}).
   */
  void candle(
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
      boolean partial);
}
