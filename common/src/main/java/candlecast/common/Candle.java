package candlecast.common;

/**
 * One OHLCV candle (K-line) of a series (symbol, timeframe).
 *
 * @param openTime window start, epoch milliseconds, aligned to the timeframe
 * @param trades number of trades folded into it
 * @param closed true once the window is final (a closed candle changes only to become partial, see
 *     below)
 * @param partial true when the window overlaps a gap of the trade log (a {@link GapRecord}): trades
 *     of its span may be missing, so its values may be incomplete
 * @param src where the candle came from; {@link CandleSource#EXCHANGE} and {@link
 *     CandleSource#IMPORT} candles have {@code trades = 0} (the exchange's OHLC endpoint and a CSV
 *     of bars give no trade count)
 */
public record Candle(
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
    boolean partial,
    CandleSource src) {

  public Candle {
    if (src == null) {
      throw new IllegalArgumentException("candle source must not be null");
    }
  }

  /** A candle folded from trades ({@link CandleSource#TRADES}). */
  public Candle(
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
    this(
        symbol,
        tf,
        openTime,
        open,
        high,
        low,
        close,
        volume,
        trades,
        closed,
        partial,
        CandleSource.TRADES);
  }

  /** A candle of a window that overlaps no gap ({@code partial = false}). */
  public Candle(
      String symbol,
      Timeframe tf,
      long openTime,
      double open,
      double high,
      double low,
      double close,
      double volume,
      long trades,
      boolean closed) {
    this(symbol, tf, openTime, open, high, low, close, volume, trades, closed, false);
  }

  /** Key in the compacted {@code candles} topic: {@code SYMBOL|tf|openTimeMs}. */
  public String key() {
    return Topics.candleKey(symbol, tf, openTime);
  }

  /** True when folded from trades (neither downloaded nor imported). */
  public boolean fromTrades() {
    return src == CandleSource.TRADES;
  }

  public long closeTime() {
    return tf.windowEnd(openTime);
  }
}
