package candlecast.gateway;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;

/**
 * The notice that closed windows of a candle series will not come on the live stream (issue 19):
 * {@code {"type":"gap","channel":"candles","symbol","tf","from","to"}} — the closed windows with
 * open time in {@code [from, to)} were lost on the bus and history could not give them in time.
 * Encoded once per series and hole, written as is to every subscriber that speaks a dialect with
 * such notices ({@link Dialect#candleGaps}), right before the next window the stream sends. A
 * client fills it from history ({@code GET /api/candles?symbol&tf&from&to=to-1}) or subscribes
 * again with {@code "since":from}. Pure.
 */
record SeriesGap(SeriesKey key, long from, long to) {

  /** The notice as an {@link Update} (frame encoded once; {@code time} is {@code to}). */
  static Update notice(SeriesKey key, long from, long to) {
    Buffer frame = json(key, from, to).toBuffer();
    return new Update(frame, Frames.wire(frame), to, 0, false, new SeriesGap(key, from, to));
  }

  static JsonObject json(SeriesKey key, long from, long to) {
    return new JsonObject()
        .put("type", "gap")
        .put("channel", JsonCommandParser.CHANNEL_CANDLES)
        .put("symbol", key.symbol())
        .put("tf", key.tf().label())
        .put("from", from)
        .put("to", to);
  }
}
