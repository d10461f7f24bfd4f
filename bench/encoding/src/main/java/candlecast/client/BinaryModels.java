package candlecast.client;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The binary layout read straight into the client's models, without the JSON tree the client builds
 * to share its code path with JSON ({@link BinaryFrames}): what the layout itself costs to decode,
 * to compare with Protobuf's direct decode ({@link ProtoModels}) on equal terms. No validation
 * beyond what {@link ByteBuffer} does (the bench's frames are well-formed).
 */
final class BinaryModels {
  private BinaryModels() {}

  static Object decode(byte[] frame) {
    ByteBuffer b = ByteBuffer.wrap(frame).order(ByteOrder.LITTLE_ENDIAN);
    int kind = b.get();
    b.get();
    return switch (kind) {
      case 1 -> candle(frame, b);
      case 2 -> trades(frame, b);
      default -> book(frame, b);
    };
  }

  private static Candle candle(byte[] f, ByteBuffer b) {
    String symbol = str(f, b);
    String tf = str(f, b);
    long t = b.getLong();
    double o = b.getDouble();
    double h = b.getDouble();
    double l = b.getDouble();
    double c = b.getDouble();
    double v = b.getDouble();
    long n = b.getLong();
    b.getInt();
    int flags = b.get();
    String src = str(f, b);
    return new Candle(
        symbol,
        tf,
        t,
        o,
        h,
        l,
        c,
        v,
        n,
        (flags & 1) != 0,
        (flags & 2) != 0,
        src.isEmpty() ? null : src);
  }

  private static List<Trade> trades(byte[] f, ByteBuffer b) {
    String symbol = str(f, b);
    int n = Short.toUnsignedInt(b.getShort());
    List<Trade> out = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      out.add(
          new Trade(
              symbol,
              b.getLong(),
              b.getLong(),
              b.getDouble(),
              b.getDouble(),
              b.get() == 0 ? "buy" : "sell"));
    }
    return out;
  }

  private static Book book(byte[] f, ByteBuffer b) {
    String symbol = str(f, b);
    int depth = Short.toUnsignedInt(b.getShort());
    long seq = b.getLong();
    long time = b.getLong();
    int nb = Short.toUnsignedInt(b.getShort());
    int na = Short.toUnsignedInt(b.getShort());
    return new Book(symbol, depth, seq, time, levels(b, nb), levels(b, na));
  }

  private static List<Book.Level> levels(ByteBuffer b, int n) {
    List<Book.Level> out = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      out.add(new Book.Level(b.getDouble(), b.getDouble()));
    }
    return List.copyOf(out);
  }

  private static String str(byte[] frame, ByteBuffer b) {
    int n = Byte.toUnsignedInt(b.get());
    // the buffer wraps the frame's array at offset 0 (decode): its position is the array index
    String s = new String(frame, b.position(), n, StandardCharsets.UTF_8);
    b.position(b.position() + n);
    return s;
  }
}
