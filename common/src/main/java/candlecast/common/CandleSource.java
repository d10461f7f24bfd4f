package candlecast.common;

/**
 * Where a candle came from: folded from trades (the default, what Candlecast aggregates itself),
 * downloaded from the exchange's OHLC endpoint, or imported from a CSV of bars. Exchange and
 * imported candles carry no trade count ({@code n} = 0). On the wire (JSON {@code "src"}) the names
 * are {@link #wire()}; trades candles omit the field.
 */
public enum CandleSource {
  TRADES("trades"),
  EXCHANGE("exchange"),
  IMPORT("import");

  private final String wire;

  CandleSource(String wire) {
    this.wire = wire;
  }

  /** "trades", "exchange" or "import". */
  public String wire() {
    return wire;
  }

  /** The source with this wire name; null for anything else (null included). */
  public static CandleSource tryParse(String s) {
    for (CandleSource src : values()) {
      if (src.wire.equals(s)) {
        return src;
      }
    }
    return null;
  }

  @Override
  public String toString() {
    return wire;
  }
}
