package candlecast.common;

/**
 * One record of the {@code trades} topic: a trade, a watermark or a gap (see {@link TradeCodec}).
 */
public sealed interface TradeLogRecord permits TradeRecord, WatermarkRecord, GapRecord {
  String symbol();
}
