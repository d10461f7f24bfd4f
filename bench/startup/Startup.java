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
 * <p>Run with the JDK's source launcher, no build needed:
 * {@code java bench/startup/Startup.java [--jar deploy/target/candlecast.jar] [--runs 5] [--out DIR]}
 */
public final class Startup {
  public static void main(String[] args) throws Exception {
    String jar = "deploy/target/candlecast.jar";
    int runs = 5;
    Path out = Path.of("results");
    for (int i = 0; i + 1 < args.length; i += 2) {
      switch (args[i]) {
        case "--jar" -> jar = args[i + 1];
        case "--runs" -> runs = Integer.parseInt(args[i + 1]);
        case "--out" -> out = Path.of(args[i + 1]);
        default -> throw new IllegalArgumentException("unknown option " + args[i]);
      }
    }
    if (!Files.isRegularFile(Path.of(jar))) {
      throw new IllegalArgumentException("no such jar " + jar + " (build it: mvn -q package -DskipTests)");
    }
    Files.createDirectories(out);
    String load = Files.readString(Path.of("/proc/loadavg")).trim();
    List<Long> ms = new ArrayList<>();
    List<String> paths = new ArrayList<>();
    for (int r = 0; r < runs; r++) {
      Path data = Files.createTempDirectory("cc-startup");
      int port = freePort();
      ProcessBuilder pb = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
          "-jar", Path.of(jar).toAbsolutePath().toString())
          .redirectErrorStream(true).redirectOutput(out.resolve("startup-" + (r + 1) + ".log").toFile());
      Map<String, String> env = pb.environment();
      env.put("CANDLECAST_HTTP_HOST", "127.0.0.1");
      env.put("CANDLECAST_HTTP_PORT", Integer.toString(port));
      env.put("CANDLECAST_KAFKA_EMBEDDED_PORT", "0");
      env.put("CANDLECAST_DATA_DIR", data.toString());
      long t0 = System.nanoTime();
      Process p = pb.start();
      String path = waitReady(port, p);
      long took = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
      ms.add(took);
      paths.add(path);
      System.out.printf("run %d: ready (%s 200) after %,d ms%n", r + 1, path, took);
      p.destroy();
      if (!p.waitFor(30, TimeUnit.SECONDS)) {
        p.destroyForcibly().waitFor();
      }
      try (var s = Files.walk(data)) {
        s.sorted(Comparator.reverseOrder()).map(Path::toFile).forEach(java.io.File::delete);
      }
    }
    List<Long> sorted = new ArrayList<>(ms);
    sorted.sort(null);
    long median = sorted.get(sorted.size() / 2);
    System.out.printf("RESULT start-up to ready: median %,d ms of %d (min %,d, max %,d)%n", median, runs,
        sorted.get(0), sorted.get(sorted.size() - 1));
    String json = String.format(Locale.ROOT, "{\n  \"benchmark\": \"startup\",\n  \"runs\": %s,\n  \"medianMs\": %d,"
            + "\n  \"minMs\": %d,\n  \"maxMs\": %d,\n  \"readyEndpoint\": \"%s\",\n  \"loadAverageBefore\": \"%s\"\n}\n",
        ms, median, sorted.get(0), sorted.get(sorted.size() - 1), paths.get(0), load);
    Files.writeString(out.resolve("startup.json"), json);
    System.out.println("results: " + out.resolve("startup.json"));
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

  static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }
}
