package candlecast.common.config;

import static candlecast.common.config.SettingsRegistry.define;

import java.util.List;

/**
 * The {@link Settings} of the Hazelcast cluster. Declaring one registers it (see {@link
 * SettingsRegistry#define}), so this class is read only through the public constants of {@link
 * Settings}, whose initialisation loads the section classes in documentation order.
 */
final class ClusterSettings {
  static final Setting<String> CLUSTER_NAME =
      define(
          "cluster.name",
          "candlecast",
          "Hazelcast cluster name: only nodes with the same name join",
          Parsers.string());
  static final Setting<String> CLUSTER_DISCOVERY =
      define(
          "cluster.discovery",
          "tcp-ip",
          "How nodes find each other: tcp-ip (cluster.members) or kubernetes (DNS of a headless Service)",
          Parsers.oneOf("tcp-ip", "kubernetes"));
  static final Setting<List<String>> CLUSTER_MEMBERS =
      define(
          "cluster.members",
          List.of("127.0.0.1"),
          "tcp-ip discovery: comma-separated host[:port] of members to contact",
          Parsers.stringList());
  static final Setting<String> CLUSTER_KUBERNETES_SERVICE_DNS =
      define(
          "cluster.kubernetes-service-dns",
          "",
          "kubernetes discovery: DNS name of the headless Service selecting every Candlecast pod",
          Parsers.string());
  static final Setting<String> CLUSTER_HOST =
      define(
          "cluster.host",
          "127.0.0.1",
          "Address Hazelcast and the event bus bind to and advertise (the pod IP on Kubernetes)",
          Parsers.string());
  static final Setting<String> CLUSTER_PUBLIC_HOST =
      define(
          "cluster.public-host",
          "",
          "Address other nodes use to reach this one's event bus, when not cluster.host (NAT)",
          Parsers.string());
  static final Setting<Integer> CLUSTER_PORT =
      define(
          "cluster.port",
          5701,
          "Hazelcast member port (the next free one of 20 when taken)",
          Parsers.intRange(1, 65535));
  static final Setting<Integer> CLUSTER_BUS_PORT =
      define(
          "cluster.bus-port",
          0,
          "Event-bus TCP port between nodes (0 = any free port)",
          Parsers.intRange(0, 65535));
  static final Setting<Integer> CLUSTER_HEARTBEAT_SECONDS =
      define(
          "cluster.heartbeat-seconds",
          1,
          "Seconds between Hazelcast heartbeats",
          Parsers.intRange(1, 60));
  static final Setting<Integer> CLUSTER_FAILURE_TIMEOUT_SECONDS =
      define(
          "cluster.failure-timeout-seconds",
          30,
          "Seconds without a heartbeat after which a member is declared dead",
          Parsers.intRange(2, 600));
  static final Setting<Integer> CLUSTER_MERGE_DELAY_SECONDS =
      define(
          "cluster.merge-delay-seconds",
          5,
          "Seconds between checks that merge a member back after a split (e.g. a paused process)",
          Parsers.intRange(1, 600));
  static final Setting<Integer> CLUSTER_MIN_MEMBERS =
      define(
          "cluster.min-members",
          1,
          "Members a node must see to report itself ready",
          Parsers.intRange(1, 1000));

  private ClusterSettings() {}
}
