package candlecast.gateway;

import candlecast.common.Addresses;
import candlecast.common.Timeframe;
import io.vertx.core.Future;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/** The HTTP handlers; each asks the owning tier over the event bus and maps the answer. */
final class RestApi {
  static final String JSON = "application/json";

  private final EventBus bus;
  private final int maxLimit;
  private final JsonObject pageConfig;
  private final DeliveryOptions historyOptions;
  private final DeliveryOptions healthOptions;
  private final long healthTimeoutMs;
  private final Supplier<JsonObject> gatewayHealth;

  RestApi(EventBus bus, String defaultSymbol, Timeframe defaultTf, int maxLimit, long historyTimeoutMs,
          long healthTimeoutMs, Supplier<JsonObject> gatewayHealth) {
    this.bus = bus;
    this.maxLimit = maxLimit;
    this.pageConfig = new JsonObject()
        .put("defaultSymbol", defaultSymbol)
        .put("defaultTf", defaultTf.label())
        .put("timeframes", new JsonArray(Timeframe.LIST.stream().map(Timeframe::label).toList()));
    this.historyOptions = new DeliveryOptions().setSendTimeout(historyTimeoutMs);
    this.healthOptions = new DeliveryOptions().setSendTimeout(healthTimeoutMs);
    this.healthTimeoutMs = healthTimeoutMs;
    this.gatewayHealth = gatewayHealth;
  }

  /** GET /api/candles?symbol=&tf=&limit=&from=&to= → 200 [candle JSON, oldest first]. */
  void candles(RoutingContext rc) {
    CandlesQuery.Result r = CandlesQuery.parse(rc.request()::getParam, maxLimit);
    if (r instanceof CandlesQuery.Bad bad) {
      error(rc, 400, bad.error());
      return;
    }
    CandlesQuery.Ok ok = (CandlesQuery.Ok) r;
    bus.request(Addresses.HISTORY, ok.request(), historyOptions).onComplete(ar -> {
      if (ar.failed()) {
        BusErrors.HttpError e = BusErrors.toHttp(ar.cause(), "history unavailable");
        error(rc, e.status(), e.error());
        return;
      }
      JsonArray candles = CandlesQuery.candlesOf(ar.result().body(), ok.limit());
      if (candles == null) {
        error(rc, 502, "history returned a malformed reply");
      } else {
        send(rc, 200, candles.toBuffer());
      }
    });
  }

  /** GET /api/symbols → {"symbols":[...]}. */
  void symbols(RoutingContext rc) {
    bus.request(Addresses.SYMBOLS, new JsonObject(), historyOptions).onComplete(ar -> {
      if (ar.failed()) {
        BusErrors.HttpError e = BusErrors.toHttp(ar.cause(), "symbols unavailable");
        error(rc, e.status(), e.error());
        return;
      }
      Object body = ar.result().body();
      if (body instanceof JsonObject j && j.getValue("symbols") instanceof JsonArray symbols) {
        send(rc, 200, new JsonObject().put("symbols", symbols).toBuffer());
      } else {
        error(rc, 502, "symbols returned a malformed reply");
      }
    });
  }

  /** GET /api/config → what the page needs to open. */
  void config(RoutingContext rc) {
    send(rc, 200, pageConfig.toBuffer());
  }

  /** GET /health → 200 when every component is UP, 503 otherwise. */
  void health(RoutingContext rc) {
    List<Future<JsonObject>> asks = new ArrayList<>();
    for (String component : HealthReport.COMPONENTS) {
      asks.add(bus.request(HealthReport.address(component), new JsonObject(), healthOptions)
          .map(msg -> HealthReport.component(msg.body()))
          .otherwise(err -> HealthReport.down(BusErrors.reason(err, healthTimeoutMs))));
    }
    Future.join(asks).onComplete(ar -> {
      Map<String, JsonObject> components = new LinkedHashMap<>();
      components.put("gateway", gatewayHealth.get());
      for (int i = 0; i < asks.size(); i++) {
        components.put(HealthReport.COMPONENTS.get(i), asks.get(i).result());
      }
      JsonObject report = HealthReport.report(components);
      send(rc, HealthReport.isUp(report) ? 200 : 503, report.toBuffer());
    });
  }

  /** Unknown /api/... path. */
  void notFound(RoutingContext rc) {
    error(rc, 404, "no such endpoint: " + CommandParser.echo(rc.request().path()));
  }

  /** Last resort for a handler that threw. */
  static void failure(RoutingContext rc) {
    int status = rc.statusCode() > 0 ? rc.statusCode() : 500;
    if (rc.response().headWritten()) {
      rc.response().reset();
      return;
    }
    String msg = status == 500 ? "internal error" : (rc.failure() == null ? "error " + status : rc.failure().getMessage());
    error(rc, status, msg);
  }

  static void error(RoutingContext rc, int status, String message) {
    send(rc, status, new JsonObject().put("error", message).toBuffer());
  }

  static void send(RoutingContext rc, int status, io.vertx.core.buffer.Buffer body) {
    if (rc.response().ended() || rc.response().closed()) {
      return;
    }
    rc.response().setStatusCode(status).putHeader("content-type", JSON).putHeader("cache-control", "no-store")
        .end(body);
  }
}
