package candlecast.aggregator.analysis;

import io.vertx.core.json.JsonObject;
import java.util.List;

/** Turns the pattern set's detection mask ({@code out[0]}) into detection JSON objects. */
@FunctionalInterface
public interface Detections {
  /** {@link PatternSet#detections}: the pattern set's own JSON. */
  Detections PATTERN_SET = (mask, source) -> PatternSet.detections(mask, (PatternSet) source);

  /**
   * The detections of {@code mask}, found by {@code source} on the candle it committed last; empty
   * when the mask is 0.
   */
  List<JsonObject> of(int mask, Indicator source);
}
