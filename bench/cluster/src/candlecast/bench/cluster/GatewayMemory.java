package candlecast.bench.cluster;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a gateway node holds: the product's jar as one node ({@code java -jar candlecast.jar}, the
 * real gateway, mock feed, embedded broker) and a {@link WsHolder} JVM opening idle subscribed
 * WebSocket connections in steps; after each step the node's heap after a full GC ({@code jcmd
 * GC.run}, {@code GC.heap_info}) and RSS. Per connection = the least-squares slope over the steps.
 *
 * <p>Args: --out DIR --jar deploy/target/candlecast.jar [--port 23080] [--kafka-port 23092]
 * [--total 10000] [--step 2500] [--series 1m:BTCUSD] [--heap 1g]
 */
public final class GatewayMemory {
  private static final Pattern USED = Pattern.compile("used (\\d+)K");

  public static void main(String[] args) throws Exception {
    Map<String, String> o = Args.parse(args);
    try {
      run(o);
    } finally {
      System.exit(0);
    }
  }

  static void run(Map<String, String> o) throws Exception {
    Path out = Path.of(o.get("out"));
    Files.createDirectories(out);
    int port = Integer.parseInt(o.getOrDefault("port", "23080"));
    int total = Integer.parseInt(o.getOrDefault("total", "10000"));
    String heap = o.getOrDefault("heap", "1g");
    List<String> series = List.of(o.getOrDefault("series", "1m:BTCUSD").split(","));
    JsonObject result =
        new JsonObject().put("load", Args.uptime()).put("series", new JsonArray(series)).put("heap", heap);
    try (Jvm node = startNode(o, out, port, total, heap)) {
      awaitReady(port);
      List<String> holderArgs = new ArrayList<>(List.of(WsHolder.class.getName(), String.valueOf(port),
          o.getOrDefault("step", "2500"), String.valueOf(total)));
      holderArgs.addAll(series);
      try (Jvm holder = Jvm.start("holder", List.of("-Xmx1g", "-XX:+UseSerialGC", "-cp",
          System.getProperty("java.class.path")), holderArgs, Map.of(), out.resolve("holder.log"))) {
        result.put("points", measure(node, holder, total));
      }
    }
    result.put("loadAfter", Args.uptime());
    fit(result);
    Files.writeString(out.resolve("gateway-memory.json"), result.encodePrettily());
    System.out.println(result.encodePrettily());
  }

  static Jvm startNode(Map<String, String> o, Path out, int port, int total, String heap) throws IOException {
    Path data = Files.createTempDirectory("limits-gw");
    Map<String, String> env = Map.of(
        "CANDLECAST_HTTP_PORT", String.valueOf(port),
        "CANDLECAST_HTTP_HOST", "127.0.0.1",
        "CANDLECAST_KAFKA_EMBEDDED_PORT", o.getOrDefault("kafka-port", "23092"),
        "CANDLECAST_DATA_DIR", data.toString(),
        "CANDLECAST_FEED_FIRST_BACKFILL", "none",
        "CANDLECAST_MOCK_HISTORY_DAYS", "0",
        "CANDLECAST_FEED_RATE", "5",
        "CANDLECAST_GATEWAY_MAX_CONNECTIONS", String.valueOf(total + 100),
        "CANDLECAST_GATEWAY_CONNECTIONS_PER_SECOND", "100000",
        "CANDLECAST_GATEWAY_CONNECTIONS_BURST", "100000");
    return Jvm.start("node", List.of("-Xmx" + heap, "-XX:+UseG1GC", "-jar", o.get("jar")), List.of(), env,
        out.resolve("node.log"));
  }

  static void awaitReady(int port) throws Exception {
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    long end = System.currentTimeMillis() + 180_000;
    while (System.currentTimeMillis() < end) {
      try {
        HttpResponse<Void> r = http.send(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/ready")).build(),
            HttpResponse.BodyHandlers.discarding());
        if (r.statusCode() == 200) {
          return;
        }
      } catch (IOException e) {
        // not listening yet
      }
      Thread.sleep(250);
    }
    throw new IllegalStateException("node not ready within 180 s");
  }

  /** After each step of the holder: settle, full GC, heap used and RSS of the node. */
  static JsonArray measure(Jvm node, Jvm holder, int total) throws Exception {
    JsonArray points = new JsonArray();
    OutputStream next = holder.process.getOutputStream();
    int held = 0;
    String line = holder.await("HELD 0", 60_000);
    while (true) {
      Thread.sleep(3000);
      JsonObject p = new JsonObject()
          .put("connections", held)
          .put("heapUsedBytes", heapAfterGc(node.pid()))
          .put("rssBytes", BusNodes.rss(node.pid()))
          .put("load", Args.uptime());
      points.add(p);
      System.out.println(p.encode() + " " + line);
      if (held >= total) {
        break;
      }
      next.write('\n');
      next.flush();
      int want = held;
      line = awaitHeldAbove(holder, want);
      held = Integer.parseInt(line.split(" ")[1]);
    }
    next.write('\n');
    next.flush();
    return points;
  }

  private static String awaitHeldAbove(Jvm holder, int held) throws InterruptedException {
    long end = System.currentTimeMillis() + 300_000;
    while (System.currentTimeMillis() < end) {
      String l = holder.lastLine("HELD ");
      if (l != null && Integer.parseInt(l.split(" ")[1]) > held) {
        return l;
      }
      Thread.sleep(100);
    }
    throw new IllegalStateException("holder stuck at " + held);
  }

  static long heapAfterGc(long pid) throws Exception {
    jcmd(pid, "GC.run");
    Matcher m = USED.matcher(jcmd(pid, "GC.heap_info"));
    if (!m.find()) {
      throw new IllegalStateException("no heap figure from jcmd");
    }
    return Long.parseLong(m.group(1)) * 1024;
  }

  static String jcmd(long pid, String cmd) throws Exception {
    Process p = new ProcessBuilder("jcmd", String.valueOf(pid), cmd).redirectErrorStream(true).start();
    String text = new String(p.getInputStream().readAllBytes());
    p.waitFor();
    return text;
  }

  /** Least-squares bytes per connection of heap and RSS over the points. */
  static void fit(JsonObject result) {
    JsonArray pts = result.getJsonArray("points");
    result.put("heapBytesPerConnection", slope(pts, "heapUsedBytes"));
    result.put("rssBytesPerConnection", slope(pts, "rssBytes"));
  }

  static double slope(JsonArray pts, String key) {
    int n = pts.size();
    double sx = 0, sy = 0, sxx = 0, sxy = 0;
    for (int i = 0; i < n; i++) {
      double x = pts.getJsonObject(i).getLong("connections");
      double y = pts.getJsonObject(i).getLong(key);
      sx += x;
      sy += y;
      sxx += x * x;
      sxy += x * y;
    }
    return (n * sxy - sx * sy) / (n * sxx - sx * sx);
  }
}
