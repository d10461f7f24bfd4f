package candlecast.aggregator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import candlecast.common.Topics;
import candlecast.common.config.CandlecastConfig;
import candlecast.common.config.Settings;
import candlecast.common.kafka.EmbeddedKafka;
import candlecast.common.kafka.KafkaTopics;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Found by the 60-minute chaos soak (seed 23): after a pause of the group coordinator's broker, an
 * aggregator's own retried JoinGroup fenced its static instance id, the consumer threw {@code
 * FencedInstanceIdException} and the fold loop died, so the aggregator never became ready again.
 * Here another consumer joins under the aggregator's instance id (the same fencing, on purpose):
 * the aggregator must join again, take its partitions back and fold every trade exactly.
 */
class FencedMemberIT {
  private static final long GRACE = 300;
  private static final int DEDUP = 64;
  private static final String INSTANCE = "agg-fenced";

  @TempDir Path dir;
  private EmbeddedKafka kafka;
  private Vertx vertx;

  @AfterEach
  void tearDown() throws Exception {
    if (vertx != null) {
      vertx.close().await(30, TimeUnit.SECONDS);
    }
    if (kafka != null) {
      kafka.stop();
    }
  }

  @Test
  void anAggregatorFencedByTheGroupJoinsAgainAndFoldsOnExactly() throws Exception {
    kafka = EmbeddedKafka.start(dir.resolve("kafka"), 0);
    String bootstrap = kafka.bootstrapServers();
    KafkaTopics.ensureTopicsBlocking(bootstrap, 4);
    List<byte[]> log = TradeLogGenerator.generate(23, 4, 40_000, GRACE);
    List<byte[]> first = log.subList(0, log.size() / 2);
    KafkaFixture.produce(bootstrap, first, 0);

    vertx = Vertx.vertx();
    AggregatorVerticle agg =
        new AggregatorVerticle(
            CandlecastConfig.defaults()
                .with(Settings.AGGREGATOR_GRACE_MS, GRACE)
                .with(Settings.AGGREGATOR_DEDUP_SIZE, DEDUP)
                .with(Settings.AGGREGATOR_INSTANCE_ID, INSTANCE),
            bootstrap);
    vertx.deployVerticle(agg).await(60, TimeUnit.SECONDS);
    awaitCaughtUp(bootstrap);

    // another consumer joins under the same static instance id: the aggregator's is fenced
    Map<String, Object> conf =
        new HashMap<>(KafkaTopics.consumerProps(bootstrap, AggregatorVerticle.GROUP_ID));
    conf.put(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG, INSTANCE);
    try (KafkaConsumer<byte[], byte[]> usurper =
        new KafkaConsumer<>(conf, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      usurper.subscribe(List.of(Topics.TRADES));
      await("the usurper holds the partitions")
          .atMost(Duration.ofSeconds(30))
          .until(
              () -> {
                usurper.poll(Duration.ofMillis(100));
                return usurper.assignment().size() == 4;
              });
    } // a static member's close does not leave the group
    await("the aggregator learns it was fenced")
        .atMost(Duration.ofSeconds(30))
        .until(() -> String.valueOf(agg.health().getString("lastError")).contains("fenced"));

    KafkaFixture.produce(bootstrap, log.subList(first.size(), log.size()), 0);
    awaitCaughtUp(bootstrap);
    JsonObject h = agg.health();
    assertThat(h.getString("status")).isEqualTo("UP");
    assertThat(h.getJsonArray("partitions")).hasSize(4);

    Oracle oracle = new Oracle(GRACE, DEDUP);
    log.forEach(oracle::accept);
    List<String> problems = new ArrayList<>();
    Map<String, byte[]> latest = KafkaFixture.latestCandles(bootstrap, problems);
    assertThat(problems).isEmpty();
    assertThat(KafkaFixture.diff(latest, oracle)).isEmpty();
  }

  /** Until the aggregator's group has committed every {@code trades} partition to its end. */
  private static void awaitCaughtUp(String bootstrap) {
    await("the aggregator folded the log")
        .atMost(Duration.ofSeconds(60))
        .until(() -> KafkaFixture.groupCaughtUp(bootstrap, AggregatorVerticle.GROUP_ID));
  }
}
