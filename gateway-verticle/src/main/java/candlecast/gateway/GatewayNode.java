package candlecast.gateway;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.core.shareddata.LocalMap;
import io.vertx.core.shareddata.Shareable;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * State shared by every gateway instance of one Vert.x node (thread-safe): connection counts
 * against {@code gateway.max-connections}, the per-address connection rate limiter, subscriber
 * counts per series and the metrics.
 */
final class GatewayNode implements Shareable {
  private static final String MAP = "candlecast.gateway";
  private static final String KEY = "node";
  static final int MAX_TRACKED_ADDRESSES = 100_000;

  final AtomicInteger wsConnections = new AtomicInteger();
  final AtomicInteger sockJsSessions = new AtomicInteger();

  /** Open engine.io sessions of the Socket.IO endpoint ({@code /socket.io}). */
  final AtomicInteger socketIoSessions = new AtomicInteger();

  /** Connections being set up (handshake under way) count against the limit too. */
  private final AtomicInteger reserved = new AtomicInteger();

  final AddressRateLimiter connectRate;
  final GatewayMetrics metrics;

  /** address (candles.X.tf / ticker.X) → [websocket subscribers, sockjs registrations]. */
  private final Map<String, int[]> series = new ConcurrentHashMap<>();

  private GatewayNode(GatewayOptions o) {
    connectRate =
        new AddressRateLimiter(
            o.connectionsPerSecond(), o.connectionsBurst(), MAX_TRACKED_ADDRESSES);
    metrics = new GatewayMetrics(this);
  }

  /** The node's instance (created by the first gateway instance with its options). */
  static GatewayNode of(Vertx vertx, GatewayOptions o) {
    LocalMap<String, GatewayNode> map = vertx.sharedData().getLocalMap(MAP);
    GatewayNode existing = map.get(KEY);
    if (existing != null) {
      return existing;
    }
    GatewayNode fresh = new GatewayNode(o);
    GatewayNode prev = map.putIfAbsent(KEY, fresh);
    return prev == null ? fresh : prev;
  }

  int total() {
    return wsConnections.get() + sockJsSessions.get() + socketIoSessions.get();
  }

  /** Reserves a connection slot; false when the node is full. Release with {@link #release()}. */
  boolean reserve(int max) {
    while (true) {
      int r = reserved.get();
      if (r + total() >= max) {
        return false;
      }
      if (reserved.compareAndSet(r, r + 1)) {
        return true;
      }
    }
  }

  void release() {
    reserved.decrementAndGet();
  }

  void seriesDelta(String address, int protocol, int delta) {
    series.compute(
        address,
        (k, v) -> {
          int[] c = v == null ? new int[2] : v;
          c[protocol] += delta;
          return c[0] <= 0 && c[1] <= 0 ? null : c;
        });
  }

  /** {@code GET /connections}. */
  JsonObject connectionsJson() {
    JsonObject perSeries = new JsonObject();
    for (Map.Entry<String, int[]> e : new TreeMap<>(series).entrySet()) {
      perSeries.put(
          e.getKey(),
          new JsonObject().put("websocket", e.getValue()[0]).put("sockjs", e.getValue()[1]));
    }
    return new JsonObject()
        .put("total", total())
        .put(
            "protocols",
            new JsonObject()
                .put("websocket", wsConnections.get())
                .put("sockjs", sockJsSessions.get())
                .put("socketio", socketIoSessions.get()))
        .put("series", perSeries);
  }
}
