package candlecast.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * book(symbol, depth): whole books; one whose {@code seq} is not newer than the last delivered is
 * dropped.
 */
final class BookSubscription extends Subscription<Book> {
  private final int depth;
  private long lastSeq = -1;

  BookSubscription(Connection conn, String symbol, int depth, StreamListener<Book> listener) {
    super(conn, "book", symbol, null, listener);
    this.depth = depth;
  }

  @Override
  ObjectNode subscribeCommand() {
    ObjectNode c =
        Json.object().put("type", "subscribe").put("channel", "book").put("symbol", symbol);
    if (depth > 0) {
      c.put("depth", depth);
    }
    return c;
  }

  @Override
  ObjectNode unsubscribeCommand() {
    return Json.object().put("type", "unsubscribe").put("channel", "book").put("symbol", symbol);
  }

  @Override
  String routeKey() {
    return "book|" + symbol;
  }

  @Override
  boolean expectsSnapshot() {
    return true;
  }

  @Override
  boolean transientError(String code) {
    // book_unavailable: the subscription stays and books follow
    return false;
  }

  @Override
  boolean softError(String code) {
    return "book_unavailable".equals(code);
  }

  @Override
  void onSnapshot(JsonNode frame) {
    onFrame(frame);
    restored();
  }

  @Override
  void onFrame(JsonNode frame) {
    Book b = Book.fromWire(frame);
    if (b.seq() > lastSeq) {
      lastSeq = b.seq();
      emitUpdate(b);
    }
  }
}
