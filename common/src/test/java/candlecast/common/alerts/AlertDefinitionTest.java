package candlecast.common.alerts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import candlecast.common.Timeframe;
import io.vertx.core.json.JsonObject;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class AlertDefinitionTest {
  private static final long NOW = 1_767_200_000_000L;

  private static JsonObject def(String condition) {
    return new JsonObject("{\"symbol\":\"btc-usd\",\"condition\":" + condition + "}");
  }

  @Test
  void readsAFullDefinitionAndWritesItBack() {
    JsonObject in =
        new JsonObject(
            "{\"symbol\":\"btc-usd\",\"condition\":{\"kind\":\"price_above\",\"level\":50000},"
                + "\"mode\":\"rearm\",\"cooldownMs\":1000,\"expiresAt\":"
                + (NOW + 1)
                + ",\"webhook\":\"https://example.com/hook\",\"webhookSecret\":\"s3cret\",\"note\":\"tp\"}");
    AlertDefinition d = AlertDefinition.parse(in, NOW);
    assertThat(d.symbol()).isEqualTo("BTCUSD");
    assertThat(d.rearm()).isTrue();
    assertThat(d.cooldownMs()).isEqualTo(1000);
    assertThat(d.expiresAt()).isEqualTo(NOW + 1);
    assertThat(d.condition().level()).isEqualTo(50000.0);
    JsonObject out = d.toJson();
    assertThat(out.getString("mode")).isEqualTo("rearm");
    assertThat(out.getJsonObject("condition").getDouble("level")).isEqualTo(50000.0);
    assertThat(AlertDefinition.parse(out, NOW)).isEqualTo(d);
  }

  @Test
  void appliesTheDefaults() {
    AlertDefinition d =
        AlertDefinition.parse(def("{\"kind\":\"volume_spike\",\"tf\":\"1m\"}"), NOW);
    assertThat(d.rearm()).isFalse();
    assertThat(d.cooldownMs()).isEqualTo(AlertDefinition.DEFAULT_COOLDOWN_MS);
    assertThat(d.expiresAt()).isNull();
    assertThat(d.note()).isEmpty();
    assertThat(d.condition().n()).isEqualTo(20);
    assertThat(d.condition().k()).isEqualTo(3.0);
    assertThat(d.condition().tf()).isEqualTo(Timeframe.M1);
    AlertCondition rsi =
        AlertDefinition.parse(def("{\"kind\":\"rsi_below\",\"tf\":\"5m\",\"level\":30}"), NOW)
            .condition();
    assertThat(rsi.period()).isEqualTo(14);
    AlertCondition sma =
        AlertDefinition.parse(def("{\"kind\":\"sma_cross_above\",\"tf\":\"1h\"}"), NOW).condition();
    assertThat(sma.period()).isEqualTo(20);
    AlertCondition brk =
        AlertDefinition.parse(def("{\"kind\":\"breakout_low\",\"tf\":\"1s\"}"), NOW).condition();
    assertThat(brk.n()).isEqualTo(20);
  }

  @Test
  void acceptsMoveWindowsAsMillisOrText() {
    for (String w : new String[] {"300000", "\"5m\"", "\"300s\""}) {
      AlertCondition c =
          AlertDefinition.parse(def("{\"kind\":\"move_up\",\"pct\":2,\"window\":" + w + "}"), NOW)
              .condition();
      assertThat(c.windowMs()).isEqualTo(300_000);
    }
    assertThat(
            AlertDefinition.parse(
                    def("{\"kind\":\"move_down\",\"pct\":100,\"window\":\"1h\"}"), NOW)
                .condition()
                .windowMs())
        .isEqualTo(3_600_000);
  }

  @Test
  void everyKindRoundTripsThroughItsWireForm() {
    String[] conds = {
      "{\"kind\":\"price_above\",\"level\":1}",
      "{\"kind\":\"price_below\",\"level\":0.5}",
      "{\"kind\":\"move_up\",\"pct\":2,\"window\":\"5m\"}",
      "{\"kind\":\"move_down\",\"pct\":0.1,\"window\":1000}",
      "{\"kind\":\"volume_spike\",\"tf\":\"1m\",\"n\":5,\"k\":2.5}",
      "{\"kind\":\"breakout_high\",\"tf\":\"1s\",\"n\":3}",
      "{\"kind\":\"breakout_low\",\"tf\":\"1s\",\"n\":200}",
      "{\"kind\":\"rsi_above\",\"tf\":\"1m\",\"period\":2,\"level\":70}",
      "{\"kind\":\"rsi_below\",\"tf\":\"1m\",\"period\":50,\"level\":0}",
      "{\"kind\":\"sma_cross_above\",\"tf\":\"1d\",\"period\":200}",
      "{\"kind\":\"sma_cross_below\",\"tf\":\"4h\",\"period\":2}"
    };
    for (String c : conds) {
      AlertDefinition d = AlertDefinition.parse(def(c), NOW);
      assertThat(AlertDefinition.fromRecord(d.toJson())).isEqualTo(d);
      assertThat(d.condition().kind().wire()).isEqualTo(new JsonObject(c).getString("kind"));
    }
  }

  @Test
  void storedRecordsMayHaveExpiredAndShowTheSecretAsABoolean() {
    JsonObject rec = def("{\"kind\":\"price_above\",\"level\":1}").put("expiresAt", 5L);
    assertThat(AlertDefinition.fromRecord(rec).expiresAt()).isEqualTo(5L);
    rec.put("webhookSecret", true);
    assertThat(AlertDefinition.fromRecord(rec).webhookSecret()).isNull();
  }

  static Stream<Arguments> malformed() {
    String p = "{\"kind\":\"price_above\",\"level\":1}";
    return Stream.of(
        Arguments.of("{\"condition\":" + p + "}", "symbol: missing"),
        Arguments.of("{\"symbol\":5,\"condition\":" + p + "}", "symbol: must be a string"),
        Arguments.of("{\"symbol\":\"-BTC\",\"condition\":" + p + "}", "symbol: '-BTC' is not"),
        Arguments.of("{\"symbol\":\"BTCUSD\"}", "condition: must be an object"),
        Arguments.of("{\"symbol\":\"BTCUSD\",\"condition\":7}", "condition: must be an object"),
        Arguments.of(cond("{}"), "condition.kind: missing"),
        Arguments.of(cond("{\"kind\":\"price_sideways\"}"), "condition.kind: unknown kind"),
        Arguments.of(cond("{\"kind\":\"price_above\"}"), "condition.level: missing"),
        Arguments.of(cond("{\"kind\":\"price_above\",\"level\":0}"), "condition.level: must be in"),
        Arguments.of(
            cond("{\"kind\":\"price_below\",\"level\":-3}"), "condition.level: must be in"),
        Arguments.of(
            cond("{\"kind\":\"price_below\",\"level\":\"3\"}"),
            "condition.level: must be a number"),
        Arguments.of(cond("{\"kind\":\"move_up\",\"window\":\"5m\"}"), "condition.pct: missing"),
        Arguments.of(
            cond("{\"kind\":\"move_up\",\"pct\":0,\"window\":\"5m\"}"),
            "condition.pct: must be in"),
        Arguments.of(
            cond("{\"kind\":\"move_up\",\"pct\":100.5,\"window\":\"5m\"}"),
            "condition.pct: must be in"),
        Arguments.of(cond("{\"kind\":\"move_up\",\"pct\":2}"), "condition.window: missing"),
        Arguments.of(
            cond("{\"kind\":\"move_up\",\"pct\":2,\"window\":999}"),
            "condition.window: must be in"),
        Arguments.of(
            cond("{\"kind\":\"move_up\",\"pct\":2,\"window\":\"2h\"}"),
            "condition.window: must be in"),
        Arguments.of(
            cond("{\"kind\":\"move_up\",\"pct\":2,\"window\":\"5x\"}"),
            "condition.window: '5x' is not"),
        Arguments.of(
            cond("{\"kind\":\"move_up\",\"pct\":2,\"window\":1500.5}"),
            "condition.window: must be an integer"),
        Arguments.of(cond("{\"kind\":\"volume_spike\"}"), "condition.tf: missing"),
        Arguments.of(
            cond("{\"kind\":\"volume_spike\",\"tf\":\"2m\"}"), "condition.tf: unknown timeframe"),
        Arguments.of(
            cond("{\"kind\":\"volume_spike\",\"tf\":\"1m\",\"n\":1}"), "condition.n: must be in"),
        Arguments.of(
            cond("{\"kind\":\"volume_spike\",\"tf\":\"1m\",\"n\":201}"), "condition.n: must be in"),
        Arguments.of(
            cond("{\"kind\":\"volume_spike\",\"tf\":\"1m\",\"n\":2.5}"),
            "condition.n: must be an integer"),
        Arguments.of(
            cond("{\"kind\":\"volume_spike\",\"tf\":\"1m\",\"k\":0}"), "condition.k: must be in"),
        Arguments.of(
            cond("{\"kind\":\"volume_spike\",\"tf\":\"1m\",\"k\":1001}"),
            "condition.k: must be in"),
        Arguments.of(
            cond("{\"kind\":\"breakout_high\",\"tf\":\"1m\",\"n\":0}"), "condition.n: must be in"),
        Arguments.of(cond("{\"kind\":\"rsi_above\",\"tf\":\"1m\"}"), "condition.level: missing"),
        Arguments.of(
            cond("{\"kind\":\"rsi_above\",\"tf\":\"1m\",\"level\":101}"),
            "condition.level: must be in"),
        Arguments.of(
            cond("{\"kind\":\"rsi_above\",\"tf\":\"1m\",\"level\":50,\"period\":1}"),
            "condition.period: must be in"),
        Arguments.of(
            cond("{\"kind\":\"rsi_above\",\"tf\":\"1m\",\"level\":50,\"period\":51}"),
            "condition.period: must be in"),
        Arguments.of(
            cond("{\"kind\":\"sma_cross_above\",\"tf\":\"1m\",\"period\":201}"),
            "condition.period: must be in"),
        Arguments.of(cond("{\"kind\":\"sma_cross_below\",\"tf\":7}"), "condition.tf: missing"),
        Arguments.of(with("mode", "\"twice\""), "mode: must be"),
        Arguments.of(with("cooldownMs", "-1"), "cooldownMs: must be in"),
        Arguments.of(with("cooldownMs", "604800001"), "cooldownMs: must be in"),
        Arguments.of(with("cooldownMs", "\"1m\""), "cooldownMs: must be an integer"),
        Arguments.of(with("expiresAt", String.valueOf(NOW)), "expiresAt: must be in the future"),
        Arguments.of(with("expiresAt", "\"tomorrow\""), "expiresAt: must be an integer"),
        Arguments.of(with("webhook", "\"ftp://example.com/x\""), "webhook: must be an http(s) URL"),
        Arguments.of(with("webhook", "\"not a url\""), "webhook: not a URL"),
        Arguments.of(
            with("webhook", "\"https://e.com/" + "x".repeat(490) + "\""),
            "webhook: longer than 500"),
        Arguments.of(with("webhook", "3"), "webhook: must be a string"),
        Arguments.of(
            with("webhookSecret", "\"" + "s".repeat(201) + "\""), "webhookSecret: longer than 200"),
        Arguments.of(with("webhookSecret", "true"), "webhookSecret: must be a string"),
        Arguments.of(with("note", "\"" + "n".repeat(201) + "\""), "note: longer than 200"),
        Arguments.of(with("note", "{}"), "note: must be a string"));
  }

  private static String cond(String c) {
    return "{\"symbol\":\"BTCUSD\",\"condition\":" + c + "}";
  }

  private static String with(String field, String value) {
    return "{\"symbol\":\"BTCUSD\",\"condition\":{\"kind\":\"price_above\",\"level\":1},\""
        + field
        + "\":"
        + value
        + "}";
  }

  @ParameterizedTest
  @MethodSource("malformed")
  void rejectsEveryMalformedFieldNamingIt(String json, String message) {
    assertThatThrownBy(() -> AlertDefinition.parse(new JsonObject(json), NOW))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("bad_alert: " + message);
  }

  @Test
  void rejectsAMissingDefinition() {
    assertThatThrownBy(() -> AlertDefinition.parse(null, NOW))
        .hasMessage("bad_alert: alert: missing");
  }

  @Test
  void kindsKnowHowTheyFire() {
    assertThat(AlertKind.PRICE_ABOVE.onTrade()).isTrue();
    assertThat(AlertKind.PRICE_ABOVE.candleKind()).isFalse();
    assertThat(AlertKind.BREAKOUT_HIGH.onTrade()).isTrue();
    assertThat(AlertKind.BREAKOUT_HIGH.candleKind()).isTrue();
    assertThat(AlertKind.RSI_ABOVE.onTrade()).isFalse();
    assertThat(AlertKind.ofWire("volume_spike")).isEqualTo(AlertKind.VOLUME_SPIKE);
    assertThat(AlertKind.ofWire("VOLUME_SPIKE")).isNull();
  }
}
