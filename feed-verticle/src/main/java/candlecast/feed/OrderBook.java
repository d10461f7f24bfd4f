package candlecast.feed;

import candlecast.common.Book;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;

/**
 * A full-depth order book of one symbol, maintained from a snapshot and changes: each side maps
 * price to the amount resting at it. A change sets a level's amount, and amount 0 removes the level
 * (Bitstamp's diff semantics). Pure and not thread-safe.
 */
final class OrderBook {
  /** Bids, highest price first. */
  private final NavigableMap<Double, Double> bids = new TreeMap<>(Collections.reverseOrder());

  /** Asks, lowest price first. */
  private final NavigableMap<Double, Double> asks = new TreeMap<>();

  private long timeUs;

  /** Replaces the whole book with a snapshot as of {@code timeUs}. */
  void applySnapshot(long timeUs, List<Book.Level> bidLevels, List<Book.Level> askLevels) {
    bids.clear();
    asks.clear();
    set(bids, bidLevels);
    set(asks, askLevels);
    this.timeUs = timeUs;
  }

  /** Applies one change as of {@code timeUs}: each level's amount is set, amount 0 removes it. */
  void applyDiff(long timeUs, List<Book.Level> bidLevels, List<Book.Level> askLevels) {
    set(bids, bidLevels);
    set(asks, askLevels);
    this.timeUs = Math.max(this.timeUs, timeUs);
  }

  private static void set(Map<Double, Double> side, List<Book.Level> levels) {
    for (Book.Level l : levels) {
      if (l.amount() == 0) {
        side.remove(l.price());
      } else {
        side.put(l.price(), l.amount());
      }
    }
  }

  void clear() {
    bids.clear();
    asks.clear();
    timeUs = 0;
  }

  /** The instant of the last snapshot or change applied (epoch microseconds). */
  long timeUs() {
    return timeUs;
  }

  /** Whether the best bid is at or above the best ask. */
  boolean crossed() {
    return !bids.isEmpty() && !asks.isEmpty() && bids.firstKey() >= asks.firstKey();
  }

  boolean isEmpty() {
    return bids.isEmpty() && asks.isEmpty();
  }

  int bidLevels() {
    return bids.size();
  }

  int askLevels() {
    return asks.size();
  }

  /** The best {@code depth} levels of each side as a {@link Book} (without sequence number). */
  Book top(String symbol, int depth) {
    return new Book(symbol, Book.NO_SEQ, timeUs, top(bids, depth), top(asks, depth));
  }

  private static List<Book.Level> top(NavigableMap<Double, Double> side, int depth) {
    List<Book.Level> out = new ArrayList<>(Math.min(depth, side.size()));
    Iterator<Map.Entry<Double, Double>> it = side.entrySet().iterator();
    while (out.size() < depth && it.hasNext()) {
      Map.Entry<Double, Double> e = it.next();
      out.add(new Book.Level(e.getKey(), e.getValue()));
    }
    return out;
  }
}
