package candlecast.aggregator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import candlecast.common.Candle;
import candlecast.common.CandleCodec;
import candlecast.common.config.CandlecastConfig;
import candlecast.common.config.Settings;
import candlecast.common.kafka.EmbeddedKafka;
import candlecast.common.kafka.KafkaTopics;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Instances join and leave the consumer group under load: each new owner restores a partition
 * before it publishes anything for it, so candles equal the oracle and no closed candle is ever
 * published with two different values.
 */
class AggregatorRebalanceIT {
  static final long GRACE = 300;
  static final int DEDUP = 64;

  @TempDir Path dir;
  private EmbeddedKafka kafka;
  private final List<Vertx> vertxes = new ArrayList<>();
  private final Map<String, String> closedPublished = new ConcurrentHashMap<>();
  private final List<String> problems = new CopyOnWriteArrayList<>();

  @AfterEach
  void tearDown() throws Exception {
    for (Vertx v : vertxes) {
      v.close().await(30, TimeUnit.SECONDS);
    }
    if (kafka != null) {
      kafka.stop();
    }
  }

  @Test
  void instancesJoiningAndLeavingUnderLoadStayExact() throws Exception {
    kafka = EmbeddedKafka.start(dir.resolve("kafka"), 0);
    String bootstrap = kafka.bootstrapServers();
    KafkaTopics.ensureTopicsBlocking(bootstrap, 4);
    CandlecastConfig cfg =
        CandlecastConfig.defaults()
            .with(Settings.AGGREGATOR_GRACE_MS, GRACE)
            .with(Settings.AGGREGATOR_DEDUP_SIZE, DEDUP)
            .with(Settings.AGGREGATOR_CHECKPOINT_MS, 300L);
    List<byte[]> log = TradeLogGenerator.generate(99, 8, 300_000, GRACE);
    CompletableFuture<Void> producing =
        CompletableFuture.runAsync(
            () -> {
              try {
                KafkaFixture.produce(bootstrap, log, 40_000);
              } catch (InterruptedException e) {
                throw new RuntimeException(e);
              }
            });

    Vertx a = instance(cfg, bootstrap);
    awaitTrades(a, 1);
    Vertx b = instance(cfg, bootstrap); // rebalance: partitions split between a and b
    awaitPartitions(b);
    awaitTrades(b, 1);
    b.close().await(30, TimeUnit.SECONDS); // rebalance: a takes everything back
    vertxes.remove(b);
    Vertx c = instance(cfg, bootstrap); // and once more
    awaitPartitions(c);
    producing.get(120, TimeUnit.SECONDS);
    await()
        .atMost(Duration.ofMinutes(2))
        .pollInterval(Duration.ofMillis(500))
        .until(() -> KafkaFixture.groupCaughtUp(bootstrap, AggregatorVerticle.GROUP_ID));

    Oracle oracle = new Oracle(GRACE, DEDUP);
    log.forEach(oracle::accept);
    Map<String, byte[]> latest = KafkaFixture.latestCandles(bootstrap, problems);
    assertThat(problems).isEmpty();
    assertThat(KafkaFixture.diff(latest, oracle)).isEmpty();
    assertThat(KafkaFixture.historyDiff(bootstrap, oracle)).isEmpty();
    assertThat(closedPublished).isNotEmpty();
    assertThat(c).isNotNull();
  }

  private Vertx instance(CandlecastConfig cfg, String bootstrap) throws Exception {
    Vertx v = Vertx.vertx();
    vertxes.add(v);
    v.eventBus().<JsonObject>consumer("candles.SYM0.1s", m -> record(m.body()));
    v.eventBus().<JsonObject>consumer("candles.SYM3.1m", m -> record(m.body()));
    v.deployVerticle(new AggregatorVerticle(cfg, bootstrap)).await(60, TimeUnit.SECONDS);
    return v;
  }

  private void record(JsonObject body) {
    Candle c = CandleCodec.fromJson(body);
    if (c.closed()) {
      String before = closedPublished.putIfAbsent(c.key(), body.encode());
      if (before != null && !before.equals(body.encode())) {
        problems.add("published closed twice differently: " + before + " vs " + body.encode());
      }
    }
  }

  private static JsonObject health(Vertx v) throws Exception {
    return v.eventBus()
        .<JsonObject>request("candlecast.health.aggregator", new JsonObject())
        .await(5, TimeUnit.SECONDS)
        .body();
  }

  private static void awaitTrades(Vertx v, long n) {
    await().atMost(Duration.ofSeconds(60)).until(() -> health(v).getLong("tradesIn") >= n);
  }

  private static void awaitPartitions(Vertx v) {
    await()
        .atMost(Duration.ofSeconds(60))
        .until(() -> !health(v).getJsonArray("partitions").isEmpty());
  }
}
