package candlecast.common;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class BookCodecTest {
  private static Book book(long seq) {
    return new Book(
        "BTCUSD",
        seq,
        1_700_000_000_123_456L,
        List.of(new Book.Level(37000.5, 0.25), new Book.Level(37000.0, 1.0E-5)),
        List.of(new Book.Level(37001.0, 0.5)));
  }

  /** The exact bytes on the wire: the books record, the bus body and replies carry them. */
  @Test
  void wireFormatIsPinned() {
    String pinned =
        "{\"symbol\":\"BTCUSD\",\"seq\":42,\"time\":1700000000123,\"timeUs\":1700000000123456,"
            + "\"bids\":[[37000.5,0.25],[37000.0,1.0E-5]],\"asks\":[[37001.0,0.5]]}";
    assertThat(new String(BookCodec.encode(book(42)), StandardCharsets.UTF_8)).isEqualTo(pinned);
    assertThat(BookCodec.toJson(book(42)).encode()).isEqualTo(pinned);
    // the feed's record has no sequence number yet
    assertThat(new String(BookCodec.encode(book(Book.NO_SEQ)), StandardCharsets.UTF_8))
        .isEqualTo(pinned.replace("\"seq\":42,", ""));
  }

  @Test
  void randomBooksRoundTripExactly() {
    Random rnd = new Random(7);
    for (int n = 0; n < 200; n++) {
      List<Book.Level> bids = new ArrayList<>();
      List<Book.Level> asks = new ArrayList<>();
      double mid = Math.exp(rnd.nextGaussian() * 8);
      double p = mid;
      for (int i = rnd.nextInt(101); i > 0; i--) {
        p -= p * rnd.nextDouble() * 0.01 + Double.MIN_NORMAL;
        bids.add(new Book.Level(p, rnd.nextDouble() * 10 + 1e-9));
      }
      p = mid;
      for (int i = rnd.nextInt(101); i > 0; i--) {
        p += p * rnd.nextDouble() * 0.01 + Double.MIN_NORMAL;
        asks.add(
            new Book.Level(
                p, Double.longBitsToDouble(rnd.nextLong() & 0x3FEF_FFFF_FFFF_FFFFL) + 1e-300));
      }
      Book b =
          new Book(
              "SYM" + n,
              rnd.nextBoolean() ? Book.NO_SEQ : rnd.nextLong() & Long.MAX_VALUE,
              rnd.nextLong() & Long.MAX_VALUE,
              bids,
              asks);
      assertThat(b.problem()).isNull();
      assertThat(BookCodec.decode(BookCodec.encode(b))).isEqualTo(b);
      assertThat(BookCodec.fromJson(new JsonObject(BookCodec.toJson(b).encode()))).isEqualTo(b);
    }
  }

  @Test
  void topCutsBothSidesAndKeepsTheRest() {
    Book b = book(3);
    Book one = b.top(1);
    assertThat(one.bids()).containsExactly(new Book.Level(37000.5, 0.25));
    assertThat(one.asks()).containsExactly(new Book.Level(37001.0, 0.5));
    assertThat(one.seq()).isEqualTo(3);
    assertThat(b.top(100)).isSameAs(b);
    assertThat(b.bestBid()).isEqualTo(37000.5);
    assertThat(b.bestAsk()).isEqualTo(37001.0);
    assertThat(new Book("AB", 1, 0, List.of(), List.of()).bestBid()).isNaN();
  }

  @Test
  void invalidBooksAreRefusedWithTheReason() {
    String crossed =
        "{\"symbol\":\"BTCUSD\",\"time\":1,\"timeUs\":1000,\"bids\":[[10.0,1]],\"asks\":[[10.0,1]]}";
    assertThatThrownBy(() -> BookCodec.decode(crossed.getBytes(StandardCharsets.UTF_8)))
        .isInstanceOf(DecodeException.class)
        .hasMessageContaining("crossed");
    String unsorted =
        "{\"symbol\":\"BTCUSD\",\"timeUs\":1000,\"bids\":[[9.0,1],[9.5,1]],\"asks\":[]}";
    assertThatThrownBy(() -> BookCodec.decode(unsorted.getBytes(StandardCharsets.UTF_8)))
        .hasMessageContaining("bids are not strictly descending at level 1");
    String zero = "{\"symbol\":\"BTCUSD\",\"timeUs\":1000,\"bids\":[],\"asks\":[[9.0,0]]}";
    assertThatThrownBy(() -> BookCodec.decode(zero.getBytes(StandardCharsets.UTF_8)))
        .hasMessageContaining("asks[0] is not a positive finite price and amount");
    assertThatThrownBy(
            () ->
                BookCodec.decode(
                    "{\"symbol\":\"BTCUSD\",\"timeUs\":\"x\",\"bids\":[],\"asks\":[]}"
                        .getBytes(StandardCharsets.UTF_8)))
        .hasMessageContaining("'timeUs' must be an integer");
    assertThatThrownBy(
            () ->
                BookCodec.decode(
                    "{\"symbol\":\"BTCUSD\",\"timeUs\":1,\"bids\":[[1]],\"asks\":[]}"
                        .getBytes(StandardCharsets.UTF_8)))
        .hasMessageContaining("bids[0] must be [price, amount]");
    assertThatThrownBy(
            () ->
                BookCodec.decode(
                    "{\"symbol\":\"btc usd\",\"timeUs\":1,\"bids\":[],\"asks\":[]}"
                        .getBytes(StandardCharsets.UTF_8)))
        .hasMessageContaining("invalid symbol");
    assertThatThrownBy(() -> BookCodec.decode("[1,2]".getBytes(StandardCharsets.UTF_8)))
        .hasMessageContaining("not a JSON object");
    assertThatThrownBy(() -> BookCodec.decode("{".getBytes(StandardCharsets.UTF_8)))
        .hasMessageContaining("malformed JSON");
  }
}
