package candlecast.common;

/** A trade in the {@link Topics#TRADES trades} topic. */
public record TradeRecord(Trade trade) implements TradeLogRecord {
  @Override
  public String symbol() {
    return trade.symbol();
  }
}
