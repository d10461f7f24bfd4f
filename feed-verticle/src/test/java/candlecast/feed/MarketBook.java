package candlecast.feed;

import candlecast.common.Book;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Random;
import java.util.TreeMap;

/**
 * A test market's true order book: random changes around a slowly moving mid price (never crossed),
 * each stamped with a strictly increasing microtimestamp, and the book's best levels after every
 * change (the oracle a maintained book is compared with). Prices are whole cents and amounts whole
 * 1e-8 units, so their decimal strings parse back to the same doubles. Independent of the code
 * under test; not thread-safe.
 */
final class MarketBook {
  /** One change: levels to set (amount 0 = remove) as of {@code timeUs}. */
  record Change(long timeUs, List<Book.Level> bids, List<Book.Level> asks) {
    BookSync.Levels levels() {
      return new BookSync.Levels(timeUs, bids, asks);
    }
  }

  private final String symbol;
  private final Random rnd;
  private final NavigableMap<Long, Double> bids = new TreeMap<>(Collections.reverseOrder());
  private final NavigableMap<Long, Double> asks = new TreeMap<>();
  private final Map<Long, Book> history = new HashMap<>();
  private long midCents;
  private long timeUs;

  MarketBook(String symbol, long seed, long midCents, long startUs) {
    this.symbol = symbol;
    this.rnd = new Random(seed);
    this.midCents = midCents;
    this.timeUs = startUs;
    for (int i = 1; i <= 150; i++) {
      bids.put(midCents - i - rnd.nextInt(3) * 150L, amount());
      asks.put(midCents + i + rnd.nextInt(3) * 150L, amount());
    }
    history.put(timeUs, top(BookSync.TOP_LEVELS));
  }

  private double amount() {
    return Math.round((0.0001 + rnd.nextDouble() * 3) * 1e8) / 1e8;
  }

  static double price(long cents) {
    return cents / 100.0;
  }

  long timeUs() {
    return timeUs;
  }

  /** The next change (strictly later than the previous one), applied to the true book. */
  Change next() {
    return next(timeUs + 1 + rnd.nextInt(2_000));
  }

  /**
   * The next change, stamped {@code atUs} or, if that is not later than the previous change, just
   * after it.
   */
  Change next(long atUs) {
    timeUs = Math.max(timeUs + 1, atUs);
    List<Book.Level> b = new ArrayList<>();
    List<Book.Level> a = new ArrayList<>();
    if (rnd.nextInt(20) == 0) {
      midCents += rnd.nextInt(11) - 5;
      for (Long p : new ArrayList<>(bids.headMap(midCents, true).keySet())) {
        b.add(set(bids, p, 0)); // bids at or above the new mid go (they would cross)
      }
      for (Long p : new ArrayList<>(asks.headMap(midCents, true).keySet())) {
        a.add(set(asks, p, 0));
      }
    }
    for (int n = 1 + rnd.nextInt(3); n > 0; n--) {
      boolean bid = rnd.nextBoolean();
      long p = bid ? midCents - 1 - rnd.nextInt(200) : midCents + 1 + rnd.nextInt(200);
      NavigableMap<Long, Double> side = bid ? bids : asks;
      double amt = side.containsKey(p) && rnd.nextInt(3) == 0 ? 0 : amount();
      (bid ? b : a).add(set(side, p, amt));
    }
    history.put(timeUs, top(BookSync.TOP_LEVELS));
    return new Change(timeUs, b, a);
  }

  private static Book.Level set(NavigableMap<Long, Double> side, long cents, double amount) {
    if (amount == 0) {
      side.remove(cents);
    } else {
      side.put(cents, amount);
    }
    return new Book.Level(price(cents), amount);
  }

  /** The true book's best {@code depth} levels now. */
  Book top(int depth) {
    return new Book(symbol, Book.NO_SEQ, timeUs, levels(bids, depth), levels(asks, depth));
  }

  /**
   * The true book (best 100 levels) right after the change of {@code us}; null for an instant with
   * no change.
   */
  Book at(long us) {
    return history.get(us);
  }

  /** The whole true book as a snapshot. */
  BookSync.Levels snapshot() {
    return new BookSync.Levels(
        timeUs, levels(bids, Integer.MAX_VALUE), levels(asks, Integer.MAX_VALUE));
  }

  private static List<Book.Level> levels(NavigableMap<Long, Double> side, int depth) {
    List<Book.Level> out = new ArrayList<>();
    for (Map.Entry<Long, Double> e : side.entrySet()) {
      if (out.size() >= depth) {
        break;
      }
      out.add(new Book.Level(price(e.getKey()), e.getValue()));
    }
    return out;
  }
}
