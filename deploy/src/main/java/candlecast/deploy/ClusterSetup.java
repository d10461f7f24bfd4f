package candlecast.deploy;

import candlecast.common.config.CandlecastConfig;
import candlecast.common.config.Settings;
import com.hazelcast.config.Config;
import com.hazelcast.config.JoinConfig;
import com.hazelcast.config.MapConfig;
import com.hazelcast.config.MultiMapConfig;
import com.hazelcast.config.NetworkConfig;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.eventbus.EventBusOptions;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;
import java.util.List;
import java.util.function.Function;

/**
 * Builds the Hazelcast configuration and the clustered Vert.x of a single-role node from
 * Candlecast's own settings (no {@code cluster.xml}): the {@code cluster.*} block of {@link
 * Settings}.
 *
 * <ul>
 *   <li>Discovery: TCP-IP with {@code cluster.members} (local clusters), or Hazelcast's built-in
 *       Kubernetes discovery in DNS mode with the headless Service {@code
 *       cluster.kubernetes-service-dns}. Multicast and auto-detection are always off, and so is
 *       phone-home.
 *   <li>Failure detection: a member whose connections close (a killed process) is removed at once;
 *       a silent one after {@code cluster.failure-timeout-seconds} (30 s, heartbeat every {@code
 *       cluster.heartbeat-seconds}), so a shorter pause (a long GC, SIGSTOP) never splits the
 *       cluster and never needs a merge; no wait before joining; split-brain merge checks every
 *       {@code cluster.merge-delay-seconds} for longer splits.
 *   <li>Hazelcast and the event bus bind to {@code cluster.host} (the pod IP on Kubernetes); the
 *       event bus advertises {@code cluster.public-host} when set. The event bus refuses Java
 *       serialization: bodies are JSON.
 * </ul>
 */
public final class ClusterSetup {
  /** Vert.x's own data structures, configured as in vertx-hazelcast's default-cluster.xml. */
  static final String SUBS_MAP = "__vertx.subs";

  static final List<String> VERTX_MAPS = List.of("__vertx.haInfo", "__vertx.nodeInfo");

  /** Event-bus connection ping: a silent peer connection is dropped after about 2 x this. */
  static final long BUS_PING_MS = 5_000;

  /** Longest graceful shutdown (partition migration) when a node leaves. */
  static final int GRACEFUL_SHUTDOWN_SECONDS = 15;

  /** Hazelcast's operation call timeout: a lost operation fails after about twice this. */
  static final long CALL_TIMEOUT_MS = 10_000;

  /** Longest wait for a dropped member's partitions to move before cleaning up after it. */
  static final long HANDOVER_WAIT_MS = 10_000;

  /** Ports Hazelcast tries from {@code cluster.port} on when it is taken. */
  static final int PORT_COUNT = 20;

  /** Never send Java-serialized objects over the event bus, locally or between nodes. */
  static final Function<String, Boolean> NO_JAVA_SERIALIZATION = className -> false;

  private ClusterSetup() {}

  /**
   * The Hazelcast configuration for {@code config}.
   *
   * @throws IllegalArgumentException naming the setting when the cluster settings do not fit
   *     together
   */
  public static Config hazelcastConfig(CandlecastConfig config) {
    String discovery = config.get(Settings.CLUSTER_DISCOVERY);
    int heartbeat = config.get(Settings.CLUSTER_HEARTBEAT_SECONDS);
    int timeout = config.get(Settings.CLUSTER_FAILURE_TIMEOUT_SECONDS);
    if (timeout <= heartbeat) {
      throw new IllegalArgumentException(
          "invalid setting "
              + Settings.CLUSTER_FAILURE_TIMEOUT_SECONDS.envName()
              + ": "
              + timeout
              + " s must be longer than "
              + Settings.CLUSTER_HEARTBEAT_SECONDS.envName()
              + " ("
              + heartbeat
              + " s)");
    }
    String host = config.get(Settings.CLUSTER_HOST).trim();
    if (host.isEmpty()) {
      throw new IllegalArgumentException(
          "invalid setting " + Settings.CLUSTER_HOST.envName() + ": empty");
    }
    Config c = new Config();
    c.setClusterName(config.get(Settings.CLUSTER_NAME));
    c.setProperty("hazelcast.logging.type", "slf4j");
    c.setProperty("hazelcast.phone.home.enabled", "false");
    c.setProperty("hazelcast.wait.seconds.before.join", "0");
    c.setProperty("hazelcast.heartbeat.interval.seconds", String.valueOf(heartbeat));
    c.setProperty("hazelcast.max.no.heartbeat.seconds", String.valueOf(timeout));
    c.setProperty(
        "hazelcast.merge.first.run.delay.seconds",
        String.valueOf(config.get(Settings.CLUSTER_MERGE_DELAY_SECONDS)));
    c.setProperty(
        "hazelcast.merge.next.run.delay.seconds",
        String.valueOf(config.get(Settings.CLUSTER_MERGE_DELAY_SECONDS)));
    c.setProperty(
        "hazelcast.graceful.shutdown.max.wait", String.valueOf(GRACEFUL_SHUTDOWN_SECONDS));
    c.setProperty("hazelcast.socket.bind.any", String.valueOf(isWildcard(host)));
    // An operation sent to a member that was paused and dropped can wait for a response that never
    // comes until no operation heartbeat arrived for twice the call timeout (default 60 s, so
    // 120 s): vertx-hazelcast's subscription map then blocks event-bus registrations and lookups
    // for that long (docs/RELIABILITY.md, the first 60-minute run). Bound it. The retries of an
    // operation whose partition is moving keep Hazelcast's defaults (250 x 500 ms): a merge after
    // a split needs them (with 15 s, merges failed in the chaos smoke).
    c.setProperty("hazelcast.operation.call.timeout.millis", String.valueOf(CALL_TIMEOUT_MS));

    c.addMultiMapConfig(
        new MultiMapConfig(SUBS_MAP)
            .setBackupCount(1)
            .setValueCollectionType(MultiMapConfig.ValueCollectionType.SET));
    for (String m : VERTX_MAPS) {
      c.addMapConfig(new MapConfig(m).setBackupCount(1));
    }
    network(c.getNetworkConfig(), config, host, discovery);
    return c;
  }

  /** Port, interface and public address of this member, and how it finds the others. */
  private static void network(
      NetworkConfig net, CandlecastConfig config, String host, String discovery) {
    net.setPort(config.get(Settings.CLUSTER_PORT))
        .setPortAutoIncrement(true)
        .setPortCount(PORT_COUNT);
    if (!isWildcard(host)) {
      net.getInterfaces().setEnabled(true).addInterface(host);
    }
    String publicHost = config.get(Settings.CLUSTER_PUBLIC_HOST).trim();
    if (!publicHost.isEmpty()) {
      net.setPublicAddress(publicHost);
    }
    JoinConfig join = net.getJoin();
    join.getMulticastConfig().setEnabled(false);
    join.getAutoDetectionConfig().setEnabled(false);
    if ("kubernetes".equals(discovery)) {
      String dns = config.get(Settings.CLUSTER_KUBERNETES_SERVICE_DNS).trim();
      if (dns.isEmpty()) {
        throw new IllegalArgumentException(
            "invalid setting "
                + Settings.CLUSTER_KUBERNETES_SERVICE_DNS.envName()
                + ": required when "
                + Settings.CLUSTER_DISCOVERY.envName()
                + " is kubernetes");
      }
      join.getTcpIpConfig().setEnabled(false);
      join.getKubernetesConfig()
          .setEnabled(true)
          .setProperty("service-dns", dns)
          .setProperty("service-dns-timeout", "5");
    } else {
      List<String> members = config.get(Settings.CLUSTER_MEMBERS);
      if (members.isEmpty()) {
        throw new IllegalArgumentException(
            "invalid setting "
                + Settings.CLUSTER_MEMBERS.envName()
                + ": at least one host[:port] is required for tcp-ip discovery");
      }
      join.getTcpIpConfig().setEnabled(true).setMembers(members).setConnectionTimeoutSeconds(2);
    }
  }

  /**
   * Vert.x options of a clustered node: the event bus on {@code cluster.host}:{@code
   * cluster.bus-port}.
   */
  public static VertxOptions vertxOptions(CandlecastConfig config, VertxOptions base) {
    String host = config.get(Settings.CLUSTER_HOST).trim();
    String publicHost = config.get(Settings.CLUSTER_PUBLIC_HOST).trim();
    EventBusOptions bus =
        base.getEventBusOptions()
            .setHost(host)
            .setPort(config.get(Settings.CLUSTER_BUS_PORT))
            .setClusterPingInterval(BUS_PING_MS)
            .setClusterPingReplyInterval(BUS_PING_MS);
    if (!publicHost.isEmpty()) {
      bus.setClusterPublicHost(publicHost);
    } else if (!isWildcard(host)) {
      bus.setClusterPublicHost(host);
    }
    return base.setEventBusOptions(bus);
  }

  /**
   * Starts a clustered Vert.x that joins the cluster described by {@code config}. The returned
   * future completes once this node is a member and its event bus listens.
   */
  public static Future<Clustered> start(CandlecastConfig config, VertxOptions base) {
    Config hz;
    VertxOptions options;
    try {
      hz = hazelcastConfig(config);
      options = vertxOptions(config, base);
    } catch (IllegalArgumentException e) {
      return Future.failedFuture(e);
    }
    HazelcastClusterManager manager = new SafeClusterManager(hz, HANDOVER_WAIT_MS);
    return Vertx.builder()
        .with(options)
        .withClusterManager(manager)
        .buildClustered()
        .map(
            vertx -> {
              vertx.eventBus().serializableChecker(NO_JAVA_SERIALIZATION);
              vertx.eventBus().clusterSerializableChecker(NO_JAVA_SERIALIZATION);
              return new Clustered(vertx, manager);
            });
  }

  /** A clustered Vert.x and its cluster manager. */
  public record Clustered(Vertx vertx, HazelcastClusterManager manager) {}

  static boolean isWildcard(String host) {
    return host.equals("0.0.0.0") || host.equals("::") || host.equals("*");
  }
}
