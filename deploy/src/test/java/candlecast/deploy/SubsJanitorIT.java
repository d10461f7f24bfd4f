package candlecast.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import candlecast.common.config.CandlecastConfig;
import candlecast.common.config.Settings;
import com.hazelcast.map.IMap;
import com.hazelcast.multimap.MultiMap;
import io.vertx.core.VertxOptions;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.spi.cluster.RegistrationInfo;
import io.vertx.spi.cluster.hazelcast.impl.HazelcastNodeInfo;
import io.vertx.spi.cluster.hazelcast.impl.HazelcastRegistrationInfo;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two clustered Vert.x nodes on loopback (real Hazelcast): a registration left behind by a node
 * that is gone (as when vertx-hazelcast's own clean-up failed) is removed by the oldest member's
 * sweep, and only then, while live nodes' registrations stay and requests keep reaching them.
 */
class SubsJanitorIT {
  @TempDir Path dataDir;
  private ClusterSetup.Clustered oldest;
  private ClusterSetup.Clustered younger;

  @AfterEach
  void tearDown() throws Exception {
    for (ClusterSetup.Clustered c : new ClusterSetup.Clustered[] {younger, oldest}) {
      if (c != null) {
        c.vertx().close().await(30, TimeUnit.SECONDS);
      }
    }
  }

  @Test
  void registrationsOfADepartedNodeAreSweptAndLiveOnesStay() throws Exception {
    startPairWithConsumerOnYounger("janitor.test");

    MultiMap<String, HazelcastRegistrationInfo> subs =
        oldest.manager().getHazelcastInstance().getMultiMap(ClusterSetup.SUBS_MAP);
    HazelcastRegistrationInfo ghost =
        new HazelcastRegistrationInfo(new RegistrationInfo("departed-node", 1, false));
    subs.put("janitor.test", ghost);
    int before = subs.valueCount("janitor.test");
    assertThat(before).isEqualTo(2);

    SubsJanitor notOldest = new SubsJanitor(younger.vertx(), younger.manager(), 60_000);
    SubsJanitor janitor = new SubsJanitor(oldest.vertx(), oldest.manager(), 60_000);
    assertThat(notOldest.sweep().await(20, TimeUnit.SECONDS)).isZero();
    assertThat(notOldest.sweep().await(20, TimeUnit.SECONDS)).isZero();
    assertThat(janitor.sweep().await(20, TimeUnit.SECONDS)).isZero(); // first look: a suspect
    assertThat(subs.containsEntry("janitor.test", ghost)).isTrue();
    assertThat(janitor.sweep().await(20, TimeUnit.SECONDS)).isEqualTo(1);
    assertThat(subs.containsEntry("janitor.test", ghost)).isFalse();
    assertThat(subs.valueCount("janitor.test")).isEqualTo(1);
    assertThat(janitor.sweep().await(20, TimeUnit.SECONDS)).isZero();

    // every request from the oldest node now reaches the live consumer (none goes to the ghost)
    for (int i = 0; i < 10; i++) {
      assertThat(
              oldest
                  .vertx()
                  .eventBus()
                  .request("janitor.test", "ping")
                  .await(10, TimeUnit.SECONDS)
                  .body())
          .isEqualTo("pong");
    }
  }

  @Test
  void aNodeWhoseInfoWentMissingPutsItBackAndIsReachableAgain() throws Exception {
    startPairWithConsumerOnYounger("janitor.info");
    // what a failed clean-up after a merge leaves: the node's info gone from the cluster
    IMap<String, HazelcastNodeInfo> infos =
        oldest.manager().getHazelcastInstance().getMap(SubsJanitor.NODE_INFO_MAP);
    infos.remove(younger.manager().getNodeId());
    assertThatThrownBy(
            () ->
                oldest
                    .vertx()
                    .eventBus()
                    .request("janitor.info", "ping", new DeliveryOptions().setSendTimeout(3_000))
                    .await(10, TimeUnit.SECONDS))
        // vert.x cannot connect to a node without info ("Not a member of the cluster"), the
        // message is dropped: the sender only sees its timeout
        .isInstanceOfSatisfying(
            ReplyException.class, e -> assertThat(e.failureType()).isEqualTo(ReplyFailure.TIMEOUT));
    new SubsJanitor(younger.vertx(), younger.manager(), 60_000).sweep().await(20, TimeUnit.SECONDS);
    assertThat(infos.containsKey(younger.manager().getNodeId())).isTrue();
    assertThat(
            oldest
                .vertx()
                .eventBus()
                .request("janitor.info", "ping")
                .await(10, TimeUnit.SECONDS)
                .body())
        .isEqualTo("pong");
  }

  /** Two members, the oldest started first, and a consumer answering "pong" on the younger. */
  private void startPairWithConsumerOnYounger(String address) throws Exception {
    List<Integer> hz = ClusterFixture.freePorts(2);
    CandlecastConfig cluster = ClusterFixture.clusterConfig(dataDir, "127.0.0.1:1", hz);
    oldest = start(ClusterFixture.node(cluster, hz.get(0)));
    younger = start(ClusterFixture.node(cluster, hz.get(1)));
    await()
        .atMost(Duration.ofSeconds(20))
        .until(() -> members(oldest) == 2 && members(younger) == 2);
    younger
        .vertx()
        .eventBus()
        .consumer(address, m -> m.reply("pong"))
        .completion()
        .await(10, TimeUnit.SECONDS);
  }

  private static int members(ClusterSetup.Clustered c) {
    return c.manager().getHazelcastInstance().getCluster().getMembers().size();
  }

  private static ClusterSetup.Clustered start(CandlecastConfig cfg) throws Exception {
    return ClusterSetup.start(cfg.with(Settings.CLUSTER_BUS_PORT, 0), new VertxOptions())
        .await(60, TimeUnit.SECONDS);
  }
}
