package candlecast.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import candlecast.common.Addresses;
import candlecast.common.Timeframe;
import candlecast.common.config.CandlecastConfig;
import candlecast.common.config.Settings;
import io.vertx.core.VertxOptions;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two clustered Vert.x nodes on loopback (real Hazelcast): a node's {@link SelectorWarmer} makes
 * its event bus follow the registrations of the series and owner addresses another node registered
 * before this node ever publishes there (so a takeover's first publish needs no Hazelcast read),
 * and only those; publishing to a warmed address reaches the consumer.
 */
class SelectorWarmerIT {
  @TempDir Path dataDir;
  private ClusterSetup.Clustered publisher;
  private ClusterSetup.Clustered subscriber;

  @AfterEach
  void tearDown() throws Exception {
    for (ClusterSetup.Clustered c : new ClusterSetup.Clustered[] {subscriber, publisher}) {
      if (c != null) {
        c.vertx().close().await(30, TimeUnit.SECONDS);
      }
    }
  }

  @Test
  void theSeriesAndOwnerAddressesOfOtherNodesAreFollowedBeforeTheFirstPublish() throws Exception {
    List<Integer> hz = ClusterFixture.freePorts(2);
    CandlecastConfig cluster = ClusterFixture.clusterConfig(dataDir, "127.0.0.1:1", hz);
    publisher = start(ClusterFixture.node(cluster, hz.get(0)));
    subscriber = start(ClusterFixture.node(cluster, hz.get(1)));
    String candles = Addresses.candles("WARMUSD", Timeframe.S1);
    String owner = Addresses.owner("WARMUSD");
    String other = "warmer.test.other";
    java.util.concurrent.atomic.AtomicInteger received =
        new java.util.concurrent.atomic.AtomicInteger();
    for (String a : List.of(candles, owner, other)) {
      subscriber
          .vertx()
          .eventBus()
          .consumer(a, m -> received.incrementAndGet())
          .completion()
          .await(10, TimeUnit.SECONDS);
    }
    SelectorWarmer warmer =
        new SelectorWarmer(publisher.vertx(), publisher.manager().getHazelcastInstance(), 60_000);
    assertThat(warmer.available()).as("the node selector is reachable").isTrue();
    assertThat(warmer.follows(candles)).as("not followed before warming").isFalse();
    warmer.start();
    try {
      await()
          .atMost(Duration.ofSeconds(20))
          .until(() -> warmer.follows(candles) && warmer.follows(owner));
      assertThat(warmer.follows(other)).as("not a Candlecast series or owner address").isFalse();
      publisher.vertx().eventBus().publish(candles, "update");
      await().atMost(Duration.ofSeconds(10)).until(() -> received.get() == 1);
    } finally {
      warmer.stop();
    }
  }

  private static ClusterSetup.Clustered start(CandlecastConfig cfg) throws Exception {
    return ClusterSetup.start(cfg.with(Settings.CLUSTER_BUS_PORT, 0), new VertxOptions())
        .await(60, TimeUnit.SECONDS);
  }
}
