package candlecast.gateway;

import candlecast.common.Addresses;
import candlecast.common.Book;
import io.vertx.core.AsyncResult;
import io.vertx.core.Future;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.json.JsonObject;

/**
 * A subscription to a symbol's order book at one depth (JSON protocol): opens with the current book
 * as a snapshot, then passes on every newer book (full books of the same depth, in increasing
 * {@code seq}). A slow client keeps only the newest book ({@link OutboundWriter}), so {@code seq}
 * may skip; it never goes back.
 */
final class BookSubscription extends Subscription {
  private long newestSeq = -1;

  BookSubscription(Subscriptions owner, BookKey key, Object id) {
    super(owner, key, id);
  }

  BookKey book() {
    return (BookKey) key;
  }

  @Override
  JsonObject describe() {
    return new JsonObject()
        .put("channel", JsonCommandParser.CHANNEL_BOOK)
        .put("symbol", book().symbol())
        .put("depth", book().depth());
  }

  /** Asks the owner of the symbol for its book, replies ack + snapshot, then goes live. */
  @Override
  Future<Void> start() {
    WsConnection.Env env = owner.env;
    JsonObject req = new JsonObject().put("symbol", book().symbol()).put("depth", book().depth());
    return env.bus()
        .request(Addresses.BOOK, req, env.historyOptions())
        .map(Message::body)
        .transform(
            ar -> {
              if (!cancelled()) {
                snapshot(ar);
              }
              return Future.succeededFuture();
            });
  }

  private void snapshot(AsyncResult<Object> ar) {
    BookKey k = book();
    if (ar.failed() && ar.cause() instanceof ReplyException re && re.failureCode() == 404) {
      drop();
      reply(
          Frames.jsonError(
              ErrorCodes.UNKNOWN_SYMBOL,
              "unknown symbol " + k.symbol() + ": " + re.getMessage(),
              id));
      return;
    }
    reply(Frames.bookSubscription("subscribed", k.symbol(), k.depth(), id));
    Book b = null;
    String problem;
    if (ar.succeeded()) {
      try {
        b = BookKey.validate(ar.result(), k.symbol(), k.depth());
        problem = null;
      } catch (RuntimeException e) {
        problem = "malformed reply";
      }
    } else {
      problem = BusErrors.toHttp(ar.cause(), "book unavailable").error();
    }
    if (b != null) {
      newestSeq = b.seq();
      reply(Frames.bookSnapshot(b, k.depth(), id));
    } else {
      reply(
          Frames.jsonError(
              ErrorCodes.BOOK_UNAVAILABLE,
              "no current book for " + k.symbol() + ": " + problem + "; updates follow",
              id));
    }
    goLive();
  }

  @Override
  void live(Update u) {
    if (u.time() <= newestSeq) {
      return; // the snapshot or an earlier update already showed it
    }
    newestSeq = u.time();
    emit(u);
  }
}
