package candlecast.gateway;

import static candlecast.gateway.RestApi.send;

import candlecast.common.Addresses;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;

/**
 * The alert resources (issue 17), each a request to {@code candlecast.alerts} on behalf of the
 * request's owner ({@link #owner}):
 *
 * <ul>
 *   <li>{@code POST /api/alerts} (body: the definition) → 201 the record;
 *   <li>{@code GET /api/alerts?symbol=&state=} → {@code {"alerts":[…]}};
 *   <li>{@code GET /api/alerts/fires?since=&limit=} → {@code {"fires":[…]}};
 *   <li>{@code GET /api/alerts/:id} → {@code {"alert","fires"}};
 *   <li>{@code GET /api/alerts/:id/deliveries} → the webhook delivery log;
 *   <li>{@code DELETE /api/alerts/:id} → {@code {"id","deleted":true}}.
 * </ul>
 *
 * Errors: {@code {"error":code,"message"}} with the status of {@link AlertErrors}.
 */
final class AlertsApi {
  static final String HEADER = OwnerIdentity.HEADER;
  static final int MAX_BODY_BYTES = 16 * 1024;

  private final EventBus bus;
  private final DeliveryOptions options;

  AlertsApi(EventBus bus, DeliveryOptions options) {
    this.bus = bus;
    this.options = options;
  }

  void mount(Router router) {
    router
        .post("/api/alerts")
        .handler(BodyHandler.create().setBodyLimit(MAX_BODY_BYTES))
        .handler(this::create);
    router.get("/api/alerts").handler(this::list);
    router.get("/api/alerts/fires").handler(this::fires);
    router.get("/api/alerts/:id").handler(this::get);
    router.get("/api/alerts/:id/deliveries").handler(this::deliveries);
    router.delete("/api/alerts/:id").handler(this::delete);
  }

  /**
   * The request's owner: the JWT's subject with authentication on, else the header {@code
   * X-Candlecast-Owner}, else the query's {@code owner}, else {@code default}.
   */
  static String owner(RoutingContext rc) {
    String supplied = rc.request().getHeader(HEADER);
    if (supplied == null) {
      supplied = rc.request().getParam("owner");
    }
    return OwnerIdentity.resolve(rc.user(), supplied);
  }

  void create(RoutingContext rc) {
    JsonObject alert;
    try {
      Object v = io.vertx.core.json.Json.decodeValue(rc.body().buffer());
      if (!(v instanceof JsonObject o)) {
        fail(
            rc,
            new AlertErrors.AlertError(
                400, AlertErrors.BAD_ALERT, "the body must be a JSON object"));
        return;
      }
      alert = o;
    } catch (RuntimeException e) {
      fail(
          rc,
          new AlertErrors.AlertError(
              400,
              AlertErrors.BAD_ALERT,
              "malformed JSON body: " + CommandParser.echo(String.valueOf(e.getMessage()))));
      return;
    }
    ask(rc, new JsonObject().put("op", "create").put("alert", alert), 201);
  }

  void list(RoutingContext rc) {
    JsonObject req = new JsonObject().put("op", "list");
    copyParam(rc, req, "symbol");
    copyParam(rc, req, "state");
    ask(rc, req, 200);
  }

  void fires(RoutingContext rc) {
    JsonObject req = new JsonObject().put("op", "fires");
    if (!numberParam(rc, req, "since", 0, Long.MAX_VALUE)
        || !numberParam(rc, req, "limit", 1, 500)) {
      return;
    }
    if (!req.containsKey("since")) {
      req.put("since", 0L);
    }
    ask(rc, req, 200);
  }

  void get(RoutingContext rc) {
    ask(rc, new JsonObject().put("op", "get").put("id", rc.pathParam("id")), 200);
  }

  void deliveries(RoutingContext rc) {
    ask(rc, new JsonObject().put("op", "deliveries").put("id", rc.pathParam("id")), 200);
  }

  void delete(RoutingContext rc) {
    ask(rc, new JsonObject().put("op", "delete").put("id", rc.pathParam("id")), 200);
  }

  /** Adds the owner, asks the alert service and answers its reply with {@code status}. */
  private void ask(RoutingContext rc, JsonObject request, int status) {
    try {
      request.put("owner", owner(rc));
    } catch (IllegalArgumentException e) {
      fail(rc, AlertErrors.of(e));
      return;
    }
    bus.<Object>request(Addresses.ALERTS, request, options)
        .onComplete(
            ar -> {
              if (ar.failed()) {
                fail(rc, AlertErrors.of(ar.cause()));
              } else if (ar.result().body() instanceof JsonObject body) {
                send(rc, status, AlertRecords.redact(body).toBuffer());
              } else {
                fail(
                    rc,
                    new AlertErrors.AlertError(
                        502, AlertErrors.UNAVAILABLE, "the alert service sent a malformed reply"));
              }
            });
  }

  private static void copyParam(RoutingContext rc, JsonObject req, String name) {
    String v = rc.request().getParam(name);
    if (v != null) {
      req.put(name, v);
    }
  }

  /** A whole-number query parameter in [min, max]; false (and a 400 answered) when bad. */
  private static boolean numberParam(
      RoutingContext rc, JsonObject req, String name, long min, long max) {
    String v = rc.request().getParam(name);
    if (v == null) {
      return true;
    }
    try {
      long n = Long.parseLong(v.trim());
      if (n >= min && n <= max) {
        req.put(name, n);
        return true;
      }
    } catch (NumberFormatException e) {
      // answered below
    }
    fail(
        rc,
        new AlertErrors.AlertError(
            400,
            AlertErrors.BAD_ALERT,
            "'"
                + name
                + "' must be a whole number between "
                + min
                + " and "
                + max
                + ", was '"
                + CommandParser.echo(v)
                + "'"));
    return false;
  }

  static void fail(RoutingContext rc, AlertErrors.AlertError e) {
    send(rc, e.status(), e.restBody().toBuffer());
  }
}
