package candlecast.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import candlecast.common.config.Settings;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The local cluster's layout, per-node settings and command line (the processes themselves:
 * FailoverIT).
 */
class LocalClusterTest {
  @TempDir Path dir;

  @Test
  void standardLayoutHasTheBrokerTwoFeedsTwoAggregatorsAndTwoGateways() {
    LocalCluster.Layout l = LocalCluster.Layout.standard(dir, Path.of("candlecast.jar"));
    assertThat(l.nodes())
        .extracting(LocalCluster.Node::name)
        .containsExactly(
            "kafka#1",
            "feed#1",
            "feed#2",
            "aggregator#1",
            "aggregator#2",
            "gateway#1",
            "gateway#2");
    assertThat(l.nodes(Role.GATEWAY))
        .extracting(LocalCluster.Node::httpPort)
        .containsExactly(8080, 8081);
    assertThat(l.nodes(Role.FEED))
        .extracting(LocalCluster.Node::httpPort)
        .containsExactly(8090, 8093);
    assertThat(l.members())
        .isEqualTo(
            "127.0.0.1:5701,127.0.0.1:5702,127.0.0.1:5703,127.0.0.1:5704,127.0.0.1:5705,127.0.0.1:5706");
    assertThat(l.log(l.node("aggregator#2")).toString())
        .endsWith("local-cluster/logs/aggregator-2.log");
    assertThat(l.pidFile(l.node("aggregator#2")).toString())
        .endsWith("local-cluster/pids/aggregator-2.pid");
    assertThatThrownBy(() -> l.node("aggregator#3")).hasMessageContaining("no node 'aggregator#3'");
  }

  @Test
  void layoutSurvivesASaveAndLoad() {
    LocalCluster.Layout l =
        LocalCluster.Layout.of(
            dir,
            Path.of("x.jar"),
            "c1",
            19092,
            new int[] {1, 2, 3, 4, 5, 6, 7},
            new int[] {11, 12, 13, 14, 15, 16},
            3);
    l.save();
    assertThat(LocalCluster.Layout.load(dir)).contains(l);
  }

  @Test
  void everyNodeGetsItsOwnSettingsAndOnlyKnownOnes() {
    LocalCluster.Layout l = LocalCluster.Layout.standard(dir, Path.of("candlecast.jar"));
    LocalCluster c = new LocalCluster(l, Map.of(), false, System.out);
    Map<String, String> gw = c.env(l.node("gateway#2"));
    assertThat(gw)
        .containsEntry("CANDLECAST_HTTP_PORT", "8081")
        .containsEntry("CANDLECAST_CLUSTER_PORT", "5706")
        .containsEntry("CANDLECAST_KAFKA_BOOTSTRAP_SERVERS", "127.0.0.1:9092")
        .containsEntry("CANDLECAST_CLUSTER_MEMBERS", l.members());
    Map<String, String> kafka = c.env(l.node("kafka#1"));
    assertThat(kafka)
        .containsEntry("CANDLECAST_KAFKA_EMBEDDED_PORT", "9092")
        .doesNotContainKey("CANDLECAST_KAFKA_BOOTSTRAP_SERVERS");
    for (LocalCluster.Node n : l.nodes()) {
      assertThat(c.env(n).keySet()).allMatch(k -> Settings.byEnvName(k) != null);
    }
    // Each node has its own data directory.
    assertThat(c.env(l.node("aggregator#1")).get("CANDLECAST_DATA_DIR"))
        .isNotEqualTo(c.env(l.node("aggregator#2")).get("CANDLECAST_DATA_DIR"));
  }

  @Test
  void commandLineErrorsAreClear() throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8);
    PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8);
    assertThat(LocalClusterCommand.run(new String[] {"explode"}, o, e)).isEqualTo(2);
    assertThat(err.toString(StandardCharsets.UTF_8)).contains("unknown command 'explode'");
    assertThat(LocalClusterCommand.run(new String[] {"kill"}, o, e)).isEqualTo(2);
    assertThat(err.toString(StandardCharsets.UTF_8)).contains("kill ROLE#N");
    assertThat(LocalClusterCommand.run(new String[] {"--help"}, o, e)).isZero();
    assertThat(out.toString(StandardCharsets.UTF_8))
        .contains("up", "down", "status", "restart ROLE#N");
  }
}
