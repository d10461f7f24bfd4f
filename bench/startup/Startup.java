import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Start-up time of the single-node jar: from spawning {@code java -jar candlecast.jar} (embedded Kafka, mock feed,
 * aggregator, gateway) to the first 200 from {@code GET /ready} (falls back to {@code /health} on a build without
 * {@code /ready}). Each run gets a fresh data directory (a first start: the broker formats its storage) and free ports;
 * the process is stopped with SIGTERM before the next run.
 *
 * <p>With {@code --history-days N} the mock's first-run history is set ({@code CANDLECAST_MOCK_HISTORY_DAYS}; without
 * it the jar's default, 30, applies); for N > 0 the run also waits until the page would open full: for BTCUSD and
 * ETHUSD (the default symbols) {@code GET /api/candles?tf=1d} holds at least N bars and the newest 1m bar is at most
 * two minutes old (the history folded up to the live feed), and reports that time too ({@code full}).
 *
 * <p>When the class-data-sharing archive the build writes beside the jar ({@code candlecast.jsa}) exists, every run
 * starts the jar twice, interleaved: with it ({@code cds}, as README's run command does) and without ({@code plain});
 * both medians and their ratio are reported, the archive's first. {@code --cds none} skips it, {@code --cds FILE}
 * names another archive.
 *
 * <p>Run with the JDK's source launcher, no build needed:
 * {@code java bench/startup/Startup.java [--jar deploy/target/candlecast.jar] [--runs 5] [--history-days 30]
 * [--cds auto|none|FILE] [--out DIR]}
 */
public final class Startup {
  public static void main(String[] args) throws Exception {
    String jar = "deploy/target/candlecast.jar";
    int runs = 5;
    Path out = Path.of("results");
    Integer historyDays = null;
    String cds = "auto";
    for (int i = 0; i + 1 < args.length; i += 2) {
      switch (args[i]) {
        case "--jar" -> jar = args[i + 1];
        case "--runs" -> runs = Integer.parseInt(args[i + 1]);
        case "--out" -> out = Path.of(args[i + 1]);
        case "--history-days" -> historyDays = Integer.parseInt(args[i + 1]);
        case "--cds" -> cds = args[i + 1];
        default -> throw new IllegalArgumentException("unknown option " + args[i]);
      }
    }
    if (!Files.isRegularFile(Path.of(jar))) {
      throw new IllegalArgumentException("no such jar " + jar + " (build it: mvn -q package -DskipTests)");
    }
    // the class-data-sharing archive the build leaves beside the jar (README's run command uses it)
    Path archive = cds.equals("auto") ? Path.of(jar).toAbsolutePath().resolveSibling("candlecast.jsa")
        : cds.equals("none") ? null : Path.of(cds).toAbsolutePath();
    if (archive != null && !cds.equals("auto") && !Files.isRegularFile(archive)) {
      throw new IllegalArgumentException("no such archive " + archive + " (--cds auto|none|FILE)");
    }
    List<Variant> variants = new ArrayList<>();
    if (archive != null && Files.isRegularFile(archive)) {
      variants.add(new Variant("cds", List.of("-XX:SharedArchiveFile=" + archive)));
    }
    variants.add(new Variant("plain", List.of()));
    Files.createDirectories(out);
    String load = Files.readString(Path.of("/proc/loadavg")).trim();
    // runs interleaved (cds, plain, cds, plain, ...) so that a load change hits both alike
    for (int r = 0; r < runs; r++) {
      for (Variant v : variants) {
        runOnce(v, r, Path.of(jar).toAbsolutePath(), out, historyDays);
      }
    }
    StringBuilder json = new StringBuilder("{\n  \"benchmark\": \"startup\",\n");
    for (int i = 0; i < variants.size(); i++) {
      Variant v = variants.get(i);
      List<Long> sorted = new ArrayList<>(v.ms);
      sorted.sort(null);
      long median = sorted.get(sorted.size() / 2);
      System.out.printf("RESULT start-up to ready (%s: java %s-jar): median %,d ms of %d (min %,d, max %,d)%n", v.name,
          v.options.isEmpty() ? "" : String.join(" ", v.options) + " ", median, runs, sorted.get(0),
          sorted.get(sorted.size() - 1));
      // the first variant is what the README runs: its figures keep the keys earlier reports read
      String prefix = i == 0 ? "" : v.name;
      json.append(String.format(Locale.ROOT, "  \"%s\": %s,\n  \"%s\": %d,\n  \"%s\": %d,\n  \"%s\": %d,\n",
          key(prefix, "runs"), v.ms, key(prefix, "medianMs"), median, key(prefix, "minMs"), sorted.get(0),
          key(prefix, "maxMs"), sorted.get(sorted.size() - 1)));
      if (!v.fullMs.isEmpty()) {
        List<Long> f = new ArrayList<>(v.fullMs);
        f.sort(null);
        System.out.printf("RESULT start-up to full charts (%s, %d days of mock history): median %,d ms (min %,d, max %,d)%n",
            v.name, historyDays, f.get(f.size() / 2), f.get(0), f.get(f.size() - 1));
        json.append(String.format(Locale.ROOT, "  \"%s\": %s,\n  \"%s\": %d,\n", key(prefix, "fullRuns"), v.fullMs,
            key(prefix, "fullMedianMs"), f.get(f.size() / 2)));
      }
    }
    if (variants.size() == 2) {
      double ratio = (double) median(variants.get(0).ms) / median(variants.get(1).ms);
      System.out.printf(Locale.ROOT, "RESULT start-up ratio cds / plain: %.2f%n", ratio);
      json.append(String.format(Locale.ROOT, "  \"cdsOverPlain\": %.3f,\n", ratio));
    }
    json.append(String.format(Locale.ROOT, "  \"variant\": \"%s\",\n  \"readyEndpoint\": \"%s\",\n",
        variants.get(0).name, variants.get(0).paths.get(0)));
    if (historyDays != null) {
      json.append("  \"historyDays\": ").append(historyDays).append(",\n");
    }
    json.append("  \"loadAverageBefore\": \"").append(load).append("\"\n}\n");
    Files.writeString(out.resolve("startup.json"), json.toString());
    System.out.println("results: " + out.resolve("startup.json"));
  }

  /** One way to start the jar: its name and the JVM options before {@code -jar}. */
  record Variant(String name, List<String> options, List<Long> ms, List<String> paths, List<Long> fullMs) {
    Variant(String name, List<String> options) {
      this(name, options, new ArrayList<>(), new ArrayList<>(), new ArrayList<>());
    }
  }

  static String key(String prefix, String name) {
    return prefix.isEmpty() ? name : prefix + Character.toUpperCase(name.charAt(0)) + name.substring(1);
  }

  static long median(List<Long> ms) {
    List<Long> sorted = new ArrayList<>(ms);
    sorted.sort(null);
    return sorted.get(sorted.size() / 2);
  }

  /** Starts the jar once on a fresh data directory, waits until ready (and full), stops it. */
  static void runOnce(Variant v, int r, Path jar, Path out, Integer historyDays) throws Exception {
    Path data = Files.createTempDirectory("cc-startup");
    int port = freePort();
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.addAll(v.options);
    cmd.add("-jar");
    cmd.add(jar.toString());
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true)
        .redirectOutput(out.resolve("startup-" + v.name + "-" + (r + 1) + ".log").toFile());
    Map<String, String> env = pb.environment();
    env.put("CANDLECAST_HTTP_HOST", "127.0.0.1");
    env.put("CANDLECAST_HTTP_PORT", Integer.toString(port));
    env.put("CANDLECAST_KAFKA_EMBEDDED_PORT", "0");
    env.put("CANDLECAST_DATA_DIR", data.toString());
    if (historyDays != null) {
      env.put("CANDLECAST_MOCK_HISTORY_DAYS", Integer.toString(historyDays));
    }
    long t0 = System.nanoTime();
    Process p = pb.start();
    String path = waitReady(port, p);
    long took = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
    v.ms.add(took);
    v.paths.add(path);
    System.out.printf("run %d (%s): ready (%s 200) after %,d ms%n", r + 1, v.name, path, took);
    if (historyDays != null && historyDays > 0) {
      waitFull(port, p, historyDays);
      long full = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
      v.fullMs.add(full);
      System.out.printf("run %d (%s): full (%d 1d bars, 1m up to now) after %,d ms%n", r + 1, v.name, historyDays, full);
    }
    p.destroy();
    if (!p.waitFor(30, TimeUnit.SECONDS)) {
      p.destroyForcibly().waitFor();
    }
    try (var s = Files.walk(data)) {
      s.sorted(Comparator.reverseOrder()).map(Path::toFile).forEach(java.io.File::delete);
    }
  }

  static String waitReady(int port, Process p) throws Exception {
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
    String path = "/ready";
    long deadline = System.currentTimeMillis() + 120_000;
    while (System.currentTimeMillis() < deadline) {
      if (!p.isAlive()) {
        throw new IllegalStateException("candlecast exited with " + p.exitValue() + " before it was ready");
      }
      try {
        HttpResponse<Void> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
            .timeout(Duration.ofSeconds(1)).build(), HttpResponse.BodyHandlers.discarding());
        if (r.statusCode() == 200) {
          return path;
        }
        if (r.statusCode() == 404 && path.equals("/ready")) {
          path = "/health";
          continue;
        }
      } catch (IOException e) {
        // not listening yet
      }
      Thread.sleep(20);
    }
    throw new IllegalStateException("not ready within 120 s");
  }

  /** Until BTCUSD and ETHUSD (the defaults) have {@code days} 1d bars and their newest 1m bar is at most 2 min old. */
  static void waitFull(int port, Process p, int days) throws Exception {
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
    long deadline = System.currentTimeMillis() + 600_000;
    for (String symbol : List.of("BTCUSD", "ETHUSD")) {
      String base = "http://127.0.0.1:" + port + "/api/candles?symbol=" + symbol + "&limit=5000&tf=";
      while (!(bars(http, base + "1d") >= days && newestAgeMs(http, base + "1m") <= 120_000)) {
        if (!p.isAlive()) {
          throw new IllegalStateException("candlecast exited with " + p.exitValue() + " before its charts were full");
        }
        if (System.currentTimeMillis() > deadline) {
          throw new IllegalStateException("charts not full within 600 s");
        }
        Thread.sleep(100);
      }
    }
  }

  /** Bars in the JSON array answered, or -1. */
  static int bars(HttpClient http, String url) throws Exception {
    String body = get(http, url);
    return body == null ? -1 : body.split("\"t\":", -1).length - 1;
  }

  /** Age of the newest bar's open time (ms), or Long.MAX_VALUE. */
  static long newestAgeMs(HttpClient http, String url) throws Exception {
    String body = get(http, url);
    if (body == null) {
      return Long.MAX_VALUE;
    }
    int i = body.lastIndexOf("\"t\":");
    if (i < 0) {
      return Long.MAX_VALUE;
    }
    int j = i + 4;
    int k = j;
    while (k < body.length() && Character.isDigit(body.charAt(k))) {
      k++;
    }
    return System.currentTimeMillis() - Long.parseLong(body.substring(j, k));
  }

  static String get(HttpClient http, String url) throws Exception {
    try {
      HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(5)).build(),
          HttpResponse.BodyHandlers.ofString());
      return r.statusCode() == 200 ? r.body() : null;
    } catch (IOException e) {
      return null;
    }
  }

  static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }
}
