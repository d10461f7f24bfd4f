package candlecast.common.kafka;

import java.util.Map;
import java.util.TreeMap;
import org.apache.kafka.common.Uuid;

/**
 * The membership of one embedded broker in a multi-broker KRaft quorum (issue 19): combined broker
 * + controller with node id {@code nodeId}, its controller listener on the fixed {@code
 * controllerPort} (the voters must find it again after a restart), every broker's storage formatted
 * with the same {@code clusterId} (a Kafka cluster id: 22 characters, base64 of a UUID), and
 * replication factors and min ISR for {@code replication} brokers.
 *
 * @param voters {@code id@host:port,...}: the controller listeners of every broker of the quorum
 */
public record KafkaQuorum(
    int nodeId, int controllerPort, String voters, String clusterId, int replication) {

  public KafkaQuorum {
    if (nodeId < 0) {
      throw new IllegalArgumentException("node id must be >= 0, was " + nodeId);
    }
    if (controllerPort < 1 || controllerPort > 65535) {
      throw new IllegalArgumentException(
          "a quorum's controller port must be 1..65535, was " + controllerPort);
    }
    if (replication < 1) {
      throw new IllegalArgumentException("replication must be >= 1, was " + replication);
    }
    if (!namesNode(voters, nodeId)) {
      throw new IllegalArgumentException(
          "quorum voters '" + voters + "' (id@host:port,...) do not name node " + nodeId);
    }
    try {
      Uuid.fromString(clusterId);
    } catch (RuntimeException e) {
      throw new IllegalArgumentException(
          "Kafka cluster id '" + clusterId + "' is not a base64 UUID (22 characters)", e);
    }
  }

  private static boolean namesNode(String voters, int nodeId) {
    if (voters == null) {
      return false;
    }
    for (String v : voters.split(",", -1)) {
      if (v.trim().matches("\\d+@[^:]+:\\d+") && v.trim().startsWith(nodeId + "@")) {
        return true;
      }
    }
    return false;
  }

  /**
   * The host of this node's own entry in the voters: the address it listens on and advertises (the
   * chaos harness puts each broker in its own network namespace, issue 19).
   */
  public String host() {
    for (String v : voters.split(",", -1)) {
      String e = v.trim();
      if (e.startsWith(nodeId + "@")) {
        return e.substring(e.indexOf('@') + 1, e.lastIndexOf(':'));
      }
    }
    throw new IllegalStateException("voters do not name node " + nodeId); // checked at creation
  }

  /** The broker properties this membership sets (applied over the single-node defaults). */
  Map<String, String> properties(String host, int port) {
    Map<String, String> p = new TreeMap<>();
    p.put("node.id", String.valueOf(nodeId));
    p.put("controller.quorum.voters", voters);
    p.put(
        "listeners",
        "PLAINTEXT://" + host + ":" + port + ",CONTROLLER://" + host + ":" + controllerPort);
    p.putAll(replicationProperties(replication));
    return p;
  }

  /**
   * Replication of a cluster of {@code replication} brokers: topics and internal topics replicated
   * {@code replication} times, min ISR one less (at least 1) — with 3, a write is acknowledged by 2
   * and one broker may be down.
   */
  static Map<String, String> replicationProperties(int replication) {
    String rf = String.valueOf(replication);
    String minIsr = String.valueOf(Math.max(1, replication - 1));
    Map<String, String> p = new TreeMap<>();
    p.put("default.replication.factor", rf);
    p.put("min.insync.replicas", minIsr);
    p.put("offsets.topic.replication.factor", rf);
    p.put("transaction.state.log.replication.factor", rf);
    p.put("transaction.state.log.min.isr", minIsr);
    return p;
  }
}
