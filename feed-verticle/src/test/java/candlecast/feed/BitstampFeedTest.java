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
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Bitstamp source against a fake Bitstamp on loopback (WebSocket + REST, same shapes as the
 * real one) and a real Kafka broker. Every scenario ends with the same check: the {@code trades}
 * topic holds exactly the fake's ground-truth trades of each symbol, in order, each once, and the
 * watermark contract holds.
 */
class BitstampFeedTest {
  private static final Logger LOG = LoggerFactory.getLogger(BitstampFeedTest.class);
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

  private CandlecastConfig config(List<String> symbols) {
    return CandlecastConfig.defaults()
        .with(Settings.FEED_BOOKS, false) // books have their own tests (BitstampBookFeedTest)
        .with(Settings.FEED_SOURCE, "bitstamp")
        .with(Settings.FEED_SYMBOLS, symbols)
        .with(Settings.BITSTAMP_WS_URL, fake.wsUrl())
        .with(Settings.BITSTAMP_REST_URL, fake.restUrl())
        .with(Settings.BITSTAMP_HEARTBEAT_MS, 200L)
        .with(Settings.BITSTAMP_SILENCE_MS, 1_500L)
        .with(Settings.BITSTAMP_BACKOFF_MIN_MS, 50L)
        .with(Settings.BITSTAMP_BACKOFF_MAX_MS, 1_000L)
        .with(Settings.BITSTAMP_SUBSCRIBE_TIMEOUT_MS, 2_000L)
        .with(Settings.BITSTAMP_WATERMARK_LAG_MS, 300L)
        .with(Settings.FEED_WATERMARK_MS, 100L)
        // these scenarios start with an empty log and an exchange without history (first starts:
        // FeedResumeTest)
        .with(Settings.FEED_FIRST_BACKFILL, "none");
  }

  private FeedVerticle deploy(CandlecastConfig config) throws Exception {
    FeedVerticle feed = new FeedVerticle(config, kafka.bootstrapServers());
    deployment = await(vertx.deployVerticle(feed));
    return feed;
  }

  @SuppressWarnings(
      "UnusedVariable") // the argument names, at each call, which feed's health is read: the
  // deployed one
  private static JsonObject state(FeedVerticle feed) throws Exception {
    JsonObject health =
        await(vertx.eventBus().<JsonObject>request(FeedVerticle.HEALTH_ADDRESS, new JsonObject()))
            .body();
    return health.getJsonObject("sources").getJsonObject("bitstamp");
  }

  private static void until(Callable<Boolean> condition) {
    await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(20)).until(condition);
  }

  private static List<String> upper(List<String> pairs) {
    return pairs.stream().map(p -> p.toUpperCase(Locale.ROOT)).toList();
  }

  /**
   * Stops the stream, waits for the topic to hold as many trades per symbol as the fake published,
   * stops the feed (so everything it wrote is acknowledged) and compares the whole topic with the
   * ground truth.
   */
  @SuppressWarnings(
      "UnusedVariable") // as in state(feed): the argument names the feed that wrote the topic
  private void assertTopicHoldsExactlyTheTruth(FeedVerticle feed, List<String> pairs)
      throws Exception {
    fake.stopStream();
    try (TestKafka.TopicLog log = new TestKafka.TopicLog(kafka.bootstrapServers(), Topics.TRADES)) {
      for (String p : pairs) {
        int expected = fake.truth(p).size();
        String symbol = p.toUpperCase(Locale.ROOT);
        await()
            .atMost(Duration.ofSeconds(30))
            .pollInterval(Duration.ofMillis(1))
            .until(() -> log.poll(100).tradeCount(symbol) >= expected);
      }
      await(vertx.undeploy(deployment));
      deployment = null;
      log.readToEnd();
      for (String p : pairs) {
        String symbol = p.toUpperCase(Locale.ROOT);
        List<Trade> truth = fake.truth(p);
        List<Trade> got = log.trades(symbol);
        assertThat(got.stream().map(Trade::id).toList())
            .as("%s ids in the topic, in order, each once", symbol)
            .isEqualTo(truth.stream().map(Trade::id).toList());
        for (int i = 0; i < truth.size(); i++) {
          Trade want = truth.get(i);
          Trade have = got.get(i);
          assertThat(have.price()).isEqualTo(want.price());
          assertThat(have.amount()).isEqualTo(want.amount());
          assertThat(have.side()).isEqualTo(want.side());
          // Live trades carry the exact time; back-filled ones REST's whole second.
          assertThat(have.time())
              .as("time of %s", want)
              .isBetween(want.time() / 1000 * 1000, want.time());
        }
        TestKafka.assertWatermarkContract(symbol, log.records(symbol));
      }
    }
    assertThat(fake.oversizedClientFrames).as("client frames stay under 512 bytes").isEmpty();
  }

  @Test
  void steadyStreamWithHeartbeatsAndWatermarksForAQuietSymbol() throws Exception {
    List<String> pairs = List.of("s1btcusd", "s1ethusd");
    fake = FakeBitstamp.start(pairs.toArray(String[]::new));
    FeedVerticle feed = deploy(config(upper(pairs)));
    until(() -> fake.subscribed(pairs));
    fake.emit("s1ethusd"); // then quiet
    fake.stream(List.of("s1btcusd"), 1);
    until(() -> fake.truth("s1btcusd").size() >= 150 && fake.heartbeats.get() >= 3);

    JsonObject s = state(feed);
    assertThat(s.getString("status")).isEqualTo("UP");
    assertThat(s.getString("state")).isEqualTo("live");
    assertThat(s.getBoolean("connected")).isTrue();
    assertThat(s.getLong("reconnects")).isZero();
    assertThat(s.getLong("tradesIn")).isPositive();
    assertThat(s.getLong("lastTradeTime")).isGreaterThan(System.currentTimeMillis() - 10_000);
    assertThat(s.getLong("clamped")).isZero();
    long before = System.currentTimeMillis();
    try (TestKafka.TopicLog log = new TestKafka.TopicLog(kafka.bootstrapServers(), Topics.TRADES)) {
      // The quiet symbol gets watermarks that follow the clock (minus the 300 ms lag).
      await()
          .atMost(Duration.ofSeconds(10))
          .until(
              () -> {
                List<Long> wm = log.poll(100).watermarks("S1ETHUSD");
                return !wm.isEmpty() && wm.get(wm.size() - 1) >= before - 300;
              });
    }
    assertTopicHoldsExactlyTheTruth(feed, pairs);
  }

  @Test
  void abruptDisconnectsLoseNothingAndTheOutageIsBackFilledFromRest() throws Exception {
    List<String> pairs = List.of("s2btcusd", "s2ethusd");
    fake = FakeBitstamp.start(pairs.toArray(String[]::new));
    FeedVerticle feed = deploy(config(upper(pairs)));
    until(() -> fake.subscribed(pairs));
    fake.stream(pairs, 1);
    until(() -> fake.truth("s2btcusd").size() >= 100);

    // 1. A plain TCP cut mid-stream: reconnect at once, back-fill the few trades missed. Measure
    // the recovery.
    List<Long> recoveries = new ArrayList<>();
    for (int i = 1; i <= 3; i++) {
      fake.proxy().cut();
      int round = i;
      until(
          () ->
              state(feed).getLong("reconnects") >= round
                  && "live".equals(state(feed).getString("state"))
                  && state(feed).getLong("backfills") >= round);
      recoveries.add(state(feed).getLong("lastRecoveryMs"));
      int seen = fake.truth("s2btcusd").size();
      until(() -> fake.truth("s2btcusd").size() >= seen + 50);
    }
    LOG.info(
        "recovery after a forced disconnect (outage start to live again, back-fill included): {} ms",
        recoveries);

    // 2. A longer outage (new connections refused) with trades during it, and the first REST call
    // failing.
    fake.proxy().block(true);
    fake.proxy().cut();
    int atCut = fake.truth("s2ethusd").size();
    until(
        () ->
            "connecting".equals(state(feed).getString("state"))
                && state(feed).getLong("connectFailures") >= 2);
    until(() -> fake.truth("s2ethusd").size() >= atCut + 100);
    fake.restFailures.set(1);
    fake.proxy().block(false);
    until(
        () ->
            "live".equals(state(feed).getString("state")) && state(feed).getLong("backfills") >= 5);
    JsonObject s = state(feed);
    assertThat(s.getLong("backfillFailures")).isEqualTo(1);
    assertThat(s.getLong("backfilled"))
        .as("trades recovered from REST")
        .isGreaterThanOrEqualTo(100);
    assertThat(fake.restCalls).contains("s2btcusd?time=minute", "s2ethusd?time=minute");
    int seen = fake.truth("s2btcusd").size();
    until(() -> fake.truth("s2btcusd").size() >= seen + 50);
    assertTopicHoldsExactlyTheTruth(feed, pairs);
  }

  @Test
  void requestReconnectSubscribesTheNewConnectionBeforeDroppingTheOld() throws Exception {
    List<String> pairs = List.of("s3btcusd", "s3ethusd");
    fake = FakeBitstamp.start(pairs.toArray(String[]::new));
    FeedVerticle feed = deploy(config(upper(pairs)));
    until(() -> fake.subscribed(pairs));
    fake.stream(pairs, 1);
    until(() -> fake.truth("s3btcusd").size() >= 100);
    fake.requestReconnectAll();
    until(() -> fake.events.contains("closed #1"));
    List<String> events = new ArrayList<>(fake.events);
    int closed = events.indexOf("closed #1");
    assertThat(events.indexOf("open #2")).isBetween(0, closed);
    for (String p : pairs) {
      assertThat(events.indexOf("subscribed #2 live_trades_" + p)).as(p).isBetween(0, closed);
    }
    int seen = fake.truth("s3btcusd").size();
    until(() -> fake.truth("s3btcusd").size() >= seen + 100);
    JsonObject s = state(feed);
    assertThat(s.getLong("maintenanceReconnects")).isEqualTo(1);
    assertThat(s.getLong("backfills")).as("coverage never lapsed").isZero();
    assertThat(fake.restCalls).isEmpty();
    assertThat(fake.openConnections()).isEqualTo(1);
    assertTopicHoldsExactlyTheTruth(feed, pairs);
  }

  @Test
  void silenceTripsTheWatchdogAndTheSilentStretchIsBackFilled() throws Exception {
    List<String> pairs = List.of("s4btcusd");
    fake = FakeBitstamp.start(pairs.toArray(String[]::new));
    FeedVerticle feed = deploy(config(upper(pairs)).with(Settings.BITSTAMP_SILENCE_MS, 1_000L));
    until(() -> fake.subscribed(pairs));
    fake.stream(pairs, 1);
    until(() -> fake.truth("s4btcusd").size() >= 100);
    long t0 = System.nanoTime();
    fake.silenceAll(); // the connection stays open but says nothing, not even heartbeat replies
    until(
        () ->
            state(feed).getLong("reconnects") >= 1
                && "live".equals(state(feed).getString("state")));
    long ms = (System.nanoTime() - t0) / 1_000_000;
    assertThat(ms)
        .as("the watchdog waits for the configured silence")
        .isGreaterThanOrEqualTo(1_000);
    JsonObject s = state(feed);
    assertThat(s.getString("lastError")).contains("watchdog");
    assertThat(s.getLong("backfilled")).isPositive();
    assertThat(fake.restCalls).contains("s4btcusd?time=minute");
    int seen = fake.truth("s4btcusd").size();
    until(() -> fake.truth("s4btcusd").size() >= seen + 50);
    assertTopicHoldsExactlyTheTruth(feed, pairs);
  }

  @Test
  void badFramesGoToTheDeadLetterTopicAndDuplicatesAreDropped() throws Exception {
    List<String> pairs = List.of("s5btcusd");
    fake = FakeBitstamp.start(pairs.toArray(String[]::new));
    FeedVerticle feed = deploy(config(upper(pairs)));
    until(() -> fake.subscribed(pairs));
    fake.stream(pairs, 1);
    until(() -> fake.truth("s5btcusd").size() >= 50);
    String ch = "live_trades_s5btcusd";
    long micros = System.currentTimeMillis() * 1000;
    String good =
        "\"microtimestamp\":\""
            + micros
            + "\",\"amount_str\":\"0.5\",\"price_str\":\"100.00\",\"type\":0";
    List<String> bad =
        List.of(
            "{not json s5",
            trade(
                ch,
                "{\"id\":1001,\"microtimestamp\":\""
                    + micros
                    + "\",\"amount_str\":\"0.5\",\"price_str\":\"abc\","
                    + "\"type\":0}"),
            trade(
                ch,
                "{\"id\":1002,\"microtimestamp\":\""
                    + micros
                    + "\",\"amount_str\":\"0.5\",\"price_str\":\"0\","
                    + "\"type\":0}"),
            trade(
                ch,
                "{\"id\":1003,\"microtimestamp\":\""
                    + micros
                    + "\",\"amount_str\":\"-1\",\"price_str\":\"100\","
                    + "\"type\":1}"),
            trade(ch, "{" + good + "}"),
            trade(
                ch,
                "{\"id\":1005,\"microtimestamp\":\""
                    + micros
                    + "\",\"amount_str\":\"0.5\",\"price_str\":\"100\","
                    + "\"type\":7}"),
            trade(
                ch,
                "{\"id\":1006,\"microtimestamp\":\""
                    + (micros - 7_200_000_000L)
                    + "\",\"amount_str\":\"0.5\","
                    + "\"price_str\":\"100\",\"type\":1}"),
            trade(
                ch,
                "{\"id\":1007,\"microtimestamp\":\""
                    + micros
                    + "\",\"amount_str\":\"NaN\",\"price_str\":\"100\","
                    + "\"type\":1}"),
            trade("live_trades_s5zzzusd", "{\"id\":1008," + good + "}"),
            "{\"event\":\"trade\",\"channel\":\""
                + ch
                + "\",\"data\":{\"s5\":\""
                + "x".repeat(100_000)
                + "\"}}");
    for (String frame : bad) {
      fake.sendRaw(null, frame);
    }
    fake.sendRaw(
        null,
        "{\"event\":\"bts:error\",\"channel\":\"\",\"data\":{\"code\":null,"
            + "\"message\":\"Bad subscription string.\"}}");
    for (int i = 0; i < 3; i++) {
      fake.repeatLast("s5btcusd");
    }
    until(
        () ->
            state(feed).getLong("rejected") >= bad.size()
                && state(feed).getLong("duplicates") >= 3);
    int seen = fake.truth("s5btcusd").size();
    until(() -> fake.truth("s5btcusd").size() >= seen + 30);
    JsonObject s = state(feed);
    assertThat(s.getLong("rejected")).isEqualTo(bad.size());
    assertThat(s.getLong("duplicates")).isEqualTo(3);
    assertThat(s.getLong("serverErrors")).isEqualTo(1);
    assertThat(s.getString("lastError")).isEqualTo("bts:error: Bad subscription string.");
    assertThat(s.getString("state")).as("the connection survives all of it").isEqualTo("live");
    assertThat(s.getLong("reconnects")).isZero();
    assertTopicHoldsExactlyTheTruth(feed, pairs);

    try (TestKafka.TopicLog dlq =
        new TestKafka.TopicLog(kafka.bootstrapServers(), Topics.TRADES_DLQ)) {
      List<JsonObject> mine =
          dlq.readToEnd().json().stream()
              .filter(
                  j ->
                      "bitstamp".equals(j.getString("source"))
                          && j.encode().toLowerCase(Locale.ROOT).contains("s5"))
              .toList();
      Set<String> reasons =
          mine.stream().map(j -> j.getString("reason")).collect(Collectors.toSet());
      assertThat(mine).hasSize(bad.size());
      assertThat(reasons).anyMatch(r -> r.startsWith("malformed JSON"));
      assertThat(reasons)
          .contains(
              "malformed price_str 'abc'",
              "price must be finite and > 0, was 0.0",
              "amount must be finite and >= 0, was -1.0",
              "missing or negative id",
              "unknown side",
              "amount must be finite and >= 0, was NaN",
              "trade on unknown channel 'live_trades_s5zzzusd'");
      assertThat(reasons)
          .anyMatch(r -> r.matches("time \\d+ is 720\\d{4} ms behind the local clock.*"));
      assertThat(reasons).anyMatch(r -> r.startsWith("oversized frame: 1000"));
    }
  }

  private static String trade(String channel, String data) {
    return "{\"event\":\"trade\",\"channel\":\"" + channel + "\",\"data\":" + data + "}";
  }

  @Test
  void aChannelTheExchangeRefusesIsReportedWhileTheOthersFlow() throws Exception {
    List<String> pairs = List.of("s6btcusd");
    fake = FakeBitstamp.start(pairs.toArray(String[]::new));
    FeedVerticle feed =
        deploy(
            config(List.of("S6BTCUSD", "S6NOPE"))
                .with(Settings.BITSTAMP_SUBSCRIBE_TIMEOUT_MS, 500L));
    until(() -> "live".equals(state(feed).getString("state")));
    JsonObject s = state(feed);
    assertThat(s.getJsonArray("unsubscribed").getList()).containsExactly("live_trades_s6nope");
    assertThat(s.getLong("serverErrors")).isEqualTo(1);
    fake.stream(pairs, 1);
    until(() -> fake.truth("s6btcusd").size() >= 100);
    assertTopicHoldsExactlyTheTruth(feed, pairs);
  }

  @Test
  void reconnectsWithGrowingBackOffWhileTheExchangeIsUnreachable() throws Exception {
    List<String> pairs = List.of("s7btcusd");
    fake = FakeBitstamp.start(pairs.toArray(String[]::new));
    fake.proxy().block(true);
    long t0 = System.nanoTime();
    FeedVerticle feed = deploy(config(upper(pairs)).with(Settings.BITSTAMP_BACKOFF_MAX_MS, 400L));
    until(() -> state(feed).getLong("connectFailures") >= 6);
    long ms = (System.nanoTime() - t0) / 1_000_000;
    // Delays of at least 25, 50, 100, 200, 200 ms (half of 50, 100, 200, 400, 400): no tight loop.
    assertThat(ms).isGreaterThanOrEqualTo(575);
    JsonObject s = state(feed);
    assertThat(s.getString("status")).isEqualTo("DOWN");
    assertThat(s.getBoolean("connected")).isFalse();
    JsonObject health =
        await(vertx.eventBus().<JsonObject>request(FeedVerticle.HEALTH_ADDRESS, new JsonObject()))
            .body();
    assertThat(health.getString("status")).isEqualTo("DOWN");
    fake.proxy().block(false);
    until(() -> "live".equals(state(feed).getString("state")));
    assertThat(state(feed).getLong("backfills"))
        .as("nothing to back-fill before the first subscription")
        .isZero();
    fake.stream(pairs, 1);
    until(() -> fake.truth("s7btcusd").size() >= 50);
    assertTopicHoldsExactlyTheTruth(feed, pairs);
  }
}
