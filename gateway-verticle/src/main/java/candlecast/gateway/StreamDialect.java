package candlecast.gateway;

import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.HashMap;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * The stream service dialect, spoken on {@code /ws/stream}: the seed's multi-endpoint stream
 * service protocol, unchanged ({@link StreamCommandParser}, {@link StreamFrames},
 * docs/PROTOCOL.md). A subscribe names a symbol only; it maps onto the symbol's existing streams
 * ({@link StreamDataType}: the 24 h ticker for {@code data}, the trade tape for {@code tick_data},
 * a candle series for {@code candle_data}), with the connection machinery of {@code /ws} (limits,
 * Origin and auth, outbound writer, slow clients). Replies carry ISO-8601 timestamps and name the
 * symbol as the client wrote it.
 *
 * <p>One per gateway instance: it keeps the instance's {@link StreamSource}s, so every update is
 * encoded once per symbol spelling for all {@code /ws/stream} subscribers of the instance.
 * Event-loop confined.
 */
final class StreamDialect extends SeedStreamMessages {
  static final String PATH = "/ws/stream";
  static final String TEST_PATH = "/test";

  private final int tickBatch;
  private final LongSupplier clock;
  private final Map<StreamKey, StreamSource> sources = new HashMap<>();

  /**
   * @param tickBatch most ticks per {@code tick_data} frame ({@code gateway.trades-batch-max})
   */
  StreamDialect(int tickBatch, LongSupplier clock) {
    this.tickBatch = tickBatch;
    this.clock = clock;
  }

  StreamDialect(int tickBatch) {
    this(tickBatch, System::currentTimeMillis);
  }

  /**
   * The instance's source of {@code key}, for one more subscription; give it back with {@link
   * #release}.
   */
  StreamSource acquire(StreamKey key) {
    StreamSource s = sources.computeIfAbsent(key, k -> new StreamSource(k, tickBatch, clock));
    s.users++;
    return s;
  }

  void release(StreamSource s) {
    if (--s.users == 0 && sources.get(s.key) == s) {
      sources.remove(s.key);
    }
  }

  /** Streams with a source on this instance (for tests). */
  int sources() {
    return sources.size();
  }

  @Override
  long now() {
    return clock.getAsLong();
  }

  @Override
  public Command parse(String text) {
    return StreamCommandParser.parse(text);
  }

  /**
   * {@code GET /test}: the stream service answers (no Origin or JWT check, like {@code /health}).
   */
  static void test(RoutingContext rc) {
    JsonObject body =
        new JsonObject()
            .put("status", "ok")
            .put("message", "Candlecast stream service is running; connect a WebSocket to " + PATH)
            .put("timestamp", IsoTime.format(System.currentTimeMillis()))
            .put(
                "endpoints",
                new JsonObject()
                    .put("stream", PATH)
                    .put("health", "/health")
                    .put("connections", "/connections"));
    RestApi.send(rc, 200, body.toBuffer());
  }
}
