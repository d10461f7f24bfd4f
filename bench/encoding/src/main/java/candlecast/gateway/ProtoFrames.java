package candlecast.gateway;

import candlecast.common.Book;
import candlecast.common.Candle;
import candlecast.common.Side;
import candlecast.common.TapeTrade;
import com.google.protobuf.CodedOutputStream;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.List;

/**
 * The rejected option, written so it can be measured (issue 20): the same three messages in
 * Protobuf's wire format, as protoc's generated code would write them for this schema:
 *
 * <pre>
 * message Candle { string symbol = 1; string tf = 2; int64 t = 3; double open = 4; double high = 5;
 *   double low = 6; double close = 7; double volume = 8; int64 trades = 9; uint32 window = 10;
 *   bool closed = 11; bool partial = 12; string src = 13; }
 * message Trade { int64 id = 1; int64 t = 2; double p = 3; double q = 4; bool sell = 5; }
 * message Trades { string symbol = 1; repeated Trade trades = 2; }
 * message Book { string symbol = 1; uint32 depth = 2; int64 seq = 3; int64 time = 4;
 *   repeated double bids = 5; repeated double asks = 6; }   // packed price, amount pairs
 * message Update { oneof kind { Candle candle = 1; Trades trades = 2; Book book = 3; } }
 * </pre>
 *
 * Written straight with {@link CodedOutputStream} (what generated code does underneath, without
 * building message objects first: the cheapest Protobuf encoder there is).
 */
final class ProtoFrames {
  private ProtoFrames() {}

  static int candleSize(Candle c) {
    int n =
        CodedOutputStream.computeStringSize(1, c.symbol())
            + CodedOutputStream.computeStringSize(2, c.tf().label())
            + CodedOutputStream.computeInt64Size(3, c.openTime())
            + 5 * CodedOutputStream.computeDoubleSize(4, 0)
            + CodedOutputStream.computeInt64Size(9, c.trades())
            + CodedOutputStream.computeUInt32Size(10, (int) Frames.windowSeconds(c));
    if (c.closed()) {
      n += CodedOutputStream.computeBoolSize(11, true);
    }
    if (c.partial()) {
      n += CodedOutputStream.computeBoolSize(12, true);
    }
    if (!c.fromTrades()) {
      n += CodedOutputStream.computeStringSize(13, c.src().wire());
    }
    return n;
  }

  static ByteBuf candle(Candle c) {
    int inner = candleSize(c);
    byte[] out =
        new byte
            [CodedOutputStream.computeTagSize(1)
                + CodedOutputStream.computeUInt32SizeNoTag(inner)
                + inner];
    CodedOutputStream o = CodedOutputStream.newInstance(out);
    try {
      o.writeTag(1, 2);
      o.writeUInt32NoTag(inner);
      o.writeString(1, c.symbol());
      o.writeString(2, c.tf().label());
      o.writeInt64(3, c.openTime());
      o.writeDouble(4, c.open());
      o.writeDouble(5, c.high());
      o.writeDouble(6, c.low());
      o.writeDouble(7, c.close());
      o.writeDouble(8, c.volume());
      o.writeInt64(9, c.trades());
      o.writeUInt32(10, (int) Frames.windowSeconds(c));
      if (c.closed()) {
        o.writeBool(11, true);
      }
      if (c.partial()) {
        o.writeBool(12, true);
      }
      if (!c.fromTrades()) {
        o.writeString(13, c.src().wire());
      }
      o.checkNoSpaceLeft();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return wire(out);
  }

  private static int tradeSize(TapeTrade t) {
    return CodedOutputStream.computeInt64Size(1, t.id())
        + CodedOutputStream.computeInt64Size(2, t.time())
        + 2 * CodedOutputStream.computeDoubleSize(3, 0)
        + (t.side() == Side.SELL ? CodedOutputStream.computeBoolSize(5, true) : 0);
  }

  static ByteBuf trades(String symbol, List<TapeTrade> trades) {
    int inner = CodedOutputStream.computeStringSize(1, symbol);
    int[] sizes = new int[trades.size()];
    for (int i = 0; i < sizes.length; i++) {
      sizes[i] = tradeSize(trades.get(i));
      inner +=
          CodedOutputStream.computeTagSize(2)
              + CodedOutputStream.computeUInt32SizeNoTag(sizes[i])
              + sizes[i];
    }
    byte[] out =
        new byte
            [CodedOutputStream.computeTagSize(2)
                + CodedOutputStream.computeUInt32SizeNoTag(inner)
                + inner];
    CodedOutputStream o = CodedOutputStream.newInstance(out);
    try {
      o.writeTag(2, 2);
      o.writeUInt32NoTag(inner);
      o.writeString(1, symbol);
      for (int i = 0; i < sizes.length; i++) {
        TapeTrade t = trades.get(i);
        o.writeTag(2, 2);
        o.writeUInt32NoTag(sizes[i]);
        o.writeInt64(1, t.id());
        o.writeInt64(2, t.time());
        o.writeDouble(3, t.price());
        o.writeDouble(4, t.amount());
        if (t.side() == Side.SELL) {
          o.writeBool(5, true);
        }
      }
      o.checkNoSpaceLeft();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return wire(out);
  }

  static ByteBuf book(Book top, int depth) {
    int bidBytes = 16 * top.bids().size();
    int askBytes = 16 * top.asks().size();
    int inner =
        CodedOutputStream.computeStringSize(1, top.symbol())
            + CodedOutputStream.computeUInt32Size(2, depth)
            + CodedOutputStream.computeInt64Size(3, top.seq())
            + CodedOutputStream.computeInt64Size(4, top.time())
            + packed(5, bidBytes)
            + packed(6, askBytes);
    byte[] out =
        new byte
            [CodedOutputStream.computeTagSize(3)
                + CodedOutputStream.computeUInt32SizeNoTag(inner)
                + inner];
    CodedOutputStream o = CodedOutputStream.newInstance(out);
    try {
      o.writeTag(3, 2);
      o.writeUInt32NoTag(inner);
      o.writeString(1, top.symbol());
      o.writeUInt32(2, depth);
      o.writeInt64(3, top.seq());
      o.writeInt64(4, top.time());
      levels(o, 5, top.bids(), bidBytes);
      levels(o, 6, top.asks(), askBytes);
      o.checkNoSpaceLeft();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return wire(out);
  }

  private static int packed(int field, int bytes) {
    return bytes == 0
        ? 0
        : CodedOutputStream.computeTagSize(field)
            + CodedOutputStream.computeUInt32SizeNoTag(bytes)
            + bytes;
  }

  private static void levels(CodedOutputStream o, int field, List<Book.Level> ls, int bytes)
      throws IOException {
    if (bytes == 0) {
      return;
    }
    o.writeTag(field, 2);
    o.writeUInt32NoTag(bytes);
    for (Book.Level l : ls) {
      o.writeDoubleNoTag(l.price());
      o.writeDoubleNoTag(l.amount());
    }
  }

  /** The whole WebSocket binary frame around {@code payload}, in a direct buffer. */
  private static ByteBuf wire(byte[] payload) {
    int n = payload.length;
    int header = n < 126 ? 2 : n <= 0xFFFF ? 4 : 10;
    ByteBuffer b = ByteBuffer.allocateDirect(header + n);
    b.put((byte) 0x82);
    if (n < 126) {
      b.put((byte) n);
    } else if (n <= 0xFFFF) {
      b.put((byte) 126).putShort((short) n);
    } else {
      b.put((byte) 127).putLong(n);
    }
    b.put(payload).flip();
    return Unpooled.wrappedBuffer(b);
  }
}
