package candlecast.common;

/** One record of the {@code trades} topic: either a trade or a watermark (see {@link TradeCodec}). */
public sealed interface TradeLogRecord permits TradeRecord, WatermarkRecord {
  String symbol();
}
