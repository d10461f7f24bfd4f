package candlecast.common;

/** A trade in the {@code trades} topic. */
public record TradeRecord(Trade trade) implements TradeLogRecord {
  @Override
  public String symbol() {
    return trade.symbol();
  }
}
