package candlecast.gateway;

import candlecast.common.Addresses;
import candlecast.common.Book;
import candlecast.common.Symbols;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.core.spi.cluster.ClusterManager;
import io.vertx.ext.web.RoutingContext;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Supplier;

/** The HTTP handlers; each asks the owning tier over the event bus and maps the answer. */
final class RestApi {
  static final String JSON = "application/json";

  private final Vertx vertx;
  private final EventBus bus;
  private final GatewayOptions options;
  private final GatewayNode node;
  private final JsonObject pageConfig;
  private final JsonObject uiConfig;
  private final DeliveryOptions historyOptions;
  private final DeliveryOptions healthOptions;
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
    this.historyOptions = new DeliveryOptions().setSendTimeout(options.historyTimeoutMs());
    this.healthOptions = new DeliveryOptions().setSendTimeout(options.healthTimeoutMs());
    this.gatewayHealth = gatewayHealth;
    this.clusterCheck = clusterCheck;
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

  /** GET /api/candles?symbol=&tf=&limit=&from=&to= → 200 [candle JSON, oldest first]. */
  void candles(RoutingContext rc) {
    CandlesQuery.Result r = CandlesQuery.parse(rc.request()::getParam, options.maxLimit());
    if (r instanceof CandlesQuery.Bad bad) {
      error(rc, 400, bad.error());
      return;
    }
    CandlesQuery.Ok ok = (CandlesQuery.Ok) r;
    history(ok)
        .onComplete(
            ar -> {
              JsonObject res = ar.result();
              if (res.containsKey("candles")) {
                send(rc, 200, res.getJsonArray("candles").toBuffer());
              } else {
                error(rc, res.getInteger("status"), res.getString("error"));
              }
            });
  }

  /**
   * One history request; always succeeds with {"status":200,"candles":[..]} or
   * {"status":..,"error":..}.
   */
  private Future<JsonObject> history(CandlesQuery.Ok ok) {
    long start = System.nanoTime();
    return bus.request(Addresses.HISTORY, ok.request(), historyOptions)
        .transform(
            ar -> {
              node.metrics.recordHistory(Duration.ofNanos(System.nanoTime() - start));
              if (ar.failed()) {
                BusErrors.HttpError e = BusErrors.toHttp(ar.cause(), "history unavailable");
                return Future.succeededFuture(
                    new JsonObject().put("status", e.status()).put("error", e.error()));
              }
              JsonArray candles = CandlesQuery.candlesOf(ar.result().body(), ok.limit());
              if (candles == null) {
                return Future.succeededFuture(
                    new JsonObject()
                        .put("status", 502)
                        .put("error", "history returned a malformed reply"));
              }
              return Future.succeededFuture(
                  new JsonObject().put("status", 200).put("candles", candles));
            });
  }

  /**
   * POST /api/candles/batch with {@code
   * {"symbols":["BTCUSD",..],"tf":"1m","limit":100,"from"?,"to"?}} → 200 {@code
   * {"tf":"1m","results":[{"symbol":"BTCUSD","status":200,"candles":[..]},{"symbol":"NOPE","status":404,
   * "error":".."}]}}: one result per requested symbol, in order; a symbol that fails does not fail
   * the others.
   */
  void batch(RoutingContext rc) {
    JsonObject body;
    try {
      body = rc.body().asJsonObject();
    } catch (RuntimeException e) {
      error(
          rc,
          400,
          "body must be a JSON object such as {\"symbols\":[\"BTCUSD\",\"ETHUSD\"],\"tf\":\"1m\","
              + "\"limit\":100}");
      return;
    }
    if (body == null) {
      error(
          rc,
          400,
          "missing JSON body, e.g. {\"symbols\":[\"BTCUSD\",\"ETHUSD\"],\"tf\":\"1m\",\"limit\":100}");
      return;
    }
    if (!(body.getValue("symbols") instanceof JsonArray symbols) || symbols.isEmpty()) {
      error(rc, 400, "'symbols' must be a non-empty array of symbols");
      return;
    }
    if (symbols.size() > options.batchMaxSymbols()) {
      error(
          rc,
          400,
          "at most " + options.batchMaxSymbols() + " symbols per batch, got " + symbols.size());
      return;
    }
    // validate the shared parameters once, with a valid placeholder symbol
    CandlesQuery.Result shared =
        CandlesQuery.parse(
            name -> name.equals("symbol") ? "AA" : param(body, name), options.maxLimit());
    if (shared instanceof CandlesQuery.Bad bad) {
      error(rc, 400, bad.error());
      return;
    }
    List<Future<JsonObject>> results = new ArrayList<>();
    for (Object s : symbols) {
      String raw = s instanceof String str ? str : String.valueOf(s);
      CandlesQuery.Result r =
          CandlesQuery.parse(
              name -> name.equals("symbol") ? raw : param(body, name), options.maxLimit());
      String shown =
          s instanceof String str && Symbols.normalize(str) != null ? Symbols.normalize(str) : raw;
      if (!(s instanceof String) || r instanceof CandlesQuery.Bad) {
        String why = r instanceof CandlesQuery.Bad b ? b.error() : "a symbol must be a string";
        results.add(
            Future.succeededFuture(
                new JsonObject()
                    .put("symbol", CommandParser.echo(shown))
                    .put("status", 400)
                    .put("error", why)));
        continue;
      }
      results.add(
          history((CandlesQuery.Ok) r)
              .map(res -> new JsonObject().put("symbol", shown).mergeIn(res)));
    }
    Future.join(results)
        .onComplete(
            ar -> {
              JsonArray out = new JsonArray();
              for (Future<JsonObject> f : results) {
                out.add(f.result());
              }
              String tf = ((CandlesQuery.Ok) shared).request().getString("tf");
              send(rc, 200, new JsonObject().put("tf", tf).put("results", out).toBuffer());
            });
  }

  private static String param(JsonObject body, String name) {
    Object v = body.getValue(name);
    if (v == null) {
      return null;
    }
    if (v instanceof Double d && d == Math.rint(d) && Math.abs(d) < 9e15) {
      return String.valueOf(d.longValue());
    }
    if (v instanceof String || v instanceof Number) {
      return String.valueOf(v);
    }
    return "<" + v.getClass().getSimpleName() + ">";
  }

  /**
   * GET /api/trades?symbol=&limit=&from=|since= → 200 [{"id","t","p","q","side"}, ...] oldest
   * first: the newest {@code limit} trades (at or after {@code from}), or the first {@code limit}
   * after trade id {@code since}; 410 when the trades after {@code since} are no longer held.
   */
  void trades(RoutingContext rc) {
    GatewayOptions.Trades o = options.trades();
    TradesQuery.Result r =
        TradesQuery.parse(rc.request()::getParam, o.snapshotSize(), o.maxLimit());
    if (r instanceof TradesQuery.Bad bad) {
      error(rc, 400, bad.error());
      return;
    }
    long start = System.nanoTime();
    bus.request(Addresses.TRADES, ((TradesQuery.Ok) r).request(), historyOptions)
        .onComplete(
            ar -> {
              node.metrics.recordHistory(Duration.ofNanos(System.nanoTime() - start));
              if (ar.failed()) {
                BusErrors.HttpError e = BusErrors.toHttp(ar.cause(), "trades unavailable");
                error(rc, e.status(), e.error());
                return;
              }
              io.vertx.core.buffer.Buffer body;
              try {
                body = TradesQuery.answer(ar.result().body());
              } catch (candlecast.common.DecodeException e) {
                error(rc, 502, "trades returned a malformed reply");
                return;
              }
              send(rc, 200, body);
            });
  }

  /** GET /api/symbols → {"symbols":[...]}. */
  void symbols(RoutingContext rc) {
    bus.request(Addresses.SYMBOLS, new JsonObject(), historyOptions)
        .onComplete(
            ar -> {
              if (ar.failed()) {
                BusErrors.HttpError e = BusErrors.toHttp(ar.cause(), "symbols unavailable");
                error(rc, e.status(), e.error());
                return;
              }
              Object body = ar.result().body();
              if (body instanceof JsonObject j
                  && j.getValue("symbols") instanceof JsonArray symbols) {
                send(rc, 200, new JsonObject().put("symbols", symbols).toBuffer());
              } else {
                error(rc, 502, "symbols returned a malformed reply");
              }
            });
  }

  /** GET /api/ticker → [ticker, ..]; GET /api/ticker?symbol=X → the ticker of X. */
  void ticker(RoutingContext rc) {
    String raw = rc.request().getParam("symbol");
    JsonObject req = new JsonObject();
    String symbol = null;
    if (raw != null) {
      symbol = Symbols.normalize(raw);
      if (symbol == null) {
        error(
            rc,
            400,
            "invalid symbol '" + CommandParser.echo(raw) + "': expected 2 to 20 letters or digits");
        return;
      }
      req.put("symbol", symbol);
    }
    String wanted = symbol;
    bus.request(Addresses.TICKERS, req, historyOptions)
        .onComplete(
            ar -> {
              if (ar.failed()) {
                BusErrors.HttpError e = BusErrors.toHttp(ar.cause(), "tickers unavailable");
                error(rc, e.status(), e.error());
                return;
              }
              if (!(ar.result().body() instanceof JsonObject j)
                  || !(j.getValue("tickers") instanceof JsonArray tickers)) {
                error(rc, 502, "tickers returned a malformed reply");
                return;
              }
              if (wanted == null) {
                send(rc, 200, tickers.toBuffer());
                return;
              }
              for (Object t : tickers) {
                if (t instanceof JsonObject o && wanted.equals(o.getValue("symbol"))) {
                  send(rc, 200, o.toBuffer());
                  return;
                }
              }
              error(rc, 404, "no ticker for " + wanted);
            });
  }

  /**
   * GET /api/book?symbol=BTCUSD[&depth=10] → 200 {@code
   * {"symbol","depth","seq","time","bids","asks"}} (depth 1..100, default 10); 400 bad parameter;
   * 404 unknown symbol; 503 no book (yet) or the owner unavailable.
   */
  void book(RoutingContext rc) {
    String raw = rc.request().getParam("symbol");
    String symbol = raw == null ? null : Symbols.normalize(raw);
    if (symbol == null) {
      error(
          rc,
          400,
          raw == null
              ? "missing parameter 'symbol', e.g. ?symbol=BTCUSD&depth=10"
              : "invalid symbol '"
                  + CommandParser.echo(raw)
                  + "': expected 2 to 20 letters or digits");
      return;
    }
    String d = rc.request().getParam("depth");
    int depth;
    try {
      depth = d == null ? JsonCommandParser.DEFAULT_BOOK_DEPTH : Integer.parseInt(d.trim());
    } catch (NumberFormatException e) {
      depth = -1;
    }
    if (depth < 1 || depth > Book.MAX_DEPTH) {
      error(
          rc,
          400,
          "'depth' must be a whole number from 1 to "
              + Book.MAX_DEPTH
              + ", was '"
              + CommandParser.echo(String.valueOf(d))
              + "'");
      return;
    }
    int wanted = depth;
    bus.request(
            Addresses.BOOK,
            new JsonObject().put("symbol", symbol).put("depth", depth),
            historyOptions)
        .onComplete(
            ar -> {
              if (ar.failed()) {
                BusErrors.HttpError e = BusErrors.toHttp(ar.cause(), "book unavailable");
                error(rc, e.status(), e.error());
                return;
              }
              Book b;
              try {
                b = BookKey.validate(ar.result().body(), symbol, wanted);
              } catch (RuntimeException e) {
                error(rc, 502, "book returned a malformed reply");
                return;
              }
              JsonObject out = Frames.bookUpdate(b, wanted);
              out.remove("type");
              send(rc, 200, out.toBuffer());
            });
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
    JsonObject probe =
        new JsonObject()
            .put("symbol", options.defaultSymbol())
            .put("tf", options.defaultTf().label())
            .put("limit", 1);
    checks.put(
        "history",
        bus.request(Addresses.HISTORY, probe, healthOptions)
            .map(msg -> new JsonObject().put("status", HealthReport.UP))
            .otherwise(
                err -> {
                  if (err instanceof io.vertx.core.eventbus.ReplyException re
                      && re.failureType()
                          == io.vertx.core.eventbus.ReplyFailure.RECIPIENT_FAILURE) {
                    // it answered (e.g. 404: no data for the default symbol yet): reachable
                    return new JsonObject()
                        .put("status", HealthReport.UP)
                        .put("note", "answered " + re.failureCode());
                  }
                  return HealthReport.down(BusErrors.reason(err, options.healthTimeoutMs()));
                }));
    Future<JsonObject> cluster;
    try {
      cluster = clusterCheck.apply(vertx);
    } catch (RuntimeException e) {
      cluster = Future.failedFuture(e);
    }
    checks.put(
        "cluster",
        cluster.otherwise(err -> HealthReport.down("cluster check failed: " + err.getMessage())));
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
