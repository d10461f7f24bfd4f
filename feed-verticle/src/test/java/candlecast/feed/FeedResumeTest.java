package candlecast.feed;

import static candlecast.feed.TestKafka.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import candlecast.common.GapRecord;
import candlecast.common.Topics;
import candlecast.common.Trade;
import candlecast.common.TradeCodec;
import candlecast.common.config.CandlecastConfig;
import candlecast.common.config.Settings;
import candlecast.common.kafka.EmbeddedKafka;
import candlecast.common.kafka.KafkaTopics;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The feed is exact over its whole life against a Bitstamp-protocol exchange on loopback: a first
 * start after the exchange traded for a while, a restart after trades it missed, a standby taking
 * over from a leader that left, and a gap older than the exchange serves. The oracle is the fake
 * exchange's own record of every trade it published.
 */
class FeedResumeTest {
  private static EmbeddedKafka kafka;
  private static Vertx vertx;
  private static Vertx otherNode;
  private final List<FakeBitstamp> fakes = new ArrayList<>();

  @BeforeAll
  static void start() throws Exception {
    kafka = TestKafka.shared();
    vertx = Vertx.vertx();
    otherNode = Vertx.vertx();
  }

  @AfterAll
  static void stop() throws Exception {
    await(vertx.close());
    await(otherNode.close());
  }

  @AfterEach
  void undeployAll() throws Exception {
    for (Vertx v : List.of(vertx, otherNode)) {
      for (String id : v.deploymentIDs()) {
        await(v.undeploy(id));
      }
    }
    for (FakeBitstamp f : fakes) {
      f.close();
    }
  }

  private FakeBitstamp exchange(String pair) throws Exception {
    FakeBitstamp f = FakeBitstamp.start(pair);
    fakes.add(f);
    return f;
  }

  private static CandlecastConfig config(FakeBitstamp fake, String pair, String firstBackfill) {
    return CandlecastConfig.defaults()
        .with(Settings.FEED_SOURCE, "bitstamp")
        .with(Settings.FEED_SYMBOLS, List.of(pair.toUpperCase(Locale.ROOT)))
        .with(Settings.BITSTAMP_WS_URL, fake.wsUrl())
        .with(Settings.BITSTAMP_REST_URL, fake.restUrl())
        .with(Settings.BITSTAMP_HEARTBEAT_MS, 200L)
        .with(Settings.BITSTAMP_BACKOFF_MIN_MS, 50L)
        .with(Settings.BITSTAMP_BACKOFF_MAX_MS, 500L)
        .with(Settings.BITSTAMP_WATERMARK_LAG_MS, 300L)
        .with(Settings.FEED_WATERMARK_MS, 100L)
        .with(Settings.FEED_LEASE_TIMEOUT_MS, 1_500L)
        .with(Settings.FEED_FIRST_BACKFILL, firstBackfill);
  }

  /**
   * Waits for a few trades more than now, stops the stream and returns the exchange's complete
   * record.
   */
  private static List<Trade> streamABitThenStop(FakeBitstamp fake, String pair, int more)
      throws Exception {
    int before = fake.truth(pair).size();
    await().atMost(Duration.ofSeconds(30)).until(() -> fake.truth(pair).size() >= before + more);
    fake.stopStream();
    return fake.truth(pair);
  }

  /**
   * Reads {@code trades} until it holds {@code expected} trades of the symbol, then returns its
   * trades, in order.
   */
  private static List<Trade> logged(String symbol, int expected) {
    try (TestKafka.TopicLog log = new TestKafka.TopicLog(kafka.bootstrapServers(), Topics.TRADES)) {
      await()
          .atMost(Duration.ofSeconds(30))
          .until(() -> log.poll(100).tradeCount(symbol) >= expected);
      log.readToEnd();
      return tradesOf(log, symbol);
    }
  }

  private static List<Trade> tradesOf(TestKafka.TopicLog log, String symbol) {
    return log.trades(symbol);
  }

  private static void assertExactlyOnceInOrder(List<Trade> got, List<Trade> truth) {
    assertThat(got.stream().map(Trade::id).toList())
        .as("ids in the log, in order, each once")
        .isEqualTo(truth.stream().map(Trade::id).toList());
    for (int i = 0; i < truth.size(); i++) {
      assertThat(got.get(i).price()).isEqualTo(truth.get(i).price());
      assertThat(got.get(i).amount()).isEqualTo(truth.get(i).amount());
      // live trades keep their exact time, back-filled ones REST's whole second
      assertThat(got.get(i).time())
          .isBetween(truth.get(i).time() / 1000 * 1000, truth.get(i).time());
    }
  }

  @Test
  void aFirstStartBackFillsTheCurrentHourSoTheFirstCandlesAreComplete() throws Exception {
    String pair = "rsonebtc";
    FakeBitstamp fake = exchange(pair);
    fake.stream(List.of(pair), 2);
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> fake.truth(pair).size() >= 300); // trading before we start
    long startedAt = System.currentTimeMillis();
    await(
        vertx.deployVerticle(
            new FeedVerticle(config(fake, pair, "hour"), kafka.bootstrapServers())));
    List<Trade> truth = streamABitThenStop(fake, pair, 100);
    long hour = startedAt - Math.floorMod(startedAt, 3_600_000L);
    List<Trade> expected = truth.stream().filter(t -> t.time() >= hour).toList();
    assertThat(expected.size())
        .as("trades from before the start are expected too")
        .isGreaterThan(300);
    assertExactlyOnceInOrder(logged(pair.toUpperCase(Locale.ROOT), expected.size()), expected);
  }

  @Test
  void aRestartGoesOnAfterTheLastTradeInTheLogWithNothingLostOrDoubled() throws Exception {
    String pair = "rstwobtc";
    FakeBitstamp fake = exchange(pair);
    FeedVerticle firstFeed = new FeedVerticle(config(fake, pair, "none"), kafka.bootstrapServers());
    String first = await(vertx.deployVerticle(firstFeed));
    awaitLive(firstFeed);
    fake.stream(List.of(pair), 2);
    int before = fake.truth(pair).size();
    await().atMost(Duration.ofSeconds(30)).until(() -> fake.truth(pair).size() >= before + 200);
    await(vertx.undeploy(first));
    int down = fake.truth(pair).size();
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> fake.truth(pair).size() >= down + 200); // missed while down
    // first-backfill none: the restart must go on from the log's tail, not from "now"
    FeedVerticle second = new FeedVerticle(config(fake, pair, "none"), kafka.bootstrapServers());
    await(vertx.deployVerticle(second));
    List<Trade> truth = streamABitThenStop(fake, pair, 100);
    assertExactlyOnceInOrder(logged(pair.toUpperCase(Locale.ROOT), truth.size()), truth);
    assertThat(
            second
                .health()
                .getJsonObject("sources")
                .getJsonObject("bitstamp")
                .getLong("backfilled"))
        .as("the trades missed while down came from REST")
        .isGreaterThanOrEqualTo(200);
  }

  @Test
  void aStandbyTakesOverWhenTheLeaderLeavesAndTheLogHasEveryTradeOnce() throws Exception {
    String pair = "rsthrbtc";
    FakeBitstamp fake = exchange(pair);
    FeedVerticle a = new FeedVerticle(config(fake, pair, "none"), kafka.bootstrapServers());
    String aId = await(vertx.deployVerticle(a));
    awaitLive(a);
    fake.stream(List.of(pair), 2);
    FeedVerticle b = new FeedVerticle(config(fake, pair, "none"), kafka.bootstrapServers());
    await(otherNode.deployVerticle(b));
    assertThat(a.leading()).isTrue();
    assertThat(b.leading()).as("one leader; the other stands by").isFalse();
    assertThat(b.health().getString("role")).isEqualTo("standby");
    int before = fake.truth(pair).size();
    await().atMost(Duration.ofSeconds(30)).until(() -> fake.truth(pair).size() >= before + 200);
    await(vertx.undeploy(aId));
    await().atMost(Duration.ofSeconds(30)).until(b::leading);
    List<Trade> truth = streamABitThenStop(fake, pair, 200);
    assertExactlyOnceInOrder(logged(pair.toUpperCase(Locale.ROOT), truth.size()), truth);
  }

  @Test
  void aGapOlderThanTheExchangeServesIsRecordedNotHidden() throws Exception {
    String pair = "rsfourbtc";
    String symbol = pair.toUpperCase(Locale.ROOT);
    FakeBitstamp fake = exchange(pair);
    long twoDaysAgo = System.currentTimeMillis() - 2 * 86_400_000L;
    // an earlier feed wrote this symbol's last trade two days ago; the exchange serves one day back
    Map<String, Object> props = new HashMap<>(KafkaTopics.producerProps(kafka.bootstrapServers()));
    try (KafkaProducer<String, byte[]> p = new KafkaProducer<>(props)) {
      p.send(
              new ProducerRecord<>(
                  Topics.TRADES,
                  symbol,
                  TradeCodec.encode(
                      new Trade(symbol, 5, twoDaysAgo, 30_000, 0.1, candlecast.common.Side.BUY))))
          .get();
    }
    fake.stream(List.of(pair), 1);
    await(
        vertx.deployVerticle(
            new FeedVerticle(config(fake, pair, "none"), kafka.bootstrapServers())));
    List<Trade> truth = streamABitThenStop(fake, pair, 100);
    try (TestKafka.TopicLog log = new TestKafka.TopicLog(kafka.bootstrapServers(), Topics.TRADES)) {
      await()
          .atMost(Duration.ofSeconds(30))
          .until(() -> log.poll(100).tradeCount(symbol) >= truth.size() + 1);
      log.readToEnd();
      List<Trade> got = tradesOf(log, symbol);
      assertThat(got.get(0).id()).isEqualTo(5);
      assertExactlyOnceInOrder(got.subList(1, got.size()), truth);
      List<GapRecord> gaps =
          log.records(symbol).stream()
              .filter(r -> r instanceof GapRecord)
              .map(r -> (GapRecord) r)
              .toList();
      assertThat(gaps).as("one gap record").hasSize(1);
      assertThat(gaps.get(0).from()).isEqualTo(twoDaysAgo);
      long dayAgo = System.currentTimeMillis() - 86_400_000L;
      assertThat(gaps.get(0).to()).isBetween(dayAgo - 120_000, dayAgo + 60_000);
      TestKafka.assertWatermarkContract(symbol, log.records(symbol));
    }
  }

  @Test
  void aOneHourGapIsBackFilledExactlyAndTheTimeItTakesIsReported() throws Exception {
    String pair = "rsfivbtc";
    String symbol = pair.toUpperCase(Locale.ROOT);
    FakeBitstamp fake = exchange(pair);
    int perHour = 36_000; // ten trades a second, Bitstamp's busiest pairs at a busy hour
    fake.history(pair, perHour, 3_590_000L);
    Trade last = fake.truth(pair).get(0); // what an earlier run wrote last, an hour ago
    Map<String, Object> props = new HashMap<>(KafkaTopics.producerProps(kafka.bootstrapServers()));
    try (KafkaProducer<String, byte[]> p = new KafkaProducer<>(props)) {
      p.send(new ProducerRecord<>(Topics.TRADES, symbol, TradeCodec.encode(last))).get();
    }
    FeedVerticle feed = new FeedVerticle(config(fake, pair, "none"), kafka.bootstrapServers());
    long t0 = System.nanoTime();
    await(vertx.deployVerticle(feed));
    awaitLive(feed);
    long ms = (System.nanoTime() - t0) / 1_000_000;
    fake.stream(List.of(pair), 1);
    List<Trade> truth = streamABitThenStop(fake, pair, 50);
    assertExactlyOnceInOrder(logged(symbol, truth.size()), truth);
    System.out.println(
        "BACKFILL FIGURES: a 1-hour gap of "
            + (perHour - 1)
            + " trades back-filled and live in "
            + ms
            + " ms (start of the feed to live; fake exchange on loopback)");
  }

  private static void awaitLive(FeedVerticle feed) {
    await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () -> {
              JsonObject sources = feed.health().getJsonObject("sources");
              return sources != null
                  && "live".equals(sources.getJsonObject("bitstamp").getString("state"));
            });
  }
}
