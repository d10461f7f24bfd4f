package candlecast.feed;

import static candlecast.feed.TestKafka.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import candlecast.common.Addresses;
import candlecast.common.Topics;
import candlecast.common.Trade;
import candlecast.common.config.CandlecastConfig;
import candlecast.common.config.Settings;
import candlecast.common.kafka.EmbeddedKafka;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The feed verticle with the mock source (and configuration errors) against a real Kafka broker.
 */
class FeedVerticleTest {
  private static EmbeddedKafka kafka;
  private static Vertx vertx;

  @BeforeAll
  static void start() throws Exception {
    kafka = TestKafka.shared();
    vertx = Vertx.vertx();
  }

  @AfterAll
  static void stop() throws Exception {
    await(vertx.close());
  }

  private static CandlecastConfig mock(List<String> symbols, double rate, long seed) {
    return CandlecastConfig.defaults()
        .with(Settings.FEED_SOURCE, "mock")
        .with(Settings.FEED_SYMBOLS, symbols)
        .with(Settings.MOCK_HISTORY_DAYS, 0)
        .with(Settings.FEED_RATE, rate)
        .with(Settings.FEED_SEED, seed);
  }

  @Test
  void
      mockWritesValidContiguousTradesPerSymbolIncludingABondingCurveTokenAndLosesNothingOnUndeploy()
          throws Exception {
    List<String> symbols = List.of("BTCUSD", "ETHUSD", "PUMPSOL");
    FeedVerticle feed = new FeedVerticle(mock(symbols, 200.0, 1234L), kafka.bootstrapServers());
    long before = System.currentTimeMillis();
    String id = await(vertx.deployVerticle(feed));
    try (TestKafka.TopicLog log = new TestKafka.TopicLog(kafka.bootstrapServers(), Topics.TRADES)) {
      await()
          .atMost(Duration.ofSeconds(30))
          .until(
              () -> {
                log.poll(100);
                return symbols.stream().allMatch(s -> log.tradeCount(s) >= 100);
              });
      JsonObject health =
          await(vertx.eventBus().<JsonObject>request(FeedVerticle.HEALTH_ADDRESS, new JsonObject()))
              .body();
      assertThat(health.getString("status")).isEqualTo("UP");
      assertThat(health.getString("source")).isEqualTo("mock");
      JsonObject mock = health.getJsonObject("sources").getJsonObject("mock");
      assertThat(mock.getBoolean("connected")).isTrue();
      assertThat(mock.getLong("reconnects")).isZero();
      assertThat(mock.getLong("tradesIn")).isGreaterThanOrEqualTo(300);
      assertThat(mock.getLong("rejected")).isZero();
      assertThat(mock.getLong("duplicates")).isZero();
      assertThat(mock.getLong("lastTradeTime")).isGreaterThanOrEqualTo(before);
      assertThat(health.getJsonObject("kafka").getString("status")).isEqualTo("UP");

      await(vertx.undeploy(id));
      long written = feed.sources().get(0).gate().written();
      assertThat(feed.tradesSent())
          .as("every trade taken was acknowledged before undeploy completed")
          .isEqualTo(written);
      log.readToEnd();
      long inTopic = symbols.stream().mapToLong(log::tradeCount).sum();
      assertThat(inTopic).isEqualTo(written);

      for (String symbol : symbols) {
        List<Trade> trades = log.trades(symbol);
        assertThat(trades.get(0).id())
            .as("ids start at the start time in µs")
            .isGreaterThanOrEqualTo(before * 1000);
        for (int i = 0; i < trades.size(); i++) {
          Trade t = trades.get(i);
          assertThat(t.invalidReason()).isNull();
          assertThat(t.time()).isBetween(before, System.currentTimeMillis());
          if (symbol.equals("PUMPSOL")) {
            assertThat(t.price()).as("SOL per token").isBetween(1e-8, 1e-6);
          } else {
            double base = MockTradeGenerator.basePrice(symbol);
            assertThat(t.price()).isBetween(base * 0.8, base * 1.2);
          }
          if (i > 0) {
            assertThat(t.id())
                .as("ids contiguous: nothing lost, nothing twice")
                .isEqualTo(trades.get(i - 1).id() + 1);
            assertThat(t.time()).isGreaterThanOrEqualTo(trades.get(i - 1).time());
          }
        }
        TestKafka.assertWatermarkContract(symbol, log.records(symbol));
      }
    }
  }

  @Test
  void highRatesAreReachedByBatchingPerTick() throws Exception {
    FeedVerticle feed =
        new FeedVerticle(mock(List.of("SOLUSD"), 5_000.0, 99L), kafka.bootstrapServers());
    long t0 = System.nanoTime();
    String id = await(vertx.deployVerticle(feed));
    try (TestKafka.TopicLog log = new TestKafka.TopicLog(kafka.bootstrapServers(), Topics.TRADES)) {
      // 10,000 trades take 2 s at the configured rate; allow 15 s for a loaded machine.
      await()
          .atMost(Duration.ofSeconds(15))
          .until(() -> log.poll(100).tradeCount("SOLUSD") >= 10_000);
      long elapsedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
      assertThat(elapsedMs)
          .as("time to produce 10,000 trades at 5000/s")
          .isGreaterThanOrEqualTo(1_900);
      await(vertx.undeploy(id));
      log.readToEnd();
      assertThat((long) log.tradeCount("SOLUSD")).isEqualTo(feed.tradesSent());
    }
  }

  @Test
  void quietSymbolsGetWatermarksThatNeverPassALaterTrade() throws Exception {
    CandlecastConfig config =
        mock(List.of("WMAUSD", "WMBUSD"), 2.0, 5L).with(Settings.FEED_WATERMARK_MS, 50L);
    FeedVerticle feed = new FeedVerticle(config, kafka.bootstrapServers());
    String id = await(vertx.deployVerticle(feed));
    try (TestKafka.TopicLog log = new TestKafka.TopicLog(kafka.bootstrapServers(), Topics.TRADES)) {
      await().atMost(Duration.ofSeconds(30)).until(() -> log.poll(100).tradeCount("WMAUSD") >= 5);
      await(vertx.undeploy(id));
      log.readToEnd();
      for (String s : List.of("WMAUSD", "WMBUSD")) {
        int watermarks = TestKafka.assertWatermarkContract(s, log.records(s));
        // 2 trades/s and a watermark every 50 ms in between: many more watermarks than trades.
        assertThat(watermarks).as(s).isGreaterThan(3 * log.tradeCount(s));
        List<Long> wm = log.watermarks(s);
        assertThat(wm.get(wm.size() - 1) - wm.get(0))
            .as("they follow the clock")
            .isGreaterThan(1_500);
      }
    }
  }

  @Test
  void stateIsPublishedOnTheStatusAddress() throws Exception {
    FeedVerticle feed =
        new FeedVerticle(mock(List.of("STATUSUSD"), 10.0, 3L), kafka.bootstrapServers());
    CompletableFuture<JsonObject> got = new CompletableFuture<>();
    MessageConsumer<JsonObject> c =
        vertx.eventBus().consumer(FeedVerticle.STATUS_ADDRESS, m -> got.complete(m.body()));
    await(c.completion());
    String id = await(vertx.deployVerticle(feed));
    try {
      JsonObject status = got.get(10, TimeUnit.SECONDS);
      assertThat(
              status
                  .getJsonObject("sources")
                  .getJsonObject("mock")
                  .getJsonArray("symbols")
                  .getList())
          .containsExactly("STATUSUSD");
      assertThat(status.getJsonObject("kafka").getInteger("capacity")).isEqualTo(100_000);
    } finally {
      await(c.unregister());
      await(vertx.undeploy(id));
    }
  }

  @Test
  void theMockRunsAlongsideAnotherSourceForItsOwnSymbols(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("few.csv");
    long t = System.currentTimeMillis();
    Files.writeString(
        file,
        "symbol,id,time,price,amount,side\n"
            + "ALONGUSD,1,"
            + t
            + ",10.5,1,buy\nALONGUSD,2,"
            + (t + 1)
            + ",10.6,2,sell\n");
    CandlecastConfig config =
        CandlecastConfig.defaults()
            .with(Settings.FEED_SOURCE, "replay")
            .with(Settings.FEED_SYMBOLS, List.of("ALONGUSD"))
            .with(Settings.REPLAY_FILE, file.toString())
            .with(Settings.REPLAY_SPEED, "max")
            .with(Settings.MOCK_SYMBOLS, List.of("MOCKALONG"))
            .with(Settings.MOCK_HISTORY_DAYS, 0)
            .with(Settings.FEED_RATE, 50.0);
    FeedVerticle feed = new FeedVerticle(config, kafka.bootstrapServers());
    String id = await(vertx.deployVerticle(feed));
    try (TestKafka.TopicLog log = new TestKafka.TopicLog(kafka.bootstrapServers(), Topics.TRADES)) {
      await()
          .atMost(Duration.ofSeconds(30))
          .until(
              () -> log.poll(100).tradeCount("ALONGUSD") == 2 && log.tradeCount("MOCKALONG") >= 20);
      JsonObject health = feed.health();
      assertThat(health.getString("source")).isEqualTo("replay,mock");
      assertThat(health.getJsonObject("sources").fieldNames()).containsExactly("replay", "mock");
      assertThat(health.getJsonObject("sources").getJsonObject("replay").getString("state"))
          .isEqualTo("finished");
      assertThat(health.getString("status")).isEqualTo("UP");
    } finally {
      await(vertx.undeploy(id));
    }
  }

  @Test
  void configurationsThatCannotWorkFailDeploymentClearly(@TempDir Path dir) throws Exception {
    assertFails(CandlecastConfig.defaults(), " ", "bootstrap servers are empty");
    assertFails(
        CandlecastConfig.defaults().with(Settings.FEED_SOURCE, "replay"),
        kafka.bootstrapServers(),
        "feed.source is replay but no file is set (CANDLECAST_REPLAY_FILE / replay.file)");
    assertFails(
        CandlecastConfig.defaults()
            .with(Settings.FEED_SOURCE, "replay")
            .with(Settings.REPLAY_FILE, dir.resolve("missing.csv").toString()),
        kafka.bootstrapServers(),
        "missing.csv does not exist or cannot be read (CANDLECAST_REPLAY_FILE)");
    Path bad = dir.resolve("bad.csv");
    Files.writeString(bad, "time,symbol,price\n1,BTCUSD,2\n");
    assertFails(
        CandlecastConfig.defaults()
            .with(Settings.FEED_SOURCE, "replay")
            .with(Settings.REPLAY_FILE, bad.toString()),
        kafka.bootstrapServers(),
        "the first line must be the header 'symbol,id,time,price,amount,side', was 'time,symbol,price'");
    Path notGzip = dir.resolve("plain.csv.gz");
    Files.writeString(notGzip, "symbol,id,time,price,amount,side\n");
    assertFails(
        CandlecastConfig.defaults()
            .with(Settings.FEED_SOURCE, "replay")
            .with(Settings.REPLAY_FILE, notGzip.toString()),
        kafka.bootstrapServers(),
        "Not in GZIP format");
    assertFails(
        CandlecastConfig.defaults()
            .with(Settings.FEED_SOURCE, "bitstamp")
            .with(Settings.MOCK_SYMBOLS, List.of("PUMPSOL", "BTCUSD")),
        kafka.bootstrapServers(),
        "[BTCUSD] in both feed.symbols (bitstamp) and mock.symbols; each symbol must come from one source");
    assertFails(
        CandlecastConfig.defaults()
            .with(Settings.FEED_SOURCE, "bitstamp")
            .with(Settings.BITSTAMP_BACKOFF_MIN_MS, 5_000L)
            .with(Settings.BITSTAMP_BACKOFF_MAX_MS, 1_000L),
        kafka.bootstrapServers(),
        "bitstamp.backoff-max-ms must be >= bitstamp.backoff-min-ms");
    // Nothing is left behind by a failed deployment.
    assertThat(vertx.deploymentIDs()).isEmpty();
  }

  private static void assertFails(CandlecastConfig config, String bootstrap, String message) {
    assertThatThrownBy(() -> await(vertx.deployVerticle(new FeedVerticle(config, bootstrap))))
        .hasMessageContaining(message);
  }

  @Test
  void planGivesEachSourceItsSymbols() {
    CandlecastConfig d = CandlecastConfig.defaults();
    assertThat(FeedVerticle.plan(d))
        .containsExactly(java.util.Map.entry("mock", List.of("BTCUSD", "ETHUSD")));
    assertThat(FeedVerticle.plan(d.with(Settings.MOCK_SYMBOLS, List.of("PUMPSOL"))))
        .containsExactly(java.util.Map.entry("mock", List.of("PUMPSOL")));
    assertThat(
            FeedVerticle.plan(
                d.with(Settings.FEED_SOURCE, "bitstamp")
                    .with(Settings.MOCK_SYMBOLS, List.of("PUMPSOL"))))
        .containsExactly(
            java.util.Map.entry("bitstamp", List.of("BTCUSD", "ETHUSD")),
            java.util.Map.entry("mock", List.of("PUMPSOL")));
  }

  /**
   * Issue 19: once deployed, the feed's symbols are in the symbol directory (a subscribe before the
   * first trade is folded is "retry", not "unknown"), an owner already named there is kept.
   */
  @Test
  void deployedFeedAnnouncesItsSymbolsInTheDirectoryKeepingNamedOwners() throws Exception {
    io.vertx.core.shareddata.AsyncMap<String, String> dir =
        await(vertx.sharedData().<String, String>getAsyncMap(Addresses.SYMBOL_DIRECTORY));
    await(dir.put("DIRONE", "aggregator-1"));
    FeedVerticle feed =
        new FeedVerticle(mock(List.of("DIRONE", "DIRTWO"), 1.0, 7L), kafka.bootstrapServers());
    String id = await(vertx.deployVerticle(feed));
    try {
      assertThat(await(dir.get("DIRTWO"))).isEqualTo("feed");
      assertThat(await(dir.get("DIRONE"))).isEqualTo("aggregator-1");
      assertThat(await(dir.get("DIRNONE"))).isNull();
    } finally {
      await(vertx.undeploy(id));
    }
  }
}
