package candlecast.bench.cluster;

import candlecast.aggregator.AggregatorVerticle;
import candlecast.deploy.ClusterSetup;
import candlecast.deploy.LocalCluster;
import candlecast.deploy.Role;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.MemberDescription;
import org.apache.kafka.common.ConsumerGroupState;

/**
 * Consumer-group rebalance as aggregators are added 1 to 4 on a {@code trades} topic of 64
 * partitions: real role JVMs of the jar ({@link LocalCluster}: broker, mock feed, aggregators) and
 * this JVM as a cluster member asking {@code candlecast.history} for every symbol throughout
 * ({@link HistoryProbe}). Per added aggregator: spawn to the group being stable with every
 * partition assigned, the aggregator's own take-over (restore) log line, and per symbol the time
 * its history was unavailable.
 *
 * <p>Args: --out DIR --jar deploy/target/candlecast.jar [--partitions 64] [--symbols 128]
 * [--rate 2] [--aggregators 4] [--history-days 0] [--heap 512m] [--failure-seconds 5] (the mock feed's first-run history: what a take-over restores)
 */
public final class Rebalance {
  /** Hazelcast failure timeout of every member (the product's default 5 s; longer on an overloaded machine). */
  private String failureSeconds;

  private static final Pattern TOOK_OVER =
      Pattern.compile("took over trades partitions(.*): (\\d+) history records, (\\d+) trades read back in (\\d+) ms");

  public static void main(String[] args) throws Exception {
    Map<String, String> o = Args.parse(args);
    try {
      new Rebalance().run(o);
    } finally {
      System.exit(0);
    }
  }

  void run(Map<String, String> o) throws Exception {
    Path out = Path.of(o.get("out")).toAbsolutePath();
    Files.createDirectories(out);
    int partitions = Integer.parseInt(o.getOrDefault("partitions", "64"));
    int symbols = Integer.parseInt(o.getOrDefault("symbols", "128"));
    int aggregators = Integer.parseInt(o.getOrDefault("aggregators", "4"));
    failureSeconds = o.getOrDefault("failure-seconds", "5");
    List<LocalCluster.Node> nodes = new ArrayList<>();
    nodes.add(new LocalCluster.Node(Role.KAFKA, 1, 23189, 0));
    nodes.add(new LocalCluster.Node(Role.FEED, 1, 23190, 23720));
    for (int i = 1; i <= aggregators; i++) {
      nodes.add(new LocalCluster.Node(Role.AGGREGATOR, i, 23190 + i, 23720 + i));
    }
    LocalCluster.Layout layout = new LocalCluster.Layout(out.resolve("local-cluster"),
        Path.of(o.get("jar")).toAbsolutePath(), "candlecast-limits-rb", 23192 + aggregators, partitions, o.getOrDefault("heap", "512m"),
        nodes);
    List<String> names = new ArrayList<>();
    for (int i = 0; i < symbols; i++) {
      names.add(BusNodes.symbol(i));
    }
    Map<String, String> env = Map.of(
        "CANDLECAST_FEED_SYMBOLS", String.join(",", names),
        "CANDLECAST_FEED_RATE", o.getOrDefault("rate", "2"),
        "CANDLECAST_FEED_FIRST_BACKFILL", "none",
        "CANDLECAST_MOCK_HISTORY_DAYS", o.getOrDefault("history-days", "0"),
        "CANDLECAST_CLUSTER_FAILURE_TIMEOUT_SECONDS", failureSeconds);
    LocalCluster cluster = new LocalCluster(layout, env, false, System.out);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      for (LocalCluster.Node n : nodes) {
        cluster.process(n).ifPresent(ProcessHandle::destroyForcibly);
      }
    }));
    JsonObject result = new JsonObject().put("partitions", partitions).put("symbols", symbols)
        .put("load", Args.uptime());
    try {
      result.put("steps", steps(cluster, layout, names, aggregators));
    } finally {
      cluster.down();
    }
    result.put("loadAfter", Args.uptime());
    Files.writeString(out.resolve("rebalance.json"), result.encodePrettily());
    System.out.println(result.encodePrettily());
  }

  JsonArray steps(LocalCluster cluster, LocalCluster.Layout layout, List<String> names, int aggregators)
      throws Exception {
    LocalCluster.Node kafka = layout.node("kafka#1");
    cluster.start(kafka);
    cluster.awaitReady(List.of(kafka), Duration.ofMinutes(3));
    List<LocalCluster.Node> first = List.of(layout.node("feed#1"), layout.node("aggregator#1"));
    first.forEach(cluster::start);
    cluster.awaitReady(first, Duration.ofMinutes(3));
    ClusterSetup.Clustered probeNode = BusBench.await(BusNodes.join(layout.clusterName(), 23719, "127.0.0.1:23720",
        Integer.parseInt(failureSeconds)));
    HistoryProbe probe = new HistoryProbe(probeNode.vertx(), names);
    JsonArray steps = new JsonArray();
    try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
        "127.0.0.1:" + layout.kafkaPort()))) {
      steps.add(new JsonObject().put("aggregators", 1)
          .put("allSymbolsServedMs", probe.awaitAllServed(180_000)));
      for (int k = 2; k <= aggregators; k++) {
        LocalCluster.Node agg = layout.node("aggregator#" + k);
        probe.reset();
        long t0 = System.nanoTime();
        cluster.start(agg);
        JsonObject step = awaitStable(admin, k, layout.partitions(), t0);
        cluster.awaitReady(List.of(agg), Duration.ofMinutes(3));
        step.put("spawnToReadyMs", (System.nanoTime() - t0) / 1_000_000);
        Thread.sleep(5000);
        step.put("history", probe.outages());
        step.put("takeOvers", takeOvers(layout, k));
        step.put("load", Args.uptime());
        System.out.println("STEP " + step.encode());
        steps.add(step);
      }
    } finally {
      probe.stop();
      probeNode.vertx().close();
    }
    return steps;
  }

  /** Polls the group until it is stable with {@code k} members and every partition assigned. */
  static JsonObject awaitStable(Admin admin, int k, int partitions, long t0) throws Exception {
    long joined = -1;
    long end = System.nanoTime() + 180_000_000_000L;
    while (System.nanoTime() < end) {
      ConsumerGroupDescription g = admin.describeConsumerGroups(List.of(AggregatorVerticle.GROUP_ID))
          .all().get().get(AggregatorVerticle.GROUP_ID);
      int assigned = 0;
      boolean allHave = true;
      for (MemberDescription m : g.members()) {
        int n = m.assignment().topicPartitions().stream().filter(tp -> tp.topic().equals("trades"))
            .toList().size();
        assigned += n;
        allHave &= n > 0;
      }
      long now = System.nanoTime();
      if (joined < 0 && (g.members().size() >= k || g.state() != ConsumerGroupState.STABLE)) {
        joined = now;
      }
      if (g.members().size() == k && allHave && assigned == partitions && g.state() == ConsumerGroupState.STABLE) {
        return new JsonObject()
            .put("aggregators", k)
            .put("spawnToRebalanceStartMs", (joined - t0) / 1_000_000)
            .put("rebalanceMs", (now - joined) / 1_000_000)
            .put("spawnToStableMs", (now - t0) / 1_000_000);
      }
      Thread.sleep(50);
    }
    throw new IllegalStateException("group not stable with " + k + " members within 180 s");
  }

  /** The take-over log lines of every aggregator since the last step (restore size and time). */
  static JsonArray takeOvers(LocalCluster.Layout layout, int k) throws Exception {
    JsonArray a = new JsonArray();
    for (int i = 1; i <= k; i++) {
      Path log = layout.dir().resolve("logs").resolve("aggregator-" + i + ".log");
      if (!Files.exists(log)) {
        continue;
      }
      for (String line : Files.readAllLines(log)) {
        Matcher m = TOOK_OVER.matcher(line);
        if (m.find()) {
          a.add(new JsonObject().put("aggregator", i)
              .put("partitions", m.group(1).chars().filter(ch -> ch == '@').count())
              .put("historyRecords", Long.parseLong(m.group(2)))
              .put("tradesReadBack", Long.parseLong(m.group(3)))
              .put("ms", Long.parseLong(m.group(4))));
        }
      }
    }
    return a;
  }
}
