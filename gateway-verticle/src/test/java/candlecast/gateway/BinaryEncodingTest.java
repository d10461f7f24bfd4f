package candlecast.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import candlecast.common.Addresses;
import candlecast.common.Book;
import candlecast.common.BookCodec;
import candlecast.common.Timeframe;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.ClientWebSocket;
import io.vertx.core.http.UpgradeRejectedException;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * {@code /ws?encoding=binary} over real sockets (issue 20): a binary connection and a JSON one
 * subscribe to the same candles, trades and book; every update the binary one gets, read back by
 * the tests' {@link BinaryReader}, equals the JSON one's frame of the same update. Replies stay
 * text; a bad {@code encoding} refuses the upgrade with a clear error.
 */
@ExtendWith(VertxExtension.class)
class BinaryEncodingTest extends GatewayTestBase {

  /** A client that keeps text messages as strings and binary messages as buffers. */
  static final class Probe {
    final BlockingQueue<Object> in = new LinkedBlockingQueue<>();
    final ClientWebSocket ws;

    Probe(ClientWebSocket ws) {
      this.ws = ws;
      ws.textMessageHandler(in::add);
      ws.binaryMessageHandler(in::add);
      ws.exceptionHandler(err -> {});
    }

    Object next() throws InterruptedException {
      Object o = in.poll(5, TimeUnit.SECONDS);
      assertThat(o).as("a message within 5 s").isNotNull();
      return o;
    }

    JsonObject text() throws InterruptedException {
      Object o = next();
      assertThat(o).as("a text frame").isInstanceOf(String.class);
      return new JsonObject((String) o);
    }

    JsonObject binary() throws InterruptedException {
      Object o = next();
      assertThat(o).as("a binary frame").isInstanceOf(Buffer.class);
      return new JsonObject(BinaryReader.toJson((Buffer) o).encode());
    }

    void send(JsonObject j) throws Exception {
      Await.await(ws.writeTextMessage(j.encode()));
    }
  }

  private Probe binaryClient() throws Exception {
    Probe p = new Probe(wsClient.webSocket());
    Await.await(
        p.ws.connect(
            new WebSocketConnectOptions()
                .setHost("127.0.0.1")
                .setPort(port)
                .setURI("/ws?encoding=binary")));
    JsonObject hello = p.text();
    assertThat(hello.getString("type")).isEqualTo("connection");
    assertThat(hello.getString("encoding")).isEqualTo("binary");
    return p;
  }

  private void answerBooks(Book b) {
    vertx
        .eventBus()
        .consumer(
            Addresses.BOOK,
            m -> m.reply(BookCodec.toJson(b.top(((JsonObject) m.body()).getInteger("depth")))));
  }

  private static Book book(long seq) {
    List<Book.Level> bids = new ArrayList<>();
    List<Book.Level> asks = new ArrayList<>();
    for (int i = 1; i <= 30; i++) {
      bids.add(new Book.Level(1000 - i * 0.5, i + seq / 7.0));
      asks.add(new Book.Level(1000 + i * 0.5, i * 1.25));
    }
    return new Book("BTCUSD", seq, 1_700_000_000_000_000L + seq * 1000, bids, asks);
  }

  private static JsonObject norm(JsonObject j) {
    return new JsonObject(j.encode());
  }

  @Test
  void candlesTradesAndBooksArriveAsBinaryFramesEqualToTheJsonFrames(Vertx vertx) throws Exception {
    start(vertx, c -> c);
    answerBooks(book(1));
    Probe bin = binaryClient();
    WsProbe json = connect();
    JsonObject candles =
        new JsonObject().put("type", "subscribe").put("symbol", "BTCUSD").put("tf", "1m");
    JsonObject trades = TradesProtocolTest.sub("BTCUSD").put("batch", 3);
    JsonObject books =
        new JsonObject()
            .put("type", "subscribe")
            .put("channel", "book")
            .put("symbol", "BTCUSD")
            .put("depth", 10);
    for (JsonObject sub : List.of(candles, trades, books)) {
      bin.send(sub);
      json.send(sub.encode());
      assertThat(bin.text().getString("type")).isEqualTo("subscription"); // replies stay text
      assertThat(bin.text().getString("type")).isEqualTo("snapshot");
      json.nextOfType("snapshot");
    }

    for (int i = 0; i < 5; i++) {
      agg.publish(candle("BTCUSD", Timeframe.M1, T0 + i * 60_000L, 10 + i, i < 4));
    }
    for (int i = 0; i < 5; i++) {
      JsonObject expected = norm(json.nextOfType("candle"));
      assertThat(bin.binary()).isEqualTo(expected);
    }

    agg.trades("BTCUSD", 7, true);
    for (int k = 0; k < 3; k++) { // frames of 3, 3 and 1 trades
      JsonObject expected = norm(json.nextOfType("trades"));
      assertThat(bin.binary()).isEqualTo(expected);
    }

    Book next = book(2);
    vertx.eventBus().publish(Addresses.book("BTCUSD"), BookCodec.toJson(next));
    JsonObject expectedBook = norm(json.nextOfType("book"));
    JsonObject gotBook = bin.binary();
    assertThat(gotBook).isEqualTo(expectedBook);
    assertThat(gotBook.getJsonArray("bids")).hasSize(10);
    assertThat(gotBook.getLong("seq")).isEqualTo(2L);
  }

  @Test
  void aBinaryMessageFromTheClientIsAClearErrorAndTheConnectionLives(Vertx vertx) throws Exception {
    start(vertx, c -> c);
    Probe bin = binaryClient();
    Await.await(bin.ws.writeBinaryMessage(Buffer.buffer(new byte[] {1, 1, 0})));
    JsonObject err = bin.text();
    assertCode(err, ErrorCodes.BINARY_NOT_SUPPORTED);
    bin.send(new JsonObject().put("type", "ping").put("id", 1));
    assertThat(bin.text().getString("type")).isEqualTo("pong");
    agg.publish(candle("BTCUSD", Timeframe.M1, T0, 3, false));
    bin.send(new JsonObject().put("type", "subscribe").put("symbol", "BTCUSD").put("tf", "1m"));
    bin.text();
    bin.text();
    agg.publish(candle("BTCUSD", Timeframe.M1, T0, 4, false));
    assertThat(bin.binary().getLong("trades")).isEqualTo(4L);
  }

  @Test
  void jsonStaysTheDefaultAndEncodingJsonIsTheSame(Vertx vertx) throws Exception {
    start(vertx, c -> c);
    Probe p = new Probe(wsClient.webSocket());
    Await.await(
        p.ws.connect(
            new WebSocketConnectOptions()
                .setHost("127.0.0.1")
                .setPort(port)
                .setURI("/ws?encoding=json")));
    assertThat(p.text().containsKey("encoding")).isFalse();
    agg.publish(candle("BTCUSD", Timeframe.M1, T0, 3, false));
    p.send(new JsonObject().put("type", "subscribe").put("symbol", "BTCUSD").put("tf", "1m"));
    p.text();
    p.text();
    agg.publish(candle("BTCUSD", Timeframe.M1, T0, 4, false));
    assertThat(p.text().getString("type")).isEqualTo("candle");
  }

  @Test
  void anUnknownOrMisplacedEncodingRefusesTheUpgradeWithAClearError(Vertx vertx) throws Exception {
    start(vertx, c -> c);
    for (String uri :
        List.of("/ws?encoding=protobuf", "/ws?encoding=", "/ws?encoding=binary&encoding=json")) {
      assertThatThrownBy(
              () ->
                  Await.await(
                      wsClient.connect(
                          new WebSocketConnectOptions()
                              .setHost("127.0.0.1")
                              .setPort(port)
                              .setURI(uri))))
          .as(uri)
          .hasRootCauseInstanceOf(UpgradeRejectedException.class);
      var r =
          Await.await(
              http.get(port, "127.0.0.1", uri)
                  .putHeader("upgrade", "websocket")
                  .putHeader("connection", "Upgrade")
                  .putHeader("sec-websocket-version", "13")
                  .putHeader("sec-websocket-key", "dGhlIHNhbXBsZSBub25jZQ==")
                  .send());
      assertThat(r.statusCode()).as(uri).isEqualTo(400);
      assertThat(r.bodyAsJsonObject().getString("error"))
          .as(uri)
          .containsAnyOf("unknown encoding", "give 'encoding' once");
    }
    var stream =
        Await.await(
            http.get(port, "127.0.0.1", StreamDialect.PATH + "?encoding=binary")
                .putHeader("upgrade", "websocket")
                .putHeader("connection", "Upgrade")
                .putHeader("sec-websocket-version", "13")
                .putHeader("sec-websocket-key", "dGhlIHNhbXBsZSBub25jZQ==")
                .send());
    assertThat(stream.statusCode()).isEqualTo(400);
    assertThat(stream.bodyAsJsonObject().getString("error")).contains("offered on /ws only");
  }
}
