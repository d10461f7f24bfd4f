package candlecast.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import candlecast.common.Topics;
import candlecast.common.config.CandlecastConfig;
import candlecast.common.config.Settings;
import io.vertx.core.VertxOptions;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
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
import org.apache.kafka.common.Uuid;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 19: three {@code kafka} role nodes configured as one KRaft quorum become ready only once
 * the topics exist with three replicas each (the chaos soak's Kafka).
 */
class KafkaQuorumRoleIT {
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  @SuppressWarnings("AddressSelection") // an IP literal
  private static int freePort() throws Exception {
    try (ServerSocket s = new ServerSocket()) {
      s.bind(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0));
      return s.getLocalPort();
    }
  }

  private static int ready(int port) {
    try {
      return HTTP.send(
              HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/ready")).build(),
              HttpResponse.BodyHandlers.discarding())
          .statusCode();
    } catch (Exception e) {
      return -1;
    }
  }

  @Test
  void threeKafkaRolesFormOneClusterWithReplicatedTopics(@TempDir Path dir) throws Exception {
    int[] data = {freePort(), freePort(), freePort()};
    int[] ctl = {freePort(), freePort(), freePort()};
    int[] http = {freePort(), freePort(), freePort()};
    String voters = "1@127.0.0.1:" + ctl[0] + ",2@127.0.0.1:" + ctl[1] + ",3@127.0.0.1:" + ctl[2];
    String clusterId = Uuid.randomUuid().toString();
    ExecutorService pool = Executors.newFixedThreadPool(3);
    List<CompletableFuture<RoleNode>> starting = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      CandlecastConfig cfg =
          CandlecastConfig.defaults()
              .with(Settings.HTTP_HOST, "127.0.0.1")
              .with(Settings.HTTP_PORT, http[i])
              .with(Settings.DATA_DIR, dir.resolve("k" + (i + 1)).toString())
              .with(Settings.KAFKA_PARTITIONS, 2)
              .with(Settings.KAFKA_EMBEDDED_PORT, data[i])
              .with(Settings.KAFKA_EMBEDDED_NODE_ID, i + 1)
              .with(Settings.KAFKA_EMBEDDED_CONTROLLER_PORT, ctl[i])
              .with(Settings.KAFKA_EMBEDDED_QUORUM_VOTERS, voters)
              .with(Settings.KAFKA_EMBEDDED_CLUSTER_ID, clusterId)
              .with(Settings.KAFKA_REPLICATION_FACTOR, 3);
      // a broker's start waits for a majority of its quorum: start all three at once
      starting.add(
          CompletableFuture.supplyAsync(
              () -> {
                try {
                  return RoleNode.start(Role.KAFKA, cfg, new VertxOptions())
                      .await(90, TimeUnit.SECONDS);
                } catch (Exception e) {
                  throw new IllegalStateException(e);
                }
              },
              pool));
    }
    List<RoleNode> nodes = new ArrayList<>();
    try {
      for (CompletableFuture<RoleNode> f : starting) {
        nodes.add(f.get(120, TimeUnit.SECONDS));
      }
      Awaitility.await()
          .atMost(Duration.ofSeconds(60))
          .until(() -> ready(http[0]) == 200 && ready(http[1]) == 200 && ready(http[2]) == 200);
      try (Admin admin =
          Admin.create(
              Map.of(
                  AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                  nodes.get(0).embeddedKafka().bootstrapServers()))) {
        // a broker's metadata may list a peer a moment after the peer reports ready
        Awaitility.await()
            .atMost(Duration.ofSeconds(30))
            .untilAsserted(() -> assertThat(admin.describeCluster().nodes().get()).hasSize(3));
        for (String topic : List.of(Topics.TRADES, Topics.CANDLES, Topics.CHECKPOINTS)) {
          TopicDescription d =
              admin.describeTopics(List.of(topic)).allTopicNames().get().get(topic);
          assertThat(d.partitions()).hasSize(2);
          d.partitions().forEach(p -> assertThat(p.replicas()).as(topic).hasSize(3));
        }
      }
    } finally {
      List<CompletableFuture<Void>> stopping = new ArrayList<>();
      for (RoleNode n : nodes) {
        stopping.add(
            CompletableFuture.runAsync(
                () -> {
                  try {
                    n.stop().await(60, TimeUnit.SECONDS);
                  } catch (Exception e) {
                    throw new IllegalStateException(e);
                  }
                },
                pool));
      }
      CompletableFuture.allOf(stopping.toArray(CompletableFuture[]::new)).get(90, TimeUnit.SECONDS);
      pool.shutdown();
    }
  }
}
