package candlecast.gateway;

import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import java.util.function.LongSupplier;

/**
 * The portfolio over REST (issue 17, docs/PROTOCOL.md "Portfolio"), the owner by {@link
 * OwnerIdentity} (JWT {@code sub}; with auth off the {@code X-Candlecast-Owner} header, else the
 * {@code owner} query parameter, else {@code default}):
 *
 * <ul>
 *   <li>{@code GET /api/portfolio} → 200 {@code {"portfolio":record,"valuation":…}};
 *   <li>{@code PUT /api/portfolio} {@code {"positions":[…]}} replaces every position;
 *   <li>{@code PUT /api/portfolio/positions/:symbol} {@code {"quantity","avgCost"}} adds or
 *       replaces one;
 *   <li>{@code DELETE /api/portfolio/positions/:symbol} removes one (404 without it).
 * </ul>
 *
 * Writes answer like GET, with the record as stored. Errors: {@code {"error":<code>,"message":…}}
 * with 400 ({@code bad_request}, {@code bad_position}, {@code bad_owner}), 404 ({@code
 * unknown_symbol}, {@code not_found}) or 503 ({@code portfolio_unavailable}).
 */
final class PortfolioApi {
  private static final int MAX_BODY_BYTES = 256 * 1024;

  private final PortfolioRequests requests;
  private final PortfolioHub hub;
  private final LongSupplier clock;

  PortfolioApi(PortfolioRequests requests, PortfolioHub hub, LongSupplier clock) {
    this.requests = requests;
    this.hub = hub;
    this.clock = clock;
  }

  void mount(Router router) {
    BodyHandler body = BodyHandler.create().setBodyLimit(MAX_BODY_BYTES);
    router.get("/api/portfolio").handler(rc -> run(rc, new JsonObject().put("op", "get")));
    router.put("/api/portfolio").handler(body).handler(this::put);
    router.put("/api/portfolio/positions/:symbol").handler(body).handler(this::upsert);
    router
        .delete("/api/portfolio/positions/:symbol")
        .handler(
            rc ->
                run(
                    rc,
                    new JsonObject().put("op", "remove").put("symbol", rc.pathParam("symbol"))));
  }

  private void put(RoutingContext rc) {
    JsonObject b = body(rc);
    if (b != null) {
      run(rc, new JsonObject().put("op", "put").put("positions", b.getValue("positions")));
    }
  }

  private void upsert(RoutingContext rc) {
    JsonObject b = body(rc);
    if (b != null) {
      JsonObject position = b.copy().put("symbol", rc.pathParam("symbol"));
      run(rc, new JsonObject().put("op", "upsert").put("position", position));
    }
  }

  /** The JSON object body, or null after answering 400. */
  private static JsonObject body(RoutingContext rc) {
    try {
      Object v = rc.body().asJsonObject();
      if (v instanceof JsonObject j) {
        return j;
      }
    } catch (RuntimeException e) {
      error(
          rc,
          new PortfolioRequests.Failure(
              "bad_request",
              "the body is not JSON: " + CommandParser.echo(String.valueOf(e.getMessage())),
              400));
      return null;
    }
    error(rc, new PortfolioRequests.Failure("bad_request", "the body must be a JSON object", 400));
    return null;
  }

  private void run(RoutingContext rc, JsonObject request) {
    String owner;
    try {
      owner = owner(rc);
    } catch (IllegalArgumentException e) {
      error(
          rc,
          new PortfolioRequests.Failure(
              "bad_owner", e.getMessage().substring("bad_owner: ".length()), 400));
      return;
    }
    boolean write = !"get".equals(request.getString("op"));
    requests
        .ask(request.put("owner", owner))
        .compose(
            record -> {
              if (write) {
                hub.recordChanged(owner, record);
              }
              return requests
                  .value(record, clock.getAsLong())
                  .map(v -> new JsonObject().put("portfolio", record).put("valuation", v));
            })
        .onComplete(
            ar -> {
              if (ar.succeeded()) {
                RestApi.send(rc, 200, ar.result().toBuffer());
              } else {
                error(rc, PortfolioRequests.failure(ar.cause()));
              }
            });
  }

  /** The owner of a REST request ({@link OwnerIdentity}). */
  static String owner(RoutingContext rc) {
    String supplied = rc.request().getHeader(OwnerIdentity.HEADER);
    if (supplied == null) {
      supplied = rc.request().getParam("owner");
    }
    return OwnerIdentity.resolve(rc.user(), supplied);
  }

  private static void error(RoutingContext rc, PortfolioRequests.Failure f) {
    RestApi.send(
        rc,
        f.status(),
        new JsonObject().put("error", f.code()).put("message", f.message()).toBuffer());
  }
}
