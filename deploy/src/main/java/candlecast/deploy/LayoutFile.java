package candlecast.deploy;

import candlecast.deploy.LocalCluster.Layout;
import candlecast.deploy.LocalCluster.Node;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Properties;

/**
 * A local cluster's layout on disk ({@code <data dir>/local-cluster/layout.properties}): written by
 * {@code up}, read back by the other commands.
 */
final class LayoutFile {
  private LayoutFile() {}

  /** Writes {@code layout} into its directory. */
  static void save(Layout layout) {
    Properties p = new Properties();
    p.setProperty("jar", layout.jar().toString());
    p.setProperty("cluster.name", layout.clusterName());
    p.setProperty("kafka.port", String.valueOf(layout.kafkaPort()));
    p.setProperty("partitions", String.valueOf(layout.partitions()));
    p.setProperty("heap", layout.heap());
    for (Node n : layout.nodes()) {
      p.setProperty("node." + n.name(), n.httpPort() + "," + n.clusterPort());
    }
    try {
      Files.createDirectories(layout.dir());
      try (OutputStream os =
          Files.newOutputStream(layout.dir().resolve(LocalCluster.LAYOUT_FILE))) {
        p.store(os, "Candlecast local cluster layout (written by 'up')");
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The layout saved by the last {@code up} in {@code dataDir}, if any. */
  static Optional<Layout> load(Path dataDir) {
    Path dir = dataDir.toAbsolutePath().normalize().resolve("local-cluster");
    Path f = dir.resolve(LocalCluster.LAYOUT_FILE);
    if (!Files.isRegularFile(f)) {
      return Optional.empty();
    }
    Properties p = new Properties();
    try (InputStream is = Files.newInputStream(f)) {
      p.load(is);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    List<Node> nodes = new ArrayList<>();
    for (Role r : List.of(Role.KAFKA, Role.FEED, Role.AGGREGATOR, Role.GATEWAY)) {
      for (int i = 1; p.containsKey("node." + r.label() + "#" + i); i++) {
        String[] ports = p.getProperty("node." + r.label() + "#" + i).split(",", -1);
        nodes.add(new Node(r, i, Integer.parseInt(ports[0]), Integer.parseInt(ports[1])));
      }
    }
    return Optional.of(
        new Layout(
            dir,
            Path.of(p.getProperty("jar")),
            p.getProperty("cluster.name"),
            Integer.parseInt(p.getProperty("kafka.port")),
            Integer.parseInt(p.getProperty("partitions")),
            p.getProperty("heap", "256m"),
            List.copyOf(nodes)));
  }
}
