package candlecast.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import candlecast.common.Topics;
import candlecast.common.Trade;
import candlecast.common.TradeCodec;
import candlecast.common.TradeRecord;
import candlecast.common.config.Settings;
import candlecast.common.kafka.KafkaTopics;
import candlecast.feed.FakeExchange;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.MemberDescription;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Two feed JVMs of one group against a Bitstamp-protocol exchange on loopback and a broker JVM: the
 * leader is killed with -9 again and again (each time the killed one comes back as the standby),
 * then the leader is SIGSTOPped past its lease and resumed. The log must hold every trade the
 * exchange published exactly once, in id order, and the deposed leader's late writes must be
 * refused (fencing). Prints the takeover times (kill to the first trade the new leader wrote).
 * {@code -Dtakeover.kills=N} sets the number of kills (default 3; 10+ for the report).
 */
class FeedTakeoverIT {
  private static final String PAIR = "tkbtcusd";
  private static final String SYMBOL = "TKBTCUSD";
  private static final String GROUP = "takeover-it";
  private static final long LEASE_MS = 2_000;
  private static FakeExchange exchange;
  private static LocalCluster cluster;
  private static String bootstrap;

  @BeforeAll
  static void start() throws Exception {
    exchange = FakeExchange.start(PAIR);
    Path dir = Files.createTempDirectory("candlecast-takeover");
    List<Integer> ports = ClusterFixture.freePorts(6);
    List<LocalCluster.Node> nodes =
        List.of(
            new LocalCluster.Node(Role.KAFKA, 1, ports.get(1), 0),
            new LocalCluster.Node(Role.FEED, 1, ports.get(2), ports.get(4)),
            new LocalCluster.Node(Role.FEED, 2, ports.get(3), ports.get(5)));
    Path jar =
        Path.of(System.getProperty("failover.jar", "target/candlecast.jar")).toAbsolutePath();
    LocalCluster.Layout layout =
        new LocalCluster.Layout(
            dir.resolve("local-cluster"),
            jar,
            "takeover-" + UUID.randomUUID(),
            ports.get(0),
            2,
            "256m",
            nodes);
    Map<String, String> env = new HashMap<>();
    env.put(Settings.FEED_SOURCE.envName(), "bitstamp");
    env.put(Settings.FEED_SYMBOLS.envName(), SYMBOL);
    env.put(Settings.FEED_GROUP.envName(), GROUP);
    env.put(Settings.FEED_LEASE_TIMEOUT_MS.envName(), String.valueOf(LEASE_MS));
    env.put(Settings.BITSTAMP_WS_URL.envName(), exchange.wsUrl());
    env.put(Settings.BITSTAMP_REST_URL.envName(), exchange.restUrl());
    env.put(Settings.BITSTAMP_HEARTBEAT_MS.envName(), "500");
    env.put(Settings.BITSTAMP_BACKOFF_MIN_MS.envName(), "100");
    env.put(Settings.BITSTAMP_BACKOFF_MAX_MS.envName(), "1000");
    env.put(Settings.CLUSTER_MIN_MEMBERS.envName(), "1");
    cluster = new LocalCluster(layout, env, false, new PrintStream(System.out, true));
    cluster.up();
    bootstrap = "127.0.0.1:" + layout.kafkaPort();
  }

  @AfterAll
  static void stop() throws Exception {
    if (cluster != null) {
      for (LocalCluster.Node n : cluster.layout().nodes()) {
        cluster.signal(n, "CONT");
      }
      cluster.down();
    }
    if (exchange != null) {
      exchange.close();
    }
  }

  @Test
  @Timeout(value = 15, unit = TimeUnit.MINUTES)
  void everyTradeOnceInOrderAcrossLeaderKillsAndAPausedLeaderThatIsFenced() throws Exception {
    exchange.stream(List.of(PAIR), 1);
    int kills = Integer.getInteger("takeover.kills", 3);
    List<Long> takeovers = new ArrayList<>();
    try (TradeWatch watch = new TradeWatch(bootstrap)) {
      await().atMost(Duration.ofSeconds(60)).until(() -> watch.poll() > 50);
      for (int i = 0; i < kills; i++) {
        LocalCluster.Node leader = leader();
        LocalCluster.Node standby = other(leader);
        long t0 = System.currentTimeMillis();
        cluster.kill(leader);
        // a trade written after the old leader is gone is the new leader's (one committed in the
        // kill's millisecond
        // may still be the old one's)
        long dead = System.currentTimeMillis() + 1;
        long first = watch.firstTradeWrittenAfter(dead, Duration.ofSeconds(60));
        takeovers.add(first - t0);
        assertThat(leader()).as("the standby leads").isEqualTo(standby);
        cluster.start(leader); // back as the standby
        cluster.awaitReady(List.of(leader), Duration.ofMinutes(2));
        await().atMost(Duration.ofSeconds(60)).until(() -> groupMembers() == 2);
      }

      LocalCluster.Node paused = leader();
      LocalCluster.Node next = other(paused);
      long t0 = System.currentTimeMillis();
      cluster.signal(paused, "STOP");
      watch.firstTradeWrittenAfter(t0, Duration.ofSeconds(60));
      await().atMost(Duration.ofSeconds(60)).until(() -> next.equals(leader()));
      cluster.signal(paused, "CONT");
      Path log = cluster.layout().dir().resolve("logs").resolve("feed-" + paused.index() + ".log");
      await()
          .atMost(Duration.ofSeconds(60))
          .until(
              () ->
                  Files.readString(log).contains("can write no more")
                      || Files.readString(log).contains("lost the lease"));
      await().atMost(Duration.ofSeconds(60)).until(() -> groupMembers() == 2);
      assertThat(leader()).as("the resumed leader did not take the lease back").isEqualTo(next);
      watch.poll();
      long afterResume = System.currentTimeMillis();
      watch.firstTradeWrittenAfter(
          afterResume, Duration.ofSeconds(60)); // the new leader goes on writing

      exchange.stopStream();
      List<Trade> truth = exchange.truth(PAIR);
      await()
          .atMost(Duration.ofSeconds(60))
          .until(
              () -> {
                watch.poll();
                return watch.trades.size() >= truth.size();
              });
      watch.poll();
      assertThat(watch.trades.stream().map(Trade::id).toList())
          .as("every trade of the exchange exactly once, in id order")
          .isEqualTo(truth.stream().map(Trade::id).toList());
      List<Long> sorted = new ArrayList<>(takeovers);
      Collections.sort(sorted);
      System.out.println(
          "TAKEOVER FIGURES: kills="
              + kills
              + " takeover ms "
              + takeovers
              + " median "
              + sorted.get(sorted.size() / 2)
              + " max "
              + sorted.get(sorted.size() - 1)
              + "; trades "
              + truth.size()
              + ", lost 0, duplicated 0 (lease timeout "
              + LEASE_MS
              + " ms)");
    }
  }

  private LocalCluster.Node other(LocalCluster.Node n) {
    return cluster.layout().nodes(Role.FEED).stream()
        .filter(f -> !f.equals(n))
        .findFirst()
        .orElseThrow();
  }

  /**
   * The feed node whose lease consumer holds the lease partition (its client id carries its pid).
   */
  private LocalCluster.Node leader() throws Exception {
    return await()
        .atMost(Duration.ofSeconds(60))
        .until(this::currentLeader, Optional::isPresent)
        .orElseThrow();
  }

  private Optional<LocalCluster.Node> currentLeader() throws Exception {
    for (MemberDescription m : describe().members()) {
      if (!m.assignment().topicPartitions().isEmpty()) {
        String pid = m.clientId().substring(m.clientId().lastIndexOf('-') + 1);
        for (LocalCluster.Node n : cluster.layout().nodes(Role.FEED)) {
          if (cluster.process(n).map(p -> String.valueOf(p.pid()).equals(pid)).orElse(false)) {
            return Optional.of(n);
          }
        }
      }
    }
    return Optional.empty();
  }

  private int groupMembers() throws Exception {
    return describe().members().size();
  }

  private ConsumerGroupDescription describe() throws Exception {
    try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrap))) {
      String g = "candlecast-feed-lease." + GROUP;
      return admin.describeConsumerGroups(List.of(g)).all().get(30, TimeUnit.SECONDS).get(g);
    }
  }

  /**
   * Reads the symbol's committed trades as they are written, with their create times (the writer's
   * clock).
   */
  private static final class TradeWatch implements AutoCloseable {
    final List<Trade> trades = new ArrayList<>();
    final List<Long> createdAt = new ArrayList<>();
    private final KafkaConsumer<String, byte[]> consumer;

    TradeWatch(String bootstrap) {
      consumer =
          new KafkaConsumer<>(
              new HashMap<String, Object>(KafkaTopics.consumerProps(bootstrap, null)));
      List<TopicPartition> parts =
          consumer.partitionsFor(Topics.TRADES, Duration.ofSeconds(30)).stream()
              .map(p -> new TopicPartition(Topics.TRADES, p.partition()))
              .toList();
      consumer.assign(parts);
      consumer.seekToBeginning(parts);
    }

    int poll() {
      for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(100))) {
        if (SYMBOL.equals(r.key()) && TradeCodec.decode(r.value()) instanceof TradeRecord t) {
          trades.add(t.trade());
          createdAt.add(r.timestamp());
        }
      }
      return trades.size();
    }

    /** The create time of the first trade written at or after {@code t0} (waits for it). */
    long firstTradeWrittenAfter(long t0, Duration within) {
      long[] found = {-1};
      await()
          .atMost(within)
          .until(
              () -> {
                poll();
                for (long c : createdAt) {
                  if (c >= t0) {
                    found[0] = c;
                    return true;
                  }
                }
                return false;
              });
      return found[0];
    }

    @Override
    public void close() {
      consumer.close();
    }
  }
}
