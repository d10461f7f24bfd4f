package candlecast.gateway;

import candlecast.common.Addresses;
import candlecast.common.Book;
import candlecast.common.BookCodec;
import candlecast.common.DecodeException;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;

/**
 * One depth view of a symbol's order book: the aggregator publishes the whole book (100 levels per
 * side) on {@code book.<SYMBOL>}; each distinct depth subscribed on a node has its own consumer
 * there, which cuts and encodes its view once per book for all its subscribers.
 */
public record BookKey(String symbol, int depth) implements StreamKey {
  @Override
  public String address() {
    return Addresses.book(symbol);
  }

  /** The update of this view: {@code time} is the book's sequence number. */
  @Override
  public Update toUpdate(Object body) {
    Book b = validate(body, symbol, depth);
    Buffer frame = Frames.bookUpdate(b, depth).toBuffer();
    // the top levels as detail: a binary connection's frame is encoded from them (BinaryFrames)
    return new Update(
        frame,
        Frames.wire(frame),
        b.seq(),
        0,
        false,
        new BinaryFrames.BookView(b.top(depth), depth));
  }

  /**
   * The best {@code depth} levels of a valid book of {@code symbol} with a sequence number (a body
   * or a reply).
   */
  static Book validate(Object body, String symbol, int depth) {
    if (!(body instanceof JsonObject json)) {
      throw new DecodeException("book body is not a JSON object");
    }
    Book b = BookCodec.fromJson(json, depth);
    if (!b.symbol().equals(symbol)) {
      throw new DecodeException("book of " + b.symbol() + " on the address of " + symbol);
    }
    if (b.seq() < 0) {
      throw new DecodeException("book of " + symbol + " without a sequence number");
    }
    return b;
  }

  @Override
  public String toString() {
    return "book." + symbol + "@" + depth;
  }
}
