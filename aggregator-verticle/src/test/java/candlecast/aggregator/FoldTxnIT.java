package candlecast.aggregator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import candlecast.common.Topics;
import candlecast.common.config.CandlecastConfig;
import candlecast.common.kafka.EmbeddedKafka;
import candlecast.common.kafka.KafkaTopics;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 19, the closed-candle overwrite after a SIGSTOP, against a real broker: a group member that
 * stalls (no poll, as when its process is stopped) loses its partition to another member, which
 * writes and commits; when the stalled member resumes, its late write reaches the log after the new
 * owner's, but its commit is refused by the group (KIP-447), so {@code read_committed} readers and
 * compaction keep the new owner's value. Before the fold loop's writes were transactional, the late
 * write was the last value of its key.
 */
class FoldTxnIT {
  private static final String IN = "fence-in";
  private static final String OUT = "fence-out";
  private static final TopicPartition IN0 = new TopicPartition(IN, 0);

  @TempDir Path dir;
  private EmbeddedKafka kafka;
  private final List<AutoCloseable> closing = new ArrayList<>();

  @AfterEach
  void tearDown() throws Exception {
    for (AutoCloseable c : closing) {
      c.close();
    }
    if (kafka != null) {
      kafka.stop();
    }
  }

  @Test
  void aMemberThatResumesAfterItsPartitionMovedCannotCommitItsLateWrite() throws Exception {
    kafka = EmbeddedKafka.start(dir.resolve("kafka"), 0);
    String bootstrap = kafka.bootstrapServers();
    try (Admin admin =
        Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
      admin
          .createTopics(
              List.of(
                  new NewTopic(IN, 1, (short) 1),
                  new NewTopic(OUT, 1, (short) 1).configs(Map.of("cleanup.policy", "compact"))))
          .all()
          .get();
    }
    KafkaConsumer<byte[], byte[]> a = member(bootstrap, 1_000);
    awaitOwner(a);
    FoldTxn txnA = txn(bootstrap);
    txnA.send(record("A, while it owns the partition"));
    assertThat(txnA.commit(Map.of(IN0, new OffsetAndMetadata(1)), a.groupMetadata())).isNull();

    // A stalls: it polls no more, so the group removes it and B takes the partition
    KafkaConsumer<byte[], byte[]> b = member(bootstrap, 60_000);
    awaitOwner(b);
    FoldTxn txnB = txn(bootstrap);
    txnB.send(record("B, the closed candle"));
    assertThat(txnB.commit(Map.of(IN0, new OffsetAndMetadata(2)), b.groupMetadata())).isNull();

    // A resumes where it stopped: its write lands after B's, and the group coordinator refuses its
    // offsets (A is no longer a member), so the transaction is aborted
    txnA.send(record("A, late"));
    RuntimeException refused =
        txnA.commit(Map.of(IN0, new OffsetAndMetadata(2)), a.groupMetadata());
    assertThat(refused).as("a stale member's commit fails").isNotNull();
    assertThat(refused).hasMessageContaining("not aware of this member");
    assertThat(txnA.aborts()).isEqualTo(1);
    assertThat(txnA.isOpen()).isFalse();

    assertThat(values(bootstrap, "read_uncommitted"))
        .as("the late write is in the log, after B's")
        .containsExactly("A, while it owns the partition", "B, the closed candle", "A, late");
    assertThat(values(bootstrap, "read_committed"))
        .as("readers of committed data, and compaction, keep B's value")
        .containsExactly("A, while it owns the partition", "B, the closed candle");

    // the aborted producer stays usable: B, the owner, commits again, and A's abort cost it nothing
    txnB.send(record("B, the next candle"));
    assertThat(txnB.commit(Map.of(IN0, new OffsetAndMetadata(3)), b.groupMetadata())).isNull();
    assertThat(values(bootstrap, "read_committed")).endsWith("B, the next candle");
  }

  /**
   * A restore finds the newest committed checkpoint although the log ends with commit markers and
   * aborted checkpoints (before the transactional writes, it read the last offset only).
   */
  @Test
  void aRestoreFindsTheNewestCommittedCheckpointBehindMarkersAndAbortedOnes() throws Exception {
    kafka = EmbeddedKafka.start(dir.resolve("kafka"), 0);
    String bootstrap = kafka.bootstrapServers();
    KafkaTopics.ensureTopicsBlocking(bootstrap, 2);
    FoldTxn txn = txn(bootstrap);
    for (long offset = 100; offset <= 300; offset += 100) {
      txn.send(checkpoint(1, offset));
      assertThat(txn.commit(Map.of(), null)).isNull();
    }
    for (long offset = 400; offset <= 3_000; offset += 100) { // 27 aborted ones after it
      txn.send(checkpoint(1, offset));
      txn.abort();
    }
    FoldOptions opt = FoldOptions.from(CandlecastConfig.defaults(), bootstrap, "restore-group");
    assertThat(new PartitionLoader(opt).restore(1).nextOffset)
        .as("the newest committed checkpoint's offset")
        .isEqualTo(300);
    assertThat(new PartitionLoader(opt).restore(0).nextOffset)
        .as("no checkpoint: from the partition's start")
        .isZero();
  }

  private static ProducerRecord<String, byte[]> checkpoint(int p, long nextOffset) {
    return new ProducerRecord<>(
        Topics.CHECKPOINTS,
        p,
        PartitionCheckpoint.key(p),
        PartitionCheckpoint.of(p, nextOffset, List.of()).encode());
  }

  private KafkaConsumer<byte[], byte[]> member(String bootstrap, int maxPollIntervalMs) {
    Map<String, Object> conf = new HashMap<>(KafkaTopics.consumerProps(bootstrap, "fence-group"));
    conf.put(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, 6_000);
    // A, polling no more after 1 s, leaves the group, as a stopped process drops out of it
    conf.put(ConsumerConfig.MAX_POLL_INTERVAL_MS_CONFIG, maxPollIntervalMs);
    KafkaConsumer<byte[], byte[]> c =
        new KafkaConsumer<>(conf, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    closing.add(0, c);
    c.subscribe(List.of(IN));
    return c;
  }

  private static void awaitOwner(KafkaConsumer<byte[], byte[]> c) {
    await("owns " + IN0)
        .atMost(Duration.ofSeconds(30))
        .until(
            () -> {
              c.poll(Duration.ofMillis(100));
              return c.assignment().contains(IN0);
            });
  }

  private FoldTxn txn(String bootstrap) {
    Map<String, Object> conf =
        FoldTxn.transactional(new HashMap<>(KafkaTopics.producerProps(bootstrap)), "fence", 10_000);
    FoldTxn t =
        new FoldTxn(
            () -> new KafkaProducer<>(conf, new StringSerializer(), new ByteArraySerializer()));
    t.init();
    closing.add(0, t::close);
    return t;
  }

  private static ProducerRecord<String, byte[]> record(String value) {
    return new ProducerRecord<>(OUT, 0, "BTCUSD|1s|1700000000000", bytes(value));
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  /** Every value of {@code OUT} as a reader with this isolation level sees it. */
  private static List<String> values(String bootstrap, String isolation) {
    Map<String, Object> conf = new HashMap<>(KafkaTopics.consumerProps(bootstrap, null));
    conf.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, isolation);
    List<String> out = new ArrayList<>();
    TopicPartition tp = new TopicPartition(OUT, 0);
    try (KafkaConsumer<byte[], byte[]> c =
        new KafkaConsumer<>(conf, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      c.assign(List.of(tp));
      c.seekToBeginning(List.of(tp));
      long end = c.endOffsets(List.of(tp)).get(tp);
      while (c.position(tp) < end) {
        c.poll(Duration.ofMillis(100))
            .forEach(r -> out.add(new String(r.value(), StandardCharsets.UTF_8)));
      }
    }
    return out;
  }
}
