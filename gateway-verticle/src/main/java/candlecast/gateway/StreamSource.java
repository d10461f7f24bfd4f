package candlecast.gateway;

import candlecast.common.Candle;
import candlecast.common.TapeTrade;
import io.vertx.core.json.JsonObject;
import java.util.Arrays;
import java.util.List;
import java.util.function.LongSupplier;

/**
 * One stream (a symbol's ticker, trade tape or candle series) as the stream service dialect shows
 * it, on one gateway instance: the frames of each update are encoded at the first request, once per
 * symbol spelling in use, and every {@code /ws/stream} subscriber of the instance with that
 * spelling writes the same frames. The {@link SeriesHub} hands an update to all subscribers in one
 * pass, so the cache holds the frames of the newest update only.
 *
 * <p>Event-loop confined (one per {@link StreamDialect}, i.e. per gateway instance).
 */
final class StreamSource {
  final StreamKey key;
  private final int tickBatch;
  private final LongSupplier clock;

  /** {@code /ws/stream} subscriptions using this source; the dialect forgets it at 0. */
  int users;

  private Update lastIn;
  private String[] spellings = new String[1];
  private Update[][] frames = new Update[1][];
  private int cached;

  StreamSource(StreamKey key, int tickBatch, LongSupplier clock) {
    this.key = key;
    this.tickBatch = tickBatch;
    this.clock = clock;
  }

  /**
   * The frames of update {@code in} (decoded by its {@link StreamKey}: a ticker, a candle or a
   * {@link TradeBatch}) for subscribers that wrote the symbol as {@code spelling}: one frame, or
   * several for a large batch of trades.
   */
  @SuppressWarnings(
      "ReferenceEquality") // a cache of the last update's frames: identity is the point
  Update[] frames(Update in, String spelling) {
    if (in != lastIn) {
      lastIn = in;
      Arrays.fill(frames, 0, cached, null);
      cached = 0;
    }
    for (int i = 0; i < cached; i++) {
      if (spellings[i].equals(spelling)) {
        return frames[i];
      }
    }
    Update[] out = encode(in, spelling);
    if (cached == spellings.length) {
      spellings = Arrays.copyOf(spellings, cached * 2);
      frames = Arrays.copyOf(frames, cached * 2);
    }
    spellings[cached] = spelling;
    frames[cached++] = out;
    return out;
  }

  private Update[] encode(Update in, String spelling) {
    long now = clock.getAsLong();
    Object d = in.detail();
    if (d instanceof TradeBatch b) {
      return StreamFrames.ticks(spelling, now, b.trades, tickBatch);
    }
    if (d instanceof Candle c) {
      return new Update[] {StreamFrames.candle(spelling, now, c)};
    }
    return new Update[] {StreamFrames.data(spelling, now, (JsonObject) d)};
  }

  /**
   * Encodes some trades of an update without caching: those a subscriber has not seen yet (rare:
   * see StreamPart).
   */
  Update[] ticks(List<TapeTrade> trades, String spelling) {
    return StreamFrames.ticks(spelling, clock.getAsLong(), trades, tickBatch);
  }
}
