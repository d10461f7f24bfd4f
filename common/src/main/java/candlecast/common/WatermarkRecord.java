package candlecast.common;

/**
 * A watermark in the {@code trades} topic: "no trade of this symbol with a time before {@code time}
 * follows". The feed writes one when a symbol is quiet, so windows close on time while candles stay
 * a pure function of the log.
 */
public record WatermarkRecord(String symbol, long time) implements TradeLogRecord {}
