package candlecast.common;

/**
 * One OHLCV candle (K-line) of a series (symbol, timeframe).
 *
 * @param openTime window start, epoch milliseconds, aligned to the timeframe
 * @param trades   number of trades folded into it
 * @param closed   true once the window is final and will never change again
 */
public record Candle(String symbol, Timeframe tf, long openTime, double open, double high, double low,
                     double close, double volume, long trades, boolean closed) {

  /** Key in the compacted {@code candles} topic: {@code SYMBOL|tf|openTimeMs}. */
  public String key() {
    return Topics.candleKey(symbol, tf, openTime);
  }

  public long closeTime() {
    return openTime + tf.millis();
  }
}
