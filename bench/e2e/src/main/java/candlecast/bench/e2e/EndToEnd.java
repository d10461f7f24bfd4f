package candlecast.bench.e2e;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * End-to-end latency of the whole pipeline: mock feed → Kafka → aggregator → event bus → gateway →
 * a WebSocket client, on the real single-node jar ({@code java -jar candlecast.jar}, embedded
 * broker) in its own JVM.
 *
 * <p>The client (this JVM) subscribes to the 1s candles of every symbol with the raw protocol and
 * stamps each update on receipt (wall clock, microseconds). A bench-only Kafka consumer reads the
 * {@code trades} topic and remembers, per symbol and 1-second window, the record timestamp of every
 * trade in log order: the timestamp the feed's Kafka producer gave the record when the feed handed
 * it over, i.e. the trade's creation (the mock creates and hands over a tick's trades in one go).
 * An update of window w with n trades was folded up to the n-th trade of w, so <b>latency = receipt
 * − record timestamp of the n-th trade of w</b>. Only open-candle updates count: a closed update
 * waits for the window's end plus the grace period by design. No protocol change is needed.
 *
 * <p>Usage: {@code java -jar bench-e2e.jar --jar deploy/target/candlecast.jar [--rates 1000,10000]
 * [--warmup-s 30] [--seconds 45] [--node-opts "-XX:+UseZGC ..."] [--out DIR]}; {@code --node-opts}:
 * JVM options of the node (space-separated, after its {@code -Xms1g -Xmx1g}), to compare
 * collectors.
 */
public final class EndToEnd {
  private EndToEnd() {}

  public static void main(String[] args) throws Exception {
    Map<String, String> a = args(args);
    Path jar = Path.of(a.getOrDefault("jar", "deploy/target/candlecast.jar"));
    if (!Files.isRegularFile(jar)) {
      throw new IllegalArgumentException(
          "no such jar " + jar + " (build it: mvn -q package -DskipTests)");
    }
    int[] rates =
        Arrays.stream(a.getOrDefault("rates", "1000,10000").split(","))
            .mapToInt(Integer::parseInt)
            .toArray();
    // 30 s: at 25 s the C2 compiler was still busy in the Candlecast JVM (embedded broker code),
    // stealing a core
    int warmup = Integer.parseInt(a.getOrDefault("warmup-s", "30"));
    int seconds = Integer.parseInt(a.getOrDefault("seconds", "45"));
    List<String> symbols = List.of(a.getOrDefault("symbols", "BTCUSD,ETHUSD").split(","));
    Path out = Path.of(a.getOrDefault("out", "results"));
    List<String> nodeOpts =
        Arrays.stream(a.getOrDefault("node-opts", "").trim().split("\\s+"))
            .filter(o -> !o.isEmpty())
            .toList();
    Files.createDirectories(out);
    JsonArray runs = new JsonArray();
    for (int rate : rates) {
      JsonObject r = runOne(jar, rate, symbols, warmup, seconds, nodeOpts, out);
      runs.add(r);
      JsonObject l = r.getJsonObject("latencyMs");
      System.out.printf(
          "RESULT e2e %,d trades/s: p50 %.2f ms, p99 %.2f ms, p99.9 %.2f ms, max %.2f ms (%,d updates,"
              + " %,d trades/s achieved)%n",
          rate,
          l.getDouble("p50"),
          l.getDouble("p99"),
          l.getDouble("p99.9"),
          l.getDouble("max"),
          l.getLong("count"),
          r.getLong("achievedTradesPerSec"));
      System.out.println(
          "RESULT e2e legs " + rate + " trades/s: " + r.getJsonObject("legsMs").encode());
    }
    JsonObject result =
        new JsonObject()
            .put("benchmark", "e2e")
            .put("runs", runs)
            .put("symbols", symbols.size())
            .put("warmupSeconds", warmup)
            .put("seconds", seconds)
            .put("nodeOptions", String.join(" ", nodeOpts));
    Files.writeString(out.resolve("e2e.json"), result.encodePrettily());
    System.out.println("results: " + out.resolve("e2e.json"));
    System.exit(0);
  }

  /** One received candle update. */
  private record Update(
      String symbol, long windowSec, long n, boolean closed, long receiptMicros) {}

  static JsonObject runOne(
      Path jar,
      int rate,
      List<String> symbols,
      int warmup,
      int seconds,
      List<String> nodeOpts,
      Path out)
      throws Exception {
    int http = freePort();
    int kafkaPort = freePort();
    Path data = Files.createTempDirectory("cc-e2e");
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    List<String> cmd = new ArrayList<>(List.of(java, "-Xms1g", "-Xmx1g"));
    cmd.addAll(nodeOpts);
    cmd.addAll(List.of("-jar", jar.toAbsolutePath().toString()));
    ProcessBuilder pb =
        new ProcessBuilder(cmd)
            .redirectErrorStream(true)
            .redirectOutput(out.resolve("e2e-" + rate + ".log").toFile());
    Map<String, String> env = pb.environment();
    env.put("CANDLECAST_HTTP_HOST", "127.0.0.1");
    env.put("CANDLECAST_HTTP_PORT", Integer.toString(http));
    env.put("CANDLECAST_KAFKA_EMBEDDED_PORT", Integer.toString(kafkaPort));
    env.put("CANDLECAST_DATA_DIR", data.toString());
    env.put("CANDLECAST_FEED_SOURCE", "mock");
    env.put("CANDLECAST_FEED_SYMBOLS", String.join(",", symbols));
    env.put("CANDLECAST_FEED_RATE", Double.toString(rate / (double) symbols.size()));
    env.put("CANDLECAST_FEED_SEED", "7");
    env.put("CANDLECAST_MOCK_HISTORY_DAYS", "0");
    String load = loadAverage();
    Process node = pb.start();
    TradeTimes trades = null;
    TradeTimes appended = null;
    CandleTimes candles = null;
    try {
      waitReady(http, node, 120);
      String bootstrap = "127.0.0.1:" + kafkaPort;
      trades = new TradeTimes(bootstrap, true);
      trades.start();
      appended = new TradeTimes(bootstrap, false);
      appended.start();
      candles = new CandleTimes(bootstrap);
      candles.start();
      List<Update> updates = new ArrayList<>();
      WebSocket ws =
          HttpClient.newHttpClient()
              .newWebSocketBuilder()
              .buildAsync(
                  URI.create("ws://127.0.0.1:" + http + "/ws"),
                  new WebSocket.Listener() {
                    private final StringBuilder part = new StringBuilder();

                    @Override
                    public java.util.concurrent.CompletionStage<?> onText(
                        WebSocket w, CharSequence data, boolean last) {
                      long now = micros();
                      part.append(data);
                      if (last) {
                        JsonObject j = new JsonObject(part.toString());
                        part.setLength(0);
                        if ("candle".equals(j.getString("type"))
                            && "1s".equals(j.getString("tf"))) {
                          Update u =
                              new Update(
                                  j.getString("symbol"),
                                  j.getLong("unix_timestamp"),
                                  j.getLong("trades"),
                                  Boolean.TRUE.equals(j.getBoolean("closed")),
                                  now);
                          synchronized (updates) {
                            updates.add(u);
                          }
                        }
                      }
                      w.request(1);
                      return null;
                    }
                  })
              .get(30, TimeUnit.SECONDS);
      for (String s : symbols) {
        ws.sendText("sub-1s:" + s, true).get(10, TimeUnit.SECONDS);
      }
      Thread.sleep(warmup * 1000L);
      long from = micros();
      long cpu0 = cpuMillis(node);
      Thread.sleep(seconds * 1000L);
      long to = micros();
      long cpu1 = cpuMillis(node);
      var unused =
          ws.sendClose(WebSocket.NORMAL_CLOSURE, "done"); // the measurement is over either way
      trades.catchUp(30_000);
      appended.catchUp(30_000);
      List<Update> measured;
      synchronized (updates) { // written on the client's event loop
        measured = new ArrayList<>(updates);
      }
      Legs legs = new Legs(appended, trades, candles);
      return resolve(rate, measured, trades, legs, from, to, (cpu1 - cpu0) / 1000.0, load);
    } finally {
      for (TradeTimes t : new TradeTimes[] {trades, appended}) {
        if (t != null) {
          t.stop();
        }
      }
      if (candles != null) {
        candles.stop();
      }
      node.destroy();
      if (!node.waitFor(30, TimeUnit.SECONDS)) {
        node.destroyForcibly().waitFor();
      }
      deleteTree(data);
    }
  }

  static JsonObject resolve(
      int rate,
      List<Update> updates,
      TradeTimes trades,
      Legs legs,
      long from,
      long to,
      double cpuSeconds,
      String load) {
    Map<String, Boolean> seen = new HashMap<>();
    long[] lat = new long[updates.size()];
    int k = 0;
    long unresolved = 0;
    long closedSkipped = 0;
    for (Update u : updates) {
      if (u.receiptMicros < from || u.receiptMicros > to) {
        continue;
      }
      if (u.closed) {
        closedSkipped++;
        continue;
      }
      String key = u.symbol + "|" + u.windowSec + "|" + u.n;
      if (seen.put(key, Boolean.TRUE) != null) {
        continue; // the same value again (e.g. a re-publication): the first receipt counts
      }
      long created = trades.timestampOf(u.symbol, u.windowSec, u.n);
      if (created < 0) {
        unresolved++;
        continue;
      }
      lat[k++] = u.receiptMicros - created * 1000;
      legs.add(u.symbol, u.windowSec, u.n, created * 1000, u.receiptMicros);
    }
    long[] l = Arrays.copyOf(lat, k);
    Arrays.sort(l);
    double secs = (to - from) / 1e6;
    long tradesIn = trades.countBetween(from / 1000, to / 1000);
    return new JsonObject()
        .put("offeredTradesPerSec", rate)
        .put("achievedTradesPerSec", Math.round(tradesIn / secs))
        .put("seconds", secs)
        .put(
            "latencyMs",
            new JsonObject()
                .put("count", l.length)
                .put("p50", pct(l, 50))
                .put("p90", pct(l, 90))
                .put("p99", pct(l, 99))
                .put("p99.9", pct(l, 99.9))
                .put("max", l.length == 0 ? 0 : l[l.length - 1] / 1e3)
                .put("min", l.length == 0 ? 0 : l[0] / 1e3))
        .put("legsMs", legs.json())
        .put("updatesPerSec", l.length / secs)
        .put("closedUpdatesSkipped", closedSkipped)
        .put("unresolved", unresolved)
        .put("nodeCpuSeconds", cpuSeconds)
        .put("nodeCpuPercent", 100 * cpuSeconds / secs)
        .put("loadAverageBefore", load)
        .put("loadAverageAfter", loadAverage());
  }

  static double pct(long[] sorted, double p) {
    if (sorted.length == 0) {
      return 0;
    }
    int i = (int) Math.ceil(p / 100.0 * sorted.length) - 1;
    return sorted[Math.max(0, Math.min(sorted.length - 1, i))] / 1e3;
  }

  // ------------------------------------------------------------------ helpers

  static long micros() {
    Instant i = Instant.now();
    return i.getEpochSecond() * 1_000_000L + i.getNano() / 1000;
  }

  static long cpuMillis(Process p) {
    return p.info().totalCpuDuration().map(Duration::toMillis).orElse(0L);
  }

  static void waitReady(int port, Process node, int timeoutS) throws Exception {
    HttpClient http = HttpClient.newHttpClient();
    long deadline = System.currentTimeMillis() + timeoutS * 1000L;
    String path = "/ready";
    while (System.currentTimeMillis() < deadline) {
      if (!node.isAlive()) {
        throw new IllegalStateException(
            "candlecast exited with " + node.exitValue() + " before it was ready");
      }
      try {
        HttpResponse<String> r =
            http.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                    .timeout(Duration.ofSeconds(2))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() == 200) {
          return;
        }
        if (r.statusCode() == 404 && path.equals("/ready")) {
          path = "/health"; // a build without the readiness endpoint
        }
      } catch (IOException e) {
        // not listening yet
      }
      Thread.sleep(100);
    }
    throw new IllegalStateException("candlecast not ready within " + timeoutS + " s");
  }

  static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  static String loadAverage() {
    try {
      return Files.readString(Path.of("/proc/loadavg")).trim();
    } catch (IOException e) {
      return "unknown";
    }
  }

  static void deleteTree(Path p) {
    try (var s = Files.walk(p)) {
      s.sorted(java.util.Comparator.reverseOrder()).map(Path::toFile).forEach(File::delete);
    } catch (IOException e) {
      // temp dir: best effort
    }
  }

  static Map<String, String> args(String[] args) {
    Map<String, String> m = new HashMap<>();
    for (int i = 0; i < args.length; i++) {
      if (!args[i].startsWith("--") || i + 1 >= args.length) {
        throw new IllegalArgumentException(
            "expected --name value pairs, got " + String.join(" ", args));
      }
      m.put(args[i].substring(2), args[++i]);
    }
    return m;
  }
}
