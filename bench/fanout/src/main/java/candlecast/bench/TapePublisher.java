package candlecast.bench;

import candlecast.common.Addresses;
import candlecast.common.Book;
import candlecast.common.BookCodec;
import candlecast.common.Side;
import candlecast.common.TapeCodec;
import candlecast.common.TapeTrade;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Stands in for the aggregator on the trades and book channels of one symbol (BTCUSD): publishes
 * bursty trade-tape updates on {@code trades.BTCUSD} (every {@code burstMs} one update carrying the
 * trades the rate owes, as the aggregator publishes one update per poll batch) and full books on
 * {@code book.BTCUSD} at a set rate, and answers the snapshot requests ({@code candlecast.trades}:
 * no trades held, up to the newest position; {@code candlecast.book}: the current book). The send
 * time rides in the frames clients see: a trade's {@code id} is the send time (epoch µs) × 100 +
 * its index in the burst; a book's {@code seq} is its send time in epoch µs (strictly increasing).
 */
final class TapePublisher {
  static final String SYMBOL = "BTCUSD";
  private final Vertx vertx;
  private long tradesTimer = -1;
  private long bookTimer = -1;
  private long lastSeq = -1;
  private long lastBookSeq = -1;
  private JsonObject book;

  TapePublisher(Vertx vertx) {
    this.vertx = vertx;
    book = book(0);
    vertx
        .eventBus()
        .consumer(
            Addresses.TRADES,
            m ->
                m.reply(
                    new JsonObject()
                        .put("symbol", SYMBOL)
                        .put("lastSeq", lastSeq)
                        .put("more", false)
                        .put("trades", new JsonArray())));
    vertx.eventBus().consumer(Addresses.BOOK, m -> m.reply(book));
  }

  /** Publishes {@code perSecond} trades in one update every {@code burstMs}; 0 stops. */
  void trades(double perSecond, long burstMs) {
    if (tradesTimer >= 0) {
      vertx.cancelTimer(tradesTimer);
      tradesTimer = -1;
    }
    if (perSecond <= 0) {
      return;
    }
    long t0 = System.nanoTime();
    long[] sent = {0};
    tradesTimer =
        vertx.setPeriodic(
            burstMs,
            id -> {
              long owed = (long) ((System.nanoTime() - t0) / 1e9 * perSecond) - sent[0];
              int n = (int) Math.min(owed, 99);
              if (n > 0) {
                publishTrades(n);
                sent[0] += owed; // never catch up with a burst larger than 99
              }
            });
  }

  private void publishTrades(int n) {
    long us = micros();
    long prev = lastSeq;
    List<TapeTrade> trades = new ArrayList<>(n);
    for (int k = 0; k < n; k++) {
      lastSeq++;
      trades.add(
          new TapeTrade(
              lastSeq,
              us * 100 + k,
              us / 1000,
              37000.5,
              0.0125,
              k % 2 == 0 ? Side.BUY : Side.SELL));
    }
    vertx.eventBus().publish(Addresses.trades(SYMBOL), TapeCodec.update(SYMBOL, prev, trades));
  }

  /** Publishes {@code perSecond} full books (100 levels per side) per second; 0 stops. */
  void books(double perSecond) {
    if (bookTimer >= 0) {
      vertx.cancelTimer(bookTimer);
      bookTimer = -1;
    }
    if (perSecond <= 0) {
      return;
    }
    long t0 = System.nanoTime();
    long[] sent = {0};
    bookTimer =
        vertx.setPeriodic(
            1,
            id -> {
              long owed = (long) ((System.nanoTime() - t0) / 1e9 * perSecond) - sent[0];
              for (long i = 0; i < Math.min(owed, 1000); i++) {
                long us = Math.max(micros(), lastBookSeq + 1);
                lastBookSeq = us;
                book = book(us);
                vertx.eventBus().publish(Addresses.book(SYMBOL), book);
              }
              sent[0] += Math.max(0, owed);
            });
  }

  /** A valid 100-level book whose seq (and time) is {@code us}; prices move with it. */
  static JsonObject book(long us) {
    List<Book.Level> bids = new ArrayList<>(Book.MAX_DEPTH);
    List<Book.Level> asks = new ArrayList<>(Book.MAX_DEPTH);
    double mid = 37000 + (us / 1000 % 100) * 0.5;
    for (int i = 0; i < Book.MAX_DEPTH; i++) {
      bids.add(new Book.Level(mid - 0.5 - i * 0.5, 0.25 + i * 0.01));
      asks.add(new Book.Level(mid + 0.5 + i * 0.5, 0.5 + i * 0.01));
    }
    return BookCodec.toJson(new Book(SYMBOL, us, us, bids, asks));
  }

  static long micros() {
    Instant now = Instant.now();
    return now.getEpochSecond() * 1_000_000L + now.getNano() / 1000;
  }
}
