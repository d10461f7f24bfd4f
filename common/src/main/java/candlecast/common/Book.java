package candlecast.common;

import java.util.List;
import java.util.Objects;

/**
 * One order book as Candlecast publishes it: the best {@code bids} (highest price first) and {@code
 * asks} (lowest first) of a symbol, as of {@code timeUs}. Immutable.
 *
 * @param symbol the symbol
 * @param seq the book's sequence number: the offset of its record in the {@code books} topic
 *     (strictly increasing per symbol), or {@link #NO_SEQ} before the record is written
 * @param timeUs the instant the book is as of, in epoch microseconds (Bitstamp: the microtimestamp
 *     of the last change applied; mock: the mock clock)
 * @param bids price levels, highest price first
 * @param asks price levels, lowest price first
 */
public record Book(String symbol, long seq, long timeUs, List<Level> bids, List<Level> asks) {
  /** {@link #seq} of a book whose record has not been written yet. */
  public static final long NO_SEQ = -1;

  /** Depths clients may ask for; the feed publishes {@link #MAX_DEPTH} levels per side. */
  public static final List<Integer> DEPTHS = List.of(10, 25, 100);

  public static final int MAX_DEPTH = 100;

  /** One price level: the price and the amount resting there (both finite and positive). */
  public record Level(double price, double amount) {}

  public Book {
    Objects.requireNonNull(symbol, "symbol");
    bids = List.copyOf(bids);
    asks = List.copyOf(asks);
  }

  /** The instant of the book in epoch milliseconds. */
  public long time() {
    return Math.floorDiv(timeUs, 1000L);
  }

  /** The same book with sequence number {@code s}. */
  public Book withSeq(long s) {
    return new Book(symbol, s, timeUs, bids, asks);
  }

  /** The best {@code depth} levels of each side. */
  public Book top(int depth) {
    if (bids.size() <= depth && asks.size() <= depth) {
      return this;
    }
    return new Book(
        symbol,
        seq,
        timeUs,
        bids.subList(0, Math.min(depth, bids.size())),
        asks.subList(0, Math.min(depth, asks.size())));
  }

  /** The highest bid price, or NaN when there is no bid. */
  public double bestBid() {
    return bids.isEmpty() ? Double.NaN : bids.get(0).price();
  }

  /** The lowest ask price, or NaN when there is no ask. */
  public double bestAsk() {
    return asks.isEmpty() ? Double.NaN : asks.get(0).price();
  }

  /** Whether the best bid is at or above the best ask (a book that must never be published). */
  public boolean crossed() {
    return !bids.isEmpty() && !asks.isEmpty() && bestBid() >= bestAsk();
  }

  /**
   * What is wrong with this book, or null when it is a valid book: a symbol of {@link Symbols},
   * levels with finite positive prices and amounts, bids strictly descending, asks strictly
   * ascending, not crossed.
   */
  public String problem() {
    if (!Symbols.isValid(symbol)) {
      return "invalid symbol '" + symbol + "'";
    }
    String p = sideProblem("bids", bids, -1);
    if (p == null) {
      p = sideProblem("asks", asks, 1);
    }
    if (p == null && crossed()) {
      p = "crossed: best bid " + bestBid() + " >= best ask " + bestAsk();
    }
    return p;
  }

  private static String sideProblem(String name, List<Level> side, int direction) {
    double previous = Double.NaN;
    for (int i = 0; i < side.size(); i++) {
      Level l = side.get(i);
      if (!(l.price() > 0)
          || !Double.isFinite(l.price())
          || !(l.amount() > 0)
          || !Double.isFinite(l.amount())) {
        return name + "[" + i + "] is not a positive finite price and amount: " + l;
      }
      if (i > 0 && Double.compare(l.price(), previous) * direction <= 0) {
        return name
            + " are not strictly "
            + (direction < 0 ? "descending" : "ascending")
            + " at level "
            + i;
      }
      previous = l.price();
    }
    return null;
  }
}
