package candlecast.gateway;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.vertx.core.AsyncResult;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Set;
import java.util.function.Consumer;

/**
 * The {@code /ws} route (or {@code /ws/stream}: {@link #speaking}) of one gateway instance: admits
 * the upgrade (Origin, JWT, connection limits: {@link AccessGuard}), makes a {@link WsConnection}
 * of each socket and keeps them for the liveness sweep.
 *
 * <p>Runs on the instance's event loop.
 */
final class WsEndpoint {
  private final String path;
  private final GatewayNode node;
  private final AccessGuard guard;
  private final WsConnection.Env env;
  private final Set<WsConnection> connections = new HashSet<>();

  /** What a closed connection calls: one for all (issue 20: no closure per connection). */
  private final Consumer<WsConnection> closed = this::closed;

  WsEndpoint(
      Vertx vertx, GatewayOptions options, GatewayNode node, SeriesHub hub, AccessGuard guard) {
    this(
        "/ws",
        node,
        guard,
        new WsConnection.Env(
            vertx,
            vertx.eventBus(),
            hub,
            options,
            node,
            new TextDialect(new CommandParser(options.defaultSymbol())),
            new DeliveryOptions().setSendTimeout(options.historyTimeoutMs()),
            new FlushBatcher(),
            null));
  }

  private WsEndpoint(String path, GatewayNode node, AccessGuard guard, WsConnection.Env env) {
    this.path = path;
    this.node = node;
    this.guard = guard;
    this.env = env;
  }

  /**
   * Another endpoint on the same instance whose connections speak only {@code dialect} (e.g. {@code
   * /ws/stream}): the same connection machinery, limits, Origin and auth rules, fan-out and flushes
   * as this one.
   */
  WsEndpoint speaking(String otherPath, Dialect dialect) {
    WsConnection.Env e = env;
    return new WsEndpoint(
        otherPath,
        node,
        guard,
        new WsConnection.Env(
            e.vertx(),
            e.bus(),
            e.hub(),
            e.options(),
            e.node(),
            e.text(),
            e.historyOptions(),
            e.flusher(),
            dialect,
            e.binaryFrames()));
  }

  void route(Router router) {
    router.get(path).handler(guard.originHandler()).handler(guard::auth).handler(this::upgrade);
  }

  /** Pings idle connections, closes dead and slow ones. */
  void sweep(long nowMs) {
    for (WsConnection c : new ArrayList<>(connections)) {
      c.sweep(nowMs);
    }
  }

  /**
   * An operator notice to this endpoint's connections (issue 17): every one, or those subscribed to
   * anything of {@code symbol}; the same encoded frame for all.
   */
  void notice(io.vertx.core.buffer.Buffer frame, String symbol) {
    for (WsConnection c : connections) {
      c.notice(frame, symbol);
    }
  }

  /** Closes every connection of this endpoint with {@code code} ({@link DisconnectApi}). */
  void closeAll(short code, String reason) {
    for (WsConnection c : new ArrayList<>(connections)) {
      c.closeWith(code, reason);
    }
  }

  private void upgrade(RoutingContext rc) {
    if (!"websocket".equalsIgnoreCase(rc.request().getHeader("upgrade"))) {
      RestApi.error(
          rc, 400, "expected a WebSocket upgrade: connect with a WebSocket client to " + path);
      return;
    }
    String encodingError = Encoding.check(rc.queryParam(Encoding.PARAM), env.only() == null);
    if (encodingError != null) {
      RestApi.error(rc, 400, encodingError);
      return;
    }
    if (!guard.admitConnection(rc)) {
      return;
    }
    // the socket's Netty channel: WsConnection writes frames to it directly
    Channel channel = DirectOutbound.channel(rc.request());
    rc.request().toWebSocket().onComplete(ar -> upgraded(rc, ar, channel));
  }

  private void upgraded(RoutingContext rc, AsyncResult<ServerWebSocket> ar, Channel channel) {
    if (ar.failed()) {
      node.release();
      if (!rc.response().ended()) {
        RestApi.error(rc, 400, "expected a WebSocket upgrade: " + ar.cause().getMessage());
      }
      return;
    }
    node.wsConnections.incrementAndGet();
    node.release();
    ChannelHandlerContext cx = DirectOutbound.handlerContext(channel);
    // Vert.x's own socket rather than vertx-web's wrapper of it (which only re-answers the
    // addresses)
    WsConnection c = new WsConnection(HandshakeRelease.unwrap(cx, ar.result()), cx, env, closed);
    connections.add(c);
    if (Encoding.binary(rc.queryParam(Encoding.PARAM))) {
      c.binaryEncoding();
    }
    c.identity(rc.user(), rc.request().getParam("owner"));
    c.start();
  }

  private void closed(WsConnection c) {
    node.wsConnections.decrementAndGet();
    connections.remove(c);
  }
}
