package candlecast.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The client's reader of binary frames: each reads into the JSON frame of the same update, so the
 * models are those of the JSON encoding; truncated or garbage frames are a {@code bad_response}
 * error, never anything else.
 */
class BinaryFramesTest {
  private static JsonNode read(byte[] frame) {
    return BinaryFrames.toFrame(ByteBuffer.wrap(frame));
  }

  private static Candle randomCandle(Random r) {
    double o = r.nextDouble() * 50_000;
    String src = List.of("", "exchange", "import").get(r.nextInt(3));
    return new Candle(
        r.nextBoolean() ? "BTCUSD" : "ÉTHÜSD",
        List.of("1s", "1m", "1h", "1M").get(r.nextInt(4)),
        1_700_000_000_000L + r.nextInt(1_000_000) * 1000L,
        o,
        o + r.nextDouble(),
        o - r.nextDouble(),
        o + r.nextGaussian(),
        r.nextDouble() * 1e5,
        src.isEmpty() ? r.nextInt(100_000) : 0,
        r.nextBoolean(),
        r.nextInt(4) == 0,
        src.isEmpty() ? null : src);
  }

  /** The JSON frame of {@code c}, as the server writes it (docs/PROTOCOL.md). */
  private static String jsonFrame(Candle c, int window) {
    return "{\"type\":\"candle\",\"symbol\":\""
        + c.symbol()
        + "\",\"tf\":\""
        + c.tf()
        + "\",\"t\":"
        + c.t()
        + ",\"open\":"
        + c.open()
        + ",\"high\":"
        + c.high()
        + ",\"low\":"
        + c.low()
        + ",\"close\":"
        + c.close()
        + ",\"volume\":"
        + c.volume()
        + ",\"trades\":"
        + c.trades()
        + ",\"unix_timestamp\":"
        + c.t() / 1000
        + ",\"time_window_seconds\":"
        + window
        + ",\"closed\":"
        + c.closed()
        + (c.partial() ? ",\"partial\":true" : "")
        + (c.src() == null ? "" : ",\"src\":\"" + c.src() + "\"")
        + "}";
  }

  @Test
  void candlesReadIntoTheirJsonFrameAndTheSameModel() {
    Random r = new Random(20);
    for (int i = 0; i < 2_000; i++) {
      Candle c = randomCandle(r);
      JsonNode frame = read(BinaryWriter.candle(c, 60));
      // through text: the same JSON number node types on both sides
      assertThat(Json.parse(Json.write(frame))).isEqualTo(Json.parse(jsonFrame(c, 60)));
      assertThat(Candle.fromFrame(c.symbol(), c.tf(), frame)).isEqualTo(c);
    }
  }

  @Test
  void tradesAndBooksReadIntoTheSameModels() {
    Random r = new Random(4);
    List<Trade> ts = new ArrayList<>();
    for (int i = 0; i < 300; i++) {
      ts.add(
          new Trade(
              "BTCUSD",
              1_000 + i,
              1_700_000_000_000L + i,
              30_000 + r.nextGaussian(),
              r.nextDouble(),
              r.nextBoolean() ? "buy" : "sell"));
    }
    JsonNode tf = read(BinaryWriter.trades("BTCUSD", ts));
    assertThat(tf.get("type").asText()).isEqualTo("trades");
    List<Trade> back = new ArrayList<>();
    tf.get("trades").forEach(n -> back.add(Trade.fromWire("BTCUSD", n)));
    assertThat(back).isEqualTo(ts);

    List<Book.Level> bids = new ArrayList<>();
    List<Book.Level> asks = new ArrayList<>();
    for (int i = 1; i <= 25; i++) {
      bids.add(new Book.Level(100 - i * r.nextDouble(), r.nextDouble()));
      asks.add(new Book.Level(100 + i * r.nextDouble(), r.nextDouble()));
    }
    Book book = new Book("ETHUSD", 25, 77, 1_700_000_000_123L, bids, asks);
    assertThat(Book.fromWire(read(BinaryWriter.book(book)))).isEqualTo(book);
    Book empty = new Book("ETHUSD", 10, 78, 1L, List.of(), List.of());
    assertThat(Book.fromWire(read(BinaryWriter.book(empty)))).isEqualTo(empty);
  }

  @Test
  void everyTruncationOfEveryKindIsABadResponse() {
    Random r = new Random(1);
    List<byte[]> frames =
        List.of(
            BinaryWriter.candle(randomCandle(r), 60),
            BinaryWriter.trades("BTCUSD", List.of(new Trade("BTCUSD", 1, 2, 3.5, 0.25, "sell"))),
            BinaryWriter.book(
                new Book(
                    "BTCUSD",
                    10,
                    1,
                    2,
                    List.of(new Book.Level(1, 2)),
                    List.of(new Book.Level(3, 4)))));
    for (byte[] f : frames) {
      for (int n = 0; n < f.length; n++) {
        byte[] cut = Arrays.copyOf(f, n);
        assertBad(cut, n + " of " + f.length + " bytes");
      }
      byte[] longer = Arrays.copyOf(f, f.length + 1);
      assertBad(longer, "a trailing byte");
    }
  }

  @Test
  void garbageIsABadResponseWithAReason() {
    assertThatThrownBy(() -> read(new byte[] {9, 1, 0}))
        .isInstanceOf(CandlecastException.class)
        .hasMessageContaining("unknown kind 9");
    assertThatThrownBy(() -> read(new byte[] {1, 2, 0}))
        .isInstanceOf(CandlecastException.class)
        .hasMessageContaining("layout version 2");
    byte[] sideSeven = BinaryWriter.trades("B", List.of(new Trade("B", 1, 2, 3, 4, "buy")));
    sideSeven[sideSeven.length - 1] = 7;
    assertThatThrownBy(() -> read(sideSeven)).hasMessageContaining("side 7");
    byte[] badUtf8 = BinaryWriter.trades("BT", List.of());
    badUtf8[3] = (byte) 0xC3; // a lone lead byte: "BT" becomes invalid UTF-8
    badUtf8[4] = (byte) 0x28;
    assertThatThrownBy(() -> read(badUtf8)).hasMessageContaining("not UTF-8");
    Random r = new Random(99);
    for (int i = 0; i < 20_000; i++) {
      byte[] noise = new byte[r.nextInt(80)];
      r.nextBytes(noise);
      if (noise.length > 1 && r.nextBoolean()) {
        noise[0] = (byte) (1 + r.nextInt(3));
        noise[1] = 1;
      }
      try {
        read(noise);
      } catch (CandlecastException e) {
        assertThat(e.code()).isEqualTo(CandlecastException.BAD_RESPONSE);
      }
    }
  }

  private static void assertBad(byte[] frame, String what) {
    assertThatThrownBy(() -> read(frame))
        .as(what)
        .isInstanceOf(CandlecastException.class)
        .satisfies(
            e ->
                assertThat(((CandlecastException) e).code())
                    .isEqualTo(CandlecastException.BAD_RESPONSE));
  }
}
