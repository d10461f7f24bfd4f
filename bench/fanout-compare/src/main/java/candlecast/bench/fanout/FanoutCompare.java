package candlecast.bench.fanout;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Fan-out, side by side: for each server (the Candlecast gateway, a Node {@code ws} server, a
 * Socket.IO server), one after the other on the same machine: start it, connect the same load
 * generator ({@link LoadGen}, its own JVM, 10,000 connections over several 127.0.0.x source
 * addresses, all subscribed to one series), measure the heap and RSS per idle connection, find the
 * saturation deliveries/s by stepping the offered rate up, then measure latency p50/p99/p99.9 and
 * CPU seconds per million deliveries at 25, 50 and 75 % of that server's saturation, and at a light
 * broadcast load (2 updates/s to every client). Every server gets the same candle frames
 * (Candlecast's /ws frame shape) from an in-process feeder with the send time embedded.
 *
 * <p>Usage: {@code java -jar bench-fanout-compare.jar [--servers candlecast,node-ws,socket.io]
 * [--connections 10000] [--sources 4] [--step-seconds 5] [--point-seconds 10] [--peers bench/peers]
 * [--gateway-jar bench/fanout/target/bench-fanout.jar] [--gateway-jvm "-Xms64m -Xmx1g ..."] [--out DIR]}
 */
public final class FanoutCompare {
  /**
   * The gateway JVM's heap and collector options ({@code --gateway-jvm "..."}): a small initial
   * heap that G1 gives back after a collection (docs/DECISIONS.md "Issue 20: the gateway's heap
   * sizing"), the same in every figure of a run.
   */
  static List<String> GATEWAY_JVM =
      List.of(
          "-Xms64m",
          "-Xmx1g",
          "-XX:+UseG1GC",
          "-XX:MinHeapFreeRatio=10",
          "-XX:MaxHeapFreeRatio=20");

  static final double[] STEPS = {1, 2, 5, 10, 20, 35, 50, 75, 100, 150, 200, 300};
  static final HttpClient HTTP =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(2))
          .build();

  private FanoutCompare() {}

  public static void main(String[] args) throws Exception {
    Map<String, String> a = new java.util.HashMap<>();
    for (int i = 0; i + 1 < args.length; i += 2) {
      a.put(args[i].substring(2), args[i + 1]);
    }
    List<String> servers =
        List.of(a.getOrDefault("servers", "candlecast,node-ws,socket.io").split(","));
    int connections = Integer.parseInt(a.getOrDefault("connections", "10000"));
    int sources = Integer.parseInt(a.getOrDefault("sources", "4"));
    double stepSeconds = Double.parseDouble(a.getOrDefault("step-seconds", "5"));
    double pointSeconds = Double.parseDouble(a.getOrDefault("point-seconds", "10"));
    Path peers = Path.of(a.getOrDefault("peers", "bench/peers"));
    Path gatewayJar =
        Path.of(a.getOrDefault("gateway-jar", "bench/fanout/target/bench-fanout.jar"));
    Path out = Path.of(a.getOrDefault("out", "results"));
    if (a.containsKey("gateway-jvm")) {
      GATEWAY_JVM = List.of(a.get("gateway-jvm").trim().split("\\s+"));
    }
    Files.createDirectories(out);
    JsonArray results = new JsonArray();
    for (String s : servers) {
      JsonObject r =
          runServer(s, connections, sources, stepSeconds, pointSeconds, peers, gatewayJar, out);
      results.add(r);
      System.out.printf(
          "RESULT fanout %-10s saturation %,.0f deliveries/s%n",
          s, r.getJsonObject("saturation").getDouble("deliveriesPerSec"));
      Files.writeString(
          out.resolve("fanout.json"), doc(connections, sources, results).encodePrettily());
    }
    System.out.println("results: " + out.resolve("fanout.json"));
    System.exit(0);
  }

  static JsonObject doc(int connections, int sources, JsonArray servers) {
    return new JsonObject()
        .put("benchmark", "fanout")
        .put("connections", connections)
        .put("sources", sources)
        .put(
            "description",
            String.format(
                "%,d WebSocket connections from one load-generator JVM over %d source "
                    + "addresses (127.0.0.2…), all subscribed to candles of BTCUSD 1s; the server's feeder publishes one "
                    + "pre-encoded candle update per message with its send time embedded; one delivery = one frame received "
                    + "by one connection. Servers run one after the other; CPU is the server process's.",
                connections, sources))
        .put("servers", servers);
  }

  static JsonObject runServer(
      String name,
      int connections,
      int sources,
      double stepSeconds,
      double pointSeconds,
      Path peers,
      Path gatewayJar,
      Path out)
      throws Exception {
    int port = freePortPair();
    int admin = port + 1;
    List<String> cmd;
    String label;
    String protocol = "ws";
    String path = "/ws";
    // the load generator runs from this JVM's own class path (the shaded jar, or classes + deps)
    String jar = System.getProperty("java.class.path");
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    ProcessBuilder pb;
    switch (name) {
      case "candlecast" -> {
        // bench/fanout's server (the gateway with production settings but the connection limits,
        // plus a publisher
        // standing in for the aggregator), started the way bench/fanout/run.sh starts it
        cmd = new java.util.ArrayList<>(List.of(java));
        cmd.addAll(GATEWAY_JVM);
        cmd.addAll(
            List.of(
                "--add-opens",
                "java.base/java.lang=ALL-UNNAMED",
                "-cp",
                gatewayJar.toString(),
                "candlecast.bench.BenchServer",
                Integer.toString(port)));
        label = "Candlecast gateway";
      }
      case "node-ws" -> {
        cmd =
            List.of(
                "node",
                "--expose-gc",
                peers.resolve("ws-server.js").toString(),
                "--port",
                Integer.toString(port));
        label = "Node ws";
      }
      case "socket.io" -> {
        cmd =
            List.of(
                "node",
                "--expose-gc",
                peers.resolve("socketio-server.js").toString(),
                "--port",
                Integer.toString(port));
        label = "Socket.IO";
        protocol = "socketio";
      }
      default -> throw new IllegalArgumentException("unknown server " + name);
    }
    pb =
        new ProcessBuilder(cmd)
            .redirectErrorStream(true)
            .redirectOutput(out.resolve("fanout-" + name + ".log").toFile());
    Process server = pb.start();
    Process gen = null;
    try {
      waitAdmin(admin, server);
      ProcessHandle serverHandle = server.toHandle();
      long heap0 = Long.parseLong(get(admin, "/heap").trim());
      long rss0 = rss(server.pid());
      gen =
          new ProcessBuilder(
                  java,
                  "-Xms1g",
                  "-Xmx1g",
                  "-cp",
                  jar,
                  LoadGen.class.getName(),
                  "--port",
                  Integer.toString(port),
                  "--path",
                  path,
                  "--protocol",
                  protocol,
                  "--connections",
                  Integer.toString(connections),
                  "--sources",
                  Integer.toString(sources))
              .redirectError(out.resolve("fanout-loadgen-" + name + ".log").toFile())
              .start();
      ProcessHandle genHandle = gen.toHandle();
      PrintWriter toGen =
          new PrintWriter(
              new OutputStreamWriter(gen.getOutputStream(), StandardCharsets.UTF_8), true);
      BufferedReader fromGen =
          new BufferedReader(new InputStreamReader(gen.getInputStream(), StandardCharsets.UTF_8));
      JsonObject conn = ask(toGen, fromGen, "connect");
      System.out.println(name + ": " + conn.encode());
      Thread.sleep(2000);
      long heap1 = Long.parseLong(get(admin, "/heap").trim());
      long rss1 = rss(server.pid());
      int subscribed = conn.getInteger("subscribed");
      JsonObject idle =
          new JsonObject()
              .put("connections", subscribed)
              .put("heapPerConnectionBytes", (heap1 - heap0) / (double) subscribed)
              .put("rssPerConnectionBytes", (rss1 - rss0) / (double) subscribed)
              .put("heapBefore", heap0)
              .put("heapAfter", heap1)
              .put("rssBefore", rss0)
              .put("rssAfter", rss1);
      JsonArray points = new JsonArray();
      double saturation = 0;
      double saturationRate = 0;
      boolean retried = false;
      for (int i = 0; i < STEPS.length; i++) {
        double rate = STEPS[i];
        JsonObject p =
            point(
                admin,
                toGen,
                fromGen,
                serverHandle,
                genHandle,
                rate,
                subscribed,
                stepSeconds,
                "step");
        points.add(p);
        System.out.println(name + ": " + p.encode());
        double got = p.getDouble("deliveriesPerSec");
        if (got > saturation) {
          saturation = got;
          saturationRate = rate;
        }
        if (got < 0.9 * p.getDouble("offeredDeliveriesPerSec") || p.getDouble("p99Ms") > 1000) {
          if (retried) {
            break; // saturated: it no longer keeps up with the offered load, twice in a row
          }
          retried =
              true; // once more at the same rate: one noisy interval on a shared machine is not
          // saturation
          i--;
        } else {
          retried = false;
        }
      }
      for (String level : List.of("25%", "50%", "75%")) {
        double f = Integer.parseInt(level.replace("%", "")) / 100.0;
        JsonObject p =
            point(
                admin,
                toGen,
                fromGen,
                serverHandle,
                genHandle,
                f * saturation / subscribed,
                subscribed,
                pointSeconds,
                level);
        points.add(p);
        System.out.println(name + ": " + p.encode());
      }
      JsonObject b =
          point(
              admin,
              toGen,
              fromGen,
              serverHandle,
              genHandle,
              2,
              subscribed,
              pointSeconds,
              "broadcast");
      points.add(b);
      System.out.println(name + ": " + b.encode());
      return new JsonObject()
          .put("name", name)
          .put("label", label)
          .put("command", String.join(" ", cmd).replace(jar, "bench-fanout-compare.jar"))
          .put("connect", conn)
          .put("idle", idle)
          .put(
              "saturation",
              new JsonObject()
                  .put("deliveriesPerSec", saturation)
                  .put("messagesPerSec", saturationRate))
          .put("points", points);
    } finally {
      if (gen != null) {
        gen.destroy();
        gen.waitFor(10, TimeUnit.SECONDS);
        gen.destroyForcibly();
      }
      server.destroy();
      if (!server.waitFor(15, TimeUnit.SECONDS)) {
        server.destroyForcibly().waitFor();
      }
    }
  }

  /**
   * Offers {@code rate} updates/s to every subscriber for {@code seconds}, then stops the feed and
   * lets it drain.
   */
  static JsonObject point(
      int admin,
      PrintWriter toGen,
      BufferedReader fromGen,
      ProcessHandle server,
      ProcessHandle loadgen,
      double rate,
      int subscribers,
      double seconds,
      String level)
      throws Exception {
    get(admin, "/rate?n=" + rate);
    Thread.sleep(1000); // settle
    long cpu0 = cpuMillis(server);
    long gen0 = cpuMillis(loadgen);
    JsonObject m = ask(toGen, fromGen, "measure " + seconds);
    long cpu1 = cpuMillis(server);
    long gen1 = cpuMillis(loadgen);
    get(admin, "/rate?n=0");
    // drain what is still queued (a server past saturation has a backlog) before the next point
    // starts
    JsonObject q = ask(toGen, fromGen, "quiet 1000 90");
    m.put("drainAfterSeconds", q.getDouble("seconds")).put("drained", q.getBoolean("drained"));
    double cpuS = (cpu1 - cpu0) / 1000.0;
    double delivered = m.getDouble("deliveriesPerSec");
    return m.put("level", level)
        .put("offeredMessagesPerSec", rate)
        .put("offeredDeliveriesPerSec", rate * subscribers)
        .put("serverCpuSeconds", cpuS)
        .put("serverCpuPercent", 100 * cpuS / m.getDouble("seconds"))
        .put("loadgenCpuPercent", 100 * (gen1 - gen0) / 1000.0 / m.getDouble("seconds"))
        .put(
            "cpuSecondsPerMillion",
            delivered > 0 ? cpuS / (delivered * m.getDouble("seconds") / 1e6) : 0);
  }

  static long cpuMillis(ProcessHandle p) {
    return p.info().totalCpuDuration().map(Duration::toMillis).orElse(0L);
  }

  static JsonObject ask(PrintWriter to, BufferedReader from, String command) throws IOException {
    to.println(command);
    String line;
    while ((line = from.readLine()) != null) {
      if (line.startsWith("LOADGEN ")) {
        return new JsonObject(line.substring(8));
      }
    }
    throw new IOException("load generator ended");
  }

  static void waitAdmin(int port, Process p) throws Exception {
    long deadline = System.currentTimeMillis() + 90_000;
    while (System.currentTimeMillis() < deadline) {
      if (!p.isAlive()) {
        throw new IllegalStateException("server exited with " + p.exitValue());
      }
      try {
        get(port, "/cpu");
        return;
      } catch (IOException e) {
        Thread.sleep(200);
      }
    }
    throw new IllegalStateException("server admin port " + port + " not up within 90 s");
  }

  static String get(int port, String path) throws IOException, InterruptedException {
    HttpResponse<String> r =
        HTTP.send(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(60))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    if (r.statusCode() != 200) {
      throw new IOException(path + " -> " + r.statusCode() + " " + r.body());
    }
    return r.body();
  }

  static long rss(long pid) {
    try {
      for (String l : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
        if (l.startsWith("VmRSS:")) {
          return Long.parseLong(l.replaceAll("[^0-9]", "")) * 1024;
        }
      }
    } catch (IOException e) {
      // gone
    }
    return -1;
  }

  /** A free port p whose p + 1 is free too (the admin port). */
  static int freePortPair() throws IOException {
    for (int i = 0; i < 50; i++) {
      int p = freePort();
      try (ServerSocket s = new ServerSocket(p + 1)) {
        return p;
      } catch (IOException e) {
        // try another
      }
    }
    throw new IOException("no free port pair");
  }

  static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }
}
