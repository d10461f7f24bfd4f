package candlecast.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.junit5.VertxExtension;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayDeque;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Issue 20: once a {@code /ws} connection is up, nothing of its handshake stays reachable from it —
 * not the upgrade request, its response, the HTTP/1.1 connection, nor the request's headers — and
 * the connection still works. The check walks every field reachable from the server side of the
 * connection (its {@link WsConnection} and Netty channel), stopping at what all connections share
 * (Vert.x, contexts, event loops, threads, classes).
 */
@ExtendWith(VertxExtension.class)
class HandshakeReleaseTest extends GatewayTestBase {
  private static final Set<String> HANDSHAKE =
      Set.of(
          "io.vertx.core.http.impl.Http1xServerRequest",
          "io.vertx.core.http.impl.Http1xServerResponse",
          "io.vertx.core.http.impl.Http1xServerConnection",
          "io.vertx.core.http.impl.ServerWebSocketHandshaker");

  @Test
  void nothingOfTheHandshakeStaysReachableFromAnOpenConnection(Vertx vertx) throws Exception {
    start(vertx, c -> c);
    long before = HandshakeRelease.released();
    WsProbe probe = connect();
    assertThat(probe.command("sub-1s").getString("type")).isEqualTo("subscribed");
    assertThat(HandshakeRelease.released())
        .as("released for this connection")
        .isEqualTo(before + 1);

    WsConnection conn = onlyConnection();
    ServerWebSocket ws = (ServerWebSocket) read(conn, "ws");
    assertThat(ws.getClass().getName())
        .as("Vert.x's own socket, not vertx-web's wrapper")
        .isEqualTo("io.vertx.core.http.impl.ServerWebSocketImpl");
    assertThat(ws.headers().isEmpty()).as("the handshake's headers are let go").isTrue();
    Object channel = ((WsChannel) read(conn, "channel")).channelContext().channel();
    List<String> found = handshakeObjectsReachableFrom(conn, channel);
    assertThat(found).as("handshake objects reachable from the connection").isEmpty();

    // and it still is a working connection
    assertThat(probe.command("sub-1m").getString("type")).isEqualTo("subscribed");
  }

  private WsConnection onlyConnection() throws ReflectiveOperationException {
    @SuppressWarnings("unchecked")
    List<WsEndpoint> endpoints = (List<WsEndpoint>) read(gateway, "endpoints");
    @SuppressWarnings("unchecked")
    Set<WsConnection> connections = (Set<WsConnection>) read(endpoints.get(0), "connections");
    assertThat(connections).hasSize(1);
    return connections.iterator().next();
  }

  /** The class names of handshake objects found by walking the fields reachable from the roots. */
  static List<String> handshakeObjectsReachableFrom(Object... roots) {
    Set<Object> seen = Collections.newSetFromMap(new IdentityHashMap<>());
    ArrayDeque<Object> todo = new ArrayDeque<>(List.of(roots));
    List<String> found = new java.util.ArrayList<>();
    while (!todo.isEmpty()) {
      Object o = todo.poll();
      if (!seen.add(o) || shared(o)) {
        continue;
      }
      Class<?> k = o.getClass();
      if (HANDSHAKE.contains(k.getName())) {
        found.add(k.getName());
      }
      if (k.isArray()) {
        if (!k.getComponentType().isPrimitive()) {
          for (Object e : (Object[]) o) {
            if (e != null) {
              todo.add(e);
            }
          }
        }
        continue;
      }
      for (Class<?> c = k; c != null; c = c.getSuperclass()) {
        for (Field f : c.getDeclaredFields()) {
          if (Modifier.isStatic(f.getModifiers()) || f.getType().isPrimitive()) {
            continue;
          }
          try {
            f.setAccessible(true);
            Object v = f.get(o);
            if (v != null) {
              todo.add(v);
            }
          } catch (ReflectiveOperationException | RuntimeException e) {
            // a JDK internal (not opened): handshake objects are not behind those
          }
        }
      }
    }
    return found;
  }

  /** What every connection shares: not part of one connection's footprint. */
  private static boolean shared(Object o) {
    return o instanceof Vertx
        || o instanceof Context
        || o instanceof java.util.concurrent.Executor
        || o instanceof Thread
        || o instanceof Class
        || o instanceof ClassLoader
        || o instanceof GatewayVerticle
        || o instanceof WsConnection.Env
        || o instanceof SeriesHub
        || o instanceof GatewayMetrics
        || o instanceof io.netty.channel.ServerChannel
        || o instanceof io.netty.channel.EventLoopGroup
        || o instanceof io.netty.buffer.ByteBufAllocator;
  }

  private static Object read(Object owner, String field) throws ReflectiveOperationException {
    Field f = owner.getClass().getDeclaredField(field);
    f.setAccessible(true);
    return f.get(owner);
  }
}
