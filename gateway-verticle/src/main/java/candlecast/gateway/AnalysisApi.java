package candlecast.gateway;

import static candlecast.gateway.RestApi.error;
import static candlecast.gateway.RestApi.send;

import candlecast.common.Addresses;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.json.JsonArray;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The analysis resources (issue 16): {@code /api/indicators}, {@code /api/patterns} and {@code
 * /api/risk}. Each validates its query ({@link AnalysisQuery}), asks {@code candlecast.analysis}
 * with {@code op:"query"} (computed by the symbol's owner from its history, no activation) and
 * answers the reply's points as a JSON array, oldest first.
 */
final class AnalysisApi {
  private final EventBus bus;
  private final DeliveryOptions options;

  AnalysisApi(EventBus bus, DeliveryOptions options) {
    this.bus = bus;
    this.options = options;
  }

  void mount(Router router) {
    for (AnalysisQuery.Resource r : AnalysisQuery.Resource.values()) {
      router.get(r.path).handler(rc -> query(rc, r));
    }
  }

  /**
   * GET /api/indicators|patterns|risk?… → 200 [point, …] oldest first; 400 bad parameter, 404
   * unknown symbol, 429 the owner's series cap, 503 no owner reachable.
   */
  void query(RoutingContext rc, AnalysisQuery.Resource resource) {
    Map<String, List<String>> params = new LinkedHashMap<>();
    for (String name : rc.queryParams().names()) {
      params.put(name, rc.queryParams().getAll(name));
    }
    AnalysisQuery.Result r = AnalysisQuery.parse(resource, params);
    if (r instanceof AnalysisQuery.Bad bad) {
      error(rc, 400, bad.error());
      return;
    }
    AnalysisQuery.Ok ok = (AnalysisQuery.Ok) r;
    bus.request(Addresses.ANALYSIS, ok.request(), options)
        .onComplete(
            ar -> {
              if (ar.failed()) {
                failed(rc, ar.cause());
                return;
              }
              JsonArray points = AnalysisQuery.pointsOf(ar.result().body(), ok.limit());
              if (points == null) {
                error(rc, 502, "analysis returned a malformed reply");
                return;
              }
              send(rc, 200, points.toBuffer());
            });
  }

  /** The owner's 429 (series cap) as is; the rest as every bus-backed resource maps it. */
  private static void failed(RoutingContext rc, Throwable err) {
    if (err instanceof ReplyException re
        && re.failureType() == ReplyFailure.RECIPIENT_FAILURE
        && re.failureCode() == 429) {
      error(rc, 429, String.valueOf(re.getMessage()));
      return;
    }
    BusErrors.HttpError e = BusErrors.toHttp(err, "analysis unavailable");
    error(rc, e.status(), e.error());
  }
}
