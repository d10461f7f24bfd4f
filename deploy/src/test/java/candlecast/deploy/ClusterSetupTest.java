package candlecast.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import candlecast.common.config.CandlecastConfig;
import candlecast.common.config.Settings;
import com.hazelcast.config.Config;
import com.hazelcast.config.JoinConfig;
import io.vertx.core.VertxOptions;
import java.util.List;
import org.junit.jupiter.api.Test;

class ClusterSetupTest {

  @Test
  void tcpIpDefaultsAreFastAndClosed() {
    Config c =
        ClusterSetup.hazelcastConfig(
            CandlecastConfig.defaults()
                .with(Settings.CLUSTER_MEMBERS, List.of("127.0.0.1:5801", "127.0.0.1:5802")));
    assertThat(c.getClusterName()).isEqualTo("candlecast");
    assertThat(c.getProperty("hazelcast.phone.home.enabled")).isEqualTo("false");
    assertThat(c.getProperty("hazelcast.wait.seconds.before.join")).isEqualTo("0");
    assertThat(c.getProperty("hazelcast.heartbeat.interval.seconds")).isEqualTo("1");
    assertThat(c.getProperty("hazelcast.max.no.heartbeat.seconds")).isEqualTo("30");
    assertThat(c.getProperty("hazelcast.merge.first.run.delay.seconds")).isEqualTo("5");
    // a stuck operation fails after ~2 x 10 s instead of 2 minutes; retries keep the defaults
    assertThat(c.getProperty("hazelcast.operation.call.timeout.millis")).isEqualTo("10000");
    assertThat(c.getProperty("hazelcast.invocation.max.retry.count")).isNull();
    JoinConfig join = c.getNetworkConfig().getJoin();
    assertThat(join.getMulticastConfig().isEnabled()).isFalse();
    assertThat(join.getAutoDetectionConfig().isEnabled()).isFalse();
    assertThat(join.getKubernetesConfig().isEnabled()).isFalse();
    assertThat(join.getTcpIpConfig().isEnabled()).isTrue();
    assertThat(join.getTcpIpConfig().getMembers())
        .containsExactly("127.0.0.1:5801", "127.0.0.1:5802");
    assertThat(c.getNetworkConfig().getPort()).isEqualTo(5701);
    assertThat(c.getNetworkConfig().getInterfaces().isEnabled()).isTrue();
    assertThat(c.getNetworkConfig().getInterfaces().getInterfaces()).containsExactly("127.0.0.1");
    assertThat(c.getMultiMapConfig(ClusterSetup.SUBS_MAP).getBackupCount()).isEqualTo(1);
  }

  @Test
  void kubernetesDiscoveryUsesTheHeadlessServiceDns() {
    CandlecastConfig cfg =
        CandlecastConfig.defaults()
            .with(Settings.CLUSTER_DISCOVERY, "kubernetes")
            .with(
                Settings.CLUSTER_KUBERNETES_SERVICE_DNS,
                "candlecast-cluster.candlecast.svc.cluster.local")
            .with(Settings.CLUSTER_HOST, "10.1.2.3")
            .with(Settings.CLUSTER_NAME, "prod");
    Config c = ClusterSetup.hazelcastConfig(cfg);
    JoinConfig join = c.getNetworkConfig().getJoin();
    assertThat(c.getClusterName()).isEqualTo("prod");
    assertThat(join.getTcpIpConfig().isEnabled()).isFalse();
    assertThat(join.getMulticastConfig().isEnabled()).isFalse();
    assertThat(join.getKubernetesConfig().isEnabled()).isTrue();
    assertThat(join.getKubernetesConfig().getProperty("service-dns"))
        .isEqualTo("candlecast-cluster.candlecast.svc.cluster.local");
    VertxOptions o = ClusterSetup.vertxOptions(cfg, new VertxOptions());
    assertThat(o.getEventBusOptions().getHost()).isEqualTo("10.1.2.3");
    assertThat(o.getEventBusOptions().getClusterPublicHost()).isEqualTo("10.1.2.3");
  }

  @Test
  void publicHostIsAdvertisedWhenSet() {
    CandlecastConfig cfg =
        CandlecastConfig.defaults()
            .with(Settings.CLUSTER_HOST, "0.0.0.0")
            .with(Settings.CLUSTER_PUBLIC_HOST, "node1.example")
            .with(Settings.CLUSTER_BUS_PORT, 5711);
    VertxOptions o = ClusterSetup.vertxOptions(cfg, new VertxOptions());
    assertThat(o.getEventBusOptions().getHost()).isEqualTo("0.0.0.0");
    assertThat(o.getEventBusOptions().getPort()).isEqualTo(5711);
    assertThat(o.getEventBusOptions().getClusterPublicHost()).isEqualTo("node1.example");
    Config c = ClusterSetup.hazelcastConfig(cfg);
    assertThat(c.getNetworkConfig().getPublicAddress()).isEqualTo("node1.example");
    assertThat(c.getNetworkConfig().getInterfaces().isEnabled()).isFalse();
    assertThat(c.getProperty("hazelcast.socket.bind.any")).isEqualTo("true");
  }

  @Test
  void inconsistentSettingsAreRejectedWithTheSettingName() {
    assertThatThrownBy(
            () ->
                ClusterSetup.hazelcastConfig(
                    CandlecastConfig.defaults().with(Settings.CLUSTER_DISCOVERY, "kubernetes")))
        .hasMessageContaining("CANDLECAST_CLUSTER_KUBERNETES_SERVICE_DNS");
    assertThatThrownBy(
            () ->
                ClusterSetup.hazelcastConfig(
                    CandlecastConfig.defaults()
                        .with(Settings.CLUSTER_HEARTBEAT_SECONDS, 5)
                        .with(Settings.CLUSTER_FAILURE_TIMEOUT_SECONDS, 5)))
        .hasMessageContaining("CANDLECAST_CLUSTER_FAILURE_TIMEOUT_SECONDS");
    assertThatThrownBy(
            () ->
                ClusterSetup.hazelcastConfig(
                    CandlecastConfig.defaults().with(Settings.CLUSTER_MEMBERS, List.of())))
        .hasMessageContaining("CANDLECAST_CLUSTER_MEMBERS");
  }
}
