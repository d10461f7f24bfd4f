package candlecast.common.kafka;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import kafka.tools.StorageTool;
import org.apache.kafka.common.Uuid;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An embedded broker's configuration and storage: its default properties, the {@code
 * broker.properties} file written at each start and the one-time formatting of its log directory.
 */
final class BrokerStorage {
  private static final Logger LOG = LoggerFactory.getLogger(EmbeddedKafka.class);

  private BrokerStorage() {}

  /**
   * The single-node defaults: combined broker + controller (node 1) on {@code host}, everything
   * replicated once, small and quick to start (see {@link EmbeddedKafka}).
   */
  static Properties defaults(String host, Path logDir, int port, int controllerPort) {
    Map<String, String> p = new TreeMap<>();
    p.put("process.roles", "broker,controller");
    p.put("node.id", "1");
    p.put("controller.quorum.voters", "1@" + host + ":" + controllerPort);
    p.put(
        "listeners",
        "PLAINTEXT://" + host + ":" + port + ",CONTROLLER://" + host + ":" + controllerPort);
    p.put("advertised.listeners", "PLAINTEXT://" + host + ":" + port);
    p.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
    p.put("controller.listener.names", "CONTROLLER");
    p.put("inter.broker.listener.name", "PLAINTEXT");
    p.put("log.dirs", logDir.toString());
    // One node: every replication factor and min ISR is 1.
    p.put("default.replication.factor", "1");
    p.put("min.insync.replicas", "1");
    p.put("offsets.topic.replication.factor", "1");
    p.put("offsets.topic.num.partitions", "5");
    p.put("transaction.state.log.replication.factor", "1");
    p.put("transaction.state.log.min.isr", "1");
    p.put("transaction.state.log.num.partitions", "5");
    // A transaction a killed producer left open (the aggregator's, issue 19) holds read_committed
    // readers of its partitions until the coordinator aborts it: look for expired ones every
    // second, not every 10 s.
    p.put("transaction.abort.timed.out.transaction.cleanup.interval.ms", "1000");
    p.put("num.partitions", "1");
    p.put("auto.create.topics.enable", "false");
    p.put("group.initial.rebalance.delay.ms", "0");
    // The feed's leader lease may use a session timeout below Kafka's default floor of 6 s.
    p.put("group.min.session.timeout.ms", "500");
    // The default 128 MiB dedupe buffer is allocated at start.
    p.put("log.cleaner.dedupe.buffer.size", String.valueOf(2 * 1024 * 1024));
    p.put("num.network.threads", "2");
    p.put("num.io.threads", "4");
    p.put("num.recovery.threads.per.data.dir", "2");
    // Faster registration and unfencing at start.
    p.put("broker.heartbeat.interval.ms", "500");
    p.put("log.retention.check.interval.ms", "60000");
    Properties props = new Properties();
    props.putAll(p);
    return props;
  }

  /**
   * Formats the log directory with {@code sharedClusterId} (a fresh one when null); a formatted one
   * is left as it is.
   */
  static void format(Path propsFile, Path logDir, String sharedClusterId) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    String clusterId = sharedClusterId != null ? sharedClusterId : Uuid.randomUuid().toString();
    int rc;
    try (PrintStream ps = new PrintStream(out, true, StandardCharsets.UTF_8)) {
      rc =
          StorageTool.execute(
              new String[] {
                "format",
                "--config",
                propsFile.toString(),
                "--cluster-id",
                clusterId,
                "--ignore-formatted"
              },
              ps);
    } catch (RuntimeException e) {
      throw new IllegalStateException(
          "cannot format Kafka storage in "
              + logDir
              + ": "
              + e.getMessage()
              + " "
              + out.toString(StandardCharsets.UTF_8).trim(),
          e);
    }
    if (rc != 0) {
      throw new IllegalStateException(
          "cannot format Kafka storage in "
              + logDir
              + " (exit "
              + rc
              + "): "
              + out.toString(StandardCharsets.UTF_8).trim());
    }
    LOG.debug("Formatted Kafka storage {} with cluster id {}", logDir, clusterId);
  }

  /** Writes the effective configuration of this start (for humans and for the formatter). */
  static void write(Properties props, Path file) throws IOException {
    try (OutputStream os = Files.newOutputStream(file)) {
      props.store(os, "Written by Candlecast EmbeddedKafka at each start; edits are overwritten");
    }
  }
}
