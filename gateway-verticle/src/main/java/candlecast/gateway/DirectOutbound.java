package candlecast.gateway;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.impl.HttpServerConnection;
import io.vertx.core.net.impl.VertxConnection;
import io.vertx.core.net.impl.VertxHandler;
import java.lang.reflect.Constructor;
import java.lang.reflect.Field;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where a gateway WebSocket meets Netty: the channel behind a request ({@link #channel}), Vert.x's
 * handler context on it after the upgrade ({@link #handlerContext}), where WsConnection writes its
 * frames, and the outbound queue swap ({@link #install}).
 *
 * <p>The swap gives an upgraded WebSocket connection Vert.x's "strict thread mode" outbound queue,
 * which writes straight to the channel, instead of the multi-producer queue Vert.x 5.0 always
 * builds for WebSocket connections (the HTTP server's {@code setStrictThreadMode} reaches only HTTP
 * connections). That queue costs ~4.7 KiB of heap per connection (a 1,024-slot chunk allocated up
 * front) — about 40 % of an idle client. It is safe here because every write to a gateway socket
 * happens on its event loop (WsConnection's own frames bypass Vert.x entirely; Vert.x's pings,
 * pongs and close frames are written from the event loop too).
 *
 * <p>This reaches into Vert.x internals, so it is best effort: if the field or class is not there
 * (another Vert.x version), the connection keeps Vert.x's default queue and a warning is logged
 * once. {@code DirectOutboundTest} checks the swap happens with the Vert.x version in use.
 */
final class DirectOutbound {
  private static final Logger LOG = LoggerFactory.getLogger(DirectOutbound.class);
  private static final Field QUEUE;
  private static final Constructor<?> DIRECT;
  private static final java.util.concurrent.atomic.AtomicLong INSTALLED =
      new java.util.concurrent.atomic.AtomicLong();

  static {
    Field f = null;
    Constructor<?> c = null;
    try {
      f = VertxConnection.class.getDeclaredField("outboundMessageQueue");
      f.setAccessible(true);
      c =
          Class.forName(VertxConnection.class.getName() + "$DirectOutboundMessageQueue")
              .getDeclaredConstructor(VertxConnection.class);
      c.setAccessible(true);
    } catch (ReflectiveOperationException | RuntimeException e) {
      LOG.warn(
          "WebSocket connections keep Vert.x's default outbound queue (~4.7 KiB each): {}",
          e.toString());
      f = null;
      c = null;
    }
    QUEUE = f;
    DIRECT = c;
  }

  private DirectOutbound() {}

  /**
   * The Netty channel of the request's connection (vertx-web hands out a wrapped socket, so ask the
   * connection).
   */
  static Channel channel(HttpServerRequest request) {
    return ((HttpServerConnection) request.connection()).channelHandlerContext().channel();
  }

  /**
   * After the upgrade: the context of Vert.x's WebSocket handler ({@link VertxHandler}) in the
   * channel's pipeline.
   */
  static ChannelHandlerContext handlerContext(Channel channel) {
    return channel.pipeline().context(VertxHandler.class);
  }

  /** Connections whose queue was swapped since start (for tests). */
  static long installed() {
    return INSTALLED.get();
  }

  /**
   * Swaps the queue of the connection behind {@code cx} (Vert.x's handler context); true when it
   * did.
   */
  static boolean install(ChannelHandlerContext cx) {
    if (QUEUE == null || cx == null || !(cx.handler() instanceof VertxHandler<?> h)) {
      return false;
    }
    try {
      VertxConnection conn = h.getConnection();
      if (conn == null) {
        return false;
      }
      QUEUE.set(conn, DIRECT.newInstance(conn));
      INSTALLED.incrementAndGet();
      return true;
    } catch (ReflectiveOperationException | RuntimeException e) {
      LOG.debug("outbound queue swap failed: {}", e.toString());
      return false;
    }
  }
}
