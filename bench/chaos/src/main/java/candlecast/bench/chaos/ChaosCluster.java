package candlecast.bench.chaos;

import candlecast.common.config.Settings;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;
import org.apache.kafka.common.Uuid;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The cluster under test, each member its own JVM of the jar on loopback: three brokers (the {@code
 * kafka} role as a KRaft quorum, replication 3, min ISR 2), two feeds (leader and standby,
 * replaying the ground-truth file), three aggregators and three gateways. Ports from {@code base}:
 * brokers base+1..3 (controllers base+11..13, probes base+21..23), feeds' HTTP base+31..32,
 * aggregators' base+41..43, gateways' base+51..53 (clients reach them through fault proxies at
 * base+61..63), Hazelcast base+700..707.
 */
final class ChaosCluster {
  private static final Logger LOG = LoggerFactory.getLogger(ChaosCluster.class);
  static final int PARTITIONS = 6;

  /** Members in slots 1..11 (brokers, feeds, aggregators, gateways). */
  static final int MEMBERS = 11;

  final int base;

  /** Network namespaces, one per member; null: every member on loopback. */
  private final Netns net;

  final List<Member> brokers = new ArrayList<>();
  final List<Member> feeds = new ArrayList<>();
  final List<Member> aggregators = new ArrayList<>();
  final List<Member> gateways = new ArrayList<>();

  ChaosCluster(int base, Path jar, Path dir, Path replayFile, List<String> symbols, Netns net) {
    this.base = base;
    this.net = net;
    Path logs = dir.resolve("logs");
    String voters = voters();
    String clusterId = Uuid.randomUuid().toString();
    for (int i = 1; i <= 3; i++) {
      Map<String, String> e = common(dir, "kafka-" + i, base + 20 + i, i);
      e.put(Settings.KAFKA_EMBEDDED_PORT.envName(), String.valueOf(base + i));
      e.put(Settings.KAFKA_EMBEDDED_NODE_ID.envName(), String.valueOf(i));
      e.put(Settings.KAFKA_EMBEDDED_CONTROLLER_PORT.envName(), String.valueOf(base + 10 + i));
      e.put(Settings.KAFKA_EMBEDDED_QUORUM_VOTERS.envName(), voters);
      e.put(Settings.KAFKA_EMBEDDED_CLUSTER_ID.envName(), clusterId);
      brokers.add(new Member("kafka", i, at(i), base + 20 + i, jar, logs, e));
    }
    int hz = 0;
    for (int i = 1; i <= 2; i++) {
      int h = hz++;
      Map<String, String> e = clustered(dir, "feed-" + i, base + 30 + i, h);
      e.put(Settings.FEED_SOURCE.envName(), "replay");
      e.put(Settings.REPLAY_FILE.envName(), replayFile.toString());
      e.put(Settings.REPLAY_SPEED.envName(), "1");
      e.put(Settings.FEED_SYMBOLS.envName(), String.join(",", symbols));
      feeds.add(new Member("feed", i, at(slot(h)), base + 30 + i, jar, logs, e));
    }
    for (int i = 1; i <= 3; i++) {
      int h = hz++;
      Map<String, String> e = clustered(dir, "aggregator-" + i, base + 40 + i, h);
      aggregators.add(new Member("aggregator", i, at(slot(h)), base + 40 + i, jar, logs, e));
    }
    for (int i = 1; i <= 3; i++) {
      int h = hz++;
      Map<String, String> e = clustered(dir, "gateway-" + i, base + 50 + i, h);
      // every client of the fleet comes from 127.0.0.1 and a killed gateway's clients reconnect at
      // once
      e.put(Settings.GATEWAY_CONNECTIONS_PER_SECOND.envName(), "2000");
      e.put(Settings.GATEWAY_CONNECTIONS_BURST.envName(), "5000");
      gateways.add(new Member("gateway", i, at(slot(h)), base + 50 + i, jar, logs, e));
    }
  }

  /**
   * The namespace slot of the clustered member with Hazelcast index {@code hz} (slots 1-3 are the
   * brokers).
   */
  private static int slot(int hz) {
    return 4 + hz;
  }

  /** The address of the member in {@code slot}. */
  String host(int slot) {
    return net == null ? "127.0.0.1" : net.address(slot);
  }

  private Member.Placement at(int slot) {
    return new Member.Placement(host(slot), net == null ? 0 : slot, net);
  }

  /** Whether any member can be cut off (namespaces), not only a gateway's clients (proxies). */
  boolean membersCuttable() {
    return net != null;
  }

  String bootstrap() {
    StringJoiner j = new StringJoiner(",");
    for (int i = 1; i <= 3; i++) {
      j.add(host(i) + ":" + (base + i));
    }
    return j.toString();
  }

  private String voters() {
    StringJoiner j = new StringJoiner(",");
    for (int i = 1; i <= 3; i++) {
      j.add(i + "@" + host(i) + ":" + (base + 10 + i));
    }
    return j.toString();
  }

  private Map<String, String> common(Path dir, String name, int httpPort, int slot) {
    Map<String, String> e = new LinkedHashMap<>();
    e.put(Settings.HTTP_HOST.envName(), host(slot));
    e.put(Settings.HTTP_PORT.envName(), String.valueOf(httpPort));
    e.put(Settings.DATA_DIR.envName(), dir.resolve("data").resolve(name).toString());
    e.put(Settings.KAFKA_PARTITIONS.envName(), String.valueOf(PARTITIONS));
    e.put(Settings.KAFKA_REPLICATION_FACTOR.envName(), "3");
    return e;
  }

  private Map<String, String> clustered(Path dir, String name, int httpPort, int hz) {
    int slot = slot(hz);
    Map<String, String> e = common(dir, name, httpPort, slot);
    e.put(Settings.KAFKA_BOOTSTRAP_SERVERS.envName(), bootstrap());
    e.put(Settings.CLUSTER_NAME.envName(), "chaos-" + base);
    e.put(Settings.CLUSTER_DISCOVERY.envName(), "tcp-ip");
    StringJoiner members = new StringJoiner(",");
    for (int i = 0; i < 8; i++) {
      members.add(host(slot(i)) + ":" + (base + 700 + i));
    }
    e.put(Settings.CLUSTER_MEMBERS.envName(), members.toString());
    e.put(Settings.CLUSTER_HOST.envName(), host(slot));
    e.put(Settings.CLUSTER_PORT.envName(), String.valueOf(base + 700 + hz));
    e.put(Settings.CLUSTER_MIN_MEMBERS.envName(), "2");
    return e;
  }

  List<Member> all() {
    List<Member> all = new ArrayList<>(brokers);
    all.addAll(feeds);
    all.addAll(aggregators);
    all.addAll(gateways);
    return all;
  }

  /**
   * Brokers first (all at once: a broker's start waits for its quorum), then every other member.
   */
  void up(Duration timeout) throws InterruptedException {
    long t0 = System.nanoTime();
    brokers.forEach(Member::start);
    awaitReady(brokers, timeout);
    LOG.info("brokers ready in {} ms", (System.nanoTime() - t0) / 1_000_000);
    for (Member m : all()) {
      m.start();
    }
    awaitReady(all(), timeout);
    LOG.info(
        "cluster of {} JVMs ready in {} ms", all().size(), (System.nanoTime() - t0) / 1_000_000);
  }

  static void awaitReady(List<Member> members, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    List<Member> pending = new ArrayList<>(members);
    while (true) {
      pending.removeIf(Member::ready);
      if (pending.isEmpty()) {
        return;
      }
      for (Member m : pending) {
        if (!m.alive()) {
          throw new IllegalStateException(m.name() + " exited during start; see its log");
        }
      }
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("not ready within " + timeout + ": " + pending);
      }
      Thread.sleep(250); // another process's HTTP endpoint: nothing in this JVM to await
    }
  }

  /** Stops everything: feeds first, the brokers last; kill -9 whatever does not stop in time. */
  void down() {
    List<Member> order = new ArrayList<>(feeds);
    order.addAll(gateways);
    order.addAll(aggregators);
    try {
      for (Member m : order) {
        m.terminate(15);
      }
      for (Member m : brokers) {
        m.resume();
      }
      for (Member m : brokers) {
        m.terminate(20);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      killAll();
    }
  }

  /** kill -9 of every member still alive (the shutdown hook's last resort). */
  void killAll() {
    for (Member m : all()) {
      try {
        if (m.alive()) {
          m.kill9();
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
