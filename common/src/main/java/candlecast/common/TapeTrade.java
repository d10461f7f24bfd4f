package candlecast.common;

/**
 * One trade on a symbol's tape (the trades the aggregator holds and streams), with its position in
 * the symbol's log.
 *
 * @param seq the trade's offset in its {@code trades} partition: strictly increasing in the
 *     symbol's log order (not contiguous: a partition interleaves symbols and watermarks)
 * @param id the exchange's trade id
 * @param time event time, epoch ms
 * @param price price
 * @param amount size
 * @param side the taker's side
 */
public record TapeTrade(long seq, long id, long time, double price, double amount, Side side) {

  public static TapeTrade of(long seq, Trade t) {
    return new TapeTrade(seq, t.id(), t.time(), t.price(), t.amount(), t.side());
  }
}
