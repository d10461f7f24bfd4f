package candlecast.common;

/** Event-bus addresses shared by the tiers (documented in docs/PROTOCOL.md). */
public final class Addresses {
  /** Prefix of candle update addresses: {@code candles.<SYMBOL>.<tf>}. */
  public static final String CANDLES_PREFIX = "candles.";
  /** Request-reply: history of one series. Body {symbol, tf, from?, to?, limit?}; reply {candles:[...]}. */
  public static final String HISTORY = "candlecast.history";
  /** Request-reply: known symbols. Reply {symbols:[...]}. */
  public static final String SYMBOLS = "candlecast.symbols";
  /** Published by each component with its state (used by /health). */
  public static final String STATUS = "candlecast.status";

  private Addresses() {
  }

  public static String candles(String symbol, Timeframe tf) {
    return CANDLES_PREFIX + symbol + '.' + tf.label();
  }
}
