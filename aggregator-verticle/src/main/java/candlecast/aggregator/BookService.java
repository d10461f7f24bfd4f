package candlecast.aggregator;

import candlecast.common.Addresses;
import candlecast.common.Book;
import candlecast.common.BookCodec;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The order books of the symbols this aggregator owns: their {@code books} partitions are read by a
 * {@link BookRelay} following the fold loop's partitions; each new book is kept and published on
 * {@code book.<SYMBOL>} (the full 100 levels with {@code seq}), and {@link #answer} serves {@code
 * candlecast.book} requests for owned symbols. Books read while a partition is taken over are kept,
 * not published (gateways already have them or ask). Runs on the aggregator's context, except the
 * relay.
 */
final class BookService {
  private static final Logger LOG = LoggerFactory.getLogger(BookService.class);

  private final Vertx vertx;
  private final BookRelay relay;
  private final Consumer<String> onSymbol;
  private final Map<String, Book> books = new HashMap<>();
  private final Map<String, Integer> partitionOf = new HashMap<>();
  private Set<Integer> partitions = Set.of();
  private Thread thread;
  private long published;

  /** {@code onSymbol} hears each symbol whose book arrived (to own it and refresh its ticker). */
  BookService(
      Vertx vertx, Context ctx, Map<String, Object> readerConfig, Consumer<String> onSymbol) {
    this.vertx = vertx;
    this.onSymbol = onSymbol;
    this.relay =
        new BookRelay(
            readerConfig,
            new BookRelay.Output() {
              @Override
              public void loaded(int partition, List<Book> list) {
                ctx.runOnContext(v -> take(partition, list, false));
              }

              @Override
              public void books(int partition, List<Book> list) {
                ctx.runOnContext(v -> take(partition, list, true));
              }
            });
  }

  void start() {
    thread = new Thread(relay, "candlecast-book-relay");
    thread.setDaemon(true);
    thread.start();
  }

  /**
   * Follow these (the owned trades) partitions; returns the symbols whose books were dropped with
   * the others. A partition not followed until now is read again from Kafka (also one dropped and
   * assigned again by a rebalance).
   */
  Set<String> follow(Set<Integer> owned) {
    Set<Integer> added = new HashSet<>(owned);
    added.removeAll(partitions);
    partitions = Set.copyOf(owned);
    relay.follow(partitions, added);
    Set<String> dropped = new HashSet<>();
    for (var it = partitionOf.entrySet().iterator(); it.hasNext(); ) {
      Map.Entry<String, Integer> e = it.next();
      if (!partitions.contains(e.getValue())) {
        dropped.add(e.getKey());
        books.remove(e.getKey());
        it.remove();
      }
    }
    return dropped;
  }

  /** Stop following {@code partition}; returns the symbols whose books were dropped. */
  Set<String> drop(int partition) {
    Set<Integer> rest = new HashSet<>(partitions);
    rest.remove(partition);
    return follow(rest);
  }

  private void take(int partition, List<Book> list, boolean publish) {
    if (!partitions.contains(partition)) {
      return; // dropped meanwhile
    }
    for (Book b : list) {
      Book old = books.get(b.symbol());
      if (old != null && old.seq() >= b.seq()) {
        continue;
      }
      books.put(b.symbol(), b);
      partitionOf.put(b.symbol(), partition);
      if (publish) {
        published++;
        vertx.eventBus().publish(Addresses.book(b.symbol()), BookCodec.toJson(b));
      }
      onSymbol.accept(b.symbol());
    }
  }

  /** The symbol's current book, or null. */
  Book book(String symbol) {
    return books.get(symbol);
  }

  /**
   * {@code {"symbol","depth"?}} → the book cut to {@code depth} (1..100, default 100); 400 for a
   * bad depth, 503 while the owned symbol has no book (yet, or none at all: a replayed symbol).
   */
  Future<JsonObject> answer(JsonObject req) {
    String symbol = req.getString("symbol");
    Object d = req.getValue("depth");
    int depth = Book.MAX_DEPTH;
    if (d != null) {
      if (!(d instanceof Integer || d instanceof Long)
          || ((Number) d).longValue() < 1
          || ((Number) d).longValue() > Book.MAX_DEPTH) {
        return Future.failedFuture(
            new ReplyException(
                ReplyFailure.RECIPIENT_FAILURE,
                400,
                "depth must be a whole number from 1 to " + Book.MAX_DEPTH + ", was " + d));
      }
      depth = ((Number) d).intValue();
    }
    Book b = books.get(symbol);
    if (b == null) {
      return Future.failedFuture(
          new ReplyException(
              ReplyFailure.RECIPIENT_FAILURE, 503, "no book for " + symbol + " yet"));
    }
    return Future.succeededFuture(BookCodec.toJson(b.top(depth)));
  }

  JsonObject stats() {
    return new JsonObject()
        .put("books", books.size())
        .put("published", published)
        .put("records", relay.records())
        .put("malformed", relay.malformed());
  }

  /** Stops the relay; blocking (call on a worker). */
  void stopBlocking() throws InterruptedException {
    relay.stop();
    if (thread != null) {
      thread.join(10_000);
      if (thread.isAlive()) {
        LOG.warn("book relay did not stop within 10 s");
      }
    }
  }

  /** The symbols with a book (tests). */
  List<String> symbols() {
    return new ArrayList<>(books.keySet());
  }
}
