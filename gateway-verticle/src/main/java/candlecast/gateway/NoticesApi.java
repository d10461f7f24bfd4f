package candlecast.gateway;

import candlecast.common.Addresses;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;

/**
 * {@code POST /api/notices} (issue 17, operators only: {@link OperatorGuard}): validates the notice
 * ({@link Notices}), publishes it on {@code candlecast.notices} (every gateway node delivers it:
 * {@link NoticeRelay}) and answers 202 {@code {"notice":{…}}}; 400 {@code {"error":"bad_notice",
 * "message"}} when invalid.
 */
final class NoticesApi {
  static final int MAX_BODY_BYTES = 8 * 1024;
  private final EventBus bus;

  NoticesApi(EventBus bus) {
    this.bus = bus;
  }

  void mount(Router router) {
    router
        .post("/api/notices")
        .handler(BodyHandler.create().setBodyLimit(MAX_BODY_BYTES))
        .handler(OperatorGuard::check)
        .handler(this::post);
  }

  void post(RoutingContext rc) {
    Object body;
    try {
      body = io.vertx.core.json.Json.decodeValue(rc.body().buffer());
    } catch (RuntimeException e) {
      body = null;
    }
    Notices.Parsed p = Notices.parse(body, System.currentTimeMillis());
    if (p.notice() == null) {
      RestApi.send(
          rc,
          400,
          new JsonObject().put("error", "bad_notice").put("message", p.error()).toBuffer());
      return;
    }
    bus.publish(Addresses.NOTICES, p.notice());
    RestApi.send(rc, 202, new JsonObject().put("notice", p.notice()).toBuffer());
  }
}
