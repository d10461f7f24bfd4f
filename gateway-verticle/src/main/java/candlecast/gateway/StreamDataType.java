package candlecast.gateway;

import candlecast.common.Timeframe;

/**
 * The data a {@code /ws/stream} subscription of a symbol carries (the seed's "data types"), each
 * over one existing stream of the symbol. A subscribe without {@code data_types} takes all three.
 */
enum StreamDataType {
  /**
   * {@code data} messages (price, 24 h volume, change, change in percent) from the symbol's 24 h
   * ticker.
   */
  MARKET("market_data", "data"),
  /** {@code tick_data} messages: the symbol's trades from its trade tape. */
  TICKS("tick_data", "tick_data"),
  /** {@code candle_data} messages: the symbol's candles of one timeframe (default 1m). */
  CANDLES("candle_data", "candle_data");

  static final StreamDataType[] ALL = values();

  /** Every data type, as a bit set ({@link #bit}). */
  static final int EVERY = (1 << ALL.length) - 1;

  /** The name a subscribe's {@code data_types} uses. */
  final String label;

  /** The {@code type} of the messages that carry it. */
  final String messageType;

  StreamDataType(String label, String messageType) {
    this.label = label;
    this.messageType = messageType;
  }

  @SuppressWarnings("EnumOrdinal") // a bit per type in an in-memory mask, never stored
  int bit() {
    return 1 << ordinal();
  }

  /** The data type called {@code label}; null when there is none. */
  static StreamDataType byLabel(String label) {
    for (StreamDataType t : ALL) {
      if (t.label.equals(label)) {
        return t;
      }
    }
    return null;
  }

  static String labels() {
    return "market_data, tick_data, candle_data";
  }

  /**
   * The key of the stream this data type of {@code symbol} comes from ({@code tf}: the candles'
   * timeframe).
   */
  StreamKey key(String symbol, Timeframe tf) {
    return switch (this) {
      case MARKET -> new TickerKey(symbol);
      case TICKS -> new TradesKey(symbol);
      case CANDLES -> new SeriesKey(symbol, tf);
    };
  }
}
