package candlecast.gateway;

import candlecast.common.Timeframe;
import candlecast.common.analysis.AnalysisSpec;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;

/**
 * The {@code data} message of the analysis stream ({@code /ws/analysis}, the seed stream service's
 * analysis endpoint; docs/PROTOCOL.md), composed from the newest point of each series of the {@link
 * #DEFAULT_SET} and the newest detections. Pure.
 *
 * <pre>
 * {"type":"data","symbol":"BTC-USD","timestamp":"…Z","data":{
 *   "technical_indicators":{"sma_20","sma_50","ema_12","ema_26","rsi_14",
 *     "macd":{"macd","signal","histogram"},"bollinger_bands":{"upper","middle","lower"},"atr_14",
 *     "stochastic":{"k","d"},"vwap","obv"},
 *   "patterns":[detection, … newest first, at most 10],
 *   "risk_metrics":{"volatility","max_drawdown","return","window":30},
 *   "timeframe":"1m","candle_time":"…Z"}}
 * </pre>
 *
 * A value not defined yet is left out (never null); a group ({@code macd}, …) with no value is left
 * out as a whole.
 */
final class AnalysisFrames {
  /** The series one {@code /ws/analysis} subscription holds, in this order (see the indexes). */
  static final List<AnalysisSpec> DEFAULT_SET =
      List.of(
          AnalysisSpec.fromKey("sma:20"),
          AnalysisSpec.fromKey("sma:50"),
          AnalysisSpec.fromKey("ema:12"),
          AnalysisSpec.fromKey("ema:26"),
          AnalysisSpec.fromKey("rsi:14"),
          AnalysisSpec.fromKey("macd:12:26:9"),
          AnalysisSpec.fromKey("bb:20:2"),
          AnalysisSpec.fromKey("atr:14"),
          AnalysisSpec.fromKey("stoch:14:3"),
          AnalysisSpec.fromKey("vwap"),
          AnalysisSpec.fromKey("obv"),
          AnalysisSpec.fromKey("patterns:20"),
          AnalysisSpec.fromKey("risk:30"));

  static final int PATTERNS = 11;
  static final int RISK = 12;

  /** Detections a {@code data} message carries, newest first. */
  static final int MAX_DETECTIONS = 10;

  /** The single-value indicators: their name in {@code technical_indicators} and index. */
  private static final String[] SINGLE = {"sma_20", "sma_50", "ema_12", "ema_26", "rsi_14"};

  private AnalysisFrames() {}

  /**
   * The {@code data} object's JSON text, or null when no series has a point yet.
   *
   * @param latest the newest point of each series of {@link #DEFAULT_SET} (null: none yet; the
   *     patterns slot unused)
   * @param detections the newest detections, newest first
   */
  static String data(JsonObject[] latest, List<JsonObject> detections, Timeframe tf) {
    long candle = Long.MIN_VALUE;
    for (int i = 0; i < latest.length; i++) {
      if (latest[i] != null && latest[i].getValue("t") instanceof Number n) {
        candle = Math.max(candle, n.longValue());
      }
    }
    if (!detections.isEmpty() && detections.get(0).getValue("t") instanceof Number n) {
      candle = Math.max(candle, n.longValue());
    }
    if (candle == Long.MIN_VALUE) {
      return null;
    }
    JsonObject ti = new JsonObject();
    for (int i = 0; i < SINGLE.length; i++) {
      value(ti, SINGLE[i], latest[i], "value");
    }
    group(ti, "macd", latest[5], "macd", "macd", "signal", "signal", "histogram", "hist");
    group(ti, "bollinger_bands", latest[6], "upper", "upper", "middle", "middle", "lower", "lower");
    value(ti, "atr_14", latest[7], "value");
    group(ti, "stochastic", latest[8], "k", "k", "d", "d");
    value(ti, "vwap", latest[9], "value");
    value(ti, "obv", latest[10], "value");
    JsonObject risk = new JsonObject();
    value(risk, "volatility", latest[RISK], "volatility");
    value(risk, "max_drawdown", latest[RISK], "max_drawdown");
    value(risk, "return", latest[RISK], "return");
    risk.put("window", DEFAULT_SET.get(RISK).intParam("window"));
    return new JsonObject()
        .put("technical_indicators", ti)
        .put("patterns", new JsonArray(new java.util.ArrayList<Object>(detections)))
        .put("risk_metrics", risk)
        .put("timeframe", tf.label())
        .put("candle_time", IsoTime.format(candle))
        .encode();
  }

  /**
   * The whole frame for subscribers that wrote the symbol as {@code spelling} (letters, digits and
   * dashes: no escaping needed); an open update, so a congested client keeps only the newest.
   */
  static Update frame(String spelling, long nowMs, String data, long candleTime) {
    StringBuilder sb = new StringBuilder(64 + data.length());
    sb.append("{\"type\":\"data\",\"symbol\":\"").append(spelling).append("\",\"timestamp\":\"");
    IsoTime.append(sb, nowMs).append("\",\"data\":").append(data).append('}');
    Buffer b = Buffer.buffer(sb.toString());
    return new Update(b, Frames.wire(b), candleTime, 0, false);
  }

  private static void value(JsonObject into, String name, JsonObject point, String field) {
    if (point != null && point.getValue(field) instanceof Number n && finite(n)) {
      into.put(name, n);
    }
  }

  /** {@code pairs}: (name in the message, field of the point)… */
  private static void group(JsonObject into, String name, JsonObject point, String... pairs) {
    JsonObject g = new JsonObject();
    for (int i = 0; i < pairs.length; i += 2) {
      value(g, pairs[i], point, pairs[i + 1]);
    }
    if (!g.isEmpty()) {
      into.put(name, g);
    }
  }

  private static boolean finite(Number n) {
    return !(n instanceof Double d) || Double.isFinite(d);
  }
}
