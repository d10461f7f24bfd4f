package candlecast.gateway;

import io.netty.channel.ChannelHandlerContext;
import io.vertx.core.MultiMap;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.net.impl.VertxHandler;
import java.lang.reflect.Field;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReferenceArray;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Issue 20: lets go of the WebSocket handshake once a {@code /ws} connection is up, so that an idle
 * connection does not carry it for its whole life. Vert.x 5.0 keeps two things the gateway never
 * reads after the upgrade:
 *
 * <ul>
 *   <li>its WebSocket handler ({@link VertxHandler}) keeps the function that created its
 *       connection, a lambda holding the handshake and with it the upgrade request, its response,
 *       parameters, headers and request metric, and the HTTP/1.1 connection behind them (with its
 *       own handler and queues): about 1.7 KiB; the function is only called when the handler is
 *       added to the pipeline;
 *   <li>the WebSocket keeps the upgrade request's headers for {@code ServerWebSocket.headers()}:
 *       about 0.9 KiB. The gateway reads what it needs from them (Origin, token, parameters) before
 *       the upgrade; afterwards {@code headers()} of a {@code /ws} socket is empty and read-only.
 * </ul>
 *
 * <p>Also, the WebSocket's own copies of the request URI, path and Host are replaced by equal ones
 * an earlier connection holds (most clients ask for the same), so they are not one per connection.
 *
 * <p>Like {@link DirectOutbound} this reaches into Vert.x internals, so it is best effort: if a
 * field is not there (another Vert.x version) the connection keeps it and a warning is logged once.
 * {@code HandshakeReleaseTest} checks that the upgrade request becomes unreachable with the Vert.x
 * version in use.
 */
final class HandshakeRelease {
  private static final Logger LOG = LoggerFactory.getLogger(HandshakeRelease.class);
  private static final MultiMap NO_HEADERS = MultiMap.caseInsensitiveMultiMap().copy(false);
  private static final Field FACTORY = field(VertxHandler.class.getName(), "connectionFactory");
  private static final Field WEB_SOCKET =
      field("io.vertx.core.http.impl.WebSocketConnectionImpl", "webSocket");
  private static final Field HEADERS =
      field("io.vertx.core.http.impl.WebSocketImplBase", "headers");
  private static final AtomicLong RELEASED = new AtomicLong();

  /**
   * The WebSocket's copies of the request line and Host header, and the last value seen of each:
   * equal values are shared between connections (immutable: String, HostAndPort).
   */
  private static final String SOCKET = "io.vertx.core.http.impl.ServerWebSocketImpl";

  private static final Field[] SHARED = {
    field(SOCKET, "uri"), field(SOCKET, "path"), field(SOCKET, "authority")
  };
  private static final AtomicReferenceArray<Object> LAST =
      new AtomicReferenceArray<>(SHARED.length);

  private HandshakeRelease() {}

  private static Field field(String owner, String name) {
    try {
      Field f = Class.forName(owner).getDeclaredField(name);
      f.setAccessible(true);
      return f;
    } catch (ReflectiveOperationException | RuntimeException e) {
      LOG.warn(
          "{}.{} not found: WebSocket connections keep part of their handshake: {}",
          owner,
          name,
          e.toString());
      return null;
    }
  }

  /** Connections whose handshake was released since start (for tests). */
  static long released() {
    return RELEASED.get();
  }

  /**
   * Releases the handshake of the connection behind {@code cx} (Vert.x's WebSocket handler
   * context); true when all of it was released.
   */
  static boolean release(ChannelHandlerContext cx) {
    if (cx == null || !(cx.handler() instanceof VertxHandler<?> h)) {
      return false;
    }
    boolean all = clear(FACTORY, h, null);
    Object ws = WEB_SOCKET == null ? null : get(WEB_SOCKET, h.getConnection());
    all &= ws != null && clear(HEADERS, ws, NO_HEADERS);
    if (ws != null) {
      share(ws);
    }
    if (all) {
      RELEASED.incrementAndGet();
    }
    return all;
  }

  /**
   * The WebSocket of Vert.x behind the handler context {@code cx}; {@code fallback} (vertx-web's
   * wrapper of it, which adds only its own answer to the addresses: the gateway does not accept
   * forwarded ones) when it cannot be reached.
   */
  static ServerWebSocket unwrap(ChannelHandlerContext cx, ServerWebSocket fallback) {
    if (WEB_SOCKET == null || cx == null || !(cx.handler() instanceof VertxHandler<?> h)) {
      return fallback;
    }
    return get(WEB_SOCKET, h.getConnection()) instanceof ServerWebSocket ws ? ws : fallback;
  }

  /**
   * Points the socket's request-line and Host copies at the previous connection's equal values, so
   * that one object serves all connections that asked for the same URI and host.
   */
  private static void share(Object ws) {
    for (int i = 0; i < SHARED.length; i++) {
      Field f = SHARED[i];
      Object mine = f == null ? null : get(f, ws);
      if (mine == null) {
        continue;
      }
      Object last = LAST.get(i);
      if (mine.equals(last)) {
        clear(f, ws, last);
      } else {
        LAST.set(i, mine);
      }
    }
  }

  private static Object get(Field f, Object owner) {
    try {
      return owner == null ? null : f.get(owner);
    } catch (ReflectiveOperationException | RuntimeException e) {
      LOG.debug("handshake release: {}", e.toString());
      return null;
    }
  }

  private static boolean clear(Field f, Object owner, Object value) {
    if (f == null) {
      return false;
    }
    try {
      f.set(owner, value);
      return true;
    } catch (ReflectiveOperationException | RuntimeException e) {
      LOG.debug("handshake release: {}", e.toString());
      return false;
    }
  }
}
