package candlecast.aggregator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import candlecast.common.Addresses;
import candlecast.common.Topics;
import candlecast.common.config.CandlecastConfig;
import candlecast.common.config.Settings;
import candlecast.common.kafka.EmbeddedKafka;
import candlecast.common.kafka.KafkaTopics;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Alerts over the real stack (embedded Kafka, the aggregator verticle, the event bus): alerts of
 * every kind created through {@link AggregatorVerticle#alertIntake()}, a generated stream in two
 * halves with a restart between, then a restore from an old checkpoint that replays the second
 * half: {@code alerts.fires} holds every fire of the offline oracle exactly once.
 */
class AggregatorAlertsIT {
  private static final int N = 6_000;

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

  private AggregatorVerticle deploy(String bootstrap) throws Exception {
    AggregatorVerticle agg =
        new AggregatorVerticle(
            CandlecastConfig.defaults()
                .with(Settings.AGGREGATOR_GRACE_MS, AlertStream.GRACE)
                .with(Settings.AGGREGATOR_CHECKPOINT_MS, 200L),
            bootstrap);
    vertx.deployVerticle(agg).await(60, TimeUnit.SECONDS);
    return agg;
  }

  private static void produce(String bootstrap, List<byte[]> values) throws Exception {
    KafkaFixture.produce(bootstrap, values, 0);
  }

  private static void awaitFolded(AggregatorVerticle agg, long records) {
    await()
        .atMost(Duration.ofSeconds(60))
        .until(
            () -> {
              JsonObject h = agg.health();
              return h.getLong("tradesIn") + h.getLong("watermarks") >= records;
            });
  }

  private static List<String> fireIds(String bootstrap) {
    List<String> ids = new ArrayList<>();
    for (ConsumerRecord<String, byte[]> r : KafkaFixture.readAll(bootstrap, Topics.ALERT_FIRES)) {
      ids.add(r.key());
    }
    return ids;
  }

  @Test
  void everyFireOfTheOracleIsRecordedOnceAcrossARestartAndAReplay() throws Exception {
    kafka = EmbeddedKafka.start(dir.resolve("kafka"), 0);
    String bootstrap = kafka.bootstrapServers();
    KafkaTopics.ensureTopicsBlocking(
        bootstrap, 1); // one partition: offsets are the stream's indexes
    AlertStream stream = new AlertStream(41, N);
    List<byte[]> values = stream.values();
    vertx = Vertx.vertx();
    AggregatorVerticle a = deploy(bootstrap);

    List<JsonObject> created = new ArrayList<>();
    for (JsonObject def : AlertOracleTest.alerts(0, "al-")) {
      JsonObject rec = def.copy();
      rec.remove("fromOffset");
      rec.remove("partition");
      JsonObject written = a.alertIntake().create(rec).await(30, TimeUnit.SECONDS);
      assertThat(written.getLong("fromOffset")).isZero();
      assertThat(written.getInteger("partition")).isZero();
      created.add(written);
    }
    ReplyException bad =
        (ReplyException)
            a.alertIntake()
                .create(
                    new JsonObject().put("id", "al-bad").put("owner", "o").put("symbol", "BTCUSD"))
                .transform(ar -> Future.succeededFuture(ar.cause()))
                .await(10, TimeUnit.SECONDS);
    assertThat(bad.failureCode()).isEqualTo(400);
    assertThat(bad.getMessage()).startsWith("bad_alert: condition");

    List<JsonObject> published = new CopyOnWriteArrayList<>();
    vertx
        .eventBus()
        .<JsonObject>consumer(Addresses.alertsOwner("o1"), m -> published.add(m.body()))
        .completion()
        .await(5, TimeUnit.SECONDS);
    List<String> listened = new CopyOnWriteArrayList<>();
    a.alertIntake().onFire((fire, alert) -> listened.add(fire.getString("fire")));

    produce(bootstrap, values.subList(0, N / 4));
    awaitFolded(a, N / 4);
    byte[][] midway = new byte[1][];
    await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () -> {
              for (ConsumerRecord<String, byte[]> r :
                  KafkaFixture.readAll(bootstrap, Topics.CHECKPOINTS)) {
                if (PartitionCheckpoint.decode(r.value()).nextOffset() == N / 4) {
                  midway[0] = r.value();
                }
              }
              return midway[0] != null;
            });
    produce(bootstrap, values.subList(N / 4, N / 2));
    awaitFolded(a, N / 2);
    await().atMost(Duration.ofSeconds(30)).until(() -> !listened.isEmpty());
    vertx.undeploy(a.deploymentID()).await(60, TimeUnit.SECONDS);
    List<ConsumerRecord<String, byte[]>> checkpoints =
        KafkaFixture.readAll(bootstrap, Topics.CHECKPOINTS);

    AggregatorVerticle b = deploy(bootstrap);
    produce(bootstrap, values.subList(N / 2, N));
    awaitFolded(
        b,
        N
            - PartitionCheckpoint.decode(checkpoints.get(checkpoints.size() - 1).value())
                .nextOffset());

    AlertOracle oracle = new AlertOracle(stream);
    created.forEach(oracle::evaluate);
    Map<String, AlertOracle.Fire> expected = oracle.fires();
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> fireIds(bootstrap).size() >= expected.size());
    assertThat(fireIds(bootstrap))
        .doesNotHaveDuplicates()
        .containsExactlyInAnyOrderElementsOf(expected.keySet());
    for (ConsumerRecord<String, byte[]> r : KafkaFixture.readAll(bootstrap, Topics.ALERT_FIRES)) {
      JsonObject ev = new JsonObject(new String(r.value(), StandardCharsets.UTF_8));
      AlertOracle.Fire f = expected.get(r.key());
      assertThat(ev.getLong("firedAt")).as(r.key()).isEqualTo(f.firedAt());
      assertThat(ev.getLong("recordedAt")).isPositive();
      assertThat(ev.getString("fire")).isEqualTo(r.key());
    }
    assertThat(listened).doesNotHaveDuplicates();
    assertThat(published).isNotEmpty().allMatch(e -> e.getString("owner").equals("o1"));

    // An old checkpoint becomes the newest: the next owner replays the second half and records
    // nothing again.
    vertx.undeploy(b.deploymentID()).await(60, TimeUnit.SECONDS);
    long replayFrom = PartitionCheckpoint.decode(midway[0]).nextOffset();
    try (KafkaProducer<String, byte[]> p =
        new KafkaProducer<>(
            new HashMap<>(KafkaTopics.producerProps(bootstrap)),
            new StringSerializer(),
            new ByteArraySerializer())) {
      p.send(new ProducerRecord<>(Topics.CHECKPOINTS, 0, PartitionCheckpoint.key(0), midway[0]))
          .get();
    }
    int before = fireIds(bootstrap).size();
    AggregatorVerticle c = deploy(bootstrap);
    awaitFolded(c, N - replayFrom);
    await().atMost(Duration.ofSeconds(10)).until(() -> c.health().getLong("checkpoints") > 0);
    assertThat(c.health().getLong("commits")).isPositive();
    assertThat(c.health().getLong("aborts")).isZero();
    assertThat(replayFrom).isLessThan(N / 2);
    assertThat(fireIds(bootstrap)).hasSize(before).doesNotHaveDuplicates();
  }
}
