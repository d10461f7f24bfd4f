package candlecast.gateway;

import candlecast.common.Addresses;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.json.JsonObject;
import io.vertx.core.spi.cluster.ClusterManager;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The HTTP handlers: mounts the resources under {@code /api} ({@link CandlesApi}, {@link
 * MarketApi}, which ask the owning tier over the event bus and map the answer, and the page
 * configuration), and serves health, readiness and connection counts.
 */
final class RestApi {
  static final String JSON = "application/json";

  private final Vertx vertx;
  private final EventBus bus;
  private final GatewayOptions options;
  private final GatewayNode node;
  private final JsonObject pageConfig;
  private final JsonObject uiConfig;
  private final DeliveryOptions healthOptions;
  private final CandlesApi candles;
  private final MarketApi market;
  private final ImportApi imports;
  private final ReplayApi replay;
  private final AnalysisApi analysis;
  private final Supplier<JsonObject> gatewayHealth;
  private final Function<Vertx, Future<JsonObject>> clusterCheck;

  RestApi(
      Vertx vertx,
      GatewayOptions options,
      GatewayNode node,
      JsonObject uiConfig,
      Supplier<JsonObject> gatewayHealth,
      Function<Vertx, Future<JsonObject>> clusterCheck) {
    this.vertx = vertx;
    this.bus = vertx.eventBus();
    this.options = options;
    this.node = node;
    this.uiConfig = uiConfig;
    this.pageConfig =
        new JsonObject()
            .put("defaultSymbol", options.defaultSymbol())
            .put("defaultTf", options.defaultTf().label())
            .put("timeframes", uiConfig.getJsonArray("timeframes"));
    DeliveryOptions historyOptions =
        new DeliveryOptions().setSendTimeout(options.historyTimeoutMs());
    this.candles = new CandlesApi(bus, options, node, historyOptions);
    this.market = new MarketApi(bus, options, node, historyOptions);
    this.imports = new ImportApi(bus);
    this.healthOptions = new DeliveryOptions().setSendTimeout(options.healthTimeoutMs());
    this.replay = new ReplayApi(bus, healthOptions);
    this.analysis = new AnalysisApi(bus, historyOptions);
    this.gatewayHealth = gatewayHealth;
    this.clusterCheck = clusterCheck;
  }

  /**
   * Mounts the {@code /api/*} resources (after the access checks the caller has routed), ending
   * with a 404 for any other {@code /api/} path.
   */
  void mountApi(Router router) {
    candles.mount(router);
    market.mount(router);
    imports.mount(router);
    replay.mount(router);
    analysis.mount(router);
    new AlertsApi(bus, new DeliveryOptions().setSendTimeout(options.historyTimeoutMs()))
        .mount(router);
    new NoticesApi(bus).mount(router);
    new DisconnectApi(bus).mount(router);
    router.get("/api/config").handler(this::config);
    router.get("/api/ui-config").handler(this::uiConfig);
    router.route("/api/*").handler(this::notFound);
  }

  /**
   * The default cluster check: UP when not clustered, else the cluster manager's view of the
   * membership.
   */
  static Future<JsonObject> defaultClusterCheck(Vertx vertx) {
    if (!vertx.isClustered()) {
      return Future.succeededFuture(
          new JsonObject().put("status", HealthReport.UP).put("clustered", false));
    }
    ClusterManager cm = ((io.vertx.core.internal.VertxInternal) vertx).clusterManager();
    if (cm == null) {
      return Future.succeededFuture(HealthReport.down("clustered, but no cluster manager"));
    }
    boolean active = cm.isActive();
    JsonObject j =
        new JsonObject()
            .put("status", active ? HealthReport.UP : HealthReport.DOWN)
            .put("clustered", true)
            .put("nodeId", cm.getNodeId());
    try {
      j.put("members", cm.getNodes().size());
    } catch (RuntimeException e) {
      j.put("status", HealthReport.DOWN).put("error", "membership unknown: " + e.getMessage());
    }
    return Future.succeededFuture(j);
  }

  /** GET /api/config → what the page needs to open (kept for older pages; see /api/ui-config). */
  void config(RoutingContext rc) {
    send(rc, 200, pageConfig.toBuffer());
  }

  /** GET /api/ui-config → layout, theme colours, indicators, default series. */
  void uiConfig(RoutingContext rc) {
    send(rc, 200, uiConfig.toBuffer());
  }

  /** GET /health → liveness of this gateway: 200 while it serves requests. */
  void health(RoutingContext rc) {
    JsonObject gw = gatewayHealth.get();
    send(
        rc,
        200,
        new JsonObject()
            .put("status", HealthReport.UP)
            .put("components", new JsonObject().put("gateway", gw))
            .toBuffer());
  }

  /**
   * GET /ready → 200 when the gateway can serve: the feed and the aggregator report UP (they own
   * the Kafka clients), history answers, and the cluster (when clustered) has its membership; else
   * 503. Each check is in the body.
   */
  void ready(RoutingContext rc) {
    Map<String, Future<JsonObject>> checks = new LinkedHashMap<>();
    for (String component : HealthReport.COMPONENTS) {
      checks.put(
          component,
          bus.request(HealthReport.address(component), new JsonObject(), healthOptions)
              .map(msg -> HealthReport.component(msg.body()))
              .otherwise(
                  err -> HealthReport.down(BusErrors.reason(err, options.healthTimeoutMs()))));
    }
    checks.put("history", historyCheck());
    checks.put("cluster", clusterCheck());
    Future.join(new ArrayList<>(checks.values()))
        .onComplete(
            ar -> {
              Map<String, JsonObject> components = new LinkedHashMap<>();
              components.put("gateway", gatewayHealth.get());
              checks.forEach((name, f) -> components.put(name, f.result()));
              JsonObject report = HealthReport.report(components);
              send(rc, HealthReport.isUp(report) ? 200 : 503, report.toBuffer());
            });
  }

  /** History answers a probe for the default series (any answer from the owner counts as UP). */
  private Future<JsonObject> historyCheck() {
    JsonObject probe =
        new JsonObject()
            .put("symbol", options.defaultSymbol())
            .put("tf", options.defaultTf().label())
            .put("limit", 1);
    return bus.request(Addresses.HISTORY, probe, healthOptions)
        .map(msg -> new JsonObject().put("status", HealthReport.UP))
        .otherwise(
            err -> {
              if (err instanceof io.vertx.core.eventbus.ReplyException re
                  && re.failureType() == io.vertx.core.eventbus.ReplyFailure.RECIPIENT_FAILURE) {
                // it answered (e.g. 404: no data for the default symbol yet): reachable
                return new JsonObject()
                    .put("status", HealthReport.UP)
                    .put("note", "answered " + re.failureCode());
              }
              return HealthReport.down(BusErrors.reason(err, options.healthTimeoutMs()));
            });
  }

  private Future<JsonObject> clusterCheck() {
    Future<JsonObject> cluster;
    try {
      cluster = clusterCheck.apply(vertx);
    } catch (RuntimeException e) {
      cluster = Future.failedFuture(e);
    }
    return cluster.otherwise(err -> HealthReport.down("cluster check failed: " + err.getMessage()));
  }

  /** GET /connections → counts per protocol and per series on this node. */
  void connections(RoutingContext rc) {
    send(rc, 200, node.connectionsJson().toBuffer());
  }

  /** Unknown /api/... path. */
  void notFound(RoutingContext rc) {
    error(rc, 404, "no such endpoint: " + CommandParser.echo(rc.request().path()));
  }

  /** Last resort for a handler that threw or a request that failed (413, 405...). */
  static void failure(RoutingContext rc) {
    int status = rc.statusCode() > 0 ? rc.statusCode() : 500;
    if (rc.response().headWritten()) {
      rc.response().reset();
      return;
    }
    String msg =
        switch (status) {
          case 500 -> "internal error";
          case 413 -> "request body too large";
          case 403 -> "forbidden";
          default ->
              rc.failure() == null || rc.failure().getMessage() == null
                  ? "error " + status
                  : rc.failure().getMessage();
        };
    error(rc, status, msg);
  }

  static void error(RoutingContext rc, int status, String message) {
    if (status == 503 && !rc.response().headWritten()) {
      // retryable: the owner is being replaced, not reachable or not ready yet (issue 19)
      rc.response().putHeader("retry-after", String.valueOf(BusErrors.RETRY_AFTER_MS / 1000));
    }
    send(rc, status, new JsonObject().put("error", message).toBuffer());
  }

  static void send(RoutingContext rc, int status, io.vertx.core.buffer.Buffer body) {
    if (rc.response().ended() || rc.response().closed()) {
      return;
    }
    rc.response()
        .setStatusCode(status)
        .putHeader("content-type", JSON)
        .putHeader("cache-control", "no-store")
        .end(body);
  }
}
