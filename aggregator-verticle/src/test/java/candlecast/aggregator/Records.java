package candlecast.aggregator;

import candlecast.common.GapRecord;
import candlecast.common.TradeLogRecord;
import candlecast.common.TradeRecord;
import candlecast.common.WatermarkRecord;

/**
 * Test plumbing: one decoded {@code trades} record into its symbol's folder, as {@link
 * PartitionFolds} does it.
 */
final class Records {
  private Records() {}

  /**
   * Applies a record; returns, for a gap, the timeframes whose overlapped closed windows were
   * forgotten already, else 0.
   */
  static int apply(CandleFolder f, TradeLogRecord r, CandleSink sink) {
    if (r instanceof WatermarkRecord w) {
      f.advance(w.time(), sink);
    } else if (r instanceof GapRecord g) {
      return f.gap(g.from(), g.to(), sink);
    } else {
      var t = ((TradeRecord) r).trade();
      f.fold(t.id(), t.time(), t.price(), t.amount(), sink);
    }
    return 0;
  }
}
