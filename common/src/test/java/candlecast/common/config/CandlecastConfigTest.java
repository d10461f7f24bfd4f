package candlecast.common.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import candlecast.common.Timeframe;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CandlecastConfigTest {
  @Test
  void defaultsAreTheDocumentedOnes() {
    CandlecastConfig c = CandlecastConfig.defaults();
    assertThat(c.get(Settings.HTTP_PORT)).isEqualTo(8080);
    assertThat(c.get(Settings.KAFKA_BOOTSTRAP_SERVERS)).isEmpty();
    assertThat(c.get(Settings.FEED_SOURCE)).isEqualTo("mock");
    assertThat(c.get(Settings.FEED_SYMBOLS)).containsExactly("BTCUSD", "ETHUSD");
    assertThat(c.get(Settings.GATEWAY_DEFAULT_TF)).isEqualTo(Timeframe.M1);
  }

  @Test
  void envNamesFollowTheSectionKeyConvention() {
    assertThat(Settings.HTTP_PORT.envName()).isEqualTo("CANDLECAST_HTTP_PORT");
    assertThat(Settings.KAFKA_BOOTSTRAP_SERVERS.envName())
        .isEqualTo("CANDLECAST_KAFKA_BOOTSTRAP_SERVERS");
    assertThat(Settings.DATA_DIR.envName()).isEqualTo("CANDLECAST_DATA_DIR");
    assertThat(Settings.FEED_SOURCE.envName()).isEqualTo("CANDLECAST_FEED_SOURCE");
    assertThat(Settings.FEED_SYMBOLS.envName()).isEqualTo("CANDLECAST_FEED_SYMBOLS");
    assertThat(Settings.AGGREGATOR_GRACE_MS.envName()).isEqualTo("CANDLECAST_AGGREGATOR_GRACE_MS");
  }

  @Test
  void precedenceIsSysPropThenEnvThenFileThenDefault() {
    JsonObject merged =
        new JsonObject()
            .put("http", new JsonObject().put("port", 9000))
            .put(
                "feed",
                new JsonObject().put("symbols", new JsonArray().add("solusd").add("BTCUSD")));
    assertThat(CandlecastConfig.from(merged).get(Settings.HTTP_PORT)).isEqualTo(9000);
    assertThat(CandlecastConfig.from(merged).get(Settings.FEED_SYMBOLS))
        .containsExactly("SOLUSD", "BTCUSD");
    merged.put("CANDLECAST_HTTP_PORT", "9001");
    assertThat(CandlecastConfig.from(merged).get(Settings.HTTP_PORT)).isEqualTo(9001);
    merged.put("candlecast.http.port", "9002");
    assertThat(CandlecastConfig.from(merged).get(Settings.HTTP_PORT)).isEqualTo(9002);
  }

  @Test
  void badValuesFailWithOneLineNamingTheSetting() {
    assertBad(
        "CANDLECAST_HTTP_PORT",
        "70000",
        "invalid setting CANDLECAST_HTTP_PORT (http.port): '70000' is out of range 1..65535");
    assertBad(
        "CANDLECAST_HTTP_PORT",
        "eighty",
        "invalid setting CANDLECAST_HTTP_PORT (http.port): 'eighty' is not a whole number");
    assertBad(
        "CANDLECAST_FEED_SOURCE",
        "binance",
        "invalid setting CANDLECAST_FEED_SOURCE (feed.source): 'binance' is not one of mock, bitstamp, replay");
    assertBad(
        "CANDLECAST_GATEWAY_DEFAULT_TF",
        "7m",
        "invalid setting CANDLECAST_GATEWAY_DEFAULT_TF (gateway.default-tf): unknown timeframe '7m'");
    assertBad(
        "CANDLECAST_FEED_SYMBOLS",
        "BTC/USD",
        "invalid setting CANDLECAST_FEED_SYMBOLS (feed.symbols): 'BTC/USD' is not a symbol");
    assertBad("CANDLECAST_FEED_SYMBOLS", " , ", "at least one symbol is required");
    assertBad(
        "CANDLECAST_FEED_RATE",
        "-5",
        "invalid setting CANDLECAST_FEED_RATE (feed.rate): '-5' must be a number > 0");
    assertBad("CANDLECAST_AGGREGATOR_GRACE_MS", "-1", "out of range");
    assertBad(
        "CANDLECAST_GATEWAY_INSTANCES",
        "-1",
        "invalid setting CANDLECAST_GATEWAY_INSTANCES (gateway.instances): '-1' is out of range 0..256");
    assertBad("CANDLECAST_GATEWAY_INSTANCES", "two", "'two' is not a whole number");
  }

  private static void assertBad(String env, String value, String message) {
    assertThatThrownBy(() -> CandlecastConfig.from(new JsonObject().put(env, value)))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining(message)
        .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"))
        .satisfies(e -> assertThat(e.getStackTrace()).isEmpty());
  }

  @Test
  void unknownCandlecastVariablesAreReported() {
    assertThat(
            ConfigLoader.unknownEnvironmentVariables(
                Map.of("CANDLECAST_HTTP_PROT", "1", "CANDLECAST_HTTP_PORT", "1", "PATH", "/bin")))
        .isEqualTo(List.of("CANDLECAST_HTTP_PROT"));
  }

  @Test
  void loaderReadsClasspathDefaultsThenConfFile(@TempDir Path dir) throws Exception {
    Path conf = dir.resolve("my.yaml");
    Files.writeString(conf, "http:\n  port: 9555\nfeed:\n  symbols: [ethusd]\n");
    Vertx vertx = Vertx.vertx();
    try {
      CandlecastConfig c =
          ConfigLoader.load(vertx, conf.toString())
              .toCompletionStage()
              .toCompletableFuture()
              .get(10, TimeUnit.SECONDS);
      assertThat(c.get(Settings.HTTP_PORT)).isEqualTo(9555);
      assertThat(c.get(Settings.FEED_SYMBOLS)).containsExactly("ETHUSD");
      assertThat(c.get(Settings.GATEWAY_SNAPSHOT_SIZE)).isEqualTo(500);
      Files.writeString(conf, "http:\n  port: 0\n");
      assertThatThrownBy(
              () ->
                  ConfigLoader.load(vertx, conf.toString())
                      .toCompletionStage()
                      .toCompletableFuture()
                      .get(10, TimeUnit.SECONDS))
          .hasCauseInstanceOf(ConfigException.class)
          .hasMessageContaining("CANDLECAST_HTTP_PORT");
      assertThatThrownBy(
              () ->
                  ConfigLoader.load(vertx, dir.resolve("missing.yaml").toString())
                      .toCompletionStage()
                      .toCompletableFuture()
                      .get(10, TimeUnit.SECONDS))
          .hasMessageContaining("does not exist");
      Files.writeString(conf, "http: [: bad");
      assertThatThrownBy(
              () ->
                  ConfigLoader.load(vertx, conf.toString())
                      .toCompletionStage()
                      .toCompletableFuture()
                      .get(10, TimeUnit.SECONDS))
          .hasMessageContaining("cannot read configuration");
    } finally {
      vertx.close().await();
    }
  }
}
