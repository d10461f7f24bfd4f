package candlecast.bench.chaos;

import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The chaos soak: brings the cluster up, streams to the fleet, lets the nemesis loose for the run's
 * minutes, lets everything settle, checks the whole history and writes the report. Exit code 0 when
 * there is no violation, 1 when there is, 2 when the run itself could not be carried out.
 *
 * <pre>
 * java -cp bench-chaos.jar candlecast.bench.chaos.ChaosMain --jar=deploy/target/candlecast.jar \
 *     --out=/work/chaos-run --minutes=60 --seed=19 [--ws=240 --sockjs=30 --rate=5 --base=22000]
 * </pre>
 */
public final class ChaosMain {
  private static final Logger LOG = LoggerFactory.getLogger(ChaosMain.class);
  static final List<String> SYMBOLS = List.of("BTCUSD", "ETHUSD", "LTCUSD", "XRPUSD");

  /** The run's parameters. */
  record Options(
      Path jar,
      Path out,
      int minutes,
      long seed,
      int ws,
      int sockJs,
      double rate,
      int base,
      int gapMinS,
      int gapMaxS,
      boolean netns) {

    static Options parse(String[] args) {
      Map<String, String> a = new HashMap<>();
      for (String s : args) {
        if (!s.startsWith("--") || !s.contains("=")) {
          throw new IllegalArgumentException("expected --key=value, got '" + s + "'");
        }
        a.put(s.substring(2, s.indexOf('=')), s.substring(s.indexOf('=') + 1));
      }
      Options o =
          new Options(
              Path.of(a.getOrDefault("jar", "deploy/target/candlecast.jar")),
              Path.of(a.getOrDefault("out", "target/chaos")),
              Integer.parseInt(a.getOrDefault("minutes", "5")),
              Long.parseLong(a.getOrDefault("seed", "19")),
              Integer.parseInt(a.getOrDefault("ws", "240")),
              Integer.parseInt(a.getOrDefault("sockjs", "30")),
              Double.parseDouble(a.getOrDefault("rate", "5")),
              Integer.parseInt(a.getOrDefault("base", "22000")),
              Integer.parseInt(a.getOrDefault("gap-min", "10")),
              Integer.parseInt(a.getOrDefault("gap-max", "25")),
              ChaosMain.netns(a.getOrDefault("netns", "auto")));
      if (o.minutes < 1
          || o.ws < 1
          || o.sockJs < 0
          || o.rate <= 0
          || o.gapMinS < 1
          || o.gapMaxS < o.gapMinS) {
        throw new IllegalArgumentException("bad options: " + o);
      }
      if (!Files.isRegularFile(o.jar)) {
        throw new IllegalArgumentException("no jar at " + o.jar + " (mvn package -pl deploy -am)");
      }
      return o;
    }
  }

  /**
   * {@code --netns=on|off|auto}: members in network namespaces, so that a cut can take any member
   * off (needs root and iproute2); auto: when available.
   */
  static boolean netns(String v) {
    return switch (v) {
      case "on" -> {
        if (!Netns.available()) {
          throw new IllegalArgumentException("--netns=on needs root and iproute2 (ip netns)");
        }
        yield true;
      }
      case "off" -> false;
      case "auto" -> Netns.available();
      default -> throw new IllegalArgumentException("--netns must be on, off or auto, was " + v);
    };
  }

  private ChaosMain() {}

  public static void main(String[] args) {
    int rc;
    try {
      rc = run(Options.parse(args));
    } catch (IllegalArgumentException e) {
      System.err.println(e.getMessage());
      rc = 2;
    }
    System.exit(rc);
  }

  static int run(Options o) {
    long t0 = System.currentTimeMillis();
    Path out = o.out.toAbsolutePath();
    ChaosCluster cluster = null;
    Fleet fleet = null;
    Thread hook = null;
    Netns net = o.netns ? new Netns(o.base) : null;
    try {
      Files.createDirectories(out);
      GroundTruth gt =
          GroundTruth.generate(o.seed, SYMBOLS, o.rate, o.minutes * 60 + 900, t0 / 1000 * 1000);
      Path file = out.resolve("ground-truth.csv");
      gt.writeCsv(file);
      if (net != null) {
        net.setUp(ChaosCluster.MEMBERS);
      }
      ChaosCluster c = new ChaosCluster(o.base, o.jar.toAbsolutePath(), out, file, SYMBOLS, net);
      cluster = c;
      hook =
          new Thread(
              () -> {
                c.killAll();
                if (net != null) {
                  net.tearDown();
                }
              },
              "chaos-kill-all");
      Runtime.getRuntime().addShutdownHook(hook);
      JsonObject params = params(o, gt);
      c.up(Duration.ofMinutes(5));
      params.put("clusterUpMs", System.currentTimeMillis() - t0).put("loadAfterUp", loadAverage());
      fleet = new Fleet(c, gt, SYMBOLS, o.ws, o.sockJs);
      fleet.start();
      awaitStreaming(fleet, Duration.ofMinutes(3));
      AlertFleet alerts = new AlertFleet();
      alerts.create(c, gt, SYMBOLS, o.rate, o.minutes * 60 + 60);
      alerts.startClients(fleet);
      Thread.sleep(15_000); // warm-up before the first fault
      return exercise(o, c, fleet, alerts, gt, params, t0);
    } catch (IOException | RuntimeException e) {
      LOG.error("chaos run failed", e);
      return 2;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return 2;
    } finally {
      cleanUp(fleet, cluster, hook);
      if (net != null) {
        net.tearDown();
      }
    }
  }

  private static JsonObject params(Options o, GroundTruth gt) {
    return new JsonObject()
        .put("seed", o.seed)
        .put("minutes", o.minutes)
        .put("wsClients", o.ws)
        .put("sockJsClients", o.sockJs)
        .put("tradesPerSecondPerSymbol", o.rate)
        .put("symbols", String.join(",", SYMBOLS))
        .put("groundTruthTrades", gt.trades().size())
        .put("loadAtStart", loadAverage())
        .put(
            "cuts", o.netns ? "any member (network namespaces)" : "gateway client links (proxies)");
  }

  /** The nemesis's minutes, a quiet period, then the check and the report; the exit code. */
  private static int exercise(
      Options o,
      ChaosCluster c,
      Fleet fleet,
      AlertFleet alerts,
      GroundTruth gt,
      JsonObject params,
      long t0)
      throws InterruptedException, IOException {
    long nemesisStart = System.currentTimeMillis();
    Nemesis nemesis = new Nemesis(c, fleet, o.seed, o.gapMinS, o.gapMaxS);
    nemesis.run(nemesisStart + o.minutes * 60_000L);
    Thread.sleep(20_000); // quiet period: everything settles
    long end = System.currentTimeMillis();
    List<String> stale = fleet.stale(end - 10_000);
    if (!stale.isEmpty()) {
      nemesis.violations.add("clients not streaming at the end: " + stale);
    }
    params.put("loadAtEnd", loadAverage());
    alerts.stop();
    fleet.stop();
    for (Member f : c.feeds) {
      f.terminate(30);
    }
    Thread.sleep(5_000); // the aggregators write what the log's last records closed
    Checker checker = new Checker(gt);
    checker.checkTradesLog(c.bootstrap());
    checker.checkCandlesLog(c.bootstrap());
    checker.checkFleet(fleet);
    new AlertCheck(checker)
        .check(
            c.bootstrap(),
            c.gateways.stream().map(g -> g.host + ":" + g.httpPort).toList(),
            alerts);
    Latency lat =
        new Latency(
            fleet.record.latencySamples(),
            fleet.record.latencySampleSymbols(),
            checker.tradeTimestamps,
            nemesis.faults,
            t0,
            end);
    JsonObject report =
        Report.json(params, nemesis.faults, checker, lat, fleet, nemesis.violations, t0);
    List<String> members = c.all().stream().map(Member::name).toList();
    Path out = o.out.toAbsolutePath();
    Report.write(out, report, Report.svg(members, nemesis.faults, lat, nemesisStart, end));
    Files.write(out.resolve("fleet-events.log"), fleet.record.events());
    int violations = report.getInteger("violationCount");
    LOG.info(
        "CHAOS DONE: {} faults, {} violations; report in {}",
        nemesis.faults.size(),
        violations,
        out);
    return violations == 0 ? 0 : 1;
  }

  private static void cleanUp(Fleet fleet, ChaosCluster cluster, Thread hook) {
    if (fleet != null) {
      fleet.stop();
    }
    if (cluster != null) {
      cluster.down();
    }
    if (hook != null) {
      try {
        Runtime.getRuntime().removeShutdownHook(hook);
      } catch (IllegalStateException e) {
        // the JVM is shutting down: the hook runs anyway
      }
    }
  }

  private static void awaitStreaming(Fleet fleet, Duration timeout) throws InterruptedException {
    long since = System.currentTimeMillis();
    long deadline = since + timeout.toMillis();
    while (!fleet.stale(since).isEmpty()) {
      if (System.currentTimeMillis() > deadline) {
        throw new IllegalStateException(
            "fleet not streaming within " + timeout + ": " + fleet.stale(since));
      }
      Thread.sleep(500); // waiting for frames the fleet's event loops record
      if ((System.currentTimeMillis() - since) % 15_000 < 500) {
        List<String> stale = fleet.stale(since);
        LOG.info(
            "waiting for {} clients to stream: {}",
            stale.size(),
            stale.subList(0, Math.min(3, stale.size())));
      }
    }
    LOG.info("fleet of {} clients streaming", fleet.ws.size() + fleet.sockJs.size());
  }

  static String loadAverage() {
    try {
      return Files.readString(Path.of("/proc/loadavg")).trim();
    } catch (IOException e) {
      return "unknown";
    }
  }
}
