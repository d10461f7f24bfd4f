package candlecast.feed;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import candlecast.common.config.CandlecastConfig;
import candlecast.common.config.ConfigException;
import candlecast.common.config.Settings;
import io.vertx.core.json.JsonObject;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The feed's settings as the configuration loader sees them (environment variables, YAML sections).
 */
class FeedSettingsTest {

  private static CandlecastConfig env(String name, String value) {
    return CandlecastConfig.from(new JsonObject().put(name, value));
  }

  private static void assertBad(String name, String value, String message) {
    assertThatThrownBy(() -> env(name, value))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("invalid setting " + name)
        .hasMessageContaining(message);
  }

  @Test
  void defaults() {
    CandlecastConfig c = CandlecastConfig.defaults();
    assertThat(c.get(Settings.FEED_WATERMARK_MS)).isEqualTo(250);
    assertThat(c.get(Settings.FEED_BUFFER_RECORDS)).isEqualTo(100_000);
    assertThat(c.get(Settings.MOCK_SYMBOLS)).isEmpty();
    assertThat(c.get(Settings.MOCK_CURVE_SYMBOLS)).containsExactly("PUMPSOL");
    assertThat(c.get(Settings.BITSTAMP_WS_URL)).isEqualTo("wss://ws.bitstamp.net");
    assertThat(c.get(Settings.BITSTAMP_REST_URL)).isEqualTo("https://www.bitstamp.net");
    assertThat(c.get(Settings.REPLAY_SPEED)).isEqualTo("1");
    assertThat(c.get(Settings.REPLAY_LOOP)).isFalse();
    assertThat(Settings.BITSTAMP_WS_URL.envName()).isEqualTo("CANDLECAST_BITSTAMP_WS_URL");
    assertThat(Settings.BITSTAMP_REST_URL.envName()).isEqualTo("CANDLECAST_BITSTAMP_REST_URL");
    assertThat(Settings.REPLAY_FILE.envName()).isEqualTo("CANDLECAST_REPLAY_FILE");
    assertThat(Settings.REPLAY_SPEED.envName()).isEqualTo("CANDLECAST_REPLAY_SPEED");
    assertThat(Settings.FEED_WATERMARK_MS.envName()).isEqualTo("CANDLECAST_FEED_WATERMARK_MS");
  }

  @Test
  void theDefaultsFileAgreesWithTheBuiltInDefaults() throws Exception {
    io.vertx.core.Vertx vertx = io.vertx.core.Vertx.vertx();
    try {
      CandlecastConfig loaded =
          candlecast.common.config.ConfigLoader.load(vertx, null)
              .toCompletionStage()
              .toCompletableFuture()
              .get(30, java.util.concurrent.TimeUnit.SECONDS);
      for (var s : Settings.ALL) {
        if (s.section().equals("feed")
            || s.section().equals("mock")
            || s.section().equals("bitstamp")
            || s.section().equals("replay")) {
          assertThat((Object) loaded.get(s)).as(s.key()).isEqualTo(s.defaultValue());
        }
      }
    } finally {
      vertx
          .close()
          .toCompletionStage()
          .toCompletableFuture()
          .get(30, java.util.concurrent.TimeUnit.SECONDS);
    }
  }

  @Test
  void valuesFromTheEnvironmentAndFromYamlSections() {
    assertThat(env("CANDLECAST_REPLAY_SPEED", "MAX").get(Settings.REPLAY_SPEED)).isEqualTo("max");
    assertThat(env("CANDLECAST_REPLAY_SPEED", "0.5").get(Settings.REPLAY_SPEED)).isEqualTo("0.5");
    assertThat(env("CANDLECAST_MOCK_SYMBOLS", "pumpsol, dogeusd").get(Settings.MOCK_SYMBOLS))
        .containsExactly("PUMPSOL", "DOGEUSD");
    assertThat(env("CANDLECAST_REPLAY_LOOP", "yes").get(Settings.REPLAY_LOOP)).isTrue();
    CandlecastConfig yaml =
        CandlecastConfig.from(
            new JsonObject()
                .put(
                    "bitstamp",
                    new JsonObject().put("ws-url", "ws://127.0.0.1:9000").put("silence-ms", 1500))
                .put("replay", new JsonObject().put("file", "/data/t.csv.gz")));
    assertThat(yaml.get(Settings.BITSTAMP_WS_URL)).isEqualTo("ws://127.0.0.1:9000");
    assertThat(yaml.get(Settings.BITSTAMP_SILENCE_MS)).isEqualTo(1500);
    assertThat(yaml.get(Settings.REPLAY_FILE)).isEqualTo("/data/t.csv.gz");
  }

  @Test
  void badValuesNameTheSetting() {
    assertBad("CANDLECAST_REPLAY_SPEED", "fast", "'fast' is not a number > 0 or max");
    assertBad("CANDLECAST_REPLAY_SPEED", "0", "'0' is not a number > 0 or max");
    assertBad("CANDLECAST_BITSTAMP_WS_URL", "https://ws.bitstamp.net", "is not a ws or wss URL");
    assertBad("CANDLECAST_BITSTAMP_REST_URL", "www.bitstamp.net", "is not a http or https URL");
    assertBad("CANDLECAST_BITSTAMP_REST_URL", "http://exa mple", "is not a URL");
    assertBad("CANDLECAST_MOCK_SYMBOLS", "PUMP_SOL", "'PUMP_SOL' is not a symbol");
    assertBad("CANDLECAST_FEED_BUFFER_RECORDS", "5", "out of range 10..2000000");
    assertBad("CANDLECAST_FEED_WATERMARK_MS", "-1", "out of range");
    assertBad("CANDLECAST_BITSTAMP_SILENCE_MS", "soon", "is not a whole number");
    assertBad("CANDLECAST_REPLAY_LOOP", "maybe", "is not true or false");
  }

  @Test
  void everyFeedSettingIsRegistered() {
    for (var s :
        List.of(
            Settings.FEED_WATERMARK_MS,
            Settings.FEED_BUFFER_RECORDS,
            Settings.FEED_DEDUPE_WINDOW,
            Settings.FEED_MAX_CLOCK_SKEW_MS,
            Settings.MOCK_SYMBOLS,
            Settings.MOCK_CURVE_SYMBOLS,
            Settings.BITSTAMP_WS_URL,
            Settings.BITSTAMP_REST_URL,
            Settings.BITSTAMP_HEARTBEAT_MS,
            Settings.BITSTAMP_SILENCE_MS,
            Settings.BITSTAMP_BACKOFF_MIN_MS,
            Settings.BITSTAMP_BACKOFF_MAX_MS,
            Settings.BITSTAMP_SUBSCRIBE_TIMEOUT_MS,
            Settings.BITSTAMP_WATERMARK_LAG_MS,
            Settings.REPLAY_FILE,
            Settings.REPLAY_SPEED,
            Settings.REPLAY_LOOP,
            Settings.REPLAY_PROGRESS_MS)) {
      assertThat(Settings.byEnvName(s.envName())).as(s.key()).isSameAs(s);
    }
  }
}
