package candlecast.bench.cluster;

import candlecast.deploy.ClusterSetup;
import com.hazelcast.cluster.MembershipEvent;
import com.hazelcast.cluster.MembershipListener;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;

/**
 * Event bus across JVMs: this JVM is the aggregator-like publisher ({@link Publisher}); it starts N
 * gateway-like {@link BusSub} JVMs (N = 1, 2, 4), steps the update rate up until a node falls behind,
 * and, with N = 2, measures membership churn (a node joining, leaving, killed). Hazelcast ports from
 * {@code --port} (default 23700) up.
 *
 * <p>Args: --out DIR [--ns 1,2,4] [--symbols 200] [--seconds 6] [--rates 1000,2000,...] [--churn-rate 2000]
 * [--max-p99-ms 100] [--churn false]
 */
public final class BusBench {
  static final List<String> SUB_JVM =
      List.of("-Xmx256m", "-XX:+UseSerialGC", "--add-opens", "java.base/java.lang=ALL-UNNAMED",
          "--add-opens", "java.base/sun.nio.ch=ALL-UNNAMED");

  final Map<String, String> opts;
  final Path out;
  final int basePort;
  final String seed;
  final int symbols;
  ClusterSetup.Clustered node;
  Publisher publisher;
  final ConcurrentLinkedQueue<long[]> membership = new ConcurrentLinkedQueue<>();
  final JsonObject result = new JsonObject();
  int nextPort;

  BusBench(Map<String, String> opts) {
    this.opts = opts;
    this.out = Path.of(opts.get("out"));
    this.basePort = Integer.parseInt(opts.getOrDefault("port", "23700"));
    this.seed = "127.0.0.1:" + basePort;
    this.symbols = Integer.parseInt(opts.getOrDefault("symbols", "200"));
    this.nextPort = basePort + 1;
  }

  public static void main(String[] args) throws Exception {
    Map<String, String> o = Args.parse(args);
    BusBench b = new BusBench(o);
    try {
      b.run();
    } finally {
      System.exit(0);
    }
  }

  void run() throws Exception {
    Files.createDirectories(out);
    node = await(BusNodes.join(basePort, seed));
    node.manager()
        .getHazelcastInstance()
        .getCluster()
        .addMembershipListener(
            new MembershipListener() {
              @Override
              public void memberAdded(MembershipEvent e) {
                membership.add(new long[] {1, System.nanoTime()});
              }

              @Override
              public void memberRemoved(MembershipEvent e) {
                membership.add(new long[] {-1, System.nanoTime()});
              }
            });
    publisher = new Publisher(node.vertx(), symbols);
    publisher.start();
    result.put("symbols", symbols).put("series", symbols * candlecast.common.Timeframe.COUNT);
    result.put("load", Args.uptime());
    JsonArray runs = new JsonArray();
    for (String n : opts.getOrDefault("ns", "1,2,4").split(",")) {
      runs.add(saturation(Integer.parseInt(n)));
      Files.writeString(out.resolve("bus.json"), result.copy().put("runs", runs).encodePrettily());
    }
    result.put("runs", runs).put("loadAfter", Args.uptime());
    Files.writeString(out.resolve("bus.json"), result.encodePrettily());
    System.out.println(result.encodePrettily());
  }

  /** N subscribers; rate steps until one falls behind (delivered < 90 % or p99 > --max-p99-ms, default 100). */
  JsonObject saturation(int n) throws Exception {
    List<Sub> subs = new ArrayList<>();
    JsonObject run = new JsonObject().put("nodes", n);
    try {
      for (int i = 0; i < n; i++) {
        subs.add(Sub.start(this, "n" + n + "s" + i));
      }
      JsonArray ready = new JsonArray();
      for (Sub s : subs) {
        ready.add(s.awaitReady());
      }
      run.put("ready", ready);
      step(subs, 1000, 5); // warm-up: registrations spread, JIT
      run.put("idle", step(subs, 0, 5));
      double idleCpuPerSec = run.getJsonObject("idle").getDouble("maxSubCpuNsPerSec");
      JsonArray steps = new JsonArray();
      int seconds = Integer.parseInt(opts.getOrDefault("seconds", "6"));
      long maxP99us = Long.parseLong(opts.getOrDefault("max-p99-ms", "100")) * 1000;
      for (String r : opts.getOrDefault("rates", "1000,2000,5000,10000,20000,40000,80000").split(",")) {
        JsonObject st = step(subs, Integer.parseInt(r), seconds);
        st.put("subCpuNsPerUpdateNetOfIdle",
            (st.getDouble("maxSubCpuNsPerSec") - idleCpuPerSec) / Math.max(1, st.getDouble("publishedPerSec")));
        steps.add(st);
        System.out.println("N=" + n + " " + st.encode());
        if (st.getDouble("minDeliveredRatio") < 0.9 || st.getLong("maxP99us") > maxP99us) {
          break;
        }
      }
      run.put("steps", steps);
      if (n == 2 && !"false".equals(opts.get("churn"))) {
        run.put("churn", new Churn(this, subs).run());
      }
    } finally {
      for (Sub s : subs) {
        s.close();
      }
      publisher.rate(0);
    }
    return run;
  }

  /** {@code seconds} at {@code rate}, then a 1 s drain; every subscriber's figures for the interval. */
  JsonObject step(List<Sub> subs, int rate, int seconds) throws Exception {
    for (Sub s : subs) {
      s.report();
    }
    long p0 = publisher.published();
    long cpu0 = BusNodes.cpuNanos();
    long t0 = System.nanoTime();
    publisher.rate(rate);
    Thread.sleep(seconds * 1000L);
    publisher.rate(0);
    double elapsed = (System.nanoTime() - t0) / 1e9;
    long pubCpu = BusNodes.cpuNanos() - cpu0;
    Thread.sleep(1000);
    long published = publisher.published() - p0;
    JsonArray per = new JsonArray();
    double minRatio = Double.MAX_VALUE;
    long maxP99 = 0;
    long maxP50 = 0;
    double maxCpu = 0;
    double maxBytes = 0;
    for (Sub s : subs) {
      JsonObject r = s.report();
      per.add(r);
      long c = r.getLong("count");
      minRatio = Math.min(minRatio, published == 0 ? 1 : (double) c / published);
      maxP99 = Math.max(maxP99, r.getLong("p99us"));
      maxP50 = Math.max(maxP50, r.getLong("p50us"));
      maxCpu = Math.max(maxCpu, r.getLong("cpuNs") / (elapsed + 1));
      maxBytes = Math.max(maxBytes, c == 0 ? 0 : (double) r.getLong("rchar") / c);
    }
    return new JsonObject()
        .put("rate", rate)
        .put("publishedPerSec", published / elapsed)
        .put("publisherCpuNsPerUpdate", published == 0 ? 0 : (double) pubCpu / published)
        .put("publisherCpuShare", pubCpu / 1e9 / elapsed)
        .put("minDeliveredRatio", minRatio)
        .put("maxP50us", maxP50)
        .put("maxP99us", maxP99)
        .put("maxSubCpuNsPerSec", maxCpu)
        .put("maxSubReadBytesPerUpdate", maxBytes)
        .put("load", Args.uptime())
        .put("subs", per);
  }

  static <T> T await(Future<T> f) throws Exception {
    return f.toCompletionStage().toCompletableFuture().get(120, TimeUnit.SECONDS);
  }
}
