package candlecast.feed;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import candlecast.common.Codecs;
import candlecast.common.Side;
import candlecast.common.Topics;
import candlecast.common.Trade;
import candlecast.common.config.CandlecastConfig;
import candlecast.common.config.Settings;
import candlecast.common.kafka.EmbeddedKafka;
import candlecast.common.kafka.KafkaTopics;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.kafka.client.producer.KafkaProducer;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The feed against a real in-process Kafka broker. */
class FeedVerticleTest {
  @TempDir
  static Path dataDir;
  private static EmbeddedKafka kafka;
  private static Vertx vertx;

  @BeforeAll
  static void startKafka() throws Exception {
    kafka = EmbeddedKafka.start(dataDir, 0);
    vertx = Vertx.vertx();
    await(KafkaTopics.ensureTopics(vertx, kafka.bootstrapServers(), 2));
  }

  @AfterAll
  static void stopKafka() throws Exception {
    if (vertx != null) {
      await(vertx.close());
    }
    if (kafka != null) {
      kafka.stop();
    }
  }

  @Test
  void mockFeedWritesValidOrderedTradesPerSymbolAndLosesNothingOnUndeploy() throws Exception {
    CandlecastConfig config = CandlecastConfig.defaults()
        .with(Settings.FEED_SOURCE, "mock")
        .with(Settings.FEED_SYMBOLS, List.of("BTCUSD", "ETHUSD"))
        .with(Settings.FEED_RATE, 200.0)
        .with(Settings.FEED_SEED, 1234L);
    FeedVerticle feed = new FeedVerticle(config, kafka.bootstrapServers());
    long before = System.currentTimeMillis();
    String id = await(vertx.deployVerticle(feed));

    Map<String, List<Trade>> bySymbol = new TreeMap<>();
    try (KafkaConsumer<String, byte[]> consumer = tradesConsumer()) {
      // Await (by polling the topic) records of both symbols while the feed runs.
      poll(consumer, bySymbol, () -> count(bySymbol, "BTCUSD") >= 100 && count(bySymbol, "ETHUSD") >= 100, 30_000);

      JsonObject health = await(vertx.eventBus().<JsonObject>request(FeedVerticle.HEALTH_ADDRESS, new JsonObject()))
          .body();
      assertThat(health.getString("status")).isEqualTo("UP");
      assertThat(health.getString("source")).isEqualTo("mock");
      assertThat(health.getLong("tradesIn")).isGreaterThanOrEqualTo(200);
      assertThat(health.getLong("rejected")).isZero();
      assertThat(health.getLong("lastTradeTime")).isGreaterThanOrEqualTo(before);

      await(vertx.undeploy(id));
      FeedStats stats = feed.stats();
      assertThat(stats.sendErrors()).isZero();
      assertThat(stats.rejected()).isZero();
      assertThat(stats.pending()).isZero();
      assertThat(stats.sent()).isEqualTo(stats.tradesIn());

      // Every trade counted as sent is in the topic, exactly once.
      // (Other tests of this class write other symbols to the same topic.)
      poll(consumer, bySymbol, () -> count(bySymbol, "BTCUSD") + count(bySymbol, "ETHUSD") >= stats.sent(), 30_000);
      poll(consumer, bySymbol, () -> false, 500); // anything more would be a duplicate
      assertThat((long) count(bySymbol, "BTCUSD") + count(bySymbol, "ETHUSD")).isEqualTo(stats.sent());
    }

    bySymbol.keySet().retainAll(List.of("BTCUSD", "ETHUSD"));
    assertThat(bySymbol.keySet()).containsExactly("BTCUSD", "ETHUSD");
    for (Map.Entry<String, List<Trade>> e : bySymbol.entrySet()) {
      List<Trade> trades = e.getValue();
      double base = MockTradeGenerator.basePrice(e.getKey());
      for (int i = 0; i < trades.size(); i++) {
        Trade t = trades.get(i);
        assertThat(t.symbol()).isEqualTo(e.getKey());
        assertThat(t.invalidReason()).isNull();
        assertThat(t.price()).isBetween(base * 0.8, base * 1.2);
        assertThat(t.time()).isBetween(before, System.currentTimeMillis());
        if (i > 0) {
          Trade prev = trades.get(i - 1);
          assertThat(t.id()).as("ids strictly increasing").isGreaterThan(prev.id());
          assertThat(t.time()).as("times non-decreasing").isGreaterThanOrEqualTo(prev.time());
        }
      }
      // Ids start at the deploy time in microseconds: unique across restarts.
      assertThat(trades.get(0).id()).isGreaterThanOrEqualTo(before * 1000);
    }
  }

  @Test
  void highRatesAreReachedByBatchingPerTick() throws Exception {
    CandlecastConfig config = CandlecastConfig.defaults()
        .with(Settings.FEED_SYMBOLS, List.of("SOLUSD"))
        .with(Settings.FEED_RATE, 5000.0)
        .with(Settings.FEED_SEED, 99L);
    FeedVerticle feed = new FeedVerticle(config, kafka.bootstrapServers());
    long t0 = System.nanoTime();
    String id = await(vertx.deployVerticle(feed));
    Map<String, List<Trade>> bySymbol = new TreeMap<>();
    try (KafkaConsumer<String, byte[]> consumer = tradesConsumer()) {
      // 10,000 trades take 2 s at the configured rate; allow 15 s for a loaded machine.
      poll(consumer, bySymbol, () -> count(bySymbol, "SOLUSD") >= 10_000, 15_000);
      long elapsedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
      assertThat(elapsedMs).as("time to produce 10,000 trades at 5000/s").isGreaterThanOrEqualTo(1_900);
      await(vertx.undeploy(id));
      FeedStats stats = feed.stats();
      assertThat(stats.sendErrors()).isZero();
      assertThat(stats.sent()).isEqualTo(stats.tradesIn());
      poll(consumer, bySymbol, () -> count(bySymbol, "SOLUSD") >= stats.sent(), 30_000);
      poll(consumer, bySymbol, () -> false, 500);
      assertThat((long) count(bySymbol, "SOLUSD")).isEqualTo(stats.sent());
    }
  }

  @Test
  void keepsEveryTradeWhenTheBrokerRestartsUnderIt() throws Exception {
    CandlecastConfig config = CandlecastConfig.defaults()
        .with(Settings.FEED_SYMBOLS, List.of("XRPUSD"))
        .with(Settings.FEED_RATE, 200.0)
        .with(Settings.FEED_SEED, 5L);
    FeedVerticle feed = new FeedVerticle(config, kafka.bootstrapServers());
    String id = await(vertx.deployVerticle(feed));
    Map<String, List<Trade>> bySymbol = new TreeMap<>();
    try (KafkaConsumer<String, byte[]> consumer = tradesConsumer()) {
      poll(consumer, bySymbol, () -> count(bySymbol, "XRPUSD") >= 50, 30_000);
      int port = kafka.port();
      kafka.stop();
      long sentWhileDown = feed.stats().sent();
      kafka = EmbeddedKafka.start(dataDir, port);
      poll(consumer, bySymbol, () -> feed.stats().sent() >= sentWhileDown + 100, 30_000);
      await(vertx.undeploy(id));
      FeedStats stats = feed.stats();
      assertThat(stats.sendErrors()).isZero();
      assertThat(stats.sent()).isEqualTo(stats.tradesIn());
      poll(consumer, bySymbol, () -> count(bySymbol, "XRPUSD") >= stats.sent(), 30_000);
      poll(consumer, bySymbol, () -> false, 500);
      List<Trade> trades = bySymbol.get("XRPUSD");
      assertThat((long) trades.size()).isEqualTo(stats.sent());
      for (int i = 1; i < trades.size(); i++) {
        assertThat(trades.get(i).id()).isGreaterThan(trades.get(i - 1).id());
      }
    }
  }

  @Test
  void aSourceThatIsNotAvailableFailsDeploymentClearly() {
    for (String source : List.of("bitstamp", "replay")) {
      CandlecastConfig config = CandlecastConfig.defaults().with(Settings.FEED_SOURCE, source);
      assertThatThrownBy(() -> await(vertx.deployVerticle(new FeedVerticle(config, kafka.bootstrapServers()))))
          .hasMessageContaining("feed source " + source + " is not available yet");
    }
    assertThatThrownBy(() -> await(vertx.deployVerticle(new FeedVerticle(CandlecastConfig.defaults(), " "))))
        .hasMessageContaining("bootstrap servers are empty");
  }

  @Test
  void invalidTradesGoToTheDeadLetterTopicWithTheirReason() throws Exception {
    KafkaProducer<String, byte[]> producer = KafkaProducer.create(vertx, KafkaTopics.producerProps(kafka.bootstrapServers()));
    TradePublisher publisher = new TradePublisher(producer);
    try {
      await(publisher.publish(new Trade("BTCUSD", 1, 1000, -5, 1, Side.BUY)));
      await(publisher.publish(new Trade("btc usd", 2, 1000, 5, 1, Side.SELL)));
      await(publisher.publish(new Trade("ETHUSD", 3, 1000, Double.NaN, 1, null)));
      await(publisher.reject("malformed JSON", "{not json"));
      await(publisher.reject("unknown event", "{\"event\":\"bts:subscription_succeeded\"}"));
    } finally {
      await(producer.close());
    }
    FeedStats stats = publisher.stats();
    assertThat(stats.tradesIn()).isEqualTo(5);
    assertThat(stats.rejected()).isEqualTo(5);
    assertThat(stats.sent()).isZero();
    assertThat(stats.sendErrors()).isZero();

    List<JsonObject> dlq = new ArrayList<>();
    try (KafkaConsumer<String, byte[]> c = consumer(Topics.TRADES_DLQ)) {
      long deadline = System.currentTimeMillis() + 30_000;
      while (dlq.size() < 5 && System.currentTimeMillis() < deadline) {
        for (ConsumerRecord<String, byte[]> r : c.poll(Duration.ofMillis(200))) {
          dlq.add(new JsonObject(new String(r.value(), StandardCharsets.UTF_8)));
        }
      }
    }
    assertThat(dlq).hasSize(5);
    assertThat(dlq.get(0).getString("reason")).contains("price must be finite and > 0");
    assertThat(dlq.get(0).getJsonObject("trade").getDouble("price")).isEqualTo(-5.0);
    assertThat(dlq.get(1).getString("reason")).contains("invalid symbol 'btc usd'");
    assertThat(dlq.get(2).getString("reason")).contains("price");
    assertThat(dlq.get(2).getJsonObject("trade").getString("price")).isEqualTo("NaN");
    assertThat(dlq.get(2).getJsonObject("trade").getValue("side")).isNull();
    assertThat(dlq.get(3)).isEqualTo(new JsonObject().put("reason", "malformed JSON").put("trade", "{not json"));
    assertThat(dlq.get(4).getJsonObject("trade").getString("event")).isEqualTo("bts:subscription_succeeded");
    // Nothing invalid reached the trades topic (only the other test writes there, and only valid trades).
  }

  @Test
  void aFailedSendIsCountedAndReportedAsDown() throws Exception {
    int deadPort;
    try (ServerSocket s = new ServerSocket(0)) {
      deadPort = s.getLocalPort();
    }
    Map<String, String> props = new HashMap<>(KafkaTopics.producerProps("127.0.0.1:" + deadPort));
    props.put("max.block.ms", "300");
    KafkaProducer<String, byte[]> producer = KafkaProducer.create(vertx, props);
    TradePublisher publisher = new TradePublisher(producer);
    try {
      assertThatThrownBy(() -> await(publisher.publish(new Trade("BTCUSD", 1, 1000, 5, 1, Side.BUY))))
          .hasMessageContaining("not present in metadata");
    } finally {
      await(producer.close(1000));
    }
    FeedStats stats = publisher.stats();
    assertThat(stats.sendErrors()).isEqualTo(1);
    assertThat(stats.sent()).isZero();
    JsonObject health = stats.toHealthJson("mock");
    assertThat(health.getString("status")).isEqualTo("DOWN");
    assertThat(health.getString("lastError")).contains("not present in metadata");
  }

  // ------------------------------------------------------------------------------------------------ helpers

  private static KafkaConsumer<String, byte[]> tradesConsumer() {
    return consumer(Topics.TRADES);
  }

  private static KafkaConsumer<String, byte[]> consumer(String topic) {
    KafkaConsumer<String, byte[]> c =
        new KafkaConsumer<>(new HashMap<>(KafkaTopics.consumerProps(kafka.bootstrapServers(), null)));
    List<TopicPartition> tps = c.partitionsFor(topic, Duration.ofSeconds(30)).stream()
        .map(p -> new TopicPartition(topic, p.partition())).toList();
    c.assign(tps);
    c.seekToBeginning(tps);
    return c;
  }

  private static void poll(KafkaConsumer<String, byte[]> c, Map<String, List<Trade>> bySymbol,
                           java.util.function.BooleanSupplier done, long timeoutMs) {
    long deadline = System.currentTimeMillis() + timeoutMs;
    while (!done.getAsBoolean() && System.currentTimeMillis() < deadline) {
      for (ConsumerRecord<String, byte[]> r : c.poll(Duration.ofMillis(100))) {
        Trade t = Codecs.decodeTrade(r.value());
        assertThat(r.key()).as("record key").isEqualTo(t.symbol());
        bySymbol.computeIfAbsent(t.symbol(), k -> new ArrayList<>()).add(t);
      }
    }
    if (timeoutMs > 1000) {
      assertThat(done.getAsBoolean()).as("condition met within %d ms; have %s", timeoutMs, counts(bySymbol)).isTrue();
    }
  }

  private static int count(Map<String, List<Trade>> bySymbol, String symbol) {
    return bySymbol.getOrDefault(symbol, List.of()).size();
  }

  private static Map<String, Integer> counts(Map<String, List<Trade>> bySymbol) {
    Map<String, Integer> m = new TreeMap<>();
    bySymbol.forEach((k, v) -> m.put(k, v.size()));
    return m;
  }

  private static <T> T await(Future<T> f) throws Exception {
    try {
      return f.toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      throw e.getCause() instanceof Exception ex ? ex : e;
    }
  }
}
