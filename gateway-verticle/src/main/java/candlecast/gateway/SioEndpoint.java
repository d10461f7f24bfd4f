package candlecast.gateway;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import io.vertx.ext.web.handler.CorsHandler;
import java.util.Map;

/**
 * The {@code /socket.io/} route of one gateway instance: the history provider's Socket.IO endpoint
 * (Socket.IO v4 over engine.io v4, polling and websocket transports). Applies the Origin allow-list
 * and CORS as {@code /api} does, and the node's connection limits to each new engine.io session (a
 * handshake: a request without {@code sid}); then hands the request or the upgraded websocket to
 * the node's {@link SioServer}. JWT is checked per Socket.IO connection ({@link SioSession}): a
 * client may carry it in the handshake's {@code auth} object, which only the Socket.IO layer sees.
 */
final class SioEndpoint {
  static final String PATH = "/socket.io/";

  private final GatewayOptions options;
  private final GatewayNode node;
  private final AccessGuard guard;
  private SioServer server;

  SioEndpoint(GatewayOptions options, GatewayNode node, AccessGuard guard) {
    this.options = options;
    this.node = node;
    this.guard = guard;
  }

  /** Joins the node's Socket.IO server (the first instance creates it on its context). */
  Future<Void> start(Vertx vertx) {
    return SioServer.acquire(vertx, options, node)
        .map(
            s -> {
              server = s;
              return null;
            });
  }

  Future<Void> stop(Vertx vertx) {
    return server == null ? Future.succeededFuture() : SioServer.release(vertx, server);
  }

  void route(Router router, CorsHandler cors) {
    router.route("/socket.io/*").handler(guard.originHandler()).handler(cors);
    router
        .post("/socket.io/*")
        .handler(BodyHandler.create().setBodyLimit(options.maxRequestBodyBytes()));
    router.route("/socket.io/*").handler(this::handle);
  }

  private void handle(RoutingContext rc) {
    HttpServerRequest req = rc.request();
    boolean handshake = req.getParam("sid") == null;
    if (handshake && !guard.admitConnection(rc)) {
      return;
    }
    if ("websocket".equals(req.getParam("transport"))
        && "websocket".equalsIgnoreCase(req.getHeader("upgrade"))) {
      upgrade(rc, handshake);
      return;
    }
    Context context = Vertx.currentContext();
    Buffer body = rc.body() == null ? null : rc.body().buffer();
    SioServletShim exchange =
        new SioServletShim(
            req.method().name(),
            req.query(),
            MultiMap.caseInsensitiveMultiMap().addAll(req.headers()),
            body == null ? new byte[0] : body.getBytes(),
            done -> context.runOnContext(v -> answer(rc.response(), done)));
    rc.response().closeHandler(v -> server.aborted(exchange));
    server.poll(exchange, handshake);
  }

  private void upgrade(RoutingContext rc, boolean reserved) {
    rc.request()
        .toWebSocket()
        .onComplete(
            ar -> {
              if (ar.failed()) {
                if (reserved) {
                  node.release();
                }
                if (!rc.response().ended()) {
                  RestApi.error(
                      rc, 400, "expected a WebSocket upgrade: " + ar.cause().getMessage());
                }
                return;
              }
              ServerWebSocket ws = ar.result();
              server.socket(
                  new SioWebSocket(ws, server.owner, options.maxMessageBytes()), reserved);
            });
  }

  /** Writes engine.io's answer on the request's event loop. */
  private static void answer(HttpServerResponse res, SioServletShim done) {
    if (res.ended() || res.closed()) {
      return;
    }
    res.setStatusCode(done.status());
    for (Map.Entry<String, String> h : done.headers().entrySet()) {
      res.putHeader(h.getKey(), h.getValue());
    }
    res.end(Buffer.buffer(done.body()));
  }
}
