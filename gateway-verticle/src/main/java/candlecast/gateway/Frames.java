package candlecast.gateway;

import candlecast.common.Candle;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.WebSocketFrame;
import io.vertx.core.http.WebSocketFrameType;
import io.vertx.core.http.impl.ws.WebSocketFrameImpl;
import io.vertx.core.internal.buffer.BufferInternal;
import io.vertx.core.json.JsonObject;

/**
 * The JSON frames of the raw WebSocket protocol. A candle update is
 *
 * <pre>
 * {"type":"candle","symbol":"BTCUSD","tf":"1m","open":1.0,"high":2.0,"low":0.5,"close":1.5,"volume":3.25,
 *  "trades":7,"unix_timestamp":1700000040,"time_window_seconds":60,"closed":false}
 * </pre>
 *
 * where {@code unix_timestamp} is the candle's open time in seconds (what Lightweight Charts wants) and
 * {@code time_window_seconds} the timeframe length.
 */
public final class Frames {
  private Frames() {
  }

  /** The update frame of one candle as UTF-8 JSON, encoded once and shared by every subscriber. */
  public static Buffer candleUpdate(Candle c) {
    return candleUpdateJson(c).toBuffer();
  }

  public static JsonObject candleUpdateJson(Candle c) {
    return new JsonObject()
        .put("type", "candle")
        .put("symbol", c.symbol())
        .put("tf", c.tf().label())
        .put("open", c.open())
        .put("high", c.high())
        .put("low", c.low())
        .put("close", c.close())
        .put("volume", c.volume())
        .put("trades", c.trades())
        .put("unix_timestamp", Math.floorDiv(c.openTime(), 1000L))
        .put("time_window_seconds", c.tf().seconds())
        .put("closed", c.closed());
  }

  public static JsonObject subscribed(SeriesKey key) {
    return new JsonObject().put("type", "subscribed").put("symbol", key.symbol()).put("tf", key.tf().label());
  }

  public static JsonObject unsubscribed(int count) {
    return new JsonObject().put("type", "unsubscribed").put("count", count);
  }

  public static JsonObject error(String code, String message, String command) {
    return new Command.Invalid(code, message, CommandParser.echo(command)).toJson();
  }

  /**
   * A final text frame whose payload is {@code utf8} itself, not a copy. Vert.x's public API only builds text frames
   * from a String (re-encoding it for every socket), so this uses the frame class Vert.x itself builds for
   * {@link WebSocketFrame#binaryFrame}. Sharing is safe: Vert.x heap buffers are not reference counted, and each
   * frame gets its own slice (own indices) of the shared bytes.
   */
  public static WebSocketFrame textFrame(Buffer utf8) {
    return new WebSocketFrameImpl(WebSocketFrameType.TEXT, ((BufferInternal) utf8).getByteBuf(), true);
  }
}
