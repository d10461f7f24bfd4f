package candlecast.gateway;

import candlecast.common.analysis.AnalysisSpec;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;

/**
 * One live update of an analysis series as {@link AnalysisHub} hands it to every holder: one point
 * of a bus message ({@link #split}; shared: must not be modified) plus its JSON {@code /ws} frame,
 * encoded once per update per node by the first subscriber that asks ({@link #update()}) and the
 * same bytes (and WebSocket frame) written to all.
 */
final class AnalysisUpdate extends JsonObject {
  private final String channel;
  private Update update;

  AnalysisUpdate(JsonObject body, String channel) {
    super(body.getMap());
    this.channel = channel;
  }

  /**
   * The per-point updates of an owner's message (one per series per fold batch): of {@code
   * {"symbol","tf","key","points":[point, …]}} one {@code {"symbol","tf","key",<point>}} per point;
   * of {@code {"symbol","tf","key","patterns":[detection, …]}} one {@code
   * {"symbol","tf","key","t","closed":true,"patterns":[…]}} per window with detections (a detection
   * without a numeric {@code t} is skipped). In message order; empty for any other body.
   */
  static List<JsonObject> split(JsonObject body) {
    if (body.getValue("points") instanceof JsonArray points) {
      List<JsonObject> out = new ArrayList<>(points.size());
      for (Object o : points) {
        if (o instanceof JsonObject p) {
          JsonObject u = header(body);
          for (String k : p.fieldNames()) {
            u.put(k, p.getValue(k));
          }
          out.add(u);
        }
      }
      return out;
    }
    if (body.getValue("patterns") instanceof JsonArray found) {
      return byWindow(body, found);
    }
    return List.of();
  }

  private static List<JsonObject> byWindow(JsonObject body, JsonArray found) {
    List<JsonObject> out = new ArrayList<>(2);
    JsonArray window = null;
    long windowT = 0;
    for (Object o : found) {
      if (!(o instanceof JsonObject d) || !(d.getValue("t") instanceof Number n)) {
        continue;
      }
      if (window == null || n.longValue() != windowT) {
        windowT = n.longValue();
        window = new JsonArray();
        out.add(header(body).put("t", windowT).put("closed", true).put("patterns", window));
      }
      window.add(d);
    }
    return out;
  }

  private static JsonObject header(JsonObject body) {
    return new JsonObject()
        .put("symbol", body.getValue("symbol"))
        .put("tf", body.getValue("tf"))
        .put("key", body.getValue("key"));
  }

  /**
   * The JSON {@code /ws} channel of a spec: {@code indicator}, {@code patterns} or {@code risk}.
   */
  static String channel(AnalysisSpec spec) {
    return switch (spec.kind()) {
      case PATTERNS -> JsonCommandParser.CHANNEL_PATTERNS;
      case RISK -> JsonCommandParser.CHANNEL_RISK;
      default -> JsonCommandParser.CHANNEL_INDICATOR;
    };
  }

  /**
   * The JSON {@code /ws} update {@code {"type":<channel>,"symbol","tf","key",<point fields>}},
   * encoded once.
   */
  synchronized Update update() {
    if (update == null) {
      JsonObject f = new JsonObject().put("type", channel);
      for (String k : fieldNames()) {
        f.put(k, getValue(k));
      }
      Buffer frame = f.toBuffer();
      Object t = getValue("t");
      long time = t instanceof Number n ? n.longValue() : 0;
      update = new Update(frame, time, 0, getBoolean("closed", true));
    }
    return update;
  }

  @Override
  public boolean equals(Object o) {
    return super.equals(o);
  }

  @Override
  public int hashCode() {
    return super.hashCode();
  }
}
