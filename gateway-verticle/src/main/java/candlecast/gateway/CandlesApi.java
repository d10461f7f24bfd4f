package candlecast.gateway;

import static candlecast.gateway.RestApi.error;
import static candlecast.gateway.RestApi.send;

import candlecast.common.Addresses;
import candlecast.common.Symbols;
import io.vertx.core.Future;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** The candle history resources, {@code /api/candles} and {@code /api/candles/batch}. */
final class CandlesApi {
  private final EventBus bus;
  private final GatewayOptions options;
  private final GatewayNode node;
  private final DeliveryOptions historyOptions;

  CandlesApi(
      EventBus bus, GatewayOptions options, GatewayNode node, DeliveryOptions historyOptions) {
    this.bus = bus;
    this.options = options;
    this.node = node;
    this.historyOptions = historyOptions;
  }

  void mount(Router router) {
    router.get("/api/candles").handler(this::candles);
    router
        .post("/api/candles/batch")
        .handler(BodyHandler.create().setBodyLimit(options.maxRequestBodyBytes()))
        .handler(this::batch);
  }

  /**
   * GET /api/candles?symbol=&tf=&limit=&from=&to=&period=&local_only=[&meta=true][&format=csv]
   * [&cursor=] → 200 [candle JSON, oldest first], the metadata object or CSV; a {@code Link: <…>;
   * rel="next"} header when an older page follows.
   */
  void candles(RoutingContext rc) {
    CandlesRequest req = CandlesRequest.of(rc.request()::getParam, options.maxLimit());
    if (req.error() != null) {
      error(rc, 400, req.error());
      return;
    }
    CandlesQuery.Ok ok = req.query();
    history(ok)
        .onComplete(
            ar -> {
              JsonObject res = ar.result();
              if (!res.containsKey("candles")) {
                error(rc, res.getInteger("status"), res.getString("error"));
                return;
              }
              JsonArray candles = res.getJsonArray("candles");
              String next = CandlePages.next(ok.request(), candles, res.getLong("oldest"));
              if (next != null) {
                rc.response()
                    .putHeader(
                        "link", "<" + req.nextUri(rc.request().path(), next) + ">; rel=\"next\"");
              }
              if (req.csv()) {
                sendCsv(rc, ok, candles);
              } else if (req.meta()) {
                send(rc, 200, CandlePages.meta(candles, next).toBuffer());
              } else {
                send(rc, 200, candles.toBuffer());
              }
            });
  }

  private static void sendCsv(RoutingContext rc, CandlesQuery.Ok ok, JsonArray candles) {
    if (rc.response().ended() || rc.response().closed()) {
      return;
    }
    rc.response()
        .setStatusCode(200)
        .putHeader("content-type", "text/csv; charset=utf-8")
        .putHeader(
            "content-disposition",
            "attachment; filename=\"" + CandlePages.fileName(ok.request()) + "\"")
        .putHeader("cache-control", "no-store")
        .end(CandlePages.csv(candles));
  }

  /**
   * One history request; always succeeds with {"status":200,"candles":[..],"oldest"?} or
   * {"status":..,"error":..}.
   */
  private Future<JsonObject> history(CandlesQuery.Ok ok) {
    long start = System.nanoTime();
    return bus.request(
            Addresses.HISTORY, ok.request(), HistoryDelivery.of(ok.request(), historyOptions))
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
              JsonObject res = new JsonObject().put("status", 200).put("candles", candles);
              Object oldest = ((JsonObject) ar.result().body()).getValue("oldest");
              if (oldest instanceof Number n) {
                res.put("oldest", n.longValue());
              }
              return Future.succeededFuture(res);
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
    JsonObject body = batchBody(rc);
    CandlesQuery.Ok shared = body == null ? null : batchShared(rc, body);
    if (shared == null) {
      return;
    }
    List<Future<JsonObject>> results = new ArrayList<>();
    for (Object s : (JsonArray) body.getValue("symbols")) {
      results.add(batchResult(body, s));
    }
    Future.join(results)
        .onComplete(
            ar -> {
              JsonArray out = new JsonArray();
              for (Future<JsonObject> f : results) {
                out.add(f.result());
              }
              String tf = shared.request().getString("tf");
              send(rc, 200, new JsonObject().put("tf", tf).put("results", out).toBuffer());
            });
  }

  /** The batch request's JSON object body; null after answering 400 when there is none. */
  private static JsonObject batchBody(RoutingContext rc) {
    JsonObject body;
    try {
      body = rc.body().asJsonObject();
    } catch (RuntimeException e) {
      error(
          rc,
          400,
          "body must be a JSON object such as {\"symbols\":[\"BTCUSD\",\"ETHUSD\"],\"tf\":\"1m\","
              + "\"limit\":100}");
      return null;
    }
    if (body == null) {
      error(
          rc,
          400,
          "missing JSON body, e.g. {\"symbols\":[\"BTCUSD\",\"ETHUSD\"],\"tf\":\"1m\",\"limit\":100}");
    }
    return body;
  }

  /**
   * Validates the batch's symbol list and its shared parameters (once, with a valid placeholder
   * symbol); null after answering 400.
   */
  private CandlesQuery.Ok batchShared(RoutingContext rc, JsonObject body) {
    if (!(body.getValue("symbols") instanceof JsonArray symbols) || symbols.isEmpty()) {
      error(rc, 400, "'symbols' must be a non-empty array of symbols");
      return null;
    }
    if (symbols.size() > options.batchMaxSymbols()) {
      error(
          rc,
          400,
          "at most " + options.batchMaxSymbols() + " symbols per batch, got " + symbols.size());
      return null;
    }
    CandlesQuery.Result shared =
        CandlesQuery.parse(
            name -> name.equals("symbol") ? "AA" : param(body, name), options.maxLimit());
    if (shared instanceof CandlesQuery.Bad bad) {
      error(rc, 400, bad.error());
      return null;
    }
    return (CandlesQuery.Ok) shared;
  }

  /** One symbol's batch result: its history, or a 400 for a symbol that is not valid. */
  private Future<JsonObject> batchResult(JsonObject body, Object s) {
    String raw = s instanceof String str ? str : String.valueOf(s);
    CandlesQuery.Result r =
        CandlesQuery.parse(
            name -> name.equals("symbol") ? raw : param(body, name), options.maxLimit());
    String shown =
        s instanceof String str && Symbols.normalize(str) != null ? Symbols.normalize(str) : raw;
    if (!(s instanceof String) || r instanceof CandlesQuery.Bad) {
      String why = r instanceof CandlesQuery.Bad b ? b.error() : "a symbol must be a string";
      return Future.succeededFuture(
          new JsonObject()
              .put("symbol", CommandParser.echo(shown))
              .put("status", 400)
              .put("error", why));
    }
    return history((CandlesQuery.Ok) r)
        .map(
            res -> {
              res.remove("oldest");
              return new JsonObject().put("symbol", shown).mergeIn(res);
            });
  }

  /** A batch body's field as the query-parameter string {@link CandlesQuery} validates. */
  static String param(JsonObject body, String name) {
    Object v = body.getValue(name);
    if (v == null) {
      return null;
    }
    if (v instanceof Double d && d == Math.rint(d) && Math.abs(d) < 9e15) {
      return String.valueOf(d.longValue());
    }
    if (v instanceof String || v instanceof Number || v instanceof Boolean) {
      return String.valueOf(v);
    }
    return "<" + v.getClass().getSimpleName() + ">";
  }
}
