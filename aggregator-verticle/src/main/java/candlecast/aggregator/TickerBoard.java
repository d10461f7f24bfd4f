package candlecast.aggregator;

import candlecast.common.Addresses;
import io.vertx.core.eventbus.EventBus;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * The 24 h tickers of the owned symbols: the last published ticker per symbol and the symbols whose
 * ticker may have changed since; {@link #publish} recomputes those and publishes the changed ones
 * on {@code ticker.<SYMBOL>}.
 */
final class TickerBoard {
  private final EventBus bus;
  private final HistoryStore history;
  private final BookService books;
  private final Set<String> dirty = new HashSet<>();
  private final Map<String, Ticker> tickers = new HashMap<>();

  TickerBoard(EventBus bus, HistoryStore history, BookService books) {
    this.bus = bus;
    this.history = history;
    this.books = books;
  }

  void markDirty(String symbol) {
    dirty.add(symbol);
  }

  void remove(String symbol) {
    tickers.remove(symbol);
    dirty.remove(symbol);
  }

  void publish() {
    if (dirty.isEmpty()) {
      return;
    }
    for (String s : dirty) {
      Ticker t = Ticker.compute(s, history);
      t = t == null ? null : t.withBook(books.book(s));
      if (t != null && !t.equals(tickers.get(s))) {
        tickers.put(s, t);
        bus.publish(Addresses.ticker(s), t.toJson());
      }
    }
    dirty.clear();
  }

  /** The symbol's last published ticker, else one computed now; null without history. */
  Ticker ticker(String symbol) {
    Ticker t = tickers.get(symbol);
    if (t != null) {
      return t;
    }
    Ticker computed = Ticker.compute(symbol, history);
    return computed == null ? null : computed.withBook(books.book(symbol));
  }
}
