package candlecast.gateway;

import candlecast.common.analysis.AnalysisSpec;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;

/**
 * One live update of an analysis series as {@link AnalysisHub} hands it to every holder: the bus
 * body (shared: must not be modified) plus its JSON {@code /ws} frame, encoded once per update per
 * node by the first subscriber that asks ({@link #frame()}) and the same bytes written to all.
 */
final class AnalysisUpdate extends JsonObject {
  private final String channel;
  private Buffer frame;

  AnalysisUpdate(JsonObject body, String channel) {
    super(body.getMap());
    this.channel = channel;
  }

  /** The JSON {@code /ws} channel of a spec: {@code indicator}, {@code patterns} or {@code risk}. */
  static String channel(AnalysisSpec spec) {
    return switch (spec.kind()) {
      case PATTERNS -> JsonCommandParser.CHANNEL_PATTERNS;
      case RISK -> JsonCommandParser.CHANNEL_RISK;
      default -> JsonCommandParser.CHANNEL_INDICATOR;
    };
  }

  /** {@code {"type":<channel>,"symbol","tf","key",<point fields>}}, encoded once. */
  synchronized Buffer frame() {
    if (frame == null) {
      JsonObject f = new JsonObject().put("type", channel);
      for (String k : fieldNames()) {
        f.put(k, getValue(k));
      }
      frame = f.toBuffer();
    }
    return frame;
  }

  /** The frame of any update body (one the hub did not wrap). */
  static Buffer frame(JsonObject update, String channel) {
    return update instanceof AnalysisUpdate u
        ? u.frame()
        : new AnalysisUpdate(update, channel).frame();
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
