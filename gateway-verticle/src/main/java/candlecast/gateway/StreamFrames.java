package candlecast.gateway;

import candlecast.common.Candle;
import candlecast.common.TapeTrade;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.List;

/**
 * The frames of the stream service dialect ({@code /ws/stream}, docs/PROTOCOL.md): the seed's
 * message shapes, with ISO-8601 UTC timestamps ({@link IsoTime}). Replies are small JSON objects;
 * the data frames ({@code data}, {@code tick_data}, {@code candle_data}) are written by hand into
 * one string per update, shared by every subscriber ({@link StreamSource}). {@code symbol} is
 * always the symbol as the client wrote it, so it consists of letters, digits and dashes and needs
 * no escaping. Pure.
 */
final class StreamFrames {
  static final String WELCOME = "WebSocket connection established successfully";

  private StreamFrames() {}

  /**
   * {@code {"type":"connection","status":"connected","timestamp","message"}}: the first frame of a
   * connection.
   */
  static JsonObject welcome(long nowMs) {
    return new JsonObject()
        .put("type", "connection")
        .put("status", "connected")
        .put("timestamp", IsoTime.format(nowMs))
        .put("message", WELCOME);
  }

  /** {@code {"type":"subscription","status":"subscribed"|"unsubscribed","symbol","timestamp"}}. */
  static JsonObject subscription(String status, String symbol, long nowMs) {
    return new JsonObject()
        .put("type", "subscription")
        .put("status", status)
        .put("symbol", symbol)
        .put("timestamp", IsoTime.format(nowMs));
  }

  /** {@code {"type":"heartbeat","status":"ack","timestamp"}}. */
  static JsonObject heartbeatAck(long nowMs) {
    return new JsonObject()
        .put("type", "heartbeat")
        .put("status", "ack")
        .put("timestamp", IsoTime.format(nowMs));
  }

  /** {@code {"type":"pong","timestamp"}}. */
  static JsonObject pong(long nowMs) {
    return new JsonObject().put("type", "pong").put("timestamp", IsoTime.format(nowMs));
  }

  /** {@code {"type":"error","code","message","timestamp"}} ({@code code}: {@link ErrorCodes}). */
  static JsonObject error(String code, String message, long nowMs) {
    return new JsonObject()
        .put("type", "error")
        .put("code", code)
        .put("message", message)
        .put("timestamp", IsoTime.format(nowMs));
  }

  /**
   * {@code
   * {"type":"data","symbol","timestamp","data":{"price","volume","change","change_percent"}}} from
   * a 24 h ticker ({@code last}, {@code volume}, {@code change}, {@code changePct} rounded to two
   * decimals); its {@code time} is the update's.
   */
  static Update data(String symbol, long nowMs, JsonObject ticker) {
    StringBuilder sb = head(new StringBuilder(176), StreamDataType.MARKET, symbol, nowMs);
    sb.append("{\"price\":");
    number(sb, ticker.getValue("last")).append(",\"volume\":");
    number(sb, ticker.getValue("volume")).append(",\"change\":");
    number(sb, ticker.getValue("change")).append(",\"change_percent\":");
    Object pct = ticker.getValue("changePct");
    number(sb, pct instanceof Number n ? (Object) percent(n.doubleValue()) : null).append("}}");
    return update(sb, ((Number) ticker.getValue("time")).longValue(), 0, false);
  }

  /**
   * A percentage as the seed shows it: rounded to two decimals, half up, as the number reads in
   * decimal (0.285 is 0.29, although the double nearest to 0.285 lies a little below it).
   */
  static double percent(double pct) {
    return Double.isFinite(pct)
        ? BigDecimal.valueOf(pct).setScale(2, RoundingMode.HALF_UP).doubleValue()
        : pct;
  }

  /**
   * {@code
   * {"type":"candle_data","symbol","timestamp","data":{"timeframe","open_time","unix_timestamp","open","high",
   * "low","close","volume","trades","closed","partial"?}}}; its time, version and closed flag are
   * the candle's, so a congested client keeps its newest closed and newest open candle ({@link
   * OutboundWriter}).
   */
  static Update candle(String symbol, long nowMs, Candle c) {
    StringBuilder sb = head(new StringBuilder(256), StreamDataType.CANDLES, symbol, nowMs);
    sb.append("{\"timeframe\":\"").append(c.tf().label()).append("\",\"open_time\":\"");
    IsoTime.append(sb, c.openTime())
        .append("\",\"unix_timestamp\":")
        .append(Math.floorDiv(c.openTime(), 1000L))
        .append(",\"open\":");
    number(sb, c.open()).append(",\"high\":");
    number(sb, c.high()).append(",\"low\":");
    number(sb, c.low()).append(",\"close\":");
    number(sb, c.close()).append(",\"volume\":");
    number(sb, c.volume())
        .append(",\"trades\":")
        .append(c.trades())
        .append(",\"closed\":")
        .append(c.closed());
    if (c.partial()) {
      sb.append(",\"partial\":true");
    }
    sb.append("}}");
    Buffer frame = Buffer.buffer(sb.toString());
    return new Update(
        frame, Frames.wire(frame), c.openTime(), c.trades(), c.closed(), c.partial(), null);
  }

  /**
   * {@code
   * {"type":"tick_data","symbol","timestamp","data":{"ticks":[{"id","price","quantity","side","timestamp"},
   * …]}}} frames of at most {@code batch} ticks each, oldest first; each frame's time is its newest
   * trade's time and its version that trade's tape position.
   */
  static Update[] ticks(String symbol, long nowMs, List<TapeTrade> trades, int batch) {
    int n = (trades.size() + batch - 1) / batch;
    Update[] out = new Update[n];
    for (int k = 0; k < n; k++) {
      int from = k * batch;
      int to = Math.min(trades.size(), from + batch);
      StringBuilder sb =
          head(new StringBuilder(96 + 112 * (to - from)), StreamDataType.TICKS, symbol, nowMs);
      sb.append("{\"ticks\":[");
      for (int i = from; i < to; i++) {
        TapeTrade t = trades.get(i);
        if (i > from) {
          sb.append(',');
        }
        sb.append("{\"id\":").append(t.id()).append(",\"price\":");
        number(sb, t.price()).append(",\"quantity\":");
        number(sb, t.amount())
            .append(",\"side\":\"")
            .append(t.side().wire())
            .append("\",\"timestamp\":\"");
        IsoTime.append(sb, t.time()).append("\"}");
      }
      sb.append("]}}");
      TapeTrade last = trades.get(to - 1);
      out[k] = update(sb, last.time(), last.seq(), false);
    }
    return out;
  }

  /**
   * Writes the head of a frame, {@code "type"}, {@code "symbol"}, {@code "timestamp"}, then {@code
   * "data":}.
   */
  private static StringBuilder head(
      StringBuilder sb, StreamDataType type, String symbol, long nowMs) {
    sb.append("{\"type\":\"")
        .append(type.messageType)
        .append("\",\"symbol\":\"")
        .append(symbol)
        .append("\",\"timestamp\":\"");
    return IsoTime.append(sb, nowMs).append("\",\"data\":");
  }

  private static Update update(StringBuilder sb, long time, long version, boolean closed) {
    Buffer frame = Buffer.buffer(sb.toString());
    return new Update(frame, Frames.wire(frame), time, version, closed);
  }

  /**
   * A JSON number as Jackson writes it (whole numbers of integral types without a fraction); null
   * when absent.
   */
  private static StringBuilder number(StringBuilder sb, Object v) {
    if (v instanceof Integer || v instanceof Long || v instanceof Short || v instanceof Byte) {
      return sb.append(((Number) v).longValue());
    }
    if (v instanceof Number n) {
      return number(sb, n.doubleValue());
    }
    return sb.append("null");
  }

  /**
   * A double as Jackson writes it ({@link Double#toString}); null for NaN and infinities, which
   * JSON lacks.
   */
  private static StringBuilder number(StringBuilder sb, double d) {
    return Double.isFinite(d) ? sb.append(d) : sb.append("null");
  }
}
