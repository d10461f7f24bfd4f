package candlecast.feed;

import static candlecast.feed.TestKafka.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import candlecast.common.Book;
import candlecast.common.BookCodec;
import candlecast.common.Topics;
import candlecast.common.config.CandlecastConfig;
import candlecast.common.config.Settings;
import candlecast.common.kafka.EmbeddedKafka;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Bitstamp order books from a fake Bitstamp that keeps a true book per pair (streamed as diffs and
 * top-of-book snapshots, served whole over REST) through the feed into the {@code books} topic of a
 * real broker. Each phase ends with the book in Kafka equal to the exchange's, and every book ever
 * written equal to the exchange's book at its instant: a fault may delay a book, never falsify one.
 */
class BitstampBookFeedTest {
  private static EmbeddedKafka kafka;
  private static Vertx vertx;
  private FakeBitstamp fake;
  private String deployment;

  @BeforeAll
  static void startKafka() throws Exception {
    kafka = TestKafka.shared();
    vertx = Vertx.vertx();
  }

  @AfterAll
  static void stopVertx() throws Exception {
    await(vertx.close());
  }

  @AfterEach
  void cleanUp() throws Exception {
    if (deployment != null && vertx.deploymentIDs().contains(deployment)) {
      await(vertx.undeploy(deployment));
    }
    if (fake != null) {
      fake.close();
    }
  }

  private void deploy(List<String> pairs) throws Exception {
    CandlecastConfig config =
        CandlecastConfig.defaults()
            .with(Settings.FEED_SOURCE, "bitstamp")
            .with(
                Settings.FEED_SYMBOLS, pairs.stream().map(p -> p.toUpperCase(Locale.ROOT)).toList())
            .with(Settings.BITSTAMP_WS_URL, fake.wsUrl())
            .with(Settings.BITSTAMP_REST_URL, fake.restUrl())
            .with(Settings.BITSTAMP_HEARTBEAT_MS, 200L)
            .with(Settings.BITSTAMP_SILENCE_MS, 1_500L)
            .with(Settings.BITSTAMP_BACKOFF_MIN_MS, 50L)
            .with(Settings.BITSTAMP_BACKOFF_MAX_MS, 500L)
            .with(Settings.FEED_BOOK_INTERVAL_MS, 50L);
    deployment = await(vertx.deployVerticle(new FeedVerticle(config, kafka.bootstrapServers())));
  }

  /**
   * The feed's state of one symbol's book ({@code state}, {@code resyncs}, {@code lastResync},
   * ...).
   */
  private static JsonObject bookState(String pair) throws Exception {
    return bitstampBooks().getJsonObject("books").getJsonObject(pair.toUpperCase(Locale.ROOT));
  }

  private static JsonObject bitstampBooks() throws Exception {
    JsonObject health =
        await(vertx.eventBus().<JsonObject>request(FeedVerticle.HEALTH_ADDRESS, new JsonObject()))
            .body();
    return health.getJsonObject("books").getJsonObject("sources").getJsonObject("bitstamp");
  }

  private static void until(Callable<Boolean> condition) {
    await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(20)).until(condition);
  }

  /** The books of {@code pair} in the topic, in log order. */
  private static List<Book> books(TestKafka.TopicLog log, String pair) {
    List<Book> out = new ArrayList<>();
    for (byte[] v : log.byKey.getOrDefault(pair.toUpperCase(Locale.ROOT), List.of())) {
      out.add(BookCodec.decode(v));
    }
    return out;
  }

  /**
   * Stops the market, then waits until the newest book of each pair in the topic is the exchange's
   * book.
   */
  private void quiesceAndAwaitTruth(TestKafka.TopicLog log, List<String> pairs) throws Exception {
    fake.stopBooks();
    for (String p : pairs) {
      Book truth = fake.bookTruth(p);
      until(
          () -> {
            List<Book> got = books(log.poll(50), p);
            return !got.isEmpty() && got.get(got.size() - 1).equals(truth);
          });
    }
  }

  /**
   * Every book written for {@code pair} is valid, not older than its predecessor, and the
   * exchange's at its time.
   */
  private void assertEveryBookWasTrue(TestKafka.TopicLog log, String pair) throws Exception {
    long previous = Long.MIN_VALUE;
    List<Book> all = books(log, pair);
    assertThat(all).hasSizeGreaterThan(5);
    for (Book b : all) {
      assertThat(b.problem()).as("valid, not crossed").isNull();
      assertThat(b.timeUs()).as("time order").isGreaterThanOrEqualTo(previous);
      previous = b.timeUs();
      assertThat(b)
          .as("the exchange's book at %d", b.timeUs())
          .isEqualTo(fake.bookAt(pair, b.timeUs()));
      assertThat(b.bids()).hasSize(100);
      assertThat(b.asks()).hasSize(100);
    }
  }

  private long resyncs(String pair) throws Exception {
    return bookState(pair).getLong("resyncs");
  }

  private void awaitSynced(List<String> pairs) {
    until(
        () -> {
          for (String p : pairs) {
            if (!"synced".equals(bookState(p).getString("state"))) {
              return false;
            }
          }
          return true;
        });
  }

  @Test
  void theBookEqualsTheExchangesAfterSnapshotsDiffsAReconnectAndInjectedFaults() throws Exception {
    List<String> pairs = List.of("bkbtcusd", "bkethusd");
    fake = FakeBitstamp.start(pairs.toArray(String[]::new));
    deploy(pairs);
    until(() -> fake.bookSubscribed(pairs));
    try (TestKafka.TopicLog log = new TestKafka.TopicLog(kafka.bootstrapServers(), Topics.BOOKS)) {
      // 1. snapshot, then diffs
      fake.streamBooks(pairs, 1);
      awaitSynced(pairs);
      until(
          () ->
              books(log.poll(50), pairs.get(0)).size() >= 5
                  && books(log, pairs.get(1)).size() >= 5);
      quiesceAndAwaitTruth(log, pairs);
      assertThat(fake.bookRestCalls).containsAll(pairs);

      // 2. the connection is cut mid-stream: every book resyncs from a fresh snapshot
      int restBefore = fake.bookRestCalls.size();
      fake.streamBooks(pairs, 1);
      until(() -> books(log.poll(50), pairs.get(0)).size() >= 10);
      fake.proxy().cut();
      until(() -> bitstampBooks().getLong("connections") >= 2);
      awaitSynced(pairs);
      until(() -> fake.bookRestCalls.size() >= restBefore + 2);
      quiesceAndAwaitTruth(log, pairs);

      // 3. an old diff sent again (out of order): a resync, not a wrong book
      fake.streamBooks(pairs, 1);
      long changed = books(log.poll(50), pairs.get(0)).size();
      until(() -> books(log.poll(50), pairs.get(0)).size() >= changed + 5);
      long before = resyncs(pairs.get(0));
      fake.resendOldDiff(pairs.get(0));
      until(() -> resyncs(pairs.get(0)) > before);
      assertThat(bookState(pairs.get(0)).getString("lastResync")).startsWith("out-of-order diff");
      awaitSynced(pairs);
      quiesceAndAwaitTruth(log, pairs);

      // 4. a diff that never arrives: caught by the next top-of-book, then a resync
      fake.streamBooks(pairs, 1);
      long before2 = resyncs(pairs.get(1));
      fake.loseNextDiff(pairs.get(1));
      until(() -> resyncs(pairs.get(1)) > before2);
      assertThat(bookState(pairs.get(1)).getString("lastResync")).contains("differs from the book");
      awaitSynced(pairs);
      quiesceAndAwaitTruth(log, pairs);

      for (String p : pairs) {
        assertEveryBookWasTrue(log, p);
      }
    }
  }
}
