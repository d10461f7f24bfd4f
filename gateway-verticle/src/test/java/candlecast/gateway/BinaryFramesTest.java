package candlecast.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import candlecast.common.Book;
import candlecast.common.Candle;
import candlecast.common.CandleSource;
import candlecast.common.Side;
import candlecast.common.TapeTrade;
import candlecast.common.Timeframe;
import io.netty.buffer.ByteBuf;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The binary frames (issue 20) against the JSON frames of the same updates: read back by the tests'
 * own {@link BinaryReader} (written from docs/PROTOCOL.md), each equals its JSON frame field for
 * field; and {@link BinaryMemo} encodes an update once for every binary subscriber.
 */
class BinaryFramesTest {
  private static final long NOV_2023 = 1_698_796_800_000L; // 2023-11-01T00:00Z, a month's start

  /** Both sides through the same JSON text: the same number types on both. */
  private static JsonObject norm(JsonObject j) {
    return new JsonObject(j.encode());
  }

  private static JsonObject read(ByteBuf wire) {
    return norm(BinaryReader.toJson(BinaryReader.payload(wire)));
  }

  private static Candle randomCandle(Random r) {
    Timeframe tf = Timeframe.LIST.get(r.nextInt(Timeframe.LIST.size()));
    long open =
        tf == Timeframe.MN1
            ? NOV_2023
            : (1_700_000_000_000L / tf.millis() + r.nextInt(1000)) * tf.millis();
    double o = r.nextDouble() * 60_000;
    CandleSource src =
        List.of(CandleSource.TRADES, CandleSource.EXCHANGE, CandleSource.IMPORT).get(r.nextInt(3));
    return new Candle(
        r.nextBoolean() ? "BTCUSD" : "ÉTH-ÜSD", // a multi-byte UTF-8 symbol too
        tf,
        open,
        o,
        o + r.nextDouble() * 100,
        o - r.nextDouble() * 100,
        o + r.nextGaussian(),
        r.nextDouble() * 1e6,
        src == CandleSource.TRADES ? r.nextInt(1_000_000) : 0,
        r.nextBoolean(),
        r.nextInt(4) == 0,
        src);
  }

  @Test
  void everyCandleReadsBackAsItsJsonFrame() {
    Random r = new Random(20);
    for (int i = 0; i < 2_000; i++) {
      Candle c = randomCandle(r);
      ByteBuf wire = BinaryFrames.candle(c);
      assertThat(read(wire)).as(c.toString()).isEqualTo(norm(Frames.candleUpdateJson(c)));
    }
  }

  @Test
  void candleFrameIsAThirdOfTheJsonOrLess() {
    Candle c = randomCandle(new Random(1));
    int json = Frames.candleUpdate(c).length();
    int binary = BinaryReader.payload(BinaryFrames.candle(c)).length();
    assertThat(binary).isLessThanOrEqualTo(json / 2);
  }

  private static List<TapeTrade> trades(Random r, int n) {
    List<TapeTrade> out = new ArrayList<>();
    long id = r.nextInt(1_000_000);
    for (int i = 0; i < n; i++) {
      out.add(
          new TapeTrade(
              i + 1L,
              id + i,
              1_700_000_000_000L + i * 37L,
              30_000 + r.nextGaussian() * 10,
              r.nextDouble(),
              r.nextBoolean() ? Side.BUY : Side.SELL));
    }
    return out;
  }

  @Test
  void everyTradesFrameOfABatchReadsBackAsItsJsonFrame() {
    Random r = new Random(7);
    for (int batch : new int[] {1, 3, 100}) {
      Update[] frames = TradeBatch.encode("BTCUSD", trades(r, 250), batch);
      for (Update u : frames) {
        ByteBuf wire = BinaryFrames.wireOf(u);
        assertThat(wire).isNotNull();
        assertThat(read(wire)).isEqualTo(new JsonObject(u.frame()));
      }
    }
  }

  private static Book book(Random r, int levels) {
    List<Book.Level> bids = new ArrayList<>();
    List<Book.Level> asks = new ArrayList<>();
    for (int i = 1; i <= levels; i++) {
      bids.add(new Book.Level(1000 - i - r.nextDouble(), r.nextDouble() * 5));
      asks.add(new Book.Level(1000 + i + r.nextDouble(), r.nextDouble() * 5));
    }
    return new Book("BTCUSD", 42 + r.nextInt(1000), 1_700_000_000_123_456L, bids, asks);
  }

  @Test
  void everyBookDepthReadsBackAsItsJsonFrame() {
    Random r = new Random(3);
    for (int depth : Book.DEPTHS) {
      for (int levels : new int[] {0, 5, 100}) {
        Book b = book(r, levels);
        Update u = new BookKey("BTCUSD", depth).toUpdate(candlecast.common.BookCodec.toJson(b));
        assertThat(read(BinaryFrames.wireOf(u)))
            .as(depth + "/" + levels)
            .isEqualTo(new JsonObject(u.frame()));
      }
    }
  }

  @Test
  void frameHeadersCoverEveryLengthForm() {
    Random r = new Random(5);
    // 2-byte header (< 126), 4-byte (< 64 KiB), 10-byte (a depth-100 book is 3.2 KiB: 4; 2,000
    // trades: 66 KiB: 10)
    for (int n : new int[] {1, 3, 100, 2_000}) {
      List<TapeTrade> ts = trades(r, n);
      JsonObject back = read(BinaryFrames.trades("B", ts));
      assertThat(back.getJsonArray("trades")).hasSize(n);
      assertThat(back.getJsonArray("trades").getJsonObject(n - 1).getLong("id"))
          .isEqualTo(ts.get(n - 1).id());
    }
    assertThatThrownBy(() -> BinaryFrames.trades("B", trades(r, 70_000)))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void memoEncodesEachUpdateOnceForEverySubscriber() {
    BinaryMemo memo = new BinaryMemo();
    Random r = new Random(9);
    Update a = SeriesKeyUpdate.of(randomCandle(r));
    Update b = SeriesKeyUpdate.of(randomCandle(r));
    ByteBuf first = memo.wire(a);
    for (int i = 0; i < 1_000; i++) {
      assertThat(memo.wire(a)).isSameAs(first); // one encoding, the same bytes for every client
    }
    assertThat(memo.encoded()).isEqualTo(1);
    ByteBuf other = memo.wire(b);
    assertThat(other).isNotSameAs(first);
    assertThat(memo.wire(a)).as("still remembered").isSameAs(first);
    assertThat(memo.encoded()).isEqualTo(2);
    for (int i = 0; i < BinaryMemo.SLOTS; i++) {
      memo.wire(SeriesKeyUpdate.of(randomCandle(r)));
    }
    ByteBuf again = memo.wire(a); // evicted: encoded again, the same bytes
    assertThat(again).isNotSameAs(first).isEqualTo(first);
  }

  @Test
  void updatesWithoutBinaryFormStayTheirTextFrame() {
    BinaryMemo memo = new BinaryMemo();
    Buffer gap = Frames.tradesGap("BTCUSD", 5L, null);
    Update mark = new Update(gap, Frames.wire(gap), 0, 0, false, new TradeBacklog.Mark(5L));
    assertThat(memo.wire(mark)).isSameAs(mark.wire());
    Update ticker = new Update(Buffer.buffer("{\"type\":\"ticker\"}"), 1, 0, false);
    assertThat(memo.wire(ticker)).isSameAs(ticker.wire());
  }

  /** The update a candle series' hub hands its subscribers. */
  private static final class SeriesKeyUpdate {
    static Update of(Candle c) {
      return new SeriesKey(c.symbol(), c.tf()).toUpdate(candlecast.common.CandleCodec.toJson(c));
    }
  }
}
