package candlecast.client;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * Reads the binary update frames of {@code /ws?encoding=binary} (issue 20; the layout is in
 * docs/PROTOCOL.md "Binary encoding"): a candle, trades or book frame becomes the JSON frame of the
 * same update, so the client handles both encodings with one code path and yields the same models.
 * Anything else (a truncated frame, trailing bytes, an unknown kind or layout version, invalid
 * UTF-8) is a {@code bad_response} {@link CandlecastException}: the connection ignores that frame
 * and goes on.
 */
final class BinaryFrames {
  static final int CANDLE = 1;
  static final int TRADES = 2;
  static final int BOOK = 3;
  static final int VERSION = 1;

  private BinaryFrames() {}

  /** The JSON frame a binary frame stands for. */
  static ObjectNode toFrame(ByteBuffer frame) {
    ByteBuffer b = frame.slice().order(ByteOrder.LITTLE_ENDIAN);
    int size = b.remaining();
    try {
      int kind = b.get();
      int version = b.get();
      if (version != VERSION) {
        throw Json.bad("binary frame of layout version " + version + ", expected " + VERSION, null);
      }
      ObjectNode f =
          switch (kind) {
            case CANDLE -> candle(b);
            case TRADES -> trades(b);
            case BOOK -> book(b);
            default -> throw Json.bad("binary frame of unknown kind " + kind, null);
          };
      if (b.hasRemaining()) {
        throw Json.bad(b.remaining() + " bytes after a binary frame of " + size, null);
      }
      return f;
    } catch (BufferUnderflowException e) {
      throw Json.bad("truncated binary frame (" + size + " bytes)", e);
    }
  }

  private static ObjectNode candle(ByteBuffer b) {
    ObjectNode f = Json.object().put("type", "candle");
    f.put("symbol", str(b)).put("tf", str(b));
    long t = b.getLong();
    f.put("t", t)
        .put("open", b.getDouble())
        .put("high", b.getDouble())
        .put("low", b.getDouble())
        .put("close", b.getDouble())
        .put("volume", b.getDouble())
        .put("trades", b.getLong())
        .put("unix_timestamp", Math.floorDiv(t, 1000L))
        .put("time_window_seconds", Integer.toUnsignedLong(b.getInt()));
    int flags = b.get();
    f.put("closed", (flags & 1) != 0);
    if ((flags & 2) != 0) {
      f.put("partial", true);
    }
    String src = str(b);
    if (!src.isEmpty()) {
      f.put("src", src);
    }
    return f;
  }

  private static ObjectNode trades(ByteBuffer b) {
    ObjectNode f = Json.object().put("type", "trades");
    f.put("symbol", str(b));
    int n = Short.toUnsignedInt(b.getShort());
    if (b.remaining() < 33L * n) {
      throw Json.bad("truncated binary trades frame: " + n + " trades announced", null);
    }
    ArrayNode arr = f.putArray("trades");
    for (int i = 0; i < n; i++) {
      ObjectNode t = arr.addObject();
      t.put("id", b.getLong())
          .put("t", b.getLong())
          .put("p", b.getDouble())
          .put("q", b.getDouble());
      int side = b.get();
      if (side != 0 && side != 1) {
        throw Json.bad("binary trade with side " + side, null);
      }
      t.put("side", side == 0 ? "buy" : "sell");
    }
    return f;
  }

  private static ObjectNode book(ByteBuffer b) {
    ObjectNode f = Json.object().put("type", "book");
    f.put("symbol", str(b))
        .put("depth", Short.toUnsignedInt(b.getShort()))
        .put("seq", b.getLong())
        .put("time", b.getLong());
    int bids = Short.toUnsignedInt(b.getShort());
    int asks = Short.toUnsignedInt(b.getShort());
    if (b.remaining() < 16L * (bids + asks)) {
      throw Json.bad("truncated binary book frame: " + (bids + asks) + " levels announced", null);
    }
    levels(f.putArray("bids"), b, bids);
    levels(f.putArray("asks"), b, asks);
    return f;
  }

  private static void levels(ArrayNode arr, ByteBuffer b, int n) {
    for (int i = 0; i < n; i++) {
      arr.addArray().add(b.getDouble()).add(b.getDouble());
    }
  }

  private static String str(ByteBuffer b) {
    int n = Byte.toUnsignedInt(b.get());
    if (n > b.remaining()) {
      throw new BufferUnderflowException();
    }
    byte[] s = new byte[n];
    b.get(s);
    boolean ascii = true;
    for (byte c : s) {
      ascii &= c >= 0;
    }
    if (ascii) {
      return new String(s, StandardCharsets.US_ASCII);
    }
    try {
      return StandardCharsets.UTF_8
          .newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(s))
          .toString();
    } catch (CharacterCodingException e) {
      throw Json.bad("binary frame with a string that is not UTF-8", e);
    }
  }
}
