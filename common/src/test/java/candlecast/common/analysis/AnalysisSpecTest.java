package candlecast.common.analysis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import candlecast.common.analysis.AnalysisSpec.Kind;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AnalysisSpecTest {
  @Test
  void defaultsOfEveryKind() {
    Map<String, String> keys = new HashMap<>();
    keys.put("sma", "sma:20");
    keys.put("ema", "ema:20");
    keys.put("wma", "wma:20");
    keys.put("rsi", "rsi:14");
    keys.put("macd", "macd:12:26:9");
    keys.put("bb", "bb:20:2");
    keys.put("atr", "atr:14");
    keys.put("stoch", "stoch:14:3");
    keys.put("vwap", "vwap");
    keys.put("obv", "obv");
    keys.put("patterns", "patterns:20");
    keys.put("risk", "risk:30");
    assertThat(keys).hasSize(Kind.values().length);
    keys.forEach(
        (name, key) -> assertThat(AnalysisSpec.parse(name, Map.of()).key()).isEqualTo(key));
    assertThat(AnalysisSpec.parse("macd", null).params())
        .containsExactly(
            Map.entry("fast", 12.0), Map.entry("slow", 26.0), Map.entry("signal", 9.0));
    assertThat(AnalysisSpec.parse("bb", Map.of()).fields())
        .containsExactly("upper", "middle", "lower");
    assertThat(AnalysisSpec.parse("stoch", Map.of()).fields()).containsExactly("k", "d");
    assertThat(AnalysisSpec.parse("risk", Map.of()).fields())
        .containsExactly("volatility", "max_drawdown", "return");
  }

  @Test
  void aliasesCaseAndStringParameters() {
    assertThat(AnalysisSpec.parse("Bollinger", Map.of("Period", "10")).key()).isEqualTo("bb:10:2");
    assertThat(AnalysisSpec.parse("bbands", Map.of("mult", 2.5)).key()).isEqualTo("bb:20:2.5");
    assertThat(AnalysisSpec.parse(" STOCHASTIC ", Map.of("k", 5)).key()).isEqualTo("stoch:5:3");
    assertThat(AnalysisSpec.parse("rsi", Map.of("period", " 7 ")).key()).isEqualTo("rsi:7");
    assertThat(AnalysisSpec.parse("ema", Map.of("period", 9.0)).intParam("period")).isEqualTo(9);
  }

  @Test
  void unknownNameOrParameterIsRefusedWithTheKnownOnes() {
    assertThatThrownBy(() -> AnalysisSpec.parse("ichimoku", Map.of()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("unknown indicator 'ichimoku'")
        .hasMessageContaining("sma, ema");
    assertThatThrownBy(() -> AnalysisSpec.parse(null, Map.of()))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> AnalysisSpec.parse("rsi", Map.of("length", 14)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("unknown parameter 'length' for rsi (parameters: period)");
    assertThatThrownBy(() -> AnalysisSpec.parse("vwap", Map.of("period", 14)))
        .hasMessageContaining("(parameters: none)");
  }

  @Test
  void periodsMustBeIntegersFrom1To500() {
    for (Object bad : List.of(0, 501, -3, 2.5, "14.5", 1e9)) {
      assertThatThrownBy(() -> AnalysisSpec.parse("sma", Map.of("period", bad)))
          .as("period %s", bad)
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("sma parameter 'period' must be an integer from 1 to 500");
    }
    assertThatThrownBy(() -> AnalysisSpec.parse("sma", Map.of("period", "abc")))
        .hasMessage("sma parameter 'period' must be a number, got 'abc'");
    assertThatThrownBy(() -> AnalysisSpec.parse("sma", Map.of("period", Double.NaN)))
        .hasMessage("sma parameter 'period' must be finite");
    assertThatThrownBy(() -> AnalysisSpec.parse("sma", Map.of("period", List.of(1))))
        .hasMessage("sma parameter 'period' must be a number");
    assertThat(AnalysisSpec.parse("sma", Map.of("period", 1)).key()).isEqualTo("sma:1");
    assertThat(AnalysisSpec.parse("sma", Map.of("period", 500)).key()).isEqualTo("sma:500");
    assertThatThrownBy(() -> AnalysisSpec.parse("risk", Map.of("window", 1)))
        .hasMessageContaining("must be an integer from 2 to 500");
  }

  @Test
  void multMustBeInZeroToTen() {
    for (Object bad : List.of(0, -1, 10.5, "0")) {
      assertThatThrownBy(() -> AnalysisSpec.parse("bb", Map.of("mult", bad)))
          .as("mult %s", bad)
          .hasMessage("bb parameter 'mult' must be in (0, 10]");
    }
    assertThat(AnalysisSpec.parse("bb", Map.of("mult", 10)).key()).isEqualTo("bb:20:10");
    assertThat(AnalysisSpec.parse("bb", Map.of("mult", 0.1)).key()).isEqualTo("bb:20:0.1");
  }

  @Test
  void macdFastMustBeBelowSlow() {
    assertThatThrownBy(() -> AnalysisSpec.parse("macd", Map.of("fast", 26)))
        .hasMessage("macd parameter 'fast' must be below 'slow'");
    assertThatThrownBy(() -> AnalysisSpec.parse("macd", Map.of("fast", 30, "slow", 20)))
        .hasMessage("macd parameter 'fast' must be below 'slow'");
    assertThat(AnalysisSpec.parse("macd", Map.of("fast", 25)).key()).isEqualTo("macd:25:26:9");
  }

  @Test
  void keyRoundTrip() {
    for (String key :
        List.of(
            "sma:20",
            "ema:1",
            "wma:500",
            "rsi:14",
            "macd:12:26:9",
            "bb:20:2",
            "bb:10:1.5",
            "atr:14",
            "stoch:14:3",
            "vwap",
            "obv",
            "patterns:20",
            "risk:30")) {
      AnalysisSpec spec = AnalysisSpec.fromKey(key);
      assertThat(spec.key()).isEqualTo(key);
      assertThat(AnalysisSpec.parse(spec.kind().wire(), spec.params())).isEqualTo(spec);
    }
  }

  @Test
  void nonCanonicalOrMalformedKeysAreRefused() {
    for (String bad :
        List.of(
            "sma:20.0", "sma:020", "bb:20:2.0", "SMA:20", "bollinger:20:2", "stochastic:14:3")) {
      assertThatThrownBy(() -> AnalysisSpec.fromKey(bad))
          .as(bad)
          .isInstanceOf(IllegalArgumentException.class);
    }
    assertThatThrownBy(() -> AnalysisSpec.fromKey("sma:20.0"))
        .hasMessageContaining("not canonical");
    assertThatThrownBy(() -> AnalysisSpec.fromKey("sma"))
        .hasMessageContaining("needs 1 parameters");
    assertThatThrownBy(() -> AnalysisSpec.fromKey("macd:12:26")).hasMessageContaining("needs 3");
    assertThatThrownBy(() -> AnalysisSpec.fromKey("vwap:1")).hasMessageContaining("needs 0");
    assertThatThrownBy(() -> AnalysisSpec.fromKey("")).hasMessage("empty analysis key");
    assertThatThrownBy(() -> AnalysisSpec.fromKey(null)).hasMessage("empty analysis key");
    assertThatThrownBy(() -> AnalysisSpec.fromKey("sma:0")).hasMessageContaining("from 1 to 500");
    assertThatThrownBy(() -> AnalysisSpec.fromKey("foo:1"))
        .hasMessage("unknown analysis key 'foo:1'");
  }

  @Test
  void warmupAndLongestPeriod() {
    assertThat(AnalysisSpec.fromKey("rsi:14").warmup()).isEqualTo(1000);
    assertThat(AnalysisSpec.fromKey("sma:200").warmup()).isEqualTo(6000);
    assertThat(AnalysisSpec.fromKey("macd:12:26:9").longestPeriod()).isEqualTo(26);
    assertThat(AnalysisSpec.fromKey("bb:20:2").longestPeriod())
        .as("mult is no period")
        .isEqualTo(20);
    assertThat(AnalysisSpec.fromKey("vwap").longestPeriod()).isZero();
    assertThat(AnalysisSpec.fromKey("vwap").warmup()).isEqualTo(1000);
  }

  @Test
  void parameterAccessors() {
    AnalysisSpec bb = AnalysisSpec.fromKey("bb:10:1.5");
    assertThat(bb.param("mult")).isEqualTo(1.5);
    assertThatThrownBy(() -> bb.intParam("k")).hasMessage("bb has no parameter 'k'");
    assertThatThrownBy(() -> bb.param("k")).hasMessage("bb has no parameter 'k'");
    assertThat(Kind.byName("nope")).isNull();
    assertThat(Kind.byName(null)).isNull();
    assertThat(Kind.PATTERNS.isIndicator()).isFalse();
    assertThat(Kind.OBV.isIndicator()).isTrue();
  }
}
