package candlecast.gateway;

import candlecast.common.analysis.AnalysisSpec;
import io.vertx.core.json.JsonObject;

/** The JSON {@code /ws} frames of the analysis channels (issue 16; docs/PROTOCOL.md). Pure. */
final class AnalysisFrames {
  private AnalysisFrames() {}

  /**
   * What names a subscription: {@code channel, symbol, tf, name, key, params} (also {@code list}).
   */
  static JsonObject describe(String channel, AnalysisKey key, AnalysisSpec spec) {
    return new JsonObject()
        .put("channel", channel)
        .put("symbol", key.symbol())
        .put("tf", key.tf().label())
        .put("name", spec.kind().wire())
        .put("key", spec.key())
        .put("params", AnalysisHub.paramsJson(spec));
  }

  /** {@code {"type":"subscription","status":..,"channel",…,"id"?}}. */
  static JsonObject subscription(
      String status, String channel, AnalysisKey key, AnalysisSpec spec, Object id) {
    JsonObject j = new JsonObject().put("type", "subscription").put("status", status);
    j.mergeIn(describe(channel, key, spec));
    return putId(j, id);
  }

  /**
   * {@code {"type":"snapshot","channel","symbol","tf","key","name","fields","points":[…],"id"?}}
   * from the owner's open reply.
   */
  static JsonObject snapshot(String channel, AnalysisKey key, JsonObject reply, Object id) {
    JsonObject j =
        new JsonObject()
            .put("type", "snapshot")
            .put("channel", channel)
            .put("symbol", key.symbol())
            .put("tf", key.tf().label())
            .put("key", key.key())
            .put("name", reply.getValue("name"))
            .put("fields", reply.getValue("fields"))
            .put("points", reply.getValue("points"));
    return putId(j, id);
  }

  private static JsonObject putId(JsonObject j, Object id) {
    return id == null ? j : j.put("id", id);
  }
}
