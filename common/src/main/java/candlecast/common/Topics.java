package candlecast.common;

/** Kafka topic names and record keys. */
public final class Topics {
  /** Trades, key = symbol, value = {@link Codecs#encodeTrade} JSON. */
  public static final String TRADES = "trades";
  /** Candles, compacted, key = {@code SYMBOL|tf|openTimeMs}, value = {@link Codecs#encodeCandle} JSON. */
  public static final String CANDLES = "candles";
  /** Trades rejected by validation, with the reason. */
  public static final String TRADES_DLQ = "trades.dlq";
  /** Trades older than an already closed window. */
  public static final String TRADES_LATE = "trades.late";

  private Topics() {
  }

  public static String candleKey(String symbol, Timeframe tf, long openTime) {
    return symbol + '|' + tf.label() + '|' + openTime;
  }
}
