package candlecast.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import candlecast.aggregator.OracleFold;
import candlecast.common.Candle;
import candlecast.common.Topics;
import candlecast.common.config.Settings;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.extension.TestWatcher;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Failover of the local cluster — separate JVMs on loopback started from the shaded jar (kafka,
 * feed, two aggregators, two gateways) — under a steady mock load, with resuming WebSocket clients
 * on both gateways. Each scenario is bounded in time and independent of the others: it starts from
 * a whole, settled cluster, uses clients of its own (closed after it), and its tear-down brings the
 * cluster back whole whatever it left behind — so a failure is reported by the scenario that
 * failed, not by the ones after it. They run in order only because the last two read back what the
 * earlier ones put the cluster through (the candles log against every client, the oracle over the
 * trades log); each also passes alone. The cluster is torn down at the end (and on JVM exit).
 *
 * <p>Heavy (about three minutes on two cores): runs with {@code mvn -pl deploy verify -Pfailover}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class FailoverIT {
  private static final Logger LOG = LoggerFactory.getLogger(FailoverIT.class);
  static final List<String> SYMBOLS = FailoverCluster.SYMBOLS;
  static final long TAKEOVER_LIMIT_MS = 10_000;
  static final long REJOIN_LIMIT_MS = 30_000;

  /**
   * Closed candles the clients must have received for the comparison with Kafka to mean something.
   */
  static final int COMPARED_MIN = 100;

  private FailoverCluster fx;
  private Vertx clientVertx;

  /** The running scenario's clients, closed after it. */
  private final List<ResumingClient> clients = new ArrayList<>();

  /** Every client of the run (a closed one keeps what it received). */
  private final List<ResumingClient> everyClient = new CopyOnWriteArrayList<>();

  private final Map<String, Long> figures = new LinkedHashMap<>();
  private Thread cleanup;
  private volatile boolean failed;

  /** Logs and data stay for a look when a scenario failed; otherwise the directory goes. */
  @RegisterExtension
  final TestWatcher watcher =
      new TestWatcher() {
        @Override
        public void testFailed(ExtensionContext context, Throwable cause) {
          failed = true;
        }
      };

  @BeforeAll
  void upTheCluster() throws Exception {
    Path jar =
        Path.of(System.getProperty("failover.jar", "target/candlecast.jar")).toAbsolutePath();
    assertThat(jar).as("the shaded jar (mvn package)").exists();
    fx = FailoverCluster.create(jar);
    cleanup = new Thread(fx::forceDown, "failover-cleanup");
    Runtime.getRuntime().addShutdownHook(cleanup);
    Duration up;
    try {
      up = fx.cluster().up();
    } catch (RuntimeException | Error e) {
      failed = true;
      throw e;
    }
    figures.put("local cluster up (6 JVMs, all ready) ms", up.toMillis());
    clientVertx = Vertx.vertx();
  }

  /** Every scenario starts from a whole, ready and settled cluster. */
  @BeforeEach
  void wholeCluster() throws Exception {
    fx.restore();
    fx.awaitSettled();
  }

  /**
   * ... and leaves it whole: a cluster it could not bring back fails this scenario, not the next
   * one.
   */
  @AfterEach
  void closeClientsAndRestore() throws Exception {
    clients.forEach(ResumingClient::close);
    clients.clear();
    fx.restore();
  }

  @AfterAll
  void down() throws Exception {
    clients.forEach(ResumingClient::close);
    if (clientVertx != null) {
      clientVertx.close().await(10, TimeUnit.SECONDS);
    }
    if (fx == null) {
      return;
    }
    fx.down();
    Runtime.getRuntime().removeShutdownHook(cleanup);
    LOG.info("FAILOVER FIGURES {}", figures);
    if (failed) {
      LOG.info("failover logs kept in {}", fx.dir);
    } else {
      fx.deleteDirectory();
    }
  }

  private LocalCluster.Node node(String name) {
    return fx.node(name);
  }

  private int port(String name) {
    return fx.port(name);
  }

  /**
   * A client of the text protocol (no resume): for scenarios about delivery, not about
   * reconnecting.
   */
  private ResumingClient client(String name, String... gateways) {
    return client(false, name, gateways);
  }

  /** A client of the JSON protocol that resumes with {@code since} after a reconnect. */
  private ResumingClient resumingClient(String name, String... gateways) {
    return client(true, name, gateways);
  }

  private ResumingClient client(boolean json, String name, String... gateways) {
    List<Integer> ports = new ArrayList<>();
    for (String g : gateways) {
      ports.add(port(g));
    }
    ResumingClient c = new ResumingClient(name, clientVertx, ports, SYMBOLS, json);
    clients.add(c);
    everyClient.add(c);
    c.start();
    return c;
  }

  /**
   * Waits until the client has a closed candle of every symbol whose window opened at or after
   * {@code t}.
   */
  private static void awaitClosedSince(ResumingClient c, long t, Duration atMost) {
    try {
      await(c.name + " receives closed candles from " + t)
          .atMost(atMost)
          .pollInterval(Duration.ofMillis(50))
          .until(() -> SYMBOLS.stream().allMatch(s -> c.newestClosed(s) >= t));
    } catch (ConditionTimeoutException e) {
      throw new AssertionError(e.getMessage() + " — " + c.describe(), e);
    }
  }

  private static long nextWindow() {
    return (System.currentTimeMillis() / 1000 + 1) * 1000;
  }

  private void assertNoLoss(ResumingClient c) {
    assertThat(c.duplicates).as(c.name + " duplicates").isEmpty();
    assertThat(c.notRecovered).as(c.name + " resumes history could not serve").isEmpty();
    assertThat(c.errors).as(c.name + " error frames").isEmpty();
    for (String s : SYMBOLS) {
      assertThat(c.gaps(s)).as(c.name + " gaps in " + s).isEmpty();
    }
  }

  // ------------------------------------------------------------------------------------------
  // scenarios
  @Test
  @Order(1)
  @Timeout(value = 90, unit = TimeUnit.SECONDS)
  void bothGatewaysDeliverTheSameCandles() {
    ResumingClient a = client("same-g1", "gateway#1");
    ResumingClient b = client("same-g2", "gateway#2");
    awaitClosedSince(a, nextWindow(), Duration.ofSeconds(30));
    awaitClosedSince(b, nextWindow(), Duration.ofSeconds(30));
    long common = 0;
    for (String s : SYMBOLS) {
      common = Math.max(common, Math.max(a.closed(s).firstKey(), b.closed(s).firstKey()));
    }
    awaitClosedSince(a, common + 4_000, Duration.ofSeconds(30));
    awaitClosedSince(b, common + 4_000, Duration.ofSeconds(30));
    for (String s : SYMBOLS) {
      TreeMap<Long, JsonObject> ca = a.closed(s);
      TreeMap<Long, JsonObject> cb = b.closed(s);
      long lo = Math.max(ca.firstKey(), cb.firstKey());
      long hi = Math.min(ca.lastKey(), cb.lastKey());
      assertThat(hi - lo).as("common range of %s", s).isGreaterThanOrEqualTo(4_000);
      assertThat(ca.subMap(lo, true, hi, true))
          .as(s + " on both gateways")
          .isEqualTo(cb.subMap(lo, true, hi, true));
    }
    assertNoLoss(a);
    assertNoLoss(b);
  }

  @Test
  @Order(2)
  @Timeout(value = 120, unit = TimeUnit.SECONDS)
  void killedAggregatorsPartitionsAreTakenOver() throws Exception {
    ResumingClient c = client("takeover", "gateway#1");
    awaitClosedSince(c, nextWindow(), Duration.ofSeconds(20));
    // Kill the aggregator that folds the most symbols (the other one may own no traded partition at
    // all).
    String victim =
        fx.symbolsFoldedBy("aggregator#1") >= fx.symbolsFoldedBy("aggregator#2")
            ? "aggregator#1"
            : "aggregator#2";
    assertThat(fx.symbolsFoldedBy(victim)).as(victim + " folds a symbol").isPositive();
    long killedAt = System.currentTimeMillis();
    fx.cluster().kill(node(victim));
    // Every series gets candles again, for windows that opened after the kill, within the limit.
    long after = (killedAt / 1000 + 1) * 1000;
    await("candles of every symbol after kill -9 of " + victim)
        .atMost(Duration.ofMillis(TAKEOVER_LIMIT_MS + 5_000))
        .pollInterval(Duration.ofMillis(50))
        .until(() -> SYMBOLS.stream().allMatch(s -> c.newestClosed(s) >= after));
    long takeover = System.currentTimeMillis() - killedAt;
    figures.put("aggregator takeover after kill -9 ms", takeover);
    assertThat(takeover).as("takeover time").isLessThanOrEqualTo(TAKEOVER_LIMIT_MS + 1_000);
    awaitClosedSince(c, nextWindow() + 2_000, Duration.ofSeconds(20));
    // The new owner replays from the last checkpoint and may publish again a closed candle the
    // killed one had
    // published: the same value is harmless, a different one is not.
    assertThat(c.duplicates)
        .as("closed candles republished with another value")
        .allMatch(d -> d.endsWith("(same value)"));
    figures.put(
        "closed candles republished (same value) after the takeover", (long) c.duplicates.size());
    assertThat(c.notRecovered).isEmpty();
    for (String s : SYMBOLS) {
      assertThat(c.gaps(s)).as("gaps in " + s + " across the takeover").isEmpty();
    }
    Duration restart = fx.cluster().restart(node(victim));
    figures.put("aggregator restart to ready ms", restart.toMillis());
  }

  @Test
  @Order(3)
  @Timeout(value = 120, unit = TimeUnit.SECONDS)
  void clientsOfAKilledGatewayResumeOnTheOtherWithoutGapOrDuplicate() throws Exception {
    List<ResumingClient> movers = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      movers.add(resumingClient("mover-" + i, "gateway#2", "gateway#1"));
    }
    long t0 = nextWindow() + 1_000;
    for (ResumingClient c : movers) {
      awaitClosedSince(c, t0, Duration.ofSeconds(20));
      assertThat(c.connectedPort()).isEqualTo(port("gateway#2"));
    }
    fx.cluster().kill(node("gateway#2"));
    long after = nextWindow() + 3_000;
    for (ResumingClient c : movers) {
      awaitClosedSince(c, after, Duration.ofSeconds(30));
      assertThat(c.connectedPort()).isEqualTo(port("gateway#1"));
      assertThat(c.reconnects).isGreaterThanOrEqualTo(1);
      assertNoLoss(c);
      fx.checkAgainstHistory(c, "gateway#1");
    }
    figures.put(
        "client resume after kill -9 of its gateway, max ms",
        movers.stream()
            .flatMap(c -> c.resumeTimesMs.stream())
            .mapToLong(Long::longValue)
            .max()
            .orElse(-1));
    fx.cluster().restart(node("gateway#2"));
  }

  @Test
  @Order(4)
  @Timeout(value = 150, unit = TimeUnit.SECONDS)
  void aPausedGatewayGetsEverySeriesBackAfterItRejoins() throws Exception {
    ResumingClient on1 = client("pause-g1", "gateway#1");
    ResumingClient on2 = client("pause-g2", "gateway#2");
    awaitClosedSince(on1, nextWindow(), Duration.ofSeconds(20));
    awaitClosedSince(on2, nextWindow(), Duration.ofSeconds(20));
    LocalCluster.Node g2 = node("gateway#2");
    int members = fx.clusterMembersSeenBy("feed#1"); // the layout's clustered nodes, all up
    long stoppedAt = System.currentTimeMillis();
    fx.cluster().signal(g2, "STOP");
    try {
      // Past the failure-detection timeout: the others drop the paused member (and its event-bus
      // registrations).
      await("the cluster drops the paused gateway")
          .atMost(Duration.ofSeconds(30))
          .pollInterval(Duration.ofMillis(100))
          .until(() -> fx.clusterMembersSeenBy("feed#1") == members - 1);
      figures.put(
          "paused member detected and removed after ms", System.currentTimeMillis() - stoppedAt);
    } finally {
      fx.cluster().signal(g2, "CONT");
    }
    long contAt = System.currentTimeMillis();
    long after = (contAt / 1000 + 2) * 1000;
    awaitClosedSince(on1, after, Duration.ofMillis(REJOIN_LIMIT_MS));
    awaitClosedSince(on2, after, Duration.ofMillis(REJOIN_LIMIT_MS));
    figures.put(
        "every series on every gateway again after SIGCONT ms",
        System.currentTimeMillis() - contAt);
    fx.cluster().awaitReady(fx.cluster().layout().nodes(), Duration.ofSeconds(30));
  }

  @Test
  @Order(5)
  @Timeout(value = 300, unit = TimeUnit.SECONDS)
  void aRollingRestartOfEveryNodeLosesNothingHistoryCannotRestore() throws Exception {
    ResumingClient c1 = resumingClient("rolling-1", "gateway#1", "gateway#2");
    ResumingClient c2 = resumingClient("rolling-2", "gateway#2", "gateway#1");
    awaitClosedSince(c1, nextWindow(), Duration.ofSeconds(20));
    awaitClosedSince(c2, nextWindow(), Duration.ofSeconds(20));
    List<String> order =
        List.of("feed#1", "aggregator#1", "aggregator#2", "gateway#1", "gateway#2");
    long total = 0;
    for (String n : order) {
      total += fx.cluster().restart(node(n)).toMillis();
      // the cluster keeps delivering before the next node goes
      awaitClosedSince(c1, nextWindow(), Duration.ofSeconds(30));
      awaitClosedSince(c2, nextWindow(), Duration.ofSeconds(30));
    }
    figures.put("rolling restart of 5 nodes ms", total);
    awaitClosedSince(c1, nextWindow() + 2_000, Duration.ofSeconds(30));
    awaitClosedSince(c2, nextWindow() + 2_000, Duration.ofSeconds(30));
    for (ResumingClient c : List.of(c1, c2)) {
      assertNoLoss(c);
      fx.checkAgainstHistory(c, "gateway#1");
    }
  }

  @Test
  @Order(6)
  @Timeout(value = 120, unit = TimeUnit.SECONDS)
  void everyClosedCandleInKafkaHasOneValueAndMatchesWhatClientsSaw() {
    // Clients of its own, so that there is something to compare also when this scenario runs alone.
    client("kafka-g1", "gateway#1");
    client("kafka-g2", "gateway#2");
    // What every client of the run holds, for windows that closed well before Kafka is read.
    Map<String, NavigableMap<Long, JsonObject>> seen = new LinkedHashMap<>();
    await("closed candles received by the clients")
        .atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofSeconds(1))
        .until(() -> closedBefore(System.currentTimeMillis() - 5_000, seen) > COMPARED_MIN);
    // Closed candles are final: the log of 'candles' never holds two different closed values for
    // one key.
    List<String> conflicts = new ArrayList<>();
    Map<String, JsonObject> closedValue = CandleLogChecks.closedValues(fx.bootstrap(), conflicts);
    assertThat(conflicts).as("closed candles with two values").isEmpty();
    // What every client received as closed is the closed value Kafka holds.
    int compared = 0;
    for (Map.Entry<String, NavigableMap<Long, JsonObject>> e : seen.entrySet()) {
      String symbol = e.getKey().substring(e.getKey().indexOf(' ') + 1);
      NavigableMap<Long, JsonObject> stored = CandleLogChecks.series(closedValue, symbol + "|1s|");
      for (Map.Entry<Long, JsonObject> c : e.getValue().entrySet()) {
        compared++;
        JsonObject k = closedValue.get(symbol + "|1s|" + c.getKey());
        // a window without trades is not stored: it is flat at the close of the stored one before
        JsonObject want =
            k != null
                ? CandleLogChecks.fromRecord(k)
                : CandleLogChecks.impliedFlat(stored, c.getKey());
        assertThat(want)
            .as("%s@%d closed in candles (or implied)", e.getKey(), c.getKey())
            .isNotNull();
        assertThat(c.getValue()).as("%s@%d", e.getKey(), c.getKey()).isEqualTo(want);
      }
    }
    assertThat(compared).as("closed candles received by the clients").isGreaterThan(COMPARED_MIN);
  }

  /**
   * Fills {@code seen} ("client symbol" → closed candles) with what every client holds before
   * cutoff; the count.
   */
  private int closedBefore(long cutoff, Map<String, NavigableMap<Long, JsonObject>> seen) {
    seen.clear();
    int n = 0;
    for (ResumingClient c : everyClient) {
      for (String s : SYMBOLS) {
        TreeMap<Long, JsonObject> closed = new TreeMap<>(c.closed(s).headMap(cutoff - 1_000, true));
        seen.put(c.name + " " + s, closed);
        n += closed.size();
      }
    }
    return n;
  }

  @Test
  @Order(7)
  @Timeout(value = 120, unit = TimeUnit.SECONDS)
  void afterAllOfItCandlesEqualTheOracle() throws Exception {
    // Stop the load, let the aggregators drain, then every key of 'candles' must hold what an
    // offline fold of the
    // whole 'trades' log gives (the aggregator module's Oracle: an independent implementation of
    // the rules).
    // Both feeds: with only the leader stopped, the standby takes the lease over and goes on
    // writing trades after the log was read.
    for (String feed : List.of("feed#2", "feed#1")) {
      fx.cluster().signal(node(feed), "TERM");
      fx.cluster().awaitExit(node(feed), Duration.ofSeconds(30));
    }
    List<byte[]> trades =
        StackFixture.readAll(fx.bootstrap(), Topics.TRADES).stream()
            .map(ConsumerRecord::value)
            .toList();
    Map<String, Candle> expected =
        OracleFold.latest(
            trades,
            Settings.AGGREGATOR_GRACE_MS.defaultValue(),
            Settings.AGGREGATOR_DEDUP_SIZE.defaultValue());
    assertThat(expected.size()).as("candle keys the oracle derives").isGreaterThan(200);
    List<String> diff = new CopyOnWriteArrayList<>();
    try {
      await("candles reach the oracle")
          .atMost(Duration.ofSeconds(60))
          .pollInterval(Duration.ofSeconds(1))
          .until(
              () -> {
                List<String> now = CandleLogChecks.differences(expected, fx.bootstrap());
                diff.clear(); // replaced whole, so a timeout reports the last complete comparison
                diff.addAll(now);
                return now.isEmpty();
              });
    } catch (ConditionTimeoutException e) {
      throw new AssertionError(
          diff.size()
              + " keys differ from the oracle, e.g. "
              + diff.subList(0, Math.min(10, diff.size())),
          e);
    }
    figures.put("candle keys equal to the oracle", (long) expected.size());
  }
}
