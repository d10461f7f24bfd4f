package candlecast.bench;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.http.WebSocketFrameType;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * The load generator of the fan-out benchmark, in its own JVM: opens N WebSocket connections to
 * {@link BenchServer} from several 127.0.0.x source addresses, subscribes each to {@code sub-1s},
 * and for each delivered update records now − send time (both epoch µs, same machine clock).
 * Reports deliveries per second, latency percentiles, the server's CPU seconds per million
 * deliveries and its heap per idle connection.
 *
 * <pre>
 * java -cp bench-fanout.jar candlecast.bench.LoadGen [port] [connections] [sources] [seconds] [rate...]
 * </pre>
 */
public final class LoadGen {
  private static final byte[] TRADES = "\"trades\":".getBytes(StandardCharsets.US_ASCII);
  private static final Recorder LATENCY = new Recorder(60_000_000L, 3);
  private static final LongAdder DELIVERED = new LongAdder();
  private static volatile boolean recording;

  public static void main(String[] args) throws Exception {
    int port = args.length > 0 ? Integer.parseInt(args[0]) : 18080;
    int connections = args.length > 1 ? Integer.parseInt(args[1]) : 10_000;
    int sources = args.length > 2 ? Integer.parseInt(args[2]) : 10;
    int seconds = args.length > 3 ? Integer.parseInt(args[3]) : 20;
    List<Double> rates = new ArrayList<>();
    for (int i = 4; i < args.length; i++) {
      rates.add(Double.parseDouble(args[i]));
    }
    if (rates.isEmpty()) {
      rates.add(25.0);
    }
    Vertx vertx = Vertx.vertx();
    HttpClient admin = vertx.createHttpClient();
    call(admin, port + 1, "/rate?n=0");
    long heap0 = Long.parseLong(call(admin, port + 1, "/heap"));

    List<WebSocketClient> clients = new ArrayList<>();
    for (int s = 0; s < sources; s++) {
      clients.add(
          vertx.createWebSocketClient(
              new WebSocketClientOptions()
                  .setMaxConnections(connections)
                  .setLocalAddress("127.0.0." + (2 + s))
                  .setConnectTimeout(30_000)));
    }
    long t0 = System.nanoTime();
    List<Future<WebSocket>> pending = new ArrayList<>();
    for (int i = 0; i < connections; i++) {
      WebSocketClient c = clients.get(i % sources);
      pending.add(
          c.connect(new WebSocketConnectOptions().setHost("127.0.0.1").setPort(port).setURI("/ws"))
              .map(
                  ws -> {
                    ws.frameHandler(
                        f -> {
                          if (f.type() == WebSocketFrameType.TEXT && recording) {
                            long sent = trades(f.binaryData());
                            if (sent > 0) {
                              Instant now = Instant.now();
                              long us = now.getEpochSecond() * 1_000_000L + now.getNano() / 1000;
                              LATENCY.recordValue(Math.max(0, Math.min(us - sent, 59_999_999L)));
                              DELIVERED.increment();
                            }
                          }
                        });
                    ws.writeTextMessage("sub-1s");
                    return ws;
                  }));
      if (pending.size() == 500) {
        Future.all(pending).await(60, TimeUnit.SECONDS);
        pending.clear();
      }
    }
    Future.all(pending).await(60, TimeUnit.SECONDS);
    System.out.printf(
        Locale.ROOT,
        "connected %d WebSockets from %d source addresses in %.1f s%n",
        connections,
        sources,
        (System.nanoTime() - t0) / 1e9);
    Thread.sleep(3_000); // let the subscriptions settle
    long heap1 = Long.parseLong(call(admin, port + 1, "/heap"));
    System.out.printf(
        Locale.ROOT,
        "server heap: %.1f MiB before, %.1f MiB with %d idle subscribed connections: "
            + "%.2f KiB per connection%n",
        heap0 / 1048576.0,
        heap1 / 1048576.0,
        connections,
        (heap1 - heap0) / 1024.0 / connections);

    System.out.println(
        "| updates/s | deliveries/s | p50 ms | p99 ms | p99.9 ms | max ms | server CPU s per 1M deliveries |");
    System.out.println("|---|---|---|---|---|---|---|");
    for (double rate : rates) {
      call(admin, port + 1, "/rate?n=" + rate);
      Thread.sleep(5_000); // warm-up
      recording = true;
      LATENCY.reset();
      DELIVERED.reset();
      long cpu0 = Long.parseLong(call(admin, port + 1, "/cpu"));
      long start = System.nanoTime();
      Thread.sleep(seconds * 1000L);
      long delivered = DELIVERED.sum();
      long cpu1 = Long.parseLong(call(admin, port + 1, "/cpu"));
      double elapsed = (System.nanoTime() - start) / 1e9;
      recording = false;
      Histogram h = LATENCY.getIntervalHistogram();
      call(admin, port + 1, "/rate?n=0");
      double perSecond = delivered / elapsed;
      System.out.printf(
          Locale.ROOT,
          "| %.0f | %.0f | %.1f | %.1f | %.1f | %.1f | %.2f |%n",
          rate,
          perSecond,
          h.getValueAtPercentile(50) / 1000.0,
          h.getValueAtPercentile(99) / 1000.0,
          h.getValueAtPercentile(99.9) / 1000.0,
          h.getMaxValue() / 1000.0,
          (cpu1 - cpu0) / 1e9 / (delivered / 1e6));
      Thread.sleep(3_000); // drain
    }
    vertx.close().await(30, TimeUnit.SECONDS);
  }

  /** The number after "trades": in a candle frame (the send time in µs), or -1. */
  static long trades(Buffer b) {
    int n = b.length();
    outer:
    for (int i = 0; i + TRADES.length < n; i++) {
      for (int k = 0; k < TRADES.length; k++) {
        if (b.getByte(i + k) != TRADES[k]) {
          continue outer;
        }
      }
      long v = 0;
      for (int j = i + TRADES.length; j < n; j++) {
        byte c = b.getByte(j);
        if (c < '0' || c > '9') {
          return v;
        }
        v = v * 10 + (c - '0');
      }
      return v;
    }
    return -1;
  }

  private static String call(HttpClient client, int port, String uri) throws Exception {
    return client
        .request(HttpMethod.GET, port, "127.0.0.1", uri)
        .compose(req -> req.send().compose(r -> r.body()))
        .map(Buffer::toString)
        .await(120, TimeUnit.SECONDS);
  }
}
