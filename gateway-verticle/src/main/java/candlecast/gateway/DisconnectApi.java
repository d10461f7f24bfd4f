package candlecast.gateway;

import io.vertx.core.eventbus.EventBus;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/**
 * {@code POST /api/connections/close} (issue 18, operators only: {@link OperatorGuard}): closes
 * every WebSocket connection of this gateway node (all five endpoints) with close code 1012
 * ("service restart") and the given reason, so that an operator can drain a node before a restart
 * and client libraries can be tested against a real server-side disconnect. Clients reconnect and
 * resume with {@code since}. Query parameter {@code reason} (at most 100 characters, default
 * "closed by operator"). Answers 202 {@code {"closing":true,"reason"}}; every gateway instance of
 * the node closes its own connections on its event loop.
 */
final class DisconnectApi {
  /** Node-local address every gateway instance listens on (a local consumer each). */
  static final String LOCAL = "candlecast.gateway.disconnect.local";

  static final short CODE = 1012;
  static final int MAX_REASON = 100;
  private final EventBus bus;

  DisconnectApi(EventBus bus) {
    this.bus = bus;
  }

  void mount(Router router) {
    router.post("/api/connections/close").handler(OperatorGuard::check).handler(this::post);
  }

  void post(RoutingContext rc) {
    String reason = rc.request().getParam("reason");
    if (reason == null || reason.isBlank()) {
      reason = "closed by operator";
    }
    if (reason.length() > MAX_REASON) {
      RestApi.error(rc, 400, "reason is longer than " + MAX_REASON + " characters");
      return;
    }
    bus.publish(LOCAL, reason);
    RestApi.send(rc, 202, new JsonObject().put("closing", true).put("reason", reason).toBuffer());
  }
}
