package candlecast.feed;

import static candlecast.feed.TestKafka.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import candlecast.common.Topics;
import candlecast.common.Trade;
import candlecast.common.config.CandlecastConfig;
import candlecast.common.config.Settings;
import candlecast.common.kafka.EmbeddedKafka;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The mock's first run against a real Kafka broker: exactly the regenerated history, then live
 * trades going on from it, and no second history after a restart.
 */
class FirstRunTest {
  private static final List<String> SYMBOLS = List.of("FRBTCUSD", "FRETHUSD");
  private static final long SEED = 11;
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

  private static CandlecastConfig config() {
    return CandlecastConfig.defaults()
        .with(Settings.FEED_SOURCE, "mock")
        .with(Settings.FEED_SYMBOLS, SYMBOLS)
        .with(Settings.FEED_RATE, 20.0)
        .with(Settings.FEED_BOOKS, false)
        .with(Settings.MOCK_HISTORY_DAYS, 3)
        .with(Settings.MOCK_HISTORY_SEED, SEED);
  }

  private static JsonObject mockState(FeedVerticle feed) {
    return feed.health().getJsonObject("sources").getJsonObject("mock");
  }

  @Test
  void firstRunWritesTheSeededHistoryThenGoesLiveFromItAndARestartWritesNoSecondHistory()
      throws Exception {
    FeedVerticle feed = new FeedVerticle(config(), kafka.bootstrapServers());
    String id = await(vertx.deployVerticle(feed));
    JsonObject history = mockState(feed).getJsonObject("history");
    long from = history.getLong("from");
    long to = history.getLong("to");
    assertThat(to - from).isEqualTo(3 * 86_400_000L);
    assertThat(history.getLong("ms")).isGreaterThanOrEqualTo(0);

    // the oracle: the same generator and span, regenerated here
    MockTradeGenerator g = new MockTradeGenerator(SEED, from * 1000, Set.of("PUMPSOL"));
    List<Trade> expected = new MockHistory(g, SYMBOLS, from, to).rest();
    assertThat(history.getLong("trades")).isEqualTo(expected.size());
    Map<String, List<Trade>> bySymbol =
        expected.stream().collect(Collectors.groupingBy(Trade::symbol));

    try (TestKafka.TopicLog log = new TestKafka.TopicLog(kafka.bootstrapServers(), Topics.TRADES)) {
      await()
          .atMost(Duration.ofSeconds(60))
          .until(
              () -> {
                log.readToEnd();
                return SYMBOLS.stream()
                    .allMatch(s -> log.tradeCount(s) >= bySymbol.get(s).size() + 20);
              });
      for (String s : SYMBOLS) {
        List<Trade> written = log.trades(s);
        List<Trade> hist = bySymbol.get(s);
        assertThat(written.subList(0, hist.size())).as(s).isEqualTo(hist);
        Trade lastHistoric = hist.get(hist.size() - 1);
        Trade firstLive = written.get(hist.size());
        assertThat(firstLive.time()).isGreaterThanOrEqualTo(to).isGreaterThan(lastHistoric.time());
        // the live mock draws from the history's generator: exactly its next trade
        assertThat(firstLive).isEqualTo(g.next(s, firstLive.time()));
        TestKafka.assertWatermarkContract(s, log.records(s));
      }
      await(vertx.undeploy(id));

      // a restart finds the symbols' trades in the log: no second history, live goes on
      log.readToEnd();
      Map<String, Integer> before = new HashMap<>();
      for (String s : SYMBOLS) {
        before.put(s, log.tradeCount(s));
      }
      FeedVerticle again = new FeedVerticle(config(), kafka.bootstrapServers());
      String id2 = await(vertx.deployVerticle(again));
      assertThat(mockState(again).containsKey("history")).isFalse();
      await()
          .atMost(Duration.ofSeconds(30))
          .until(
              () -> {
                log.readToEnd();
                return SYMBOLS.stream().allMatch(s -> log.tradeCount(s) >= before.get(s) + 20);
              });
      await(vertx.undeploy(id2));
      for (String s : SYMBOLS) {
        List<Trade> all = log.trades(s);
        assertThat(all.subList(before.get(s), all.size()))
            .as("no historic time after the restart")
            .allMatch(t -> t.time() >= to);
        assertThat(all.stream().filter(t -> t.time() < to).count())
            .isEqualTo(bySymbol.get(s).size());
      }
    }
  }
}
