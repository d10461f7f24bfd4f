package candlecast.aggregator;

import candlecast.common.Candle;
import candlecast.common.CandleCodec;
import candlecast.common.DecodeException;
import candlecast.common.GapRecord;
import candlecast.common.TradeCodec;
import candlecast.common.TradeLogRecord;

/**
 * The records of the compacted {@code candles} topic: candles with trades (key {@code
 * SYMBOL|tf|openTime}, Candle JSON) and the gap spans of a symbol (key {@code SYMBOL|gap|from|to},
 * the Gap JSON of the {@code trades} topic), from which the history is rebuilt. Windows without
 * trades have no record (docs/PROTOCOL.md, "Candle semantics").
 */
final class HistoryRecords {
  private static final String GAP = "|gap|";

  private HistoryRecords() {}

  /** Whether the candle is written to the topic and kept: only windows with trades are. */
  static boolean stored(Candle c) {
    return c.trades() > 0;
  }

  static String gapKey(GapRecord g) {
    return g.symbol() + GAP + g.from() + '|' + g.to();
  }

  static boolean isGapKey(String key) {
    return key != null && key.contains(GAP);
  }

  /**
   * Puts one record of the topic into {@code store}.
   *
   * @throws DecodeException when it is neither a candle nor a gap
   */
  static void load(String key, byte[] value, HistoryStore store) {
    if (isGapKey(key)) {
      TradeLogRecord r = TradeCodec.decode(value);
      if (!(r instanceof GapRecord g)) {
        throw new DecodeException("a gap key holds no gap record: " + key);
      }
      store.gap(g.symbol(), g.from(), g.to());
      return;
    }
    Candle c = CandleCodec.decode(value);
    store.put(c);
  }
}
