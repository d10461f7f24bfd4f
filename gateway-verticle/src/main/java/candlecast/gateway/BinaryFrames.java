package candlecast.gateway;

import candlecast.common.Book;
import candlecast.common.Candle;
import candlecast.common.Side;
import candlecast.common.TapeTrade;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The binary encoding of the hot update frames (issue 20, {@code /ws?encoding=binary}): candles,
 * trades and books in a compact little-endian layout (docs/PROTOCOL.md "Binary encoding"). Every
 * frame starts with a kind byte and a layout version byte; strings are a length byte and UTF-8;
 * integers are signed 64-bit, prices and amounts IEEE 754 doubles (the JSON frames' values, bit for
 * bit).
 *
 * <p>Like {@link Frames#wire}, each frame is built once as the complete WebSocket frame (RFC 6455
 * header, opcode binary, unmasked) in a direct buffer that every binary subscriber writes as is.
 */
final class BinaryFrames {
  static final byte CANDLE = 1;
  static final byte TRADES = 2;
  static final byte BOOK = 3;

  /** The layout version; a client refuses frames of a version it does not know. */
  static final byte VERSION = 1;

  static final int FLAG_CLOSED = 1;
  static final int FLAG_PARTIAL = 2;

  /** Bytes of one trade: id, t, p, q (8 each) and the side. */
  static final int TRADE_BYTES = 33;

  /** The detail of a book {@link Update}: the book's top {@code depth} levels. */
  record BookView(Book top, int depth) {}

  private BinaryFrames() {}

  /**
   * The binary frame of {@code u} when its stream has one (a candle, a trades frame, a book), else
   * null (the update stays a text frame).
   */
  static ByteBuf wireOf(Update u) {
    Object d = u.detail();
    if (d instanceof Candle c) {
      return candle(c);
    }
    if (d instanceof TradeBatch.Chunk ch && ch.trades() != null) {
      return trades(ch.symbol(), ch.trades());
    }
    if (d instanceof BookView b) {
      return book(b.top(), b.depth());
    }
    return null;
  }

  /**
   * {@code [1][1] symbol tf t open high low close volume trades window flags src}: see
   * docs/PROTOCOL.md.
   */
  static ByteBuf candle(Candle c) {
    byte[] sym = utf8(c.symbol());
    byte[] tf = utf8(c.tf().label());
    byte[] src = c.fromTrades() ? new byte[0] : utf8(c.src().wire());
    int n = 2 + 1 + sym.length + 1 + tf.length + 8 + 5 * 8 + 8 + 4 + 1 + 1 + src.length;
    ByteBuffer b = frame(n);
    b.put(CANDLE).put(VERSION);
    str(b, sym);
    str(b, tf);
    b.putLong(c.openTime())
        .putDouble(c.open())
        .putDouble(c.high())
        .putDouble(c.low())
        .putDouble(c.close())
        .putDouble(c.volume())
        .putLong(c.trades())
        .putInt((int) Frames.windowSeconds(c))
        .put((byte) ((c.closed() ? FLAG_CLOSED : 0) | (c.partial() ? FLAG_PARTIAL : 0)));
    str(b, src);
    return done(b);
  }

  /** {@code [2][1] symbol count:u16 (id t p q side:u8)*}: see docs/PROTOCOL.md. */
  static ByteBuf trades(String symbol, List<TapeTrade> trades) {
    if (trades.size() > 0xFFFF) {
      throw new IllegalArgumentException("at most 65535 trades per frame, not " + trades.size());
    }
    byte[] sym = utf8(symbol);
    int n = 2 + 1 + sym.length + 2 + TRADE_BYTES * trades.size();
    ByteBuffer b = frame(n);
    b.put(TRADES).put(VERSION);
    str(b, sym);
    b.putShort((short) trades.size());
    for (TapeTrade t : trades) {
      b.putLong(t.id())
          .putLong(t.time())
          .putDouble(t.price())
          .putDouble(t.amount())
          .put((byte) (t.side() == Side.BUY ? 0 : 1));
    }
    return done(b);
  }

  /**
   * {@code [3][1] symbol depth:u16 seq time bids:u16 asks:u16 (price amount)*}: see
   * docs/PROTOCOL.md. {@code top} holds at most {@code depth} levels a side.
   */
  static ByteBuf book(Book top, int depth) {
    byte[] sym = utf8(top.symbol());
    int levels = top.bids().size() + top.asks().size();
    int n = 2 + 1 + sym.length + 2 + 8 + 8 + 2 + 2 + 16 * levels;
    ByteBuffer b = frame(n);
    b.put(BOOK).put(VERSION);
    str(b, sym);
    b.putShort((short) depth)
        .putLong(top.seq())
        .putLong(top.time())
        .putShort((short) top.bids().size())
        .putShort((short) top.asks().size());
    for (Book.Level l : top.bids()) {
      b.putDouble(l.price()).putDouble(l.amount());
    }
    for (Book.Level l : top.asks()) {
      b.putDouble(l.price()).putDouble(l.amount());
    }
    return done(b);
  }

  private static byte[] utf8(String s) {
    byte[] b = s.getBytes(StandardCharsets.UTF_8);
    if (b.length > 255) {
      throw new IllegalArgumentException("string longer than 255 bytes: " + s);
    }
    return b;
  }

  private static void str(ByteBuffer b, byte[] s) {
    b.put((byte) s.length).put(s);
  }

  /**
   * A direct buffer holding the WebSocket header of a final binary frame of {@code n} payload bytes
   * (big-endian length, as RFC 6455 says), positioned at the payload, little-endian from there.
   */
  private static ByteBuffer frame(int n) {
    int header = n < 126 ? 2 : n <= 0xFFFF ? 4 : 10;
    ByteBuffer b = ByteBuffer.allocateDirect(header + n);
    b.put((byte) 0x82); // FIN + binary
    if (n < 126) {
      b.put((byte) n);
    } else if (n <= 0xFFFF) {
      b.put((byte) 126).putShort((short) n);
    } else {
      b.put((byte) 127).putLong(n);
    }
    return b.order(ByteOrder.LITTLE_ENDIAN);
  }

  private static ByteBuf done(ByteBuffer b) {
    if (b.hasRemaining()) {
      throw new IllegalStateException("frame size miscomputed: " + b.remaining() + " bytes left");
    }
    b.flip();
    return Unpooled.wrappedBuffer(b);
  }
}
