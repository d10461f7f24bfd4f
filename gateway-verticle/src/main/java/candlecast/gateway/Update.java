package candlecast.gateway;

import io.vertx.core.buffer.Buffer;

/**
 * One update of a stream, encoded once and shared by every subscriber.
 *
 * @param frame   the UTF-8 JSON text frame (must not be modified)
 * @param time    candle open time (epoch ms), or the ticker's time
 * @param version candle trade count (grows while a window is open); 0 for tickers
 * @param closed  a closed (final) candle
 */
public record Update(Buffer frame, long time, long version, boolean closed) {
}
