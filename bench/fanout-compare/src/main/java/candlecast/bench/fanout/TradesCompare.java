package candlecast.bench.fanout;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.BufferedReader;
import java.io.File;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Issue 14's trades and books fan-out, side by side. <b>Trades</b>: for each server (the Candlecast
 * gateway fed by bench/fanout's publisher on {@code trades.BTCUSD}, the Node {@code ws} peer fed by
 * its own feeder) and each batch size, N clients subscribe to BTCUSD's trades with that batch while
 * the feeder sends bursty trades (a burst every {@code burst-ms} carrying the trades the rate owes,
 * as the aggregator publishes one update per poll batch); measured: trades delivered per second
 * (summed over clients), p99 latency (send → client receive, per trade), bytes on the wire per
 * trade delivered (WebSocket header + payload). <b>Books</b> (gateway only: the Node peer has no
 * book channel): M clients subscribe to BTCUSD's book at depth 10 while full books are published at
 * increasing rates, until p99 exceeds the limit or deliveries fall below 90 % of the offered.
 *
 * <p>Usage: {@code java -cp bench-fanout-compare.jar candlecast.bench.fanout.TradesCompare
 * [--servers candlecast,node-ws] [--connections 5000] [--batches 1,50] [--rate 2000] [--burst-ms
 * 10] [--seconds 10] [--book-connections 1000] [--book-seconds 5] [--book-rates 10,20,50,...]
 * [--book-p99-ms 100] [--out DIR]}
 */
public final class TradesCompare {
  private TradesCompare() {}

  public static void main(String[] args) throws Exception {
    Map<String, String> a = new HashMap<>();
    for (int i = 0; i + 1 < args.length; i += 2) {
      a.put(args[i].substring(2), args[i + 1]);
    }
    Path out = Path.of(a.getOrDefault("out", "results"));
    Files.createDirectories(out);
    int connections = Integer.parseInt(a.getOrDefault("connections", "5000"));
    double rate = Double.parseDouble(a.getOrDefault("rate", "2000"));
    int burstMs = Integer.parseInt(a.getOrDefault("burst-ms", "10"));
    double seconds = Double.parseDouble(a.getOrDefault("seconds", "10"));
    JsonObject doc =
        new JsonObject()
            .put("benchmark", "trades-books-fanout")
            .put("connections", connections)
            .put("tradesPerSec", rate)
            .put("burstMs", burstMs)
            .put("loadAverageAtStart", Files.readString(Path.of("/proc/loadavg")).trim());
    JsonArray trades = new JsonArray();
    doc.put("trades", trades);
    String servers = a.getOrDefault("servers", "candlecast,node-ws");
    for (String server : servers.isEmpty() ? new String[0] : servers.split(",", -1)) {
      for (String batch : a.getOrDefault("batches", "1,50").split(",", -1)) {
        String sub =
            "{\"type\":\"subscribe\",\"channel\":\"trades\",\"symbol\":\"BTCUSD\",\"batch\":"
                + batch
                + "}";
        JsonObject r =
            run(
                server,
                connections,
                sub,
                out,
                (admin, io) -> {
                  FanoutCompare.get(admin, "/trades?n=" + rate + "&burst=" + burstMs);
                  JsonObject m = measure(io, seconds, admin, "/trades?n=0");
                  return List.of(m.put("server", server).put("batch", Integer.parseInt(batch)));
                });
        trades.add(r);
        Files.writeString(out.resolve("trades-books.json"), doc.encodePrettily());
      }
    }
    int bookConnections = Integer.parseInt(a.getOrDefault("book-connections", "1000"));
    double bookSeconds = Double.parseDouble(a.getOrDefault("book-seconds", "5"));
    double p99Limit = Double.parseDouble(a.getOrDefault("book-p99-ms", "100"));
    String[] rates =
        a.getOrDefault("book-rates", "10,20,50,100,200,300,500,750,1000,1500,2000,3000,5000")
            .split(",", -1);
    String bookSub =
        "{\"type\":\"subscribe\",\"channel\":\"book\",\"symbol\":\"BTCUSD\",\"depth\":10}";
    doc.put("bookConnections", bookConnections).put("bookP99LimitMs", p99Limit);
    doc.put(
        "books",
        run(
            "candlecast",
            bookConnections,
            bookSub,
            out,
            (admin, io) -> {
              List<JsonObject> points = new ArrayList<>();
              boolean retried = false;
              for (int i = 0; i < rates.length; i++) {
                String r = rates[i];
                FanoutCompare.get(admin, "/book?n=" + r);
                JsonObject m =
                    measure(io, bookSeconds, admin, "/book?n=0")
                        .put("booksPerSec", Double.parseDouble(r));
                points.add(m);
                double offered = Double.parseDouble(r) * bookConnections;
                boolean failed =
                    m.getDouble("p99Ms") > p99Limit
                        || m.getDouble("deliveriesPerSec") < 0.9 * offered;
                if (failed && retried) {
                  break; // twice in a row at the same rate: one noisy interval is not the limit
                }
                if (failed) {
                  i--;
                }
                retried = failed;
              }
              return points;
            }));
    doc.put("loadAverageAtEnd", Files.readString(Path.of("/proc/loadavg")).trim());
    Files.writeString(out.resolve("trades-books.json"), doc.encodePrettily());
    System.out.println("results: " + out.resolve("trades-books.json"));
    System.exit(0);
  }

  /** One measuring step against a running server and its connected load generator. */
  interface Steps {
    List<JsonObject> run(int admin, Gen io) throws Exception;
  }

  record Gen(PrintWriter to, BufferedReader from) {}

  /** Measures for {@code seconds} after 1 s of settling, then stops the feed and lets it drain. */
  static JsonObject measure(Gen io, double seconds, int admin, String stop) throws Exception {
    Thread.sleep(1000); // settle
    JsonObject m = FanoutCompare.ask(io.to(), io.from(), "measure " + seconds);
    FanoutCompare.get(admin, stop);
    JsonObject q = FanoutCompare.ask(io.to(), io.from(), "quiet 1000 30");
    double s = m.getDouble("seconds");
    long items = m.getLong("items");
    m.put("drainAfterSeconds", q.getDouble("seconds"))
        .put("framesPerSec", m.getLong("frames") / s)
        .put("wireBytesPerItem", items > 0 ? m.getLong("wireBytes") / (double) items : 0)
        .put("loadAverage", Files.readString(Path.of("/proc/loadavg")).trim());
    System.out.println("  " + m.encode());
    return m;
  }

  /** Starts the server and a load generator with n connections sending {@code sub}, runs steps. */
  static JsonObject run(String server, int n, String sub, Path out, Steps steps) throws Exception {
    int port = FanoutCompare.freePortPair();
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    String jar =
        new File(TradesCompare.class.getProtectionDomain().getCodeSource().getLocation().toURI())
            .getPath();
    List<String> cmd =
        server.equals("candlecast")
            ? List.of(
                java,
                "-Xms1g",
                "-Xmx1g",
                "-XX:+UseG1GC",
                "-cp",
                "bench/fanout/target/bench-fanout.jar",
                "candlecast.bench.BenchServer",
                Integer.toString(port))
            : List.of("node", "bench/peers/ws-server.js", "--port", Integer.toString(port));
    Process p =
        new ProcessBuilder(cmd)
            .redirectErrorStream(true)
            .redirectOutput(out.resolve("tb-" + server + ".log").toFile())
            .start();
    Process gen = null;
    try {
      FanoutCompare.waitAdmin(port + 1, p);
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
                  "--command",
                  sub,
                  "--connections",
                  Integer.toString(n),
                  "--sources",
                  "4")
              .redirectError(out.resolve("tb-loadgen-" + server + ".log").toFile())
              .start();
      Gen io =
          new Gen(
              new PrintWriter(
                  new OutputStreamWriter(gen.getOutputStream(), StandardCharsets.UTF_8), true),
              new BufferedReader(
                  new InputStreamReader(gen.getInputStream(), StandardCharsets.UTF_8)));
      JsonObject conn = FanoutCompare.ask(io.to(), io.from(), "connect");
      System.out.println(server + " " + sub + ": " + conn.encode());
      long cpu0 = FanoutCompare.cpuMillis(p.toHandle());
      List<JsonObject> points = steps.run(port + 1, io);
      long cpu1 = FanoutCompare.cpuMillis(p.toHandle());
      return new JsonObject()
          .put("server", server)
          .put("command", String.join(" ", cmd))
          .put("subscribe", sub)
          .put("connect", conn)
          .put("serverCpuSecondsAllSteps", (cpu1 - cpu0) / 1000.0)
          .put("points", new JsonArray(new ArrayList<Object>(points)));
    } finally {
      if (gen != null) {
        gen.destroy();
        gen.waitFor(10, TimeUnit.SECONDS);
        gen.destroyForcibly();
      }
      p.destroy();
      if (!p.waitFor(15, TimeUnit.SECONDS)) {
        p.destroyForcibly().waitFor();
      }
    }
  }
}
