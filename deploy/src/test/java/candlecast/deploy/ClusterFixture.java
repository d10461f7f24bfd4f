package candlecast.deploy;

import candlecast.common.config.CandlecastConfig;
import candlecast.common.config.Settings;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/** Test helpers for clusters on loopback: free ports, member lists and per-node configuration. */
final class ClusterFixture {
  private ClusterFixture() {}

  static int freePort() {
    try (ServerSocket s = new ServerSocket()) {
      s.setReuseAddress(true);
      s.bind(new InetSocketAddress(InetAddress.getByAddress(new byte[] {127, 0, 0, 1}), 0));
      return s.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** {@code n} distinct free ports. */
  static List<Integer> freePorts(int n) {
    List<Integer> out = new ArrayList<>();
    while (out.size() < n) {
      int p = freePort();
      if (!out.contains(p)) {
        out.add(p);
      }
    }
    return out;
  }

  static List<String> members(List<Integer> hzPorts) {
    return hzPorts.stream().map(p -> "127.0.0.1:" + p).toList();
  }

  /**
   * A cluster of its own (unique name) on loopback with the given members, against {@code
   * bootstrap}.
   */
  static CandlecastConfig clusterConfig(Path dataDir, String bootstrap, List<Integer> hzPorts) {
    return StackFixture.config(dataDir)
        .with(Settings.KAFKA_BOOTSTRAP_SERVERS, bootstrap)
        .with(Settings.CLUSTER_NAME, "it-" + UUID.randomUUID())
        .with(Settings.CLUSTER_MEMBERS, members(hzPorts))
        .with(Settings.CLUSTER_HOST, "127.0.0.1");
  }

  static CandlecastConfig node(CandlecastConfig cluster, int hzPort) {
    return cluster.with(Settings.CLUSTER_PORT, hzPort);
  }
}
