package candlecast.gateway;

import candlecast.common.analysis.AnalysisSpec;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;

/**
 * One live update of an analysis series as {@link AnalysisHub} hands it to every holder: the bus
 * body (shared: must not be modified) plus its JSON {@code /ws} frame, encoded once per update per
 * node by the first subscriber that asks ({@link #update()}) and the same bytes (and WebSocket
 * frame) written to all.
 */
final class AnalysisUpdate extends JsonObject {
  private final String channel;
  private Update update;

  AnalysisUpdate(JsonObject body, String channel) {
    super(body.getMap());
    this.channel = channel;
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
