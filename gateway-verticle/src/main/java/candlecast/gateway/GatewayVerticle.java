package candlecast.gateway;

import candlecast.common.config.CandlecastConfig;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.handler.BodyHandler;
import io.vertx.ext.web.handler.CorsHandler;
import io.vertx.ext.web.handler.StaticHandler;
import io.vertx.ext.web.handler.sockjs.SockJSHandler;
import io.vertx.ext.web.handler.sockjs.SockJSHandlerOptions;
import java.util.List;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The gateway tier: one HTTP server (see docs/PROTOCOL.md) with
 *
 * <ul>
 *   <li>{@code /ws} raw WebSocket: the text commands ({@link CommandParser}) and the JSON protocol
 *       ({@link JsonCommandParser}) on one endpoint, served by {@link WsConnection};
 *   <li>{@code /ws/stream} raw WebSocket in the stream service dialect ({@link StreamDialect}),
 *       same machinery, and its {@code /test};
 *   <li>{@code /ws/analysis} raw WebSocket, the stream service's analysis stream ({@link
 *       AnalysisStreamDialect}), same machinery;
 *   <li>{@code /ws/portfolio} raw WebSocket, the stream service's portfolio stream ({@link
 *       PortfolioStreamDialect}), same machinery; the node's valuations: {@link PortfolioHub};
 *   <li>{@code /api/portfolio} ({@link PortfolioApi});
 *   <li>{@code /eventbus/*} SockJS event-bus bridge ({@link BridgeGuard});
 *   <li>{@code /socket.io/} the history provider's Socket.IO endpoint ({@link SioEndpoint});
 *   <li>{@code /api/candles}, {@code /api/candles/batch}, {@code /api/symbols}, {@code
 *       /api/ticker}, {@code /api/trades}, {@code /api/config}, {@code /api/ui-config}; {@code
 *       /health}, {@code /ready}, {@code /connections}, {@code /metrics} ({@link RestApi});
 *   <li>{@code /*} static files from the classpath directory {@code webroot}.
 * </ul>
 *
 * Origin allow-list, JWT and limits: {@link AccessGuard}. Deploy several instances to use several
 * event loops; each keeps its own fan-out ({@link SeriesHub}), the node-wide limits and counters
 * are shared ({@link GatewayNode}).
 */
public final class GatewayVerticle extends VerticleBase {
  private static final Logger LOG = LoggerFactory.getLogger(GatewayVerticle.class);

  private final GatewayOptions options;
  private Function<Vertx, Future<JsonObject>> clusterCheck = RestApi::defaultClusterCheck;
  private int randomPortGroup;
  private boolean announce = true;
  private int eventLoops = 1;
  private GatewayNode node;
  private SeriesHub hub;
  private AnalysisHub analysis;

  /** {@code /ws} and the stream service's dialects on the same machinery, in route order. */
  private List<WsEndpoint> endpoints = List.of();

  private AlertHub alerts;
  private NoticeRelay notices;
  private AnalysisStreams analysisStreams;
  private BridgeGuard bridge;
  private SioEndpoint sio;
  private HttpServer server;
  private long sweeper = -1;

  /** Live portfolio valuations of the node (issue 17) and their coalescing interval. */
  private PortfolioHub portfolios;

  private long portfolioIntervalMs = 250;

  public GatewayVerticle(CandlecastConfig config) {
    this(GatewayOptions.from(config));
    this.portfolioIntervalMs =
        config.get(candlecast.common.config.Settings.GATEWAY_PORTFOLIO_INTERVAL_MS);
  }

  /** At most one portfolio valuation per owner per this many ms (call before deploying). */
  GatewayVerticle portfolioInterval(long ms) {
    this.portfolioIntervalMs = ms;
    return this;
  }

  public GatewayVerticle(GatewayOptions options) {
    this.options = options;
  }

  /**
   * With port 0: listen on a random port shared with the other instances given the same group
   * number (Vert.x binds one socket for a negative port and spreads its connections over the
   * servers that share it). 0 = not shared.
   */
  GatewayVerticle randomPortGroup(int group) {
    this.randomPortGroup = group;
    return this;
  }

  /**
   * Whether this instance logs the "listening" line, and how many event loops (instances) it speaks
   * for.
   */
  GatewayVerticle announce(boolean on, int eventLoops) {
    this.announce = on;
    this.eventLoops = eventLoops;
    return this;
  }

  /**
   * Replaces the cluster part of {@code /ready} (default: UP when not clustered, else the cluster
   * manager's membership). Call before deploying.
   */
  public GatewayVerticle clusterCheck(Function<Vertx, Future<JsonObject>> check) {
    this.clusterCheck = check;
    return this;
  }

  @Override
  public Future<?> start() {
    JsonObject ui;
    try {
      ui =
          UiConfig.parse(
              UiConfig.builtIn(),
              "(built-in " + UiConfig.RESOURCE + ")",
              options.defaultSymbol(),
              options.defaultTf());
    } catch (RuntimeException e) {
      return Future.failedFuture(e);
    }
    if (options.uiConfigFile().isEmpty()) {
      return startServer(ui);
    }
    String file = options.uiConfigFile();
    return vertx
        .fileSystem()
        .readFile(file)
        .recover(
            err ->
                Future.failedFuture(
                    new IllegalArgumentException(
                        "cannot read "
                            + "CANDLECAST_GATEWAY_UI_CONFIG_FILE "
                            + file
                            + ": "
                            + err.getMessage())))
        .compose(
            buf -> {
              try {
                return Future.succeededFuture(
                    UiConfig.parse(
                        buf.toString(),
                        "in CANDLECAST_GATEWAY_UI_CONFIG_FILE " + file,
                        options.defaultSymbol(),
                        options.defaultTf()));
              } catch (IllegalArgumentException e) {
                return Future.failedFuture(e);
              }
            })
        .compose(this::startServer);
  }

  private Future<?> startServer(JsonObject ui) {
    AccessGuard guard;
    try {
      guard = new AccessGuard(vertx, options, GatewayNode.of(vertx, options));
    } catch (IllegalArgumentException e) {
      return Future.failedFuture(e);
    }
    node = GatewayNode.of(vertx, options);
    analysis = AnalysisHub.of(vertx, options);
    hub =
        new SeriesHub(
            vertx,
            (address, delta) -> node.seriesDelta(address, 0, delta),
            node.metrics::recordFanout,
            options.historyTimeoutMs(),
            SeriesRepair.GIVE_UP_MS);
    WsEndpoint wsEndpoint = new WsEndpoint(vertx, options, node, hub, guard);
    WsEndpoint streamEndpoint =
        wsEndpoint.speaking(StreamDialect.PATH, new StreamDialect(options.trades().batchMax()));
    analysisStreams = AnalysisStreams.of(vertx, analysis);
    WsEndpoint analysisEndpoint =
        wsEndpoint.speaking(AnalysisStreamDialect.PATH, new AnalysisStreamDialect(analysisStreams));
    alerts = AlertHub.of(vertx);
    WsEndpoint alertsEndpoint =
        wsEndpoint.speaking(
            AlertsStreamDialect.PATH, new AlertsStreamDialect(alerts, System::currentTimeMillis));
    notices = NoticeRelay.of(vertx);
    vertx.eventBus().localConsumer(NoticeRelay.LOCAL, m -> notice(m.body()));
    vertx
        .eventBus()
        .<String>localConsumer(
            DisconnectApi.LOCAL,
            m -> endpoints.forEach(e -> e.closeAll(DisconnectApi.CODE, m.body())));
    portfolios = PortfolioHub.of(vertx, portfolioIntervalMs);
    WsEndpoint portfolioEndpoint =
        wsEndpoint.speaking(PortfolioStreamDialect.PATH, new PortfolioStreamDialect());
    endpoints =
        List.of(wsEndpoint, streamEndpoint, analysisEndpoint, alertsEndpoint, portfolioEndpoint);
    bridge = new BridgeGuard(options, node, () -> analysis).portfolio(() -> portfolios);
    HistoryBatch batches =
        new HistoryBatch(
            vertx.eventBus(),
            new io.vertx.core.eventbus.DeliveryOptions().setSendTimeout(options.historyTimeoutMs()),
            node.metrics);
    vertx
        .eventBus()
        .localConsumer(
            HistoryBatch.ADDRESS, new BridgeBatches(vertx.eventBus(), options, batches)::handle);
    RestApi api = new RestApi(vertx, options, node, ui, this::gatewayHealth, clusterCheck);

    Router router = Router.router(vertx);
    CorsHandler cors = GatewayHttp.cors();
    endpoints.forEach(e -> e.route(router));
    eventBusRoutes(router, guard, cors);
    sio = new SioEndpoint(options, node, guard);
    sio.route(router, cors);
    apiRoutes(router, guard, cors, api);
    udfRoutes(router, guard, cors);
    operationsRoutes(router, api);
    router.get(StreamDialect.TEST_PATH).handler(StreamDialect::test);
    router.route().handler(StaticHandler.create("webroot"));
    router.route().failureHandler(RestApi::failure);

    // the relay's consumer may have been registered by another instance: wait for it here, on this
    // instance's context, so that the server below is created on this instance's event loop
    io.vertx.core.Promise<Void> relayReady =
        ((io.vertx.core.internal.ContextInternal) context).promise();
    notices.ready().onComplete(relayReady);
    return sio.start(vertx)
        .compose(v -> relayReady.future())
        .compose(
            v ->
                vertx
                    .createHttpServer(GatewayHttp.serverOptions(options))
                    .requestHandler(router)
                    .listen(
                        options.port() == 0 && randomPortGroup > 0
                            ? -randomPortGroup
                            : options.port(),
                        options.host()))
        .onSuccess(this::listening);
  }

  /** {@code /eventbus/*}: the SockJS event-bus bridge ({@link BridgeGuard}). */
  private void eventBusRoutes(Router router, AccessGuard guard, CorsHandler cors) {
    router.route("/eventbus/*").handler(guard.originHandler()).handler(cors).handler(guard::auth);
    // SockJS' HTTP transports read their POST bodies from a BodyHandler (bounded: 413 beyond)
    router
        .post("/eventbus/*")
        .handler(BodyHandler.create().setBodyLimit(options.maxRequestBodyBytes()));
    // vertx-web's xhr-polling closes the TCP connection after every poll answer without saying so;
    // a keep-alive
    // client (Node's default agent, since Node 19) reuses the socket for the next poll and fails
    // with "socket hang
    // up", ending the session. Saying "Connection: close" makes clients open a new connection
    // (docs/DECISIONS.md).
    router
        .postWithRegex("/eventbus/[^/]+/[^/]+/xhr")
        .handler(
            rc -> {
              rc.response().putHeader(io.vertx.core.http.HttpHeaders.CONNECTION, "close");
              rc.next();
            });
    SockJSHandlerOptions sockJsOptions =
        new SockJSHandlerOptions()
            // script- and iframe-based transports cannot be protected by Origin checks: off
            .addDisabledTransport("JSON_P")
            .addDisabledTransport("HTML_FILE");
    router
        .route("/eventbus/*")
        .subRouter(
            SockJSHandler.create(vertx, sockJsOptions)
                .bridge(bridge.bridgeOptions(), bridge::handle));
  }

  /**
   * {@code /api/*}: history, trades, symbols, tickers, books and the page configuration, behind the
   * access checks ({@link RestApi#mountApi}).
   */
  private void apiRoutes(Router router, AccessGuard guard, CorsHandler cors, RestApi api) {
    router.route("/api/*").handler(guard.originHandler()).handler(cors).handler(guard::auth);
    new PortfolioApi(
            new PortfolioRequests(vertx.eventBus(), options.historyTimeoutMs()),
            portfolios,
            System::currentTimeMillis)
        .mount(router);
    api.mountApi(router);
  }

  /**
   * {@code /udf/*}: the TradingView UDF datafeed ({@link UdfApi}), behind the same access checks.
   */
  private void udfRoutes(Router router, AccessGuard guard, CorsHandler cors) {
    router
        .route(UdfApi.PREFIX + "/*")
        .handler(guard.originHandler())
        .handler(cors)
        .handler(guard::auth);
    new UdfApi(vertx.eventBus(), options, node).mount(router);
  }

  /**
   * Health, readiness, connection counts and metrics (no Origin or JWT check: for probes and
   * scrapers).
   */
  private static void operationsRoutes(Router router, RestApi api) {
    router.get("/health").handler(api::health);
    router.get("/ready").handler(api::ready);
    router.get("/connections").handler(api::connections);
    router.get("/metrics").handler(GatewayHttp.metricsHandler());
  }

  private void listening(HttpServer s) {
    server = s;
    sweeper = vertx.setPeriodic(options.sweepIntervalMs(), id -> sweep());
    if (announce) {
      LOG.info(
          "gateway listening on http://{}:{} (/ws, /ws/stream, /ws/analysis, /ws/alerts, /ws/portfolio, /eventbus, /socket.io, /api, /health, /ready, /connections,"
              + " /metrics, /test; default {} {}; auth {}; {} transport; {} event loop{})",
          options.host(),
          s.actualPort(),
          options.defaultSymbol(),
          options.defaultTf(),
          options.authEnabled() ? "jwt" : "off",
          vertx.isNativeTransportEnabled() ? "native" : "NIO",
          eventLoops,
          eventLoops == 1 ? "" : "s");
    }
  }

  @Override
  public Future<?> stop() {
    if (sweeper >= 0) {
      vertx.cancelTimer(sweeper);
    }
    Future<Void> consumers = hub == null ? Future.succeededFuture() : hub.closeAll();
    Future<Void> socketIo = sio == null ? Future.succeededFuture() : sio.stop(vertx);
    if (analysisStreams != null) {
      analysisStreams.release();
    }
    if (portfolios != null) {
      portfolios.release();
    }
    Future<Void> series = analysis == null ? Future.succeededFuture() : analysis.release();
    Future<Void> fires = alerts == null ? Future.succeededFuture() : alerts.release();
    Future<Void> relay = notices == null ? Future.succeededFuture() : notices.release();
    return Future.join(List.of(consumers, socketIo, series, fires, relay))
        .eventually(() -> server == null ? Future.succeededFuture() : server.close());
  }

  private void sweep() {
    long now = System.currentTimeMillis();
    endpoints.forEach(e -> e.sweep(now));
    node.connectRate.sweep(System.nanoTime());
  }

  /**
   * An operator notice relayed by the node ({@link NoticeRelay}): encoded once, written to this
   * instance's connections of every endpoint.
   */
  private void notice(Object body) {
    if (!Notices.deliverable(body)) {
      return;
    }
    JsonObject n = (JsonObject) body;
    io.vertx.core.buffer.Buffer frame = n.toBuffer();
    String symbol = n.getString("symbol");
    endpoints.forEach(e -> e.notice(frame, symbol));
  }

  /** The node's alert fires (shared by the node's gateway instances). */
  AlertHub alerts() {
    return alerts;
  }

  /** The port the server listens on (useful with port 0); -1 before start. */
  public int actualPort() {
    HttpServer s = server;
    return s == null ? -1 : s.actualPort();
  }

  /** Open raw WebSocket connections on this node. */
  public int connections() {
    return node == null ? 0 : node.wsConnections.get();
  }

  /** Open SockJS bridge sessions on this node. */
  public int sockJsSessions() {
    return node == null ? 0 : node.sockJsSessions.get();
  }

  /** This instance's fan-out (counters for tests and metrics). */
  public SeriesHub hub() {
    return hub;
  }

  /** The node's {@code /ws/analysis} composers (shared by the node's gateway instances). */
  AnalysisStreams analysisStreams() {
    return analysisStreams;
  }

  /** The node's analysis series (shared by the node's gateway instances). */
  public AnalysisHub analysis() {
    return analysis;
  }

  /** The node's counters. */
  public GatewayMetrics metrics() {
    return node.metrics;
  }

  private JsonObject gatewayHealth() {
    return new JsonObject()
        .put("status", HealthReport.UP)
        .put("connections", node.wsConnections.get())
        .put("sockjsSessions", node.sockJsSessions.get());
  }
}
