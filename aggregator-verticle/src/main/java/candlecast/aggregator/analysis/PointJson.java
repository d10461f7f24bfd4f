package candlecast.aggregator.analysis;

import candlecast.common.analysis.AnalysisSpec;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** The JSON shapes of analysis points, updates and replies (docs/PROTOCOL.md). */
final class PointJson {
  private PointJson() {}

  /** {@code {"t","closed",<fields>}}. */
  static JsonObject point(long t, boolean closed, List<String> fields, double[] out) {
    return fieldsInto(new JsonObject().put("t", t).put("closed", closed), fields, out);
  }

  /** A batch's live update: {@code {"symbol","tf","key","points":[…]}} (a copy of the list). */
  static JsonObject update(String symbol, String tf, String key, List<JsonObject> points) {
    return header(symbol, tf, key).put("points", new JsonArray(new ArrayList<>(points)));
  }

  /** A batch's live pattern update: {@code {"symbol","tf","key","patterns":[…]}} (a copy). */
  static JsonObject patterns(String symbol, String tf, String key, List<JsonObject> detections) {
    return header(symbol, tf, key).put("patterns", new JsonArray(new ArrayList<>(detections)));
  }

  private static JsonObject header(String symbol, String tf, String key) {
    return new JsonObject().put("symbol", symbol).put("tf", tf).put("key", key);
  }

  /** A detection as a point: the detection with {@code "closed":true}. */
  static JsonObject detection(JsonObject d) {
    return d.put("closed", true);
  }

  private static JsonObject fieldsInto(JsonObject j, List<String> fields, double[] out) {
    for (int k = 0; k < fields.size(); k++) {
      j.put(fields.get(k), out[k]);
    }
    return j;
  }

  /** {@code {"symbol","tf","name","key","params","fields","points"}}. */
  static JsonObject reply(AnalysisRequest r, List<JsonObject> points) {
    AnalysisSpec spec = r.spec();
    JsonObject params = new JsonObject();
    for (Map.Entry<String, Double> e : spec.params().entrySet()) {
      double d = e.getValue();
      if (d == Math.rint(d) && Math.abs(d) < 1e15) {
        params.put(e.getKey(), (long) d);
      } else {
        params.put(e.getKey(), d);
      }
    }
    return new JsonObject()
        .put("symbol", r.symbol())
        .put("tf", r.tf().label())
        .put("name", spec.kind().wire())
        .put("key", spec.key())
        .put("params", params)
        .put("fields", new JsonArray(new ArrayList<>(spec.fields())))
        .put("points", new JsonArray(new ArrayList<>(points)));
  }
}
