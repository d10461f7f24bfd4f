package candlecast.common.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import candlecast.common.Topics;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.serialization.StringSerializer;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Issue 19: the embedded broker as one of a three-broker KRaft quorum (the chaos harness's). */
class KafkaQuorumTest {

  @Test
  void refusesMalformedMemberships() {
    String id = Uuid.randomUuid().toString();
    assertThatThrownBy(() -> new KafkaQuorum(4, 9093, "1@127.0.0.1:9093,2@127.0.0.1:9094", id, 3))
        .hasMessageContaining("do not name node 4");
    assertThatThrownBy(() -> new KafkaQuorum(1, 9093, "11@127.0.0.1:9093", id, 3))
        .hasMessageContaining("do not name node 1");
    assertThatThrownBy(() -> new KafkaQuorum(1, 9093, "1@127.0.0.1", id, 3))
        .hasMessageContaining("id@host:port");
    assertThatThrownBy(() -> new KafkaQuorum(1, 0, "1@127.0.0.1:9093", id, 3))
        .hasMessageContaining("controller port");
    assertThatThrownBy(() -> new KafkaQuorum(1, 9093, "1@127.0.0.1:9093", "not-an-id", 3))
        .hasMessageContaining("not a base64 UUID");
    assertThatThrownBy(() -> new KafkaQuorum(1, 9093, "1@127.0.0.1:9093", id, 0))
        .hasMessageContaining("replication");
  }

  @Test
  void aBrokerListensOnTheHostOfItsOwnVoterEntry() {
    String id = Uuid.randomUuid().toString();
    KafkaQuorum q = new KafkaQuorum(2, 9094, "1@10.77.0.1:9093,2@10.77.0.2:9094", id, 3);
    assertThat(q.host()).isEqualTo("10.77.0.2");
    assertThat(q.properties(q.host(), 9092).get("listeners"))
        .isEqualTo("PLAINTEXT://10.77.0.2:9092,CONTROLLER://10.77.0.2:9094");
  }

  @Test
  void minIsrIsOneLessThanTheReplicationFactor() {
    for (int rf = 1; rf <= 5; rf++) {
      Map<String, String> p = KafkaQuorum.replicationProperties(rf);
      assertThat(p.get("default.replication.factor")).isEqualTo(String.valueOf(rf));
      assertThat(p.get("offsets.topic.replication.factor")).isEqualTo(String.valueOf(rf));
      assertThat(p.get("transaction.state.log.replication.factor")).isEqualTo(String.valueOf(rf));
      int minIsr = Integer.parseInt(p.get("min.insync.replicas"));
      assertThat(minIsr).isEqualTo(rf == 1 ? 1 : rf - 1);
      assertThat(p.get("transaction.state.log.min.isr")).isEqualTo(String.valueOf(minIsr));
    }
  }

  /**
   * Three brokers form one cluster, Candlecast's topics get three replicas, and with one broker
   * stopped an acks=all write still succeeds (min ISR 2); it comes back on the same controller
   * port.
   */
  @Test
  void threeBrokersReplicateTopicsAndSurviveOneDown(@TempDir Path dir) throws Exception {
    int[] ctl = {freePort(), freePort(), freePort()};
    int[] data = {freePort(), freePort(), freePort()};
    String voters = "1@127.0.0.1:" + ctl[0] + ",2@127.0.0.1:" + ctl[1] + ",3@127.0.0.1:" + ctl[2];
    String clusterId = Uuid.randomUuid().toString();
    List<CompletableFuture<EmbeddedKafka>> starting = new ArrayList<>();
    ExecutorService pool = Executors.newFixedThreadPool(3);
    for (int i = 0; i < 3; i++) {
      KafkaQuorum q = new KafkaQuorum(i + 1, ctl[i], voters, clusterId, 3);
      Path d = dir.resolve("b" + (i + 1));
      int port = data[i];
      // a broker's start waits for the quorum: start all three at once
      starting.add(CompletableFuture.supplyAsync(() -> EmbeddedKafka.start(d, port, q), pool));
    }
    List<EmbeddedKafka> brokers = new ArrayList<>();
    try {
      for (CompletableFuture<EmbeddedKafka> f : starting) {
        brokers.add(f.get(90, TimeUnit.SECONDS));
      }
      String bootstrap =
          brokers.get(0).bootstrapServers() + "," + brokers.get(1).bootstrapServers();
      Awaitility.await()
          .atMost(Duration.ofSeconds(60))
          .ignoreExceptions()
          .until(
              () -> {
                KafkaTopics.ensureTopicsBlocking(bootstrap, 2, 3);
                return true;
              });
      try (Admin admin = admin(bootstrap)) {
        // a topic just created may not be described by every broker yet
        TopicDescription trades =
            Awaitility.await()
                .atMost(Duration.ofSeconds(30))
                .ignoreExceptions()
                .until(
                    () ->
                        admin
                            .describeTopics(List.of(Topics.TRADES))
                            .allTopicNames()
                            .get()
                            .get(Topics.TRADES),
                    d -> d != null);
        assertThat(trades.partitions()).hasSize(2);
        trades.partitions().forEach(p -> assertThat(p.replicas()).hasSize(3));
      }
      brokers.get(2).stop();
      try (KafkaProducer<String, String> producer = producer(bootstrap)) {
        producer.send(new ProducerRecord<>(Topics.TRADES, "BTCUSD", "x")).get(30, TimeUnit.SECONDS);
      }
      EmbeddedKafka again =
          EmbeddedKafka.start(
              dir.resolve("b3"), data[2], new KafkaQuorum(3, ctl[2], voters, clusterId, 3));
      brokers.set(2, again);
      try (Admin admin = admin(again.bootstrapServers())) {
        Awaitility.await()
            .atMost(Duration.ofSeconds(60))
            .until(() -> admin.describeCluster().nodes().get().size() == 3);
      }
    } finally {
      // all at once: a broker stopped last, alone, has no quorum to shut down cleanly with
      CompletableFuture.allOf(
              brokers.stream()
                  .map(b -> CompletableFuture.runAsync(b::stop, pool))
                  .toArray(CompletableFuture[]::new))
          .get(60, TimeUnit.SECONDS);
      pool.shutdown();
    }
  }

  private static Admin admin(String bootstrap) {
    return Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap));
  }

  private static KafkaProducer<String, String> producer(String bootstrap) {
    return new KafkaProducer<>(
        Map.of(
            ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
            bootstrap,
            ProducerConfig.ACKS_CONFIG,
            "all",
            ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG,
            30_000,
            ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG,
            10_000),
        new StringSerializer(),
        new StringSerializer());
  }

  @SuppressWarnings("AddressSelection") // an IP literal
  private static int freePort() throws Exception {
    try (ServerSocket s = new ServerSocket()) {
      s.bind(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0));
      return s.getLocalPort();
    }
  }
}
