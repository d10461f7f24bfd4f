package candlecast.feed;

import candlecast.common.Book;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Books of the mock source's symbols ({@link MockBooks}): every {@code feed.book-interval-ms}, each
 * symbol whose last trade price moved gets a new book around it (a curve token: its curve). Books
 * are stamped with the mock's clock.
 */
final class MockBookSource implements BookSource {
  private final Vertx vertx;
  private final MockSource mock;
  private final long intervalMs;
  private final BookSink sink;
  private final Random rnd;
  private final Map<String, Double> publishedAt = new HashMap<>();
  private long timer = -1;
  private long books;

  MockBookSource(Vertx vertx, MockSource mock, long intervalMs, BookSink sink, long seed) {
    this.vertx = vertx;
    this.mock = mock;
    this.intervalMs = intervalMs;
    this.sink = sink;
    this.rnd = new Random(seed);
  }

  @Override
  public String name() {
    return "mock";
  }

  @Override
  public List<String> symbols() {
    return mock.symbols();
  }

  @Override
  public Future<Void> start() {
    timer = vertx.setPeriodic(intervalMs, id -> tick());
    return Future.succeededFuture();
  }

  /** One book per symbol whose price moved since its last book. */
  void tick() {
    long clockMs = mock.watermarkClock();
    for (String symbol : mock.symbols()) {
      double price = mock.lastPrice(symbol);
      if (Double.isNaN(price) || Double.valueOf(price).equals(publishedAt.get(symbol))) {
        continue;
      }
      BondingCurve curve = mock.curve(symbol);
      Book b =
          curve != null
              ? MockBooks.curve(symbol, curve, clockMs * 1000, Book.MAX_DEPTH)
              : MockBooks.around(symbol, price, clockMs * 1000, Book.MAX_DEPTH, rnd);
      publishedAt.put(symbol, price);
      books++;
      sink.offer(b);
    }
  }

  @Override
  public Future<Void> stop() {
    if (timer >= 0) {
      vertx.cancelTimer(timer);
      timer = -1;
    }
    return Future.succeededFuture();
  }

  @Override
  public JsonObject state() {
    return new JsonObject()
        .put("status", "UP")
        .put("symbols", new JsonArray(mock.symbols()))
        .put("books", books);
  }
}
