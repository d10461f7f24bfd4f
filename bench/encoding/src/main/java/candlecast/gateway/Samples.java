package candlecast.gateway;

import candlecast.common.Book;
import candlecast.common.Candle;
import candlecast.common.Side;
import candlecast.common.TapeTrade;
import candlecast.common.Timeframe;
import io.netty.buffer.ByteBuf;
import io.vertx.core.buffer.Buffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * The messages the encoding benchmarks compare (issue 20): a candle update, trades frames of 1 and
 * 20 trades, books of depth 10 and 100 — realistic values (prices with cents and noise, amounts
 * with 8 decimals), the same for every encoding.
 */
public final class Samples {
  public static final List<String> KINDS =
      List.of("candle", "trades1", "trades20", "book10", "book100");

  private Samples() {}

  public static Candle candle() {
    return new Candle(
        "BTCUSD",
        Timeframe.M1,
        1_700_000_040_000L,
        36_512.37,
        36_540.12,
        36_498.05,
        36_522.91,
        12.34567891,
        4_217,
        false);
  }

  public static List<TapeTrade> trades(int n) {
    Random r = new Random(n);
    List<TapeTrade> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      out.add(
          new TapeTrade(
              1_000_000L + i,
              3_456_789_012L + i,
              1_700_000_040_123L + i * 7L,
              Math.round((36_500 + r.nextGaussian() * 20) * 100) / 100.0,
              Math.round(r.nextDouble() * 1e8) / 1e8,
              r.nextBoolean() ? Side.BUY : Side.SELL));
    }
    return out;
  }

  public static Book book(int depth) {
    Random r = new Random(depth);
    List<Book.Level> bids = new ArrayList<>();
    List<Book.Level> asks = new ArrayList<>();
    for (int i = 1; i <= depth; i++) {
      bids.add(new Book.Level(36_500 - i * 0.5, Math.round(r.nextDouble() * 1e8) / 1e8));
      asks.add(new Book.Level(36_500 + i * 0.5, Math.round(r.nextDouble() * 1e8) / 1e8));
    }
    return new Book("BTCUSD", 123_456, 1_700_000_040_123_456L, bids, asks);
  }

  /** The JSON wire frame of {@code kind}, as the gateway encodes it per update. */
  public static ByteBuf json(String kind) {
    return switch (kind) {
      case "candle" -> Frames.wire(Frames.candleUpdate(candle()));
      case "trades1" -> TradeBatch.encode("BTCUSD", trades(1), 100)[0].wire();
      case "trades20" -> TradeBatch.encode("BTCUSD", trades(20), 100)[0].wire();
      case "book10" -> Frames.wire(Frames.bookUpdate(book(10), 10).toBuffer());
      case "book100" -> Frames.wire(Frames.bookUpdate(book(100), 100).toBuffer());
      default -> throw new IllegalArgumentException(kind);
    };
  }

  /** The JSON text of {@code kind}'s frame (what the client parses). */
  public static String jsonText(String kind) {
    Buffer b =
        switch (kind) {
          case "candle" -> Frames.candleUpdate(candle());
          case "trades1" -> TradeBatch.encode("BTCUSD", trades(1), 100)[0].frame();
          case "trades20" -> TradeBatch.encode("BTCUSD", trades(20), 100)[0].frame();
          case "book10" -> Frames.bookUpdate(book(10), 10).toBuffer();
          case "book100" -> Frames.bookUpdate(book(100), 100).toBuffer();
          default -> throw new IllegalArgumentException(kind);
        };
    return b.toString();
  }

  /** The binary wire frame of {@code kind} (issue 20). */
  public static ByteBuf binary(String kind) {
    return switch (kind) {
      case "candle" -> BinaryFrames.candle(candle());
      case "trades1" -> BinaryFrames.trades("BTCUSD", trades(1));
      case "trades20" -> BinaryFrames.trades("BTCUSD", trades(20));
      case "book10" -> BinaryFrames.book(book(10).top(10), 10);
      case "book100" -> BinaryFrames.book(book(100).top(100), 100);
      default -> throw new IllegalArgumentException(kind);
    };
  }

  /** The Protobuf wire frame of {@code kind} (the rejected option, docs/DECISIONS.md). */
  public static ByteBuf protobuf(String kind) {
    return switch (kind) {
      case "candle" -> ProtoFrames.candle(candle());
      case "trades1" -> ProtoFrames.trades("BTCUSD", trades(1));
      case "trades20" -> ProtoFrames.trades("BTCUSD", trades(20));
      case "book10" -> ProtoFrames.book(book(10).top(10), 10);
      case "book100" -> ProtoFrames.book(book(100).top(100), 100);
      default -> throw new IllegalArgumentException(kind);
    };
  }

  /** The payload of a wire frame (without its WebSocket header). */
  public static byte[] payload(ByteBuf wire) {
    int len7 = wire.getByte(wire.readerIndex() + 1) & 0x7F;
    int header = len7 < 126 ? 2 : len7 == 126 ? 4 : 10;
    byte[] out = new byte[wire.readableBytes() - header];
    wire.getBytes(wire.readerIndex() + header, out);
    return out;
  }
}
