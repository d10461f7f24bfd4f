package candlecast.aggregator;

import candlecast.common.Timeframe;

/** Receives candle values from a {@link CandleFolder} as primitives, so folding itself never allocates. */
@FunctionalInterface
public interface CandleSink {
  void candle(String symbol, Timeframe tf, long openTime, double open, double high, double low, double close,
              double volume, long trades, boolean closed);
}
