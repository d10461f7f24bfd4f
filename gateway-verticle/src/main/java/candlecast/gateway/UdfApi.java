package candlecast.gateway;

import candlecast.common.Addresses;
import io.vertx.core.Future;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The TradingView UDF datafeed under {@code /udf} ({@code /config}, {@code /time}, {@code
 * /symbols}, {@code /search}, {@code /history}); the shapes are {@link Udf}'s. Errors are {@code
 * {"s":"error","errmsg":…}} with 400 (bad parameter), 404 (unknown symbol) or the history statuses.
 */
final class UdfApi {
  static final String PREFIX = "/udf";

  private final EventBus bus;
  private final GatewayOptions options;
  private final GatewayNode node;
  private final DeliveryOptions historyOptions;

  UdfApi(EventBus bus, GatewayOptions options, GatewayNode node) {
    this.bus = bus;
    this.options = options;
    this.node = node;
    this.historyOptions = new DeliveryOptions().setSendTimeout(options.historyTimeoutMs());
  }

  void mount(Router router) {
    router.get(PREFIX + "/config").handler(rc -> RestApi.send(rc, 200, Udf.config().toBuffer()));
    router.get(PREFIX + "/time").handler(UdfApi::time);
    router.get(PREFIX + "/symbols").handler(this::symbols);
    router.get(PREFIX + "/search").handler(this::search);
    router.get(PREFIX + "/history").handler(this::history);
    router
        .route(PREFIX + "/*")
        .handler(
            rc -> fail(rc, 404, "no such endpoint: " + CommandParser.echo(rc.request().path())));
  }

  /** GET /udf/time → the server's unix seconds, as plain text. */
  static void time(RoutingContext rc) {
    rc.response()
        .putHeader("content-type", "text/plain")
        .putHeader("cache-control", "no-store")
        .end(String.valueOf(System.currentTimeMillis() / 1000));
  }

  /** GET /udf/symbols?symbol= → the symbol information (404 unknown). */
  void symbols(RoutingContext rc) {
    String symbol = Udf.symbol(rc.request().getParam("symbol"));
    if (symbol == null) {
      fail(rc, 400, "symbol must be 2 to 20 letters or digits");
      return;
    }
    bus.request(Addresses.TICKERS, new JsonObject().put("symbol", symbol), historyOptions)
        .onComplete(
            ar -> {
              if (ar.failed()) {
                BusErrors.HttpError e = BusErrors.toHttp(ar.cause(), "symbols unavailable");
                fail(rc, e.status(), e.status() == 404 ? "unknown_symbol " + symbol : e.error());
                return;
              }
              Double last = null;
              if (ar.result().body() instanceof JsonObject body
                  && body.getValue("tickers") instanceof JsonArray tickers
                  && !tickers.isEmpty()
                  && tickers.getValue(0) instanceof JsonObject t
                  && t.getValue("last") instanceof Number n) {
                last = n.doubleValue();
              }
              RestApi.send(rc, 200, Udf.symbolInfo(symbol, last).toBuffer());
            });
  }

  /** GET /udf/search?query=&type=&exchange=&limit= → [{symbol, full_name, …}]. */
  void search(RoutingContext rc) {
    String rawLimit = rc.request().getParam("limit");
    int limit = Udf.DEFAULT_SEARCH_LIMIT;
    if (rawLimit != null) {
      try {
        limit = Integer.parseInt(rawLimit.trim());
      } catch (NumberFormatException e) {
        limit = 0;
      }
      if (limit < 1 || limit > 1_000) {
        fail(
            rc,
            400,
            "limit must be a whole number 1..1000, was '" + CommandParser.echo(rawLimit) + "'");
        return;
      }
    }
    int max = limit;
    bus.request(Addresses.SYMBOLS, new JsonObject(), historyOptions)
        .onComplete(
            ar -> {
              if (ar.failed()) {
                BusErrors.HttpError e = BusErrors.toHttp(ar.cause(), "symbols unavailable");
                fail(rc, e.status(), e.error());
                return;
              }
              List<String> symbols = new ArrayList<>();
              JsonArray all =
                  ((JsonObject) ar.result().body()).getJsonArray("symbols", new JsonArray());
              for (Object s : all) {
                symbols.add(String.valueOf(s));
              }
              JsonArray rows =
                  Udf.search(
                      symbols,
                      rc.request().getParam("query"),
                      rc.request().getParam("type"),
                      rc.request().getParam("exchange"),
                      max);
              RestApi.send(rc, 200, rows.toBuffer());
            });
  }

  /** GET /udf/history?symbol&resolution&from&to[&countback] → bars, no_data or error. */
  void history(RoutingContext rc) {
    Udf.HistoryRequest req;
    try {
      req = Udf.history(rc.request()::getParam, options.maxLimit());
    } catch (HistoryParams.Rejected e) {
      fail(rc, 400, e.getMessage());
      return;
    }
    ask(req.request())
        .compose(
            reply -> {
              JsonArray candles = CandlesQuery.candlesOf(reply, req.request().getInteger("limit"));
              if (candles == null) {
                return Future.failedFuture(new IllegalStateException("malformed"));
              }
              if (!candles.isEmpty()) {
                return Future.succeededFuture(Udf.bars(candles));
              }
              return nextTime(req, ((JsonObject) reply).getValue("oldest")).map(Udf::noData);
            })
        .onComplete(
            ar -> {
              if (ar.succeeded()) {
                RestApi.send(rc, 200, ar.result().toBuffer());
              } else if (ar.cause() instanceof IllegalStateException) {
                fail(rc, 502, "history returned a malformed reply");
              } else {
                BusErrors.HttpError e = BusErrors.toHttp(ar.cause(), "history unavailable");
                fail(rc, e.status(), e.error());
              }
            });
  }

  /** The open time of the newest bar before the range, when the owner holds older bars. */
  private Future<Long> nextTime(Udf.HistoryRequest req, Object oldest) {
    if (!(oldest instanceof Number o) || o.longValue() >= req.fromMs()) {
      return Future.succeededFuture(null);
    }
    JsonObject before =
        new JsonObject()
            .put("symbol", req.request().getString("symbol"))
            .put("tf", req.request().getString("tf"))
            .put("to", req.fromMs() - 1)
            .put("limit", 1);
    return ask(before)
        .map(
            reply -> {
              JsonArray c = CandlesQuery.candlesOf(reply, 1);
              return c == null || c.isEmpty() ? null : c.getJsonObject(0).getLong("t");
            });
  }

  private Future<Object> ask(JsonObject request) {
    long start = System.nanoTime();
    return bus.request(Addresses.HISTORY, request, historyOptions)
        .map(
            m -> {
              node.metrics.recordHistory(Duration.ofNanos(System.nanoTime() - start));
              return m.body();
            });
  }

  private static void fail(RoutingContext rc, int status, String message) {
    RestApi.send(rc, status, Udf.error(message).toBuffer());
  }
}
