package candlecast.gateway;

import static candlecast.gateway.RestApi.error;
import static candlecast.gateway.RestApi.send;

import candlecast.common.Addresses;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.Set;

/**
 * The replay controls over REST, forwarded to the feed leader ({@link Addresses#FEED_REPLAY}):
 * {@code GET /api/replay} (status, open to every client that passed the access checks), {@code POST
 * /api/replay/start|pause|reset} and {@code POST /api/replay/speed?x=<factor>|max} (operator-only,
 * {@link OperatorGuard}). The feed validates the command: 400 malformed, 409 not allowed now or the
 * running source is not a replay (the status then answers 200 {@code {"state":"none","reason"}});
 * 503 when no feed leader answers.
 */
final class ReplayApi {
  static final Set<String> OPS = Set.of("start", "pause", "reset", "speed");

  private final EventBus bus;
  private final DeliveryOptions delivery;

  ReplayApi(EventBus bus, DeliveryOptions delivery) {
    this.bus = bus;
    this.delivery = delivery;
  }

  void mount(Router router) {
    // A feed without a replay gives the status 200 {"state":"none"}: the page asks on every load,
    // and a browser logs every non-2xx answer as an error.
    router.get("/api/replay").handler(rc -> forward(rc, new JsonObject().put("op", "status")));
    router.post("/api/replay/:op").handler(OperatorGuard::check).handler(this::control);
  }

  /** POST /api/replay/{start|pause|reset|speed}: the command, then the status after it. */
  void control(RoutingContext rc) {
    String op = rc.pathParam("op");
    if (!OPS.contains(op)) {
      error(
          rc,
          404,
          "no such replay operation '"
              + CommandParser.echo(op)
              + "' (start, pause, reset or speed)");
      return;
    }
    JsonObject body = new JsonObject().put("op", op);
    String x = rc.request().getParam("x");
    if (x != null) {
      body.put("speed", x);
    }
    forward(rc, body);
  }

  private void forward(RoutingContext rc, JsonObject body) {
    bus.<JsonObject>request(Addresses.FEED_REPLAY, body, delivery)
        .onComplete(
            ar -> {
              if (ar.succeeded()) {
                send(rc, 200, ar.result().body().toBuffer());
                return;
              }
              if (ar.cause() instanceof ReplyException re
                  && re.failureType() == ReplyFailure.RECIPIENT_FAILURE
                  && (re.failureCode() == 400 || re.failureCode() == 409)) {
                if (re.failureCode() == 409 && "status".equals(body.getString("op"))) {
                  send(
                      rc,
                      200,
                      new JsonObject()
                          .put("state", "none")
                          .put("reason", String.valueOf(re.getMessage()))
                          .toBuffer());
                  return;
                }
                error(rc, re.failureCode(), String.valueOf(re.getMessage()));
                return;
              }
              BusErrors.HttpError e =
                  BusErrors.toHttp(ar.cause(), "no feed leader answers replay controls");
              error(rc, e.status(), e.error());
            });
  }
}
