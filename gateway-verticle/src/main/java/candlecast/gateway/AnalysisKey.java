package candlecast.gateway;

import candlecast.common.Addresses;
import candlecast.common.DecodeException;
import candlecast.common.Timeframe;
import io.vertx.core.json.JsonObject;

/**
 * An analysis series a {@code /ws} connection subscribed to (issue 16): its updates come through
 * the node's {@link AnalysisHub}, not the instance's {@link SeriesHub}.
 *
 * @param key the canonical spec key ({@code rsi:14})
 */
public record AnalysisKey(String symbol, Timeframe tf, String key) implements StreamKey {
  @Override
  public String address() {
    return Addresses.analysis(symbol, tf, key);
  }

  /** The update of a body published on {@link #address()} (normally the hub's shared one). */
  @Override
  public Update toUpdate(Object body) {
    if (!(body instanceof JsonObject json) || !(json.getValue("t") instanceof Number)) {
      throw new DecodeException("analysis update without a numeric t");
    }
    String channel = AnalysisUpdate.channel(candlecast.common.analysis.AnalysisSpec.fromKey(key));
    return (json instanceof AnalysisUpdate u ? u : new AnalysisUpdate(json, channel)).update();
  }
}
