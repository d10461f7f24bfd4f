package candlecast.client;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The tests' own writer of the binary layout, from docs/PROTOCOL.md "Binary encoding" (not from the
 * gateway's encoder): the frames a scripted server sends a binary client.
 */
final class BinaryWriter {
  private BinaryWriter() {}

  static byte[] candle(Candle c, int windowSeconds) {
    ByteBuffer b = ByteBuffer.allocate(512).order(ByteOrder.LITTLE_ENDIAN);
    b.put((byte) 1).put((byte) 1);
    str(b, c.symbol());
    str(b, c.tf());
    b.putLong(c.t())
        .putDouble(c.open())
        .putDouble(c.high())
        .putDouble(c.low())
        .putDouble(c.close())
        .putDouble(c.volume())
        .putLong(c.trades())
        .putInt(windowSeconds)
        .put((byte) ((c.closed() ? 1 : 0) | (c.partial() ? 2 : 0)));
    str(b, c.src() == null ? "" : c.src());
    return done(b);
  }

  static byte[] trades(String symbol, List<Trade> ts) {
    ByteBuffer b = ByteBuffer.allocate(64 + 33 * ts.size()).order(ByteOrder.LITTLE_ENDIAN);
    b.put((byte) 2).put((byte) 1);
    str(b, symbol);
    b.putShort((short) ts.size());
    for (Trade t : ts) {
      b.putLong(t.id())
          .putLong(t.t())
          .putDouble(t.price())
          .putDouble(t.amount())
          .put((byte) ("buy".equals(t.side()) ? 0 : 1));
    }
    return done(b);
  }

  static byte[] book(Book k) {
    ByteBuffer b =
        ByteBuffer.allocate(64 + 16 * (k.bids().size() + k.asks().size()))
            .order(ByteOrder.LITTLE_ENDIAN);
    b.put((byte) 3).put((byte) 1);
    str(b, k.symbol());
    b.putShort((short) k.depth())
        .putLong(k.seq())
        .putLong(k.time())
        .putShort((short) k.bids().size())
        .putShort((short) k.asks().size());
    for (Book.Level l : k.bids()) {
      b.putDouble(l.price()).putDouble(l.amount());
    }
    for (Book.Level l : k.asks()) {
      b.putDouble(l.price()).putDouble(l.amount());
    }
    return done(b);
  }

  private static void str(ByteBuffer b, String s) {
    byte[] u = s.getBytes(StandardCharsets.UTF_8);
    b.put((byte) u.length).put(u);
  }

  private static byte[] done(ByteBuffer b) {
    byte[] out = new byte[b.position()];
    b.flip().get(out);
    return out;
  }
}
