package candlecast.deploy;

import candlecast.common.config.Settings;
import candlecast.deploy.LocalCluster.Layout;
import candlecast.deploy.LocalCluster.Node;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Starts the JVMs of a local cluster: {@code java -jar candlecast.jar <role> [--cluster]}, its
 * settings in environment variables, its output appended to its log, its pid in its pid file.
 */
final class NodeLauncher {
  private final Layout layout;
  private final Map<String, String> extraEnv;
  private final boolean detach;

  NodeLauncher(Layout layout, Map<String, String> extraEnv, boolean detach) {
    this.layout = layout;
    this.extraEnv = Map.copyOf(extraEnv);
    this.detach = detach;
  }

  /** Starts a node's JVM with its environment; output appended to its log. */
  ProcessHandle start(Node n) {
    List<String> cmd = new ArrayList<>();
    if (detach && Files.isExecutable(Path.of("/usr/bin/setsid"))) {
      cmd.add("/usr/bin/setsid");
    }
    cmd.add(ProcessHandle.current().info().command().orElse("java"));
    cmd.add("-Xmx" + (n.role() == Role.KAFKA ? "512m" : layout.heap()));
    cmd.addAll(LocalCluster.JVM_OPTIONS);
    cmd.addAll(cdsOptions(layout.jar()));
    cmd.add("-Dcandlecast.node=" + n.name());
    cmd.add("-jar");
    cmd.add(layout.jar().toString());
    cmd.add(n.role().label());
    if (n.role().clustered()) {
      cmd.add("--cluster");
    }
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
    pb.environment().remove("CANDLECAST_JAR"); // the wrapper's, not a setting
    pb.environment().putAll(extraEnv);
    pb.environment().putAll(env(n));
    try {
      Files.createDirectories(layout.log(n).getParent());
      Files.createDirectories(layout.pidFile(n).getParent());
      Files.writeString(
          layout.log(n),
          "---- start " + n.name() + " " + java.time.Instant.now() + "\n",
          java.nio.file.StandardOpenOption.CREATE,
          java.nio.file.StandardOpenOption.APPEND);
      pb.redirectOutput(ProcessBuilder.Redirect.appendTo(layout.log(n).toFile()));
      pb.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
      Process p = pb.start();
      Files.writeString(layout.pidFile(n), p.pid() + "\n");
      return p.toHandle();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start " + n.name(), e);
    }
  }

  /** The settings of one node, as environment variables. */
  Map<String, String> env(Node n) {
    Map<String, String> e = new LinkedHashMap<>();
    e.put(Settings.HTTP_HOST.envName(), "127.0.0.1");
    e.put(Settings.HTTP_PORT.envName(), String.valueOf(n.httpPort()));
    e.put(
        Settings.DATA_DIR.envName(), layout.dir().resolve("data").resolve(n.fileName()).toString());
    e.put(Settings.KAFKA_PARTITIONS.envName(), String.valueOf(layout.partitions()));
    if (n.role() == Role.KAFKA) {
      e.put(Settings.KAFKA_EMBEDDED_PORT.envName(), String.valueOf(layout.kafkaPort()));
    } else {
      e.put(Settings.KAFKA_BOOTSTRAP_SERVERS.envName(), "127.0.0.1:" + layout.kafkaPort());
      e.put(Settings.CLUSTER_NAME.envName(), layout.clusterName());
      e.put(Settings.CLUSTER_DISCOVERY.envName(), "tcp-ip");
      e.put(Settings.CLUSTER_MEMBERS.envName(), layout.members());
      e.put(Settings.CLUSTER_HOST.envName(), "127.0.0.1");
      e.put(Settings.CLUSTER_PORT.envName(), String.valueOf(n.clusterPort()));
      // a node that finds itself alone (cut off, or paused and dropped) is not ready until it
      // merges back
      e.put(Settings.CLUSTER_MIN_MEMBERS.envName(), "2");
    }
    return e;
  }

  /**
   * The class-data-sharing archive the build writes beside the jar ({@code candlecast.jsa}), when
   * there is one: the node's JVM maps the classes it holds instead of loading them
   * (docs/DECISIONS.md "Start-up"). An archive that no longer fits the jar is skipped by the JVM,
   * silently.
   */
  static List<String> cdsOptions(Path jar) {
    Path archive = jar.toAbsolutePath().resolveSibling("candlecast.jsa");
    if (!Files.isRegularFile(archive)) {
      return List.of();
    }
    return List.of("-XX:SharedArchiveFile=" + archive, "-Xlog:cds=off,cds+dynamic=off");
  }
}
