package candlecast.gateway;

import candlecast.common.Addresses;

/** The trade tape of one symbol, published by its aggregator on {@code trades.<SYMBOL>}. */
public record TradesKey(String symbol) implements StreamKey {
  @Override
  public String address() {
    return Addresses.trades(symbol);
  }

  /**
   * Decodes the update once; subscriptions take their frames from it ({@link TradeBatch#frames}).
   */
  @Override
  public Update toUpdate(Object body) {
    return TradeBatch.decode(body, symbol).carrier();
  }

  @Override
  public String toString() {
    return "trades." + symbol;
  }
}
