package candlecast.common;

import com.fasterxml.jackson.core.JsonGenerator;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * The one JSON encoding of order books: the {@code books} record (Kafka value), the event-bus body
 * of {@code book.<SYMBOL>} and the replies of {@code candlecast.book}. Deterministic (fixed field
 * order, {@link Double#toString} numbers); {@code seq} is left out while the book has none (the
 * feed's record).
 *
 * <pre>
 * {"symbol":"BTCUSD","seq":42,"time":1700000000123,"timeUs":1700000000123456,
 *  "bids":[[37000.5,0.25],[37000.0,1.1]],"asks":[[37001.0,0.5]]}
 * </pre>
 */
public final class BookCodec {
  static final String SYMBOL = "symbol";
  static final String SEQ = "seq";
  static final String TIME = "time";
  static final String TIME_US = "timeUs";
  static final String BIDS = "bids";
  static final String ASKS = "asks";

  private BookCodec() {}

  /** The record bytes (UTF-8 JSON). */
  public static byte[] encode(Book b) {
    return Json.write(64 + 48 * (b.bids().size() + b.asks().size()), g -> write(g, b));
  }

  private static void write(JsonGenerator g, Book b) throws IOException {
    g.writeStartObject();
    g.writeStringField(SYMBOL, b.symbol());
    if (b.seq() != Book.NO_SEQ) {
      g.writeNumberField(SEQ, b.seq());
    }
    g.writeNumberField(TIME, b.time());
    g.writeNumberField(TIME_US, b.timeUs());
    writeSide(g, BIDS, b.bids());
    writeSide(g, ASKS, b.asks());
    g.writeEndObject();
  }

  private static void writeSide(JsonGenerator g, String name, List<Book.Level> side)
      throws IOException {
    g.writeArrayFieldStart(name);
    for (Book.Level l : side) {
      g.writeStartArray();
      g.writeNumber(l.price());
      g.writeNumber(l.amount());
      g.writeEndArray();
    }
    g.writeEndArray();
  }

  /**
   * Decodes and validates a record.
   *
   * @throws DecodeException when it is not a valid book
   */
  public static Book decode(byte[] bytes) {
    Object v;
    try {
      v = io.vertx.core.json.Json.decodeValue(Buffer.buffer(bytes));
    } catch (RuntimeException e) {
      throw new DecodeException("book: malformed JSON: " + e.getMessage());
    }
    if (!(v instanceof JsonObject j)) {
      throw new DecodeException("book: not a JSON object");
    }
    return fromJson(j);
  }

  /** The book as a Vert.x JSON object, same fields and order as {@link #encode}. */
  public static JsonObject toJson(Book b) {
    JsonObject j = new JsonObject().put(SYMBOL, b.symbol());
    if (b.seq() != Book.NO_SEQ) {
      j.put(SEQ, b.seq());
    }
    return j.put(TIME, b.time())
        .put(TIME_US, b.timeUs())
        .put(BIDS, side(b.bids()))
        .put(ASKS, side(b.asks()));
  }

  /** One side as {@code [[price,amount],...]}. */
  public static JsonArray side(List<Book.Level> levels) {
    JsonArray a = new JsonArray(new ArrayList<>(levels.size()));
    for (Book.Level l : levels) {
      a.add(new JsonArray(new ArrayList<>(2)).add(l.price()).add(l.amount()));
    }
    return a;
  }

  /**
   * Reads and validates a book ({@link Book#problem()}); {@code seq} is optional ({@link
   * Book#NO_SEQ} when absent).
   *
   * @throws DecodeException naming what is missing or wrong
   */
  public static Book fromJson(JsonObject j) {
    return fromJson(j, Integer.MAX_VALUE);
  }

  /**
   * Reads and validates the best {@code depth} levels of each side only (a depth view need not read
   * the rest).
   *
   * @throws DecodeException naming what is missing or wrong
   */
  public static Book fromJson(JsonObject j, int depth) {
    if (!(j.getValue(SYMBOL) instanceof String symbol)) {
      throw new DecodeException("book: field 'symbol' must be a string");
    }
    long seq = j.getValue(SEQ) == null ? Book.NO_SEQ : integral(j, SEQ);
    Book b =
        new Book(symbol, seq, integral(j, TIME_US), levels(j, BIDS, depth), levels(j, ASKS, depth));
    String problem = b.problem();
    if (problem != null) {
      throw new DecodeException("book of " + symbol + ": " + problem);
    }
    return b;
  }

  private static long integral(JsonObject j, String field) {
    Object v = j.getValue(field);
    if (v instanceof Integer || v instanceof Long) {
      return ((Number) v).longValue();
    }
    throw new DecodeException("book: field '" + field + "' must be an integer");
  }

  private static List<Book.Level> levels(JsonObject j, String field, int depth) {
    if (!(j.getValue(field) instanceof JsonArray arr)) {
      throw new DecodeException("book: field '" + field + "' must be an array of [price, amount]");
    }
    int n = Math.min(depth, arr.size());
    List<Book.Level> out = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      if (!(arr.getValue(i) instanceof JsonArray l)
          || l.size() != 2
          || !(l.getValue(0) instanceof Number p)
          || !(l.getValue(1) instanceof Number a)) {
        throw new DecodeException("book: " + field + "[" + i + "] must be [price, amount]");
      }
      out.add(new Book.Level(p.doubleValue(), a.doubleValue()));
    }
    return out;
  }
}
