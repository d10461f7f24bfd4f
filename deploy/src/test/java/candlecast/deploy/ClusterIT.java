package candlecast.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import candlecast.common.config.CandlecastConfig;
import candlecast.common.config.Settings;
import candlecast.common.kafka.EmbeddedKafka;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import java.io.Serializable;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Three clustered Vert.x nodes in this JVM (feed, aggregator, gateway, each its own Hazelcast
 * member on loopback) against a real embedded broker: a candle folded on the aggregator node
 * reaches a WebSocket client of the gateway node over the clustered event bus, and the probes of
 * the feed and aggregator nodes report ready.
 */
class ClusterIT {
  private static final Logger LOG = LoggerFactory.getLogger(ClusterIT.class);

  @TempDir Path dataDir;
  private EmbeddedKafka kafka;
  private Vertx clientVertx;
  private final List<RoleNode> nodes = new ArrayList<>();

  @BeforeEach
  void setUp() {
    kafka = EmbeddedKafka.start(dataDir.resolve("kafka"), 0);
    clientVertx = Vertx.vertx();
  }

  @AfterEach
  void tearDown() throws Exception {
    for (int i = nodes.size() - 1; i >= 0; i--) {
      nodes.get(i).stop().await(30, TimeUnit.SECONDS);
    }
    clientVertx.close().await(10, TimeUnit.SECONDS);
    kafka.stop();
  }

  @Test
  void candlesCrossTheClusteredEventBusAndProbesReportReady() throws Exception {
    List<Integer> hz = ClusterFixture.freePorts(3);
    CandlecastConfig cluster = ClusterFixture.clusterConfig(dataDir, kafka.bootstrapServers(), hz);
    long t0 = System.nanoTime();
    RoleNode aggregator = start(Role.AGGREGATOR, ClusterFixture.node(cluster, hz.get(0)));
    RoleNode gateway = start(Role.GATEWAY, ClusterFixture.node(cluster, hz.get(1)));
    RoleNode feed = start(Role.FEED, ClusterFixture.node(cluster, hz.get(2)));
    await()
        .atMost(Duration.ofSeconds(20))
        .until(() -> nodes.stream().allMatch(n -> n.cluster().members() == 3));
    long formedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
    LOG.info("cluster of 3 formed in {} ms", formedMs);

    WebClient web = WebClient.create(clientVertx);
    for (RoleNode n : List.of(aggregator, feed)) {
      await()
          .atMost(Duration.ofSeconds(30))
          .until(() -> get(web, n.httpPort(), "/ready").statusCode() == 200);
      JsonObject ready = get(web, n.httpPort(), "/ready").bodyAsJsonObject();
      assertThat(ready.getJsonObject("checks").getJsonObject("cluster").getInteger("members"))
          .isEqualTo(3);
      assertThat(ready.getJsonObject("checks").getJsonObject("kafka").getString("status"))
          .isEqualTo("UP");
      assertThat(get(web, n.httpPort(), "/health").statusCode()).isEqualTo(200);
      assertThat(get(web, n.httpPort(), "/nope").statusCode()).isEqualTo(404);
    }

    StackFixture.Client client = StackFixture.Client.connect(clientVertx, gateway.httpPort());
    client.send("sub-1s");
    await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () ->
                client.ofType("candle").stream()
                    .anyMatch(c -> c.getBoolean("closed") && c.getLong("trades") > 0));

    // Bodies cross nodes as JSON only: a Java-serializable object is refused, locally and across
    // the cluster.
    Serializable javaObject = new java.util.ArrayList<>(List.of("x"));
    assertThatThrownBy(() -> feed.vertx().eventBus().publish("candlecast.test", javaObject))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void aNodeWithoutKafkaRunsNotReadyAndStartsItsTierOnceKafkaIsThere() throws Exception {
    int kafkaPort = ClusterFixture.freePort();
    List<Integer> hz = ClusterFixture.freePorts(1);
    CandlecastConfig cfg =
        ClusterFixture.node(
            ClusterFixture.clusterConfig(dataDir, "127.0.0.1:" + kafkaPort, hz), hz.get(0));
    RoleNode feed = start(Role.FEED, cfg);
    WebClient web = WebClient.create(clientVertx);
    HttpResponse<Buffer> r = get(web, feed.httpPort(), "/ready");
    assertThat(r.statusCode()).isEqualTo(503);
    assertThat(
            r.bodyAsJsonObject().getJsonObject("checks").getJsonObject("kafka").getString("status"))
        .isEqualTo("DOWN");
    assertThat(get(web, feed.httpPort(), "/health").statusCode()).isEqualTo(200);

    EmbeddedKafka second = EmbeddedKafka.start(dataDir.resolve("kafka2"), kafkaPort);
    try {
      await()
          .atMost(Duration.ofSeconds(30))
          .until(() -> get(web, feed.httpPort(), "/ready").statusCode() == 200);
      // Kafka goes away: not ready; it comes back on the same address: ready again, by itself.
      second.stop();
      await()
          .atMost(Duration.ofSeconds(20))
          .until(() -> get(web, feed.httpPort(), "/ready").statusCode() == 503);
      second = EmbeddedKafka.start(dataDir.resolve("kafka2"), kafkaPort);
      await()
          .atMost(Duration.ofSeconds(30))
          .until(() -> get(web, feed.httpPort(), "/ready").statusCode() == 200);
    } finally {
      feed.stop().await(30, TimeUnit.SECONDS);
      nodes.remove(feed);
      second.stop();
    }
  }

  @Test
  void aNodeThatLosesTheClusterIsNotReadyUntilTheClusterIsBack() throws Exception {
    List<Integer> hz = ClusterFixture.freePorts(2);
    CandlecastConfig cluster =
        ClusterFixture.clusterConfig(dataDir, kafka.bootstrapServers(), hz)
            .with(Settings.CLUSTER_MIN_MEMBERS, 2);
    RoleNode feed = start(Role.FEED, ClusterFixture.node(cluster, hz.get(0)));
    RoleNode other = start(Role.AGGREGATOR, ClusterFixture.node(cluster, hz.get(1)));
    WebClient web = WebClient.create(clientVertx);
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> get(web, feed.httpPort(), "/ready").statusCode() == 200);

    other.stop().await(30, TimeUnit.SECONDS);
    nodes.remove(other);
    await()
        .atMost(Duration.ofSeconds(15))
        .until(() -> get(web, feed.httpPort(), "/ready").statusCode() == 503);
    JsonObject down =
        get(web, feed.httpPort(), "/ready")
            .bodyAsJsonObject()
            .getJsonObject("checks")
            .getJsonObject("cluster");
    assertThat(down.getString("status")).isEqualTo("DOWN");
    assertThat(down.getString("error")).contains("needs 2");

    start(Role.AGGREGATOR, ClusterFixture.node(cluster, hz.get(1)));
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> get(web, feed.httpPort(), "/ready").statusCode() == 200);
  }

  private RoleNode start(Role role, CandlecastConfig cfg) throws Exception {
    RoleNode n = RoleNode.start(role, cfg, new VertxOptions()).await(60, TimeUnit.SECONDS);
    nodes.add(n);
    return n;
  }

  private static HttpResponse<Buffer> get(WebClient web, int port, String path) throws Exception {
    return web.get(port, "127.0.0.1", path).send().await(10, TimeUnit.SECONDS);
  }
}
