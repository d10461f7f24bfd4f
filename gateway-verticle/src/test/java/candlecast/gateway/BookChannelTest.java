package candlecast.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import candlecast.common.Addresses;
import candlecast.common.Book;
import candlecast.common.BookCodec;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The order book on every surface of the gateway, over real sockets, with the test standing in for
 * the aggregator tier on the bus ({@code candlecast.book} and {@code book.<SYMBOL>}): the JSON
 * channel (snapshot, updates cut to the depth, every error), the REST endpoint and the SockJS
 * bridge.
 */
class BookChannelTest extends StandInTierTestBase {
  /** The stand-in owner's books (with seq). */
  private final Map<String, Book> books = new ConcurrentHashMap<>();

  @BeforeEach
  void bookResponder() {
    respond(
        Addresses.BOOK,
        msg -> {
          JsonObject req = (JsonObject) msg.body();
          String symbol = req.getString("symbol");
          switch (symbol) {
            case "NOPE" -> msg.fail(404, "unknown symbol NOPE");
            case "GARBAGE" -> msg.reply(new JsonObject().put("symbol", "GARBAGE"));
            default -> {
              Book b = books.get(symbol);
              if (b == null) {
                msg.fail(503, "no book for " + symbol + " yet");
              } else {
                msg.reply(BookCodec.toJson(b.top(req.getInteger("depth", 100))));
              }
            }
          }
        });
  }

  private static Book book(String symbol, long seq, double mid) {
    List<Book.Level> bids = new ArrayList<>();
    List<Book.Level> asks = new ArrayList<>();
    for (int i = 1; i <= 100; i++) {
      bids.add(new Book.Level(mid - i, i + seq / 1000.0));
      asks.add(new Book.Level(mid + i, i * 2.0));
    }
    return new Book(symbol, seq, 1_700_000_000_000_000L + seq * 1000, bids, asks);
  }

  private void store(Book b) {
    books.put(b.symbol(), b);
  }

  private void publishBook(Book b) {
    vertx.eventBus().publish(Addresses.book(b.symbol()), BookCodec.toJson(b));
  }

  private static JsonObject sub(String symbol, Object depth, Object id) {
    JsonObject j =
        new JsonObject().put("type", "subscribe").put("channel", "book").put("symbol", symbol);
    if (depth != null) {
      j.put("depth", depth);
    }
    return j.put("id", id);
  }

  /**
   * What a client must see for {@code b} at {@code depth}: the independent expectation of the
   * frame's fields.
   */
  private static void assertBookFrame(JsonObject f, Book b, int depth) {
    assertThat(f.getString("symbol")).isEqualTo(b.symbol());
    assertThat(f.getInteger("depth")).isEqualTo(depth);
    assertThat(f.getLong("seq")).isEqualTo(b.seq());
    assertThat(f.getLong("time")).isEqualTo(b.timeUs() / 1000);
    JsonArray bids = f.getJsonArray("bids");
    JsonArray asks = f.getJsonArray("asks");
    assertThat(bids).hasSize(depth);
    assertThat(asks).hasSize(depth);
    for (int i = 0; i < depth; i++) {
      assertThat(bids.getJsonArray(i).getDouble(0)).isEqualTo(b.bids().get(i).price());
      assertThat(bids.getJsonArray(i).getDouble(1)).isEqualTo(b.bids().get(i).amount());
      assertThat(asks.getJsonArray(i).getDouble(0)).isEqualTo(b.asks().get(i).price());
      assertThat(asks.getJsonArray(i).getDouble(1)).isEqualTo(b.asks().get(i).amount());
    }
  }

  @Test
  void snapshotThenNewerBooksCutToTheDepthAndNothingOlder() throws Exception {
    store(book("BTCUSD", 40, 1000));
    WsProbe ws = connect("/ws");
    ws.nextOfType("connection");
    ws.send(sub("btcusd", 25, 7).encode());
    assertThat(ws.next())
        .isEqualTo(
            new JsonObject()
                .put("type", "subscription")
                .put("status", "subscribed")
                .put("channel", "book")
                .put("symbol", "BTCUSD")
                .put("depth", 25)
                .put("id", 7));
    JsonObject snap = ws.next();
    assertThat(snap.getString("type")).isEqualTo("snapshot");
    assertThat(snap.getString("channel")).isEqualTo("book");
    assertThat(snap.getInteger("id")).isEqualTo(7);
    assertBookFrame(snap, books.get("BTCUSD"), 25);

    publishBook(book("BTCUSD", 39, 990)); // older than the snapshot: never shown
    Book next = book("BTCUSD", 41, 1010);
    publishBook(next);
    JsonObject u = ws.next();
    assertThat(u.getString("type")).isEqualTo("book");
    assertThat(u.containsKey("id")).isFalse();
    assertBookFrame(u, next, 25);

    publishBook(
        new Book("BTCUSD", 42, 0, List.of(new Book.Level(10, 1)), List.of(new Book.Level(9, 1))));
    Book last = book("BTCUSD", 43, 1020);
    publishBook(last);
    assertBookFrame(ws.next(), last, 25); // the crossed one was dropped by the gateway

    JsonObject list = ws.command(new JsonObject().put("type", "list"));
    assertThat(list.getJsonArray("subscriptions"))
        .containsExactly(
            new JsonObject().put("channel", "book").put("symbol", "BTCUSD").put("depth", 25));
    assertThat(
            ws.command(
                new JsonObject()
                    .put("type", "unsubscribe")
                    .put("channel", "book")
                    .put("symbol", "BTCUSD")
                    .put("id", 9)))
        .isEqualTo(
            new JsonObject()
                .put("type", "subscription")
                .put("status", "unsubscribed")
                .put("channel", "book")
                .put("symbol", "BTCUSD")
                .put("depth", 25)
                .put("id", 9));
  }

  /**
   * One consumer (one cut and encode per book) per distinct depth; the same frame text for all its
   * subscribers.
   */
  @Test
  void eachDistinctDepthIsOneViewSharedByItsSubscribers() throws Exception {
    store(book("ETHUSD", 1, 3000));
    List<WsProbe> clients = new ArrayList<>();
    int[] depths = {10, 100, 10, 25, 10};
    for (int d : depths) {
      WsProbe ws = connect("/ws");
      ws.nextOfType("connection");
      ws.send(sub("ETHUSD", d == 10 ? null : d, null).encode()); // default depth: 10
      ws.nextOfType("snapshot");
      clients.add(ws);
    }
    assertThat(gateway.hub().subscribers(new BookKey("ETHUSD", 10))).isEqualTo(3);
    assertThat(gateway.hub().consumersRegistered()).isEqualTo(3);
    Book b = book("ETHUSD", 2, 3001);
    publishBook(b);
    List<String> frames = new ArrayList<>();
    for (int i = 0; i < clients.size(); i++) {
      String text = clients.get(i).texts.poll(5, java.util.concurrent.TimeUnit.SECONDS);
      assertThat(text).isNotNull();
      assertBookFrame(new JsonObject(text), b, depths[i]);
      frames.add(text);
    }
    assertThat(frames.get(0)).isEqualTo(frames.get(2)).isEqualTo(frames.get(4));
  }

  @Test
  void everyBadBookCommandGetsAClearError() throws Exception {
    store(book("BTCUSD", 5, 1000));
    WsProbe ws = connect("/ws");
    ws.nextOfType("connection");
    assertCode(ws.command(sub("BTCUSD", 7, 1)), ErrorCodes.BAD_FIELD);
    assertCode(ws.command(sub("BTCUSD", "ten", 2)), ErrorCodes.BAD_FIELD);
    assertCode(ws.command(sub("BTCUSD", 10.5, 3)), ErrorCodes.BAD_FIELD);
    assertCode(
        ws.command(sub("BTC_USD", 10, 4)), ErrorCodes.BAD_SYMBOL); // BTC-USD is an alias of BTCUSD
    assertCode(
        ws.command(new JsonObject().put("type", "subscribe").put("channel", "book")),
        ErrorCodes.MISSING_FIELD);
    JsonObject unknownChannel =
        ws.command(
            new JsonObject()
                .put("type", "subscribe")
                .put("channel", "depth")
                .put("symbol", "BTCUSD"));
    assertCode(unknownChannel, ErrorCodes.UNKNOWN_CHANNEL);
    assertThat(unknownChannel.getString("message")).contains("book");
    JsonObject nope = ws.command(sub("NOPE", 10, 5));
    assertCode(nope, ErrorCodes.UNKNOWN_SYMBOL);
    assertThat(nope.getInteger("id")).isEqualTo(5);
    assertCode(
        ws.command(
            new JsonObject()
                .put("type", "unsubscribe")
                .put("channel", "book")
                .put("symbol", "NOPE")),
        ErrorCodes.NOT_SUBSCRIBED);

    // a symbol without a book yet: ack, book_unavailable, then the books that come
    ws.send(sub("ETHUSD", 10, 6).encode());
    assertThat(ws.next().getString("status")).isEqualTo("subscribed");
    assertCode(ws.next(), ErrorCodes.BOOK_UNAVAILABLE);
    Book first = book("ETHUSD", 1, 3000);
    publishBook(first);
    assertBookFrame(ws.nextOfType("book"), first, 10);
    // a malformed reply is the same
    ws.send(sub("GARBAGE", 10, 8).encode());
    assertThat(ws.next().getString("status")).isEqualTo("subscribed");
    assertCode(ws.next(), ErrorCodes.BOOK_UNAVAILABLE);
    ws.send(sub("BTCUSD", 100, 10).encode());
    ws.nextOfType("snapshot");
    assertCode(ws.command(sub("BTCUSD", 10, 11)), ErrorCodes.ALREADY_SUBSCRIBED);
    assertThat(ws.command(new JsonObject().put("type", "list")).getJsonArray("subscriptions"))
        .hasSize(3);
  }

  @Test
  void restAnswersTheBookAtTheDepthAskedFor() throws Exception {
    Book b = book("BTCUSD", 12, 1000);
    store(b);
    HttpResponse<Buffer> r = get("/api/book?symbol=btcusd&depth=3");
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.getHeader("content-type")).isEqualTo("application/json");
    JsonObject body = r.bodyAsJsonObject();
    assertThat(body.containsKey("type")).isFalse();
    assertBookFrame(body, b, 3);
    assertBookFrame(get("/api/book?symbol=BTCUSD").bodyAsJsonObject(), b, 10);
    assertBookFrame(get("/api/book?symbol=BTCUSD&depth=100").bodyAsJsonObject(), b, 100);
    assertError(get("/api/book?symbol=BTCUSD&depth=0"), 400, "depth");
    assertError(get("/api/book?symbol=BTCUSD&depth=101"), 400, "depth");
    assertError(get("/api/book?symbol=BTCUSD&depth=ten"), 400, "depth");
    assertError(get("/api/book"), 400, "missing parameter 'symbol'");
    assertBookFrame(get("/api/book?symbol=BTC-USD").bodyAsJsonObject(), b, 10); // the dashed alias
    assertError(get("/api/book?symbol=BTC_USD"), 400, "invalid symbol");
    assertError(get("/api/book?symbol=NOPE"), 404, "unknown symbol NOPE");
    assertError(get("/api/book?symbol=ETHUSD"), 503, "no book for ETHUSD");
    assertError(get("/api/book?symbol=GARBAGE"), 502, "malformed");
  }

  private static void assertError(HttpResponse<Buffer> r, int status, String text) {
    assertThat(r.statusCode()).as(r.bodyAsString()).isEqualTo(status);
    assertThat(r.bodyAsJsonObject().getString("error")).contains(text);
  }

  @Test
  void theBridgeLetsBrowsersRegisterForABook() throws Exception {
    WsProbe sock = connect("/eventbus/websocket");
    sock.send(new JsonObject().put("type", "register").put("address", "book.BTCUSD").encode());
    sock.send(new JsonObject().put("type", "register").put("address", "book.btc-usd").encode());
    assertThat(sock.next().getString("body")).isEqualTo("access_denied");
    Book b = book("BTCUSD", 3, 1000);
    publishBook(b);
    JsonObject rec = sock.next();
    assertThat(rec.getString("address")).isEqualTo("book.BTCUSD");
    assertThat(BookCodec.fromJson(rec.getJsonObject("body"))).isEqualTo(b);
  }
}
