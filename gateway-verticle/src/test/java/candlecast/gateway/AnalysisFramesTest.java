package candlecast.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import candlecast.common.Timeframe;
import candlecast.common.analysis.AnalysisSpec;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The {@code /ws/analysis} data message, composed from the newest point of each series. */
class AnalysisFramesTest {
  private static final long T = 1_700_000_040_000L;

  @Test
  void theDefaultSetIsTheSeedsIndicatorsInTheirCanonicalKeys() {
    assertThat(AnalysisFrames.DEFAULT_SET.stream().map(AnalysisSpec::key))
        .containsExactly(
            "sma:20",
            "sma:50",
            "ema:12",
            "ema:26",
            "rsi:14",
            "macd:12:26:9",
            "bb:20:2",
            "atr:14",
            "stoch:14:3",
            "vwap",
            "obv",
            "patterns:20",
            "risk:30");
  }

  /** A point of each series with random values, as the owner publishes them. */
  private static JsonObject[] points(Random r) {
    JsonObject[] latest = new JsonObject[AnalysisFrames.DEFAULT_SET.size()];
    for (int i = 0; i < latest.length; i++) {
      if (i == AnalysisFrames.PATTERNS) {
        continue;
      }
      AnalysisSpec s = AnalysisFrames.DEFAULT_SET.get(i);
      JsonObject p =
          new JsonObject()
              .put("symbol", "BTCUSD")
              .put("tf", "1m")
              .put("key", s.key())
              .put("t", T - r.nextInt(3) * 60_000L)
              .put("closed", false);
      for (String f : s.fields()) {
        p.put(f, r.nextDouble() * 100);
      }
      latest[i] = p;
    }
    return latest;
  }

  @Test
  void everyValueLandsUnderItsSeedName() {
    JsonObject[] latest = points(new Random(16));
    List<JsonObject> detections =
        List.of(
            new JsonObject().put("t", T).put("pattern", "doji").put("direction", "neutral"),
            new JsonObject()
                .put("t", T - 60_000L)
                .put("pattern", "hammer")
                .put("direction", "bullish"));
    JsonObject data = new JsonObject(AnalysisFrames.data(latest, detections, Timeframe.M1));
    JsonObject ti = data.getJsonObject("technical_indicators");
    String[] singles = {"sma_20", "sma_50", "ema_12", "ema_26", "rsi_14"};
    for (int i = 0; i < singles.length; i++) {
      assertThat(ti.getDouble(singles[i])).isEqualTo(latest[i].getDouble("value"));
    }
    assertThat(ti.getJsonObject("macd"))
        .isEqualTo(
            new JsonObject()
                .put("macd", latest[5].getDouble("macd"))
                .put("signal", latest[5].getDouble("signal"))
                .put("histogram", latest[5].getDouble("hist")));
    assertThat(ti.getJsonObject("bollinger_bands"))
        .isEqualTo(
            new JsonObject()
                .put("upper", latest[6].getDouble("upper"))
                .put("middle", latest[6].getDouble("middle"))
                .put("lower", latest[6].getDouble("lower")));
    assertThat(ti.getDouble("atr_14")).isEqualTo(latest[7].getDouble("value"));
    assertThat(ti.getJsonObject("stochastic"))
        .isEqualTo(
            new JsonObject().put("k", latest[8].getDouble("k")).put("d", latest[8].getDouble("d")));
    assertThat(ti.getDouble("vwap")).isEqualTo(latest[9].getDouble("value"));
    assertThat(ti.getDouble("obv")).isEqualTo(latest[10].getDouble("value"));
    assertThat(ti.fieldNames()).hasSize(11);
    assertThat(data.getJsonArray("patterns")).isEqualTo(new JsonArray(List.copyOf(detections)));
    JsonObject risk = data.getJsonObject("risk_metrics");
    assertThat(risk)
        .isEqualTo(
            new JsonObject()
                .put("volatility", latest[12].getDouble("volatility"))
                .put("max_drawdown", latest[12].getDouble("max_drawdown"))
                .put("return", latest[12].getDouble("return"))
                .put("window", 30));
    assertThat(data.getString("timeframe")).isEqualTo("1m");
    long newest = Long.MIN_VALUE;
    for (JsonObject p : latest) {
      newest = p == null ? newest : Math.max(newest, p.getLong("t"));
    }
    assertThat(Instant.parse(data.getString("candle_time")).toEpochMilli()).isEqualTo(newest);
  }

  @Test
  void undefinedValuesAreLeftOutNeverNull() {
    JsonObject[] latest = new JsonObject[AnalysisFrames.DEFAULT_SET.size()];
    assertThat(AnalysisFrames.data(latest, List.of(), Timeframe.H1))
        .as("nothing defined: no message")
        .isNull();
    latest[0] = new JsonObject().put("t", T).put("closed", true).put("value", 42.5);
    latest[8] = new JsonObject().put("t", T).put("closed", true).put("k", 12.0);
    String text = AnalysisFrames.data(latest, List.of(), Timeframe.H1);
    assertThat(text).doesNotContain("null");
    JsonObject data = new JsonObject(text);
    assertThat(data.getJsonObject("technical_indicators"))
        .isEqualTo(
            new JsonObject()
                .put("sma_20", 42.5)
                .put("stochastic", new JsonObject().put("k", 12.0)));
    assertThat(data.getJsonArray("patterns")).isEmpty();
    assertThat(data.getJsonObject("risk_metrics")).isEqualTo(new JsonObject().put("window", 30));
    assertThat(data.getString("timeframe")).isEqualTo("1h");
  }

  @Test
  void theFrameIsTheSeedsDataMessage() {
    JsonObject[] latest = points(new Random(3));
    String data = AnalysisFrames.data(latest, List.of(), Timeframe.M5);
    Update u = AnalysisFrames.frame("btc-usd", T + 1234, data, T);
    JsonObject frame = new JsonObject(u.frame().toString());
    assertThat(frame.fieldNames()).containsExactly("type", "symbol", "timestamp", "data");
    assertThat(frame.getString("type")).isEqualTo("data");
    assertThat(frame.getString("symbol")).isEqualTo("btc-usd");
    assertThat(frame.getString("timestamp")).isEqualTo(Instant.ofEpochMilli(T + 1234).toString());
    assertThat(frame.getJsonObject("data")).isEqualTo(new JsonObject(data));
    assertThat(u.closed()).as("a congested client keeps only the newest").isFalse();
    assertThat(u.time()).isEqualTo(T);
  }
}
