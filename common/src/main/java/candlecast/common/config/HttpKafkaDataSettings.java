package candlecast.common.config;

import static candlecast.common.config.SettingsRegistry.define;

/**
 * The {@link Settings} of the gateway's HTTP listener, Kafka and the data directory. Declaring one
 * registers it (see {@link SettingsRegistry#define}), so this class is read only through the public
 * constants of {@link Settings}, whose initialisation loads the section classes in documentation
 * order.
 */
final class HttpKafkaDataSettings {
  static final Setting<String> HTTP_HOST =
      define("http.host", "0.0.0.0", "Interface the gateway listens on", Parsers.string());
  static final Setting<Integer> HTTP_PORT =
      define("http.port", 8080, "Gateway HTTP/WebSocket port", Parsers.intRange(1, 65535));
  static final Setting<String> KAFKA_BOOTSTRAP_SERVERS =
      define(
          "kafka.bootstrap-servers",
          "",
          "Kafka bootstrap servers; empty starts the embedded single-node broker",
          Parsers.string());
  static final Setting<Integer> KAFKA_PARTITIONS =
      define(
          "kafka.partitions",
          4,
          "Partitions of the trades and candles topics when Candlecast creates them",
          Parsers.intRange(1, 1024));
  static final Setting<Integer> KAFKA_EMBEDDED_PORT =
      define(
          "kafka.embedded-port",
          9092,
          "Listener port of the embedded broker (0 = any free port)",
          Parsers.intRange(0, 65535));
  static final Setting<Integer> KAFKA_REPLICATION_FACTOR =
      define(
          "kafka.replication-factor",
          1,
          "Replicas of each topic Candlecast creates; the embedded brokers of a quorum use min ISR"
              + " one less (3 -> 2)",
          Parsers.intRange(1, 7));
  static final Setting<String> KAFKA_EMBEDDED_QUORUM_VOTERS =
      define(
          "kafka.embedded-quorum-voters",
          "",
          "Embedded broker as one of a KRaft quorum: id@host:port,... of every broker's controller"
              + " listener; empty = a single-node broker",
          Parsers.string());
  static final Setting<Integer> KAFKA_EMBEDDED_NODE_ID =
      define(
          "kafka.embedded-node-id",
          1,
          "Node id of the embedded broker in its quorum",
          Parsers.intRange(0, 65535));
  static final Setting<Integer> KAFKA_EMBEDDED_CONTROLLER_PORT =
      define(
          "kafka.embedded-controller-port",
          0,
          "Controller listener port of the embedded broker (0 = any free; a quorum member needs"
              + " its voter port)",
          Parsers.intRange(0, 65535));
  static final Setting<String> KAFKA_EMBEDDED_CLUSTER_ID =
      define(
          "kafka.embedded-cluster-id",
          "",
          "Kafka cluster id (base64 UUID) every broker of a quorum formats its storage with; empty ="
              + " random",
          Parsers.string());
  static final Setting<String> DATA_DIR =
      define(
          "data.dir",
          "./candlecast-data",
          "Directory for the embedded broker's log and local state",
          Parsers.string());

  private HttpKafkaDataSettings() {}
}
