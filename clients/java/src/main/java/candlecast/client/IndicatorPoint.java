package candlecast.client;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One point of an indicator, pattern or risk series.
 *
 * @param symbol canonical symbol
 * @param tf timeframe
 * @param key the series' canonical key ({@code rsi:14}, {@code patterns:20}, {@code risk:30})
 * @param t the window's open time, epoch ms
 * @param closed whether the window is final
 * @param values every numeric field of the point by name (an indicator line; macd, signal, hist; …)
 * @param raw the point as sent (patterns' detections etc.)
 */
public record IndicatorPoint(
    String symbol,
    String tf,
    String key,
    long t,
    boolean closed,
    Map<String, Double> values,
    JsonNode raw) {

  static IndicatorPoint fromWire(String symbol, String tf, String key, JsonNode n) {
    Map<String, Double> values = new LinkedHashMap<>();
    n.fields()
        .forEachRemaining(
            e -> {
              if (e.getValue().isNumber() && !"t".equals(e.getKey())) {
                values.put(e.getKey(), e.getValue().doubleValue());
              }
            });
    return new IndicatorPoint(
        symbol, tf, key, Json.lng(n, "t"), Json.bool(n, "closed"), Map.copyOf(values), n);
  }
}
