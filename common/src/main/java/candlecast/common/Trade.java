package candlecast.common;

/**
 * One executed trade as it sits in the {@code trades} topic.
 *
 * @param symbol upper-case symbol, e.g. BTCUSD
 * @param id the exchange's trade id (unique and, per symbol, normally increasing)
 * @param time event time, epoch milliseconds (the exchange's timestamp, not ours)
 * @param price price in quote currency
 * @param amount size in base currency
 * @param side the taker's side
 */
public record Trade(String symbol, long id, long time, double price, double amount, Side side) {

  /** Why this trade must not enter the {@code trades} topic, or null when it is valid. */
  public String invalidReason() {
    if (symbol == null || symbol.isEmpty()) {
      return "missing symbol";
    }
    if (!Symbols.isValid(symbol)) {
      return "invalid symbol '" + symbol + "'";
    }
    if (id < 0) {
      return "missing or negative id";
    }
    if (!Double.isFinite(price) || price <= 0) {
      return "price must be finite and > 0, was " + price;
    }
    if (!Double.isFinite(amount) || amount < 0) {
      return "amount must be finite and >= 0, was " + amount;
    }
    if (side == null) {
      return "unknown side";
    }
    return null;
  }
}
