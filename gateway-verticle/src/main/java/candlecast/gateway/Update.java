package candlecast.gateway;

import io.netty.buffer.ByteBuf;
import io.vertx.core.buffer.Buffer;

/**
 * One update of a stream, encoded once and shared by every subscriber.
 *
 * @param frame the UTF-8 JSON text of the frame (must not be modified)
 * @param wire the whole WebSocket frame on the wire ({@link Frames#wire}): written to every socket
 *     as is
 * @param time candle open time (epoch ms), or the ticker's time, or the newest trade's time
 * @param version candle trade count (grows while a window is open); 0 for tickers; the newest
 *     trade's tape position for trades
 * @param closed a closed (final) candle
 * @param partial a partial candle (its window overlaps a gap of the trade log)
 * @param detail what a stream's subscriptions need beyond the frame (trades: a {@link TradeBatch},
 *     whose frames depend on the subscription's batch size, or a {@link TradeBatch.Chunk}); the
 *     decoded candle or ticker JSON for updates of candle series and tickers (other dialects encode
 *     their frames from it, see {@link StreamSource}); null for frames that are only written
 */
public record Update(
    Buffer frame,
    ByteBuf wire,
    long time,
    long version,
    boolean closed,
    boolean partial,
    Object detail) {
  public Update(Buffer frame, ByteBuf wire, long time, long version, boolean closed) {
    this(frame, wire, time, version, closed, false, null);
  }

  public Update(
      Buffer frame, ByteBuf wire, long time, long version, boolean closed, Object detail) {
    this(frame, wire, time, version, closed, false, detail);
  }

  public Update(Buffer frame, long time, long version, boolean closed) {
    this(frame, Frames.wire(frame), time, version, closed, false, null);
  }

  /** The update of a candle: {@code version} is its trade count. */
  public static Update candle(
      Buffer frame, long time, long version, boolean closed, boolean partial) {
    return new Update(frame, Frames.wire(frame), time, version, closed, partial, null);
  }
}
