package candlecast.deploy;

import java.util.Locale;

/** What one Candlecast JVM runs: {@code java -jar candlecast.jar <role>}. */
public enum Role {
  ALL(
      "every tier in one JVM (default): embedded Kafka unless CANDLECAST_KAFKA_BOOTSTRAP_SERVERS is set"),
  FEED(
      "the feed alone (needs --cluster and an external Kafka); /health and /ready on the HTTP port"),
  AGGREGATOR(
      "one aggregator (needs --cluster and an external Kafka); /health and /ready on the HTTP port"),
  GATEWAY("one gateway (needs --cluster): WebSocket, SockJS, REST, page on the HTTP port"),
  KAFKA(
      "the embedded Kafka broker alone, for local clusters (data in CANDLECAST_DATA_DIR/kafka, port "
          + "CANDLECAST_KAFKA_EMBEDDED_PORT); /health and /ready on the HTTP port");

  private final String description;

  Role(String description) {
    this.description = description;
  }

  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }

  public String description() {
    return description;
  }

  /** Whether this role is one tier that joins a cluster. */
  public boolean clustered() {
    return this == FEED || this == AGGREGATOR || this == GATEWAY;
  }

  /** The role named {@code s}, or null. */
  public static Role parse(String s) {
    for (Role r : values()) {
      if (r.label().equals(s)) {
        return r;
      }
    }
    return null;
  }
}
