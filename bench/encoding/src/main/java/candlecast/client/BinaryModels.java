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
      case 1 -> candle(b);
      case 2 -> trades(b);
      default -> book(b);
    };
  }

  private static Candle candle(ByteBuffer b) {
    String symbol = str(b);
    String tf = str(b);
    long t = b.getLong();
    double o = b.getDouble();
    double h = b.getDouble();
    double l = b.getDouble();
    double c = b.getDouble();
    double v = b.getDouble();
    long n = b.getLong();
    b.getInt();
    int flags = b.get();
    String src = str(b);
    return new Candle(
        symbol, tf, t, o, h, l, c, v, n, (flags & 1) != 0, (flags & 2) != 0,
        src.isEmpty() ? null : src);
  }

  private static List<Trade> trades(ByteBuffer b) {
    String symbol = str(b);
    int n = Short.toUnsignedInt(b.getShort());
    List<Trade> out = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      out.add(
          new Trade(
              symbol, b.getLong(), b.getLong(), b.getDouble(), b.getDouble(),
              b.get() == 0 ? "buy" : "sell"));
    }
    return out;
  }

  private static Book book(ByteBuffer b) {
    String symbol = str(b);
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

  private static String str(ByteBuffer b) {
    int n = Byte.toUnsignedInt(b.get());
    String s = new String(b.array(), b.position(), n, StandardCharsets.UTF_8);
    b.position(b.position() + n);
    return s;
  }
}
