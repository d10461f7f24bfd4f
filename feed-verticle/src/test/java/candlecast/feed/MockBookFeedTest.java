package candlecast.feed;

import static candlecast.feed.TestKafka.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.awaitility.Awaitility.await;

import candlecast.common.Book;
import candlecast.common.BookCodec;
import candlecast.common.Topics;
import candlecast.common.Trade;
import candlecast.common.config.CandlecastConfig;
import candlecast.common.config.Settings;
import candlecast.common.kafka.EmbeddedKafka;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The mock source's books (a plain walk and a bonding-curve token) through the feed into a real
 * broker.
 */
class MockBookFeedTest {
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

  private static List<Book> books(TestKafka.TopicLog log, String symbol) {
    List<Book> out = new ArrayList<>();
    for (byte[] v : log.byKey.getOrDefault(symbol, List.of())) {
      out.add(BookCodec.decode(v));
    }
    return out;
  }

  @Test
  void mockSymbolsGetValidBooksAroundTheirTradesAndTheWriterSeamPausesThem() throws Exception {
    CandlecastConfig config =
        CandlecastConfig.defaults()
            .with(Settings.FEED_SOURCE, "mock")
            .with(Settings.FEED_SYMBOLS, List.of("MBETHUSD", "MBPUMP"))
            .with(Settings.MOCK_CURVE_SYMBOLS, List.of("MBPUMP"))
            .with(Settings.MOCK_HISTORY_DAYS, 0)
            .with(Settings.FEED_RATE, 50.0)
            .with(Settings.FEED_SEED, 77L)
            .with(Settings.FEED_BOOK_INTERVAL_MS, 50L);
    FeedVerticle feed = new FeedVerticle(config, kafka.bootstrapServers());
    String id = await(vertx.deployVerticle(feed));
    try (TestKafka.TopicLog books = new TestKafka.TopicLog(kafka.bootstrapServers(), Topics.BOOKS);
        TestKafka.TopicLog trades =
            new TestKafka.TopicLog(kafka.bootstrapServers(), Topics.TRADES)) {
      await()
          .atMost(Duration.ofSeconds(30))
          .until(
              () ->
                  books(books.poll(100), "MBETHUSD").size() >= 10
                      && books(books, "MBPUMP").size() >= 10);
      KafkaBookWriter writer = feed.books().writer();
      writer.setActive(false);
      // inactive: the newest book of each symbol waits, nothing more is handed to Kafka
      await().atMost(Duration.ofSeconds(10)).until(() -> writer.stats().getLong("waiting") == 2);
      long sent = writer.stats().getLong("sent");
      await()
          .during(Duration.ofMillis(300))
          .atMost(Duration.ofSeconds(5))
          .until(() -> writer.stats().getLong("sent") == sent);
      await().atMost(Duration.ofSeconds(10)).until(() -> writer.written() == sent);
      long records = books.poll(100).readToEnd().all.size();
      writer.setActive(true);
      await().atMost(Duration.ofSeconds(30)).until(() -> books.poll(100).all.size() > records);
      await(vertx.undeploy(id));
      trades.readToEnd();
      books.readToEnd();
      List<Double> prices = trades.trades("MBETHUSD").stream().map(Trade::price).toList();
      for (Book b : books(books, "MBETHUSD")) {
        assertThat(b.problem()).isNull();
        assertThat(b.bids()).hasSize(100);
        // built around the last trade price: some trade lies strictly inside the spread
        assertThat(prices)
            .as("a trade inside %s..%s", b.bestBid(), b.bestAsk())
            .anyMatch(p -> p > b.bestBid() && p < b.bestAsk());
      }
      List<Double> spots = CurveSpots.after(trades.trades("MBPUMP"));
      for (Book b : books(books, "MBPUMP")) {
        assertThat(b.problem()).isNull();
        // the curve around its spot price: one step up and down, the spot one the curve had
        // before or after one of its trades (recomputed from the trades alone)
        assertThat(b.bestAsk() / b.bestBid())
            .isCloseTo((1 + MockBooks.CURVE_STEP) / (1 - MockBooks.CURVE_STEP), within(1e-9));
        double spot = b.bestAsk() / (1 + MockBooks.CURVE_STEP);
        assertThat(spots)
            .as("a spot the curve had (book spot %s)", spot)
            .anyMatch(s -> Math.abs(s / spot - 1) < 1e-6);
        assertThat(spot).as("SOL per token").isLessThan(1e-5);
      }
    }
  }
}
