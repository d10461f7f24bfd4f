package candlecast.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import candlecast.common.Timeframe;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

class UiConfigTest {
  @Test
  void builtInDefaultsAreValidAndCompletedFromSettings() {
    JsonObject j = UiConfig.parse(UiConfig.builtIn(), "built-in", "ETHUSD", Timeframe.M5);
    assertThat(j.getString("defaultSymbol")).isEqualTo("ETHUSD");
    assertThat(j.getString("defaultTf")).isEqualTo("5m");
    assertThat(j.getInteger("layout")).isEqualTo(1);
    assertThat(j.getString("theme")).isEqualTo("dark");
    assertThat(j.getJsonObject("themes").fieldNames()).containsExactlyInAnyOrder("dark", "light");
    assertThat(j.getJsonObject("themes").getJsonObject("light").fieldNames())
        .containsExactlyInAnyOrderElementsOf(UiConfig.COLOURS);
    assertThat(j.getJsonArray("indicators"))
        .isEqualTo(new JsonArray().add("sma:50").add("sma:200"));
    assertThat(j.getJsonArray("timeframes")).hasSize(9).contains("1w", "1M");
  }

  @Test
  void aFileMaySetTheDefaultSeries() {
    JsonObject doc =
        new JsonObject(UiConfig.builtIn())
            .put("defaultSymbol", "SOLUSD")
            .put("defaultTf", "1h")
            .put("layout", 4)
            .put("theme", "light");
    JsonObject j = UiConfig.parse(doc.encode(), "f", "BTCUSD", Timeframe.M1);
    assertThat(j.getString("defaultSymbol")).isEqualTo("SOLUSD");
    assertThat(j.getString("defaultTf")).isEqualTo("1h");
    assertThat(j.getInteger("layout")).isEqualTo(4);
  }

  @Test
  void badDocumentsNameTheProblem() {
    JsonObject base = new JsonObject(UiConfig.builtIn());
    assertBad("{not json", "not a JSON object");
    assertBad(base.copy().put("layout", 3).encode(), "layout must be 1, 2 or 4");
    assertBad(base.copy().put("theme", "neon").encode(), "theme must name one of the themes");
    assertBad(base.copy().put("defaultTf", "7m").encode(), "defaultTf");
    assertBad(base.copy().put("defaultSymbol", "btc-usd").encode(), "defaultSymbol");
    assertBad(base.copy().put("themes", new JsonObject()).encode(), "themes must be");
    JsonObject noUp = base.copy();
    noUp.getJsonObject("themes").getJsonObject("dark").remove("up");
    assertBad(noUp.encode(), "theme 'dark' needs colour 'up'");
    assertBad(
        base.copy().put("indicators", new JsonObject().put("sma50", "yes")).encode(),
        "indicator 'sma50'");
    assertBad(
        base.copy().put("indicators", new JsonArray().add("rsi:14.0")).encode(),
        "indicators: analysis key 'rsi:14.0' is not canonical");
    assertBad(
        base.copy().put("indicators", new JsonArray().add("foo:3")).encode(),
        "indicators: unknown analysis key 'foo:3'");
    assertBad(
        base.copy().put("indicators", new JsonArray().add("rsi:14").add("rsi:14")).encode(),
        "'rsi:14' is listed twice");
    assertBad(
        base.copy().put("indicators", new JsonArray().add(14)).encode(), "analysis key string");
    assertBad(base.copy().put("indicators", "rsi").encode(), "indicators must be a list");
  }

  @Test
  void theOlderIndicatorObjectIsStillAccepted() {
    JsonObject doc =
        new JsonObject(UiConfig.builtIn())
            .put("indicators", new JsonObject().put("sma50", true).put("sma200", false));
    JsonObject j = UiConfig.parse(doc.encode(), "f", "BTCUSD", Timeframe.M1);
    assertThat(j.getJsonObject("indicators").getBoolean("sma200")).isFalse();
  }

  private static void assertBad(String text, String message) {
    assertThatThrownBy(() -> UiConfig.parse(text, "in test.json", "BTCUSD", Timeframe.M1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("invalid UI configuration in test.json")
        .hasMessageContaining(message);
  }
}
