package candlecast.gateway;

import candlecast.common.Timeframe;
import candlecast.common.config.CandlecastConfig;
import candlecast.common.config.Settings;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.bridge.BridgeEventType;
import io.vertx.ext.bridge.PermittedOptions;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.StaticHandler;
import io.vertx.ext.web.handler.sockjs.BridgeEvent;
import io.vertx.ext.web.handler.sockjs.SockJSBridgeOptions;
import io.vertx.ext.web.handler.sockjs.SockJSHandler;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The gateway tier: one HTTP server (host/port from {@link Settings#HTTP_HOST}/{@link Settings#HTTP_PORT}) with
 *
 * <ul>
 *   <li>{@code /ws} raw WebSocket: text commands {@code sub-<tf>[:<SYMBOL>]}, {@code unsub} (see {@link CommandParser}),
 *       JSON acks, errors and candle updates (see {@link Frames});</li>
 *   <li>{@code GET /api/candles}, {@code GET /api/symbols}, {@code GET /api/config}, {@code GET /health};</li>
 *   <li>{@code /eventbus/*} SockJS event-bus bridge, outbound only, for {@code candles.<SYMBOL>.<tf>};</li>
 *   <li>{@code /*} static files from the classpath directory {@code webroot}.</li>
 * </ul>
 *
 * Deploy several instances to use several event loops; each keeps its own fan-out ({@link SeriesHub}).
 */
public final class GatewayVerticle extends VerticleBase {
  private static final Logger LOG = LoggerFactory.getLogger(GatewayVerticle.class);
  public static final long HISTORY_TIMEOUT_MS = 5_000;
  public static final long HEALTH_TIMEOUT_MS = 1_000;
  /** Outbound bridge permission: candle series addresses only. */
  public static final String BRIDGE_OUTBOUND_REGEX = "candles\\.[A-Z0-9]{2,20}\\.(1s|1m|5m|15m|1h|4h|1d)";
  /** Largest WebSocket message the server accepts at all (commands above 4 KiB get an error, above this a close). */
  static final int MAX_WS_MESSAGE_BYTES = 64 * 1024;
  static final int MAX_BRIDGE_HANDLERS_PER_SOCKET = 64;

  private final CandlecastConfig config;
  private final long historyTimeoutMs;
  private final long healthTimeoutMs;
  private final AtomicInteger wsConnections = new AtomicInteger();
  private final AtomicInteger sockJsSessions = new AtomicInteger();
  private SeriesHub hub;
  private CommandParser parser;
  private HttpServer server;

  public GatewayVerticle(CandlecastConfig config) {
    this(config, HISTORY_TIMEOUT_MS, HEALTH_TIMEOUT_MS);
  }

  /** Tests shorten the event-bus timeouts. */
  GatewayVerticle(CandlecastConfig config, long historyTimeoutMs, long healthTimeoutMs) {
    this.config = config;
    this.historyTimeoutMs = historyTimeoutMs;
    this.healthTimeoutMs = healthTimeoutMs;
  }

  @Override
  public Future<?> start() {
    String host = config.get(Settings.HTTP_HOST);
    int port = config.get(Settings.HTTP_PORT);
    String defaultSymbol = config.get(Settings.GATEWAY_DEFAULT_SYMBOL);
    Timeframe defaultTf = config.get(Settings.GATEWAY_DEFAULT_TF);
    hub = new SeriesHub(vertx.eventBus());
    parser = new CommandParser(defaultSymbol);
    RestApi api = new RestApi(vertx.eventBus(), defaultSymbol, defaultTf, config.get(Settings.GATEWAY_MAX_LIMIT),
        historyTimeoutMs, healthTimeoutMs, this::gatewayHealth);

    Router router = Router.router(vertx);
    router.get("/ws").handler(this::upgrade);
    router.get("/api/candles").handler(api::candles);
    router.get("/api/symbols").handler(api::symbols);
    router.get("/api/config").handler(api::config);
    router.get("/api/*").handler(api::notFound);
    router.get("/health").handler(api::health);
    router.route("/eventbus/*").subRouter(SockJSHandler.create(vertx).bridge(bridgeOptions(), this::onBridgeEvent));
    router.route().handler(StaticHandler.create("webroot"));
    router.route().failureHandler(RestApi::failure);

    HttpServerOptions options = new HttpServerOptions()
        .setMaxWebSocketMessageSize(MAX_WS_MESSAGE_BYTES)
        .setMaxWebSocketFrameSize(MAX_WS_MESSAGE_BYTES);
    return vertx.createHttpServer(options)
        .requestHandler(router)
        .listen(port, host)
        .onSuccess(s -> {
          server = s;
          LOG.info("gateway listening on http://{}:{} (/ws, /api/candles, /api/symbols, /api/config, /health, "
              + "/eventbus, static webroot; default {} {})", host, s.actualPort(), defaultSymbol, defaultTf);
        });
  }

  @Override
  public Future<?> stop() {
    Future<Void> consumers = hub == null ? Future.succeededFuture() : hub.closeAll();
    return consumers.eventually(() -> server == null ? Future.succeededFuture() : server.close());
  }

  /** The port the server listens on (useful with port 0); -1 before start. */
  public int actualPort() {
    HttpServer s = server;
    return s == null ? -1 : s.actualPort();
  }

  /** Open raw WebSocket connections. */
  public int connections() {
    return wsConnections.get();
  }

  /** Open SockJS bridge sessions. */
  public int sockJsSessions() {
    return sockJsSessions.get();
  }

  /** This instance's fan-out (counters for tests and metrics). */
  public SeriesHub hub() {
    return hub;
  }

  static SockJSBridgeOptions bridgeOptions() {
    return new SockJSBridgeOptions()
        .addOutboundPermitted(new PermittedOptions().setAddressRegex(BRIDGE_OUTBOUND_REGEX))
        .setMaxHandlersPerSocket(MAX_BRIDGE_HANDLERS_PER_SOCKET);
  }

  private void onBridgeEvent(BridgeEvent event) {
    if (event.type() == BridgeEventType.SOCKET_CREATED) {
      sockJsSessions.incrementAndGet();
    } else if (event.type() == BridgeEventType.SOCKET_CLOSED) {
      sockJsSessions.decrementAndGet();
    }
    event.complete(true);
  }

  private JsonObject gatewayHealth() {
    return new JsonObject().put("status", HealthReport.UP).put("connections", wsConnections.get())
        .put("sockjsSessions", sockJsSessions.get());
  }

  private void upgrade(RoutingContext rc) {
    if (!"websocket".equalsIgnoreCase(rc.request().getHeader("upgrade"))) {
      RestApi.error(rc, 400, "expected a WebSocket upgrade: connect with a WebSocket client to /ws");
      return;
    }
    rc.request().toWebSocket().onComplete(ar -> {
      if (ar.failed()) {
        if (!rc.response().ended()) {
          RestApi.error(rc, 400, "expected a WebSocket upgrade: " + ar.cause().getMessage());
        }
        return;
      }
      wsConnections.incrementAndGet();
      new WsConnection(ar.result(), hub, parser, wsConnections::decrementAndGet).start();
    });
  }
}
