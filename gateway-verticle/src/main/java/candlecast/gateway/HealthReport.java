package candlecast.gateway;

import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Map;

/** Builds the {@code /health} document from the components' replies. Pure. */
public final class HealthReport {
  /** Components are asked at {@code candlecast.health.<component>}. */
  public static final String ADDRESS_PREFIX = "candlecast.health.";

  /** The components the gateway asks, in report order. */
  public static final List<String> COMPONENTS = List.of("feed", "aggregator");

  public static final String UP = "UP";
  public static final String DOWN = "DOWN";

  private HealthReport() {}

  public static String address(String component) {
    return ADDRESS_PREFIX + component;
  }

  /**
   * A component's reply as its report entry: the reply's details, with a status that is exactly UP
   * or DOWN.
   */
  public static JsonObject component(Object replyBody) {
    if (!(replyBody instanceof JsonObject reply)) {
      return down("reply is not a JSON object");
    }
    Object status = reply.getValue("status");
    JsonObject out = reply.copy();
    if (UP.equals(status)) {
      return out;
    }
    if (!DOWN.equals(status)) {
      out.put("status", DOWN).put("error", "invalid status '" + status + "'");
    }
    return out;
  }

  public static JsonObject down(String reason) {
    return new JsonObject().put("status", DOWN).put("error", reason);
  }

  /** {"status":"UP"|"DOWN","components":{...}}: UP only when every component is UP. */
  public static JsonObject report(Map<String, JsonObject> components) {
    boolean up = true;
    JsonObject comps = new JsonObject();
    for (Map.Entry<String, JsonObject> e : components.entrySet()) {
      comps.put(e.getKey(), e.getValue());
      up &= UP.equals(e.getValue().getValue("status"));
    }
    return new JsonObject().put("status", up ? UP : DOWN).put("components", comps);
  }

  public static boolean isUp(JsonObject report) {
    return UP.equals(report.getString("status"));
  }
}
