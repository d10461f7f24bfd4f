package candlecast.gateway;

import io.socket.engineio.server.EngineIoServer;
import io.socket.engineio.server.EngineIoServerOptions;
import io.socket.engineio.server.EngineIoSocket;
import io.socket.socketio.server.SocketIoServer;
import io.socket.socketio.server.SocketIoSocket;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;
import io.vertx.core.shareddata.LocalMap;
import io.vertx.core.shareddata.Shareable;
import io.vertx.ext.auth.jwt.JWTAuth;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The node's Socket.IO server ({@code io.socket:socket.io-server} over its engine.io server): one
 * per Vert.x node, shared by the gateway instances, because an engine.io polling session's requests
 * arrive on any connection and so on any instance. All of its state lives on one context, the
 * <em>owner</em> (the event loop of the instance that created it): requests and websocket messages
 * hop there, its timers run there ({@link ContextScheduler}), answers hop back to the connection's
 * event loop ({@link SioEndpoint}, {@link SioWebSocket}). Nothing in it blocks: long polls use the
 * servlet API's asynchronous mode ({@link SioServletShim}).
 *
 * <p>Also the node's receiver of history download status ({@code statusAddress} of the history
 * request): each status goes to the sessions waiting for that symbol and timeframe.
 */
final class SioServer implements Shareable {
  private static final Logger LOG = LoggerFactory.getLogger(SioServer.class);
  private static final String MAP = "candlecast.gateway";
  private static final String KEY = "socketio";

  final Vertx vertx;
  final Context owner;
  final GatewayOptions options;
  final GatewayNode node;
  final JWTAuth jwt;
  final String statusAddress = "candlecast.socketio.status." + UUID.randomUUID();
  private final EngineIoServer engine;
  private final Map<String, List<SioSession>> downloading = new HashMap<>();
  private MessageConsumer<JsonObject> statusConsumer;
  private int users;

  private SioServer(Vertx vertx, Context owner, GatewayOptions options, GatewayNode node) {
    this.vertx = vertx;
    this.owner = owner;
    this.options = options;
    this.node = node;
    this.jwt = options.authEnabled() ? AccessGuard.jwt(vertx, options) : null;
    EngineIoServerOptions eo = EngineIoServerOptions.newFromDefault();
    eo.setCorsHandlingDisabled(true); // the gateway's Origin check and CORS handler run before
    eo.setScheduledExecutorService(new ContextScheduler(vertx, owner));
    this.engine = new EngineIoServer(eo);
    engine.on("connection", args -> counted((EngineIoSocket) args[0]));
    SocketIoServer io = new SocketIoServer(engine);
    io.namespace("/")
        .on("connection", args -> new SioSession(this, (SocketIoSocket) args[0]).start());
  }

  /**
   * The node's server, created (owned by the caller's context) by the first gateway instance; each
   * instance {@link #release}s it when it stops.
   */
  static synchronized Future<SioServer> acquire(
      Vertx vertx, GatewayOptions options, GatewayNode node) {
    LocalMap<String, SioServer> map = vertx.sharedData().getLocalMap(MAP);
    SioServer s = map.get(KEY);
    if (s == null) {
      s = new SioServer(vertx, Vertx.currentContext(), options, node);
      map.put(KEY, s);
      SioServer created = s;
      created.users++;
      return created.listenForStatus().map(created);
    }
    s.users++;
    return Future.succeededFuture(s);
  }

  /** One instance stops using the server; the last one closes its status consumer. */
  static synchronized Future<Void> release(Vertx vertx, SioServer s) {
    if (--s.users > 0) {
      return Future.succeededFuture();
    }
    vertx.sharedData().getLocalMap(MAP).remove(KEY);
    return s.statusConsumer == null ? Future.succeededFuture() : s.statusConsumer.unregister();
  }

  private Future<Void> listenForStatus() {
    statusConsumer = vertx.eventBus().consumer(statusAddress, m -> onStatus(m.body()));
    return statusConsumer.completion();
  }

  private void counted(EngineIoSocket socket) {
    node.socketIoSessions.incrementAndGet();
    socket.once("close", args -> node.socketIoSessions.decrementAndGet());
  }

  /** An engine.io polling request, handled on the owner; {@code reserved}: release a slot after. */
  void poll(SioServletShim exchange, boolean reserved) {
    owner.runOnContext(
        v -> {
          try {
            engine.handleRequest(exchange.request(), exchange.response());
          } catch (IOException | RuntimeException e) {
            LOG.warn("socket.io polling request failed: {}", e.toString());
            exchange.response().setStatus(500);
          } finally {
            if (reserved) {
              node.release();
            }
          }
          exchange.handled();
          if (exchange.pending() && exchange.timeoutMs() > 0) {
            long timer =
                vertx.setTimer(
                    exchange.timeoutMs(), id -> owner.runOnContext(x -> exchange.timedOut()));
            exchange.onFinished(() -> vertx.cancelTimer(timer));
          }
        });
  }

  /** A websocket (a new session, or the upgrade of a polling one), handled on the owner. */
  void socket(SioWebSocket ws, boolean reserved) {
    owner.runOnContext(
        v -> {
          try {
            engine.handleWebSocket(ws);
          } finally {
            if (reserved) {
              node.release();
            }
          }
        });
  }

  /** A long poll's client went away. */
  void aborted(SioServletShim exchange) {
    owner.runOnContext(v -> exchange.aborted());
  }

  /** {@code session} wants the status of a download of {@code symbol tf} (owner context). */
  void awaitStatus(String symbol, String tf, SioSession session) {
    downloading.computeIfAbsent(symbol + ' ' + tf, k -> new ArrayList<>()).add(session);
  }

  void stopAwaiting(String symbol, String tf, SioSession session) {
    String key = symbol + ' ' + tf;
    List<SioSession> waiting = downloading.get(key);
    if (waiting != null) {
      waiting.remove(session);
      if (waiting.isEmpty()) {
        downloading.remove(key);
      }
    }
  }

  private void onStatus(JsonObject status) {
    if (status == null) {
      return;
    }
    String key = status.getString("symbol") + ' ' + status.getString("tf");
    owner.runOnContext(
        v -> {
          List<SioSession> waiting = downloading.get(key);
          if (waiting != null) {
            for (SioSession s : new ArrayList<>(waiting)) {
              s.status(status);
            }
          }
        });
  }
}
