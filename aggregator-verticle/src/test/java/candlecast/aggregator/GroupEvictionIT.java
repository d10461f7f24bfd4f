package candlecast.aggregator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import candlecast.common.Addresses;
import candlecast.common.Topics;
import candlecast.common.config.CandlecastConfig;
import candlecast.common.kafka.EmbeddedKafka;
import candlecast.common.kafka.KafkaTopics;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 19, fast takeover against a real broker: member A (static, as every clustered aggregator)
 * dies without leaving the group (a static member's close sends no LeaveGroup, as after kill -9);
 * without eviction its partitions stay unassigned until the 6 s session timeout; with {@link
 * GroupEviction} told that A's cluster node left, B owns every partition within a second.
 */
class GroupEvictionIT {
  static final int PARTITIONS = 4;

  @TempDir Path dir;
  private EmbeddedKafka kafka;
  private Vertx vertx;
  private Member a;
  private Member b;

  @AfterEach
  void tearDown() throws Exception {
    if (b != null) {
      b.close();
    }
    if (a != null) {
      a.close();
    }
    if (vertx != null) {
      vertx.close().await(30, TimeUnit.SECONDS);
    }
    if (kafka != null) {
      kafka.stop();
    }
  }

  /** A static group member polling on its own thread, like the fold loop. */
  static final class Member implements Runnable, ConsumerRebalanceListener {
    final Set<Integer> owned = ConcurrentHashMap.newKeySet();
    final AtomicInteger rejoins = new AtomicInteger();
    private final KafkaConsumer<byte[], byte[]> consumer;
    private final Thread thread;
    private volatile boolean running = true;
    private volatile boolean rejoinAsked;

    Member(FoldOptions opt) {
      consumer =
          new KafkaConsumer<>(
              opt.consumerConfig(), new ByteArrayDeserializer(), new ByteArrayDeserializer());
      consumer.subscribe(List.of(Topics.TRADES), this);
      thread = new Thread(this, "member-" + opt.instanceId());
      thread.start();
    }

    void rejoin() {
      rejoins.incrementAndGet();
      rejoinAsked = true;
    }

    @Override
    public void run() {
      while (running) {
        if (rejoinAsked) {
          rejoinAsked = false;
          consumer.enforceRebalance();
        }
        consumer.poll(Duration.ofMillis(50));
      }
      consumer.close(Duration.ofSeconds(5));
    }

    /** Stops polling and closes: a static member does not leave the group by closing. */
    void close() throws InterruptedException {
      running = false;
      thread.join(10_000);
    }

    @Override
    public void onPartitionsRevoked(Collection<TopicPartition> parts) {
      parts.forEach(tp -> owned.remove(tp.partition()));
    }

    @Override
    public void onPartitionsAssigned(Collection<TopicPartition> parts) {
      parts.forEach(tp -> owned.add(tp.partition()));
    }

    @Override
    public void onPartitionsLost(Collection<TopicPartition> parts) {
      onPartitionsRevoked(parts);
    }
  }

  private static FoldOptions options(String bootstrap, String group, String instance) {
    return FoldOptions.from(CandlecastConfig.defaults(), bootstrap, group).withInstanceId(instance);
  }

  private void twoMembersSharingThePartitions(FoldOptions optA, FoldOptions optB) {
    a = new Member(optA);
    b = new Member(optB);
    await("A and B share the partitions")
        .atMost(Duration.ofSeconds(60))
        .until(
            () ->
                !a.owned.isEmpty()
                    && !b.owned.isEmpty()
                    && a.owned.size() + b.owned.size() == PARTITIONS);
  }

  @Test
  void aDepartedMemberIsEvictedAndItsPartitionsMoveAtOnce() throws Exception {
    kafka = EmbeddedKafka.start(dir.resolve("kafka"), 0);
    String bootstrap = kafka.bootstrapServers();
    KafkaTopics.ensureTopicsBlocking(bootstrap, PARTITIONS);
    vertx = Vertx.vertx();

    // without eviction: A's partitions stay with the silent static member (session timeout 6 s)
    twoMembersSharingThePartitions(
        options(bootstrap, "without", "inst-a"), options(bootstrap, "without", "inst-b"));
    Set<Integer> ofB = Set.copyOf(b.owned);
    a.close();
    long quiet = System.nanoTime();
    await("no eviction: B keeps only its own partitions for 3 s")
        .during(Duration.ofSeconds(3))
        .atMost(Duration.ofSeconds(4))
        .until(() -> b.owned.equals(ofB));
    await("session timeout")
        .atMost(Duration.ofSeconds(20))
        .until(() -> b.owned.size() == PARTITIONS);
    long sessionMs = (System.nanoTime() - quiet) / 1_000_000;
    b.close();
    b = null;

    // with eviction: B's node hears that A's node left
    FoldOptions optB = options(bootstrap, "with", "inst-b");
    twoMembersSharingThePartitions(options(bootstrap, "with", "inst-a"), optB);
    GroupEviction eviction =
        new GroupEviction(
            vertx,
            vertx.getOrCreateContext(),
            optB,
            "node-b",
            GroupEviction.adminConfig(optB),
            b::rejoin);
    eviction.start().await(30, TimeUnit.SECONDS);
    vertx
        .sharedData()
        .<String, String>getAsyncMap(Addresses.AGGREGATOR_INSTANCES)
        .compose(m -> m.put("node-a", "inst-a"))
        .await(10, TimeUnit.SECONDS);
    a.close();
    long t0 = System.nanoTime();
    vertx
        .eventBus()
        .publish(
            Addresses.CLUSTER_MEMBER_LEFT,
            new JsonObject().put("nodeId", "node-a").put("members", 3));
    await("B owns every partition")
        .atMost(Duration.ofSeconds(5))
        .pollInterval(Duration.ofMillis(10))
        .until(() -> b.owned.size() == PARTITIONS);
    long evictMs = (System.nanoTime() - t0) / 1_000_000;
    System.out.printf(
        "EVICTION FIGURES session timeout %d ms, eviction %d ms%n", sessionMs, evictMs);
    assertThat(evictMs).isLessThan(1_000);
    assertThat(b.rejoins.get()).isEqualTo(1);
    // the departed node's entry is gone; an unknown node leaving evicts nothing
    await()
        .atMost(Duration.ofSeconds(5))
        .until(
            () ->
                vertx
                        .sharedData()
                        .<String, String>getAsyncMap(Addresses.AGGREGATOR_INSTANCES)
                        .compose(m -> m.get("node-a"))
                        .await(5, TimeUnit.SECONDS)
                    == null);
    vertx
        .eventBus()
        .publish(
            Addresses.CLUSTER_MEMBER_LEFT,
            new JsonObject().put("nodeId", "node-x").put("members", 2));
    await("an unknown node leaving evicts nothing")
        .during(Duration.ofMillis(500))
        .atMost(Duration.ofSeconds(2))
        .until(() -> b.rejoins.get() == 1);
    eviction.stop().await(10, TimeUnit.SECONDS);
    eviction.stopBlocking();
  }
}
