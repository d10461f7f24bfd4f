package candlecast.gateway;

import io.netty.buffer.ByteBuf;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * The tests' own reader of the binary layout as docs/PROTOCOL.md describes it (written from the
 * document, not from {@link BinaryFrames}): turns a binary frame back into the JSON frame of the
 * same update, so a test can compare the two encodings of one update field for field.
 */
final class BinaryReader {
  private BinaryReader() {}

  /** The payload of a whole WebSocket frame as the gateway writes it (a final binary frame). */
  static Buffer payload(ByteBuf wire) {
    byte[] all = new byte[wire.readableBytes()];
    wire.getBytes(wire.readerIndex(), all);
    if ((all[0] & 0xFF) != 0x82) {
      throw new AssertionError("not a final binary frame: first byte " + (all[0] & 0xFF));
    }
    int len7 = all[1] & 0x7F;
    int header = len7 < 126 ? 2 : len7 == 126 ? 4 : 10;
    long len =
        len7 < 126
            ? len7
            : len7 == 126
                ? ByteBuffer.wrap(all, 2, 2).getShort() & 0xFFFF
                : ByteBuffer.wrap(all, 2, 8).getLong();
    if (len != all.length - header) {
      throw new AssertionError(
          "header says " + len + " bytes, frame holds " + (all.length - header));
    }
    return Buffer.buffer().appendBytes(all, header, all.length - header);
  }

  /** The JSON frame the binary frame stands for. */
  static JsonObject toJson(Buffer payload) {
    ByteBuffer b = ByteBuffer.wrap(payload.getBytes()).order(ByteOrder.LITTLE_ENDIAN);
    int kind = b.get();
    int version = b.get();
    if (version != 1) {
      throw new AssertionError("layout version " + version);
    }
    JsonObject j =
        switch (kind) {
          case 1 -> candle(b);
          case 2 -> trades(b);
          case 3 -> book(b);
          default -> throw new AssertionError("kind " + kind);
        };
    if (b.hasRemaining()) {
      throw new AssertionError(b.remaining() + " bytes after the frame's fields");
    }
    return j;
  }

  private static JsonObject candle(ByteBuffer b) {
    JsonObject j = new JsonObject().put("type", "candle").put("symbol", str(b)).put("tf", str(b));
    long t = b.getLong();
    j.put("t", t)
        .put("open", b.getDouble())
        .put("high", b.getDouble())
        .put("low", b.getDouble())
        .put("close", b.getDouble())
        .put("volume", b.getDouble())
        .put("trades", b.getLong())
        .put("unix_timestamp", Math.floorDiv(t, 1000L))
        .put("time_window_seconds", Integer.toUnsignedLong(b.getInt()));
    int flags = b.get();
    j.put("closed", (flags & 1) != 0);
    if ((flags & 2) != 0) {
      j.put("partial", true);
    }
    String src = str(b);
    return src.isEmpty() ? j : j.put("src", src);
  }

  private static JsonObject trades(ByteBuffer b) {
    JsonObject j = new JsonObject().put("type", "trades").put("symbol", str(b));
    int n = b.getShort() & 0xFFFF;
    JsonArray arr = new JsonArray();
    for (int i = 0; i < n; i++) {
      arr.add(
          new JsonObject()
              .put("id", b.getLong())
              .put("t", b.getLong())
              .put("p", b.getDouble())
              .put("q", b.getDouble())
              .put("side", b.get() == 0 ? "buy" : "sell"));
    }
    return j.put("trades", arr);
  }

  private static JsonObject book(ByteBuffer b) {
    JsonObject j =
        new JsonObject()
            .put("type", "book")
            .put("symbol", str(b))
            .put("depth", b.getShort() & 0xFFFF)
            .put("seq", b.getLong())
            .put("time", b.getLong());
    int bids = b.getShort() & 0xFFFF;
    int asks = b.getShort() & 0xFFFF;
    return j.put("bids", levels(b, bids)).put("asks", levels(b, asks));
  }

  private static JsonArray levels(ByteBuffer b, int n) {
    JsonArray arr = new JsonArray();
    for (int i = 0; i < n; i++) {
      arr.add(new JsonArray().add(b.getDouble()).add(b.getDouble()));
    }
    return arr;
  }

  private static String str(ByteBuffer b) {
    int n = b.get() & 0xFF;
    byte[] s = new byte[n];
    b.get(s);
    return new String(s, StandardCharsets.UTF_8);
  }
}
