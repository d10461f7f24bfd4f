package candlecast.bench.fanout;

import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.JsonObject;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * The fan-out load generator (a JVM of its own): holds N WebSocket connections spread over several
 * 127.0.0.x source addresses, subscribes each to one series, and for every candle frame received
 * records receipt − the send time the server's feeder embedded (epoch µs in the {@code "trades"}
 * field) into one HdrHistogram {@link Recorder} (µs, three significant digits, auto-resizing; safe
 * for the event-loop threads that record into it).
 *
 * <p>Protocols: {@code ws} (Candlecast's raw text protocol: {@code sub-1s:BTCUSD}, also spoken by
 * the Node ws peer) and {@code socketio} (Engine.IO v4 / Socket.IO v5 framing over a plain
 * WebSocket, the same bytes the official client sends on its WebSocket transport: {@code 40} to
 * join the namespace, {@code 42["sub","sub-1s:BTCUSD"]}, answers pings with {@code 3}).
 *
 * <p>Driven over stdin, answers one JSON line prefixed {@code LOADGEN } per command: {@code
 * connect}, {@code measure <seconds>}, {@code quiet <ms> <timeout s>} (wait until no frame arrived
 * for that long), {@code quit}.
 */
public final class LoadGen {
  private final Vertx vertx;
  private final List<WebSocketClient> clients = new ArrayList<>();
  private final String host;
  private final int port;
  private final String path;
  private final boolean socketIo;
  private final String command;
  private final Recorder latency = new Recorder(3);
  private final AtomicInteger subscribed = new AtomicInteger();
  private final AtomicInteger failed = new AtomicInteger();
  private final AtomicInteger closed = new AtomicInteger();
  private final AtomicLong frames = new AtomicLong();
  private final AtomicLong items = new AtomicLong(); // trades (or books) received in the frames
  private final AtomicLong wireBytes = new AtomicLong(); // WebSocket frame header + payload
  private final List<WebSocket> sockets = new CopyOnWriteArrayList<>();
  private volatile String lastFailure;
  private volatile long lastFrameNanos = System.nanoTime();

  LoadGen(String host, int port, String path, String protocol, String command, int sources) {
    this.vertx =
        Vertx.vertx(
            new VertxOptions()
                .setEventLoopPoolSize(Math.max(2, Runtime.getRuntime().availableProcessors())));
    this.host = host;
    this.port = port;
    this.socketIo = protocol.equals("socketio");
    this.path = socketIo ? "/socket.io/?EIO=4&transport=websocket" : path;
    this.command = command;
    for (int s = 0; s < sources; s++) {
      clients.add(
          vertx.createWebSocketClient(
              new WebSocketClientOptions()
                  .setLocalAddress("127.0.0." + (2 + s))
                  .setMaxConnections(1_000_000)
                  .setConnectTimeout(60_000)
                  .setMaxFrameSize(1 << 16)
                  .setMaxMessageSize(1 << 20)));
    }
  }

  public static void main(String[] args) throws Exception {
    String host = "127.0.0.1";
    int port = 8091;
    String path = "/ws";
    String protocol = "ws";
    String command = "sub-1s:BTCUSD";
    int connections = 10_000;
    int sources = 4;
    for (int i = 0; i + 1 < args.length; i += 2) {
      switch (args[i]) {
        case "--host" -> host = args[i + 1];
        case "--port" -> port = Integer.parseInt(args[i + 1]);
        case "--path" -> path = args[i + 1];
        case "--protocol" -> protocol = args[i + 1];
        case "--command" -> command = args[i + 1];
        case "--connections" -> connections = Integer.parseInt(args[i + 1]);
        case "--sources" -> sources = Integer.parseInt(args[i + 1]);
        default -> throw new IllegalArgumentException("unknown option " + args[i]);
      }
    }
    LoadGen g = new LoadGen(host, port, path, protocol, command, sources);
    BufferedReader in =
        new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
    String line;
    while ((line = in.readLine()) != null) {
      String[] cmd = line.trim().split("\\s+", -1);
      switch (cmd[0]) {
        case "connect" -> say(g.connect(connections));
        case "measure" -> say(g.measure(Double.parseDouble(cmd[1])));
        case "quiet" -> say(g.quiet(Long.parseLong(cmd[1]), Long.parseLong(cmd[2])));
        case "quit" -> {
          g.vertx.close().await(10, TimeUnit.SECONDS);
          System.exit(0);
        }
        default -> say(new JsonObject().put("error", "unknown command " + line));
      }
    }
    System.exit(0);
  }

  static void say(JsonObject o) {
    System.out.println("LOADGEN " + o.encode());
    System.out.flush();
  }

  JsonObject connect(int n) throws InterruptedException {
    long t0 = System.nanoTime();
    CountDownLatch done = new CountDownLatch(n);
    AtomicInteger next = new AtomicInteger();
    int inFlight = Math.min(n, 200);
    Context ctx = vertx.getOrCreateContext();
    Runnable[] launch = new Runnable[1];
    launch[0] =
        () -> {
          int i = next.getAndIncrement();
          if (i >= n) {
            return;
          }
          open(
              i,
              () -> {
                done.countDown();
                ctx.runOnContext(v -> launch[0].run());
              });
        };
    for (int i = 0; i < inFlight; i++) {
      ctx.runOnContext(v -> launch[0].run());
    }
    boolean all = done.await(300, TimeUnit.SECONDS);
    return new JsonObject()
        .put("event", "connected")
        .put("requested", n)
        .put("subscribed", subscribed.get())
        .put("failed", failed.get())
        .put("complete", all)
        .put("lastFailure", lastFailure)
        .put("seconds", (System.nanoTime() - t0) / 1e9);
  }

  /** Opens connection i; {@code ready} runs once it is subscribed or has failed. */
  private void open(int i, Runnable ready) {
    WebSocketClient client = clients.get(i % clients.size());
    boolean[] signalled = {false};
    Runnable once =
        () -> {
          if (!signalled[0]) {
            signalled[0] = true;
            ready.run();
          }
        };
    client
        .connect(
            new WebSocketConnectOptions()
                .setHost(host)
                .setPort(port)
                .setURI(path)
                .setTimeout(60_000))
        .onFailure(
            e -> {
              failed.incrementAndGet();
              lastFailure = e.toString();
              once.run();
            })
        .onSuccess(
            ws -> {
              sockets.add(ws);
              ws.closeHandler(v -> closed.incrementAndGet());
              ws.exceptionHandler(e -> lastFailure = e.toString());
              ws.textMessageHandler(text -> onText(ws, text, once));
              if (!socketIo) {
                ws.writeTextMessage(command);
              }
            });
  }

  private void onText(WebSocket ws, String text, Runnable ready) {
    long now = micros();
    if (socketIo) {
      if (text.equals("2")) {
        ws.writeTextMessage("3"); // Engine.IO pong
        return;
      }
      if (text.startsWith("0{")) {
        ws.writeTextMessage("40"); // join the default namespace
        return;
      }
      if (text.startsWith("40")) {
        ws.writeTextMessage("42[\"sub\",\"" + command + "\"]");
        return;
      }
    }
    if (text.startsWith("{\"type\":\"trades\"") || text.startsWith("{\"type\":\"book\"")) {
      onTapeFrame(text, now);
      return;
    }
    if (text.contains("candle\"") && !text.contains("subscribed")) {
      long stamp = stamp(text);
      if (stamp > 0) {
        latency.recordValue(Math.max(0, now - stamp));
        frames.incrementAndGet();
        lastFrameNanos = System.nanoTime();
      }
      return;
    }
    if (text.contains("\"subscribed\"")) {
      subscribed.incrementAndGet();
      ready.run();
    } else if (text.contains("\"error\"")) {
      failed.incrementAndGet();
      lastFailure = text;
      ready.run();
    }
  }

  /**
   * A trades frame (every trade's id is its send time in epoch µs × 100 + its index; one latency
   * per trade) or a book frame (its seq is its send time in epoch µs).
   */
  private void onTapeFrame(String text, long now) {
    boolean book = text.startsWith("{\"type\":\"book\"");
    int count = book ? 1 : countOf(text, "{\"id\":");
    long stamp = book ? digitsAfter(text, "\"seq\"") : digitsAfter(text, "{\"id\":") / 100;
    if (stamp <= 0 || count == 0) {
      return;
    }
    latency.recordValueWithCount(Math.max(0, now - stamp), count);
    frames.incrementAndGet();
    items.addAndGet(count);
    int len = text.length(); // ASCII: characters = bytes
    wireBytes.addAndGet(len + (len < 126 ? 2 : len < 65_536 ? 4 : 10));
    lastFrameNanos = System.nanoTime();
  }

  static int countOf(String text, String what) {
    int n = 0;
    for (int i = text.indexOf(what); i >= 0; i = text.indexOf(what, i + what.length())) {
      n++;
    }
    return n;
  }

  /** The digits after the first {@code key}; -1 when absent. */
  static long digitsAfter(String text, String key) {
    int at = text.indexOf(key);
    if (at < 0) {
      return -1;
    }
    long v = 0;
    for (int i = at + key.length(); i < text.length(); i++) {
      char c = text.charAt(i);
      if (Character.isDigit(c)) {
        v = v * 10 + (c - '0');
      } else if (c != ':') {
        break;
      }
    }
    return v;
  }

  /** The digits after the {@code trades} key (works inside Socket.IO's escaped string too). */
  static long stamp(String text) {
    int at = text.indexOf("trades");
    if (at < 0) {
      return -1;
    }
    int i = at + 6;
    int n = text.length();
    while (i < n && !Character.isDigit(text.charAt(i))) {
      i++;
    }
    long v = 0;
    while (i < n && Character.isDigit(text.charAt(i))) {
      v = v * 10 + (text.charAt(i) - '0');
      i++;
    }
    return v;
  }

  JsonObject measure(double seconds) throws InterruptedException {
    latency.reset(); // the interval starts now
    long frames0 = frames.get();
    long items0 = items.get();
    long bytes0 = wireBytes.get();
    int closedBefore = closed.get();
    long t0 = System.nanoTime();
    Thread.sleep((long) (seconds * 1000));
    Histogram h = latency.getIntervalHistogram();
    double secs = (System.nanoTime() - t0) / 1e9;
    long n = h.getTotalCount();
    return new JsonObject()
        .put("event", "measured")
        .put("seconds", secs)
        .put("deliveries", n)
        .put("deliveriesPerSec", n / secs)
        .put("p50Ms", ms(h, 50))
        .put("p90Ms", ms(h, 90))
        .put("p99Ms", ms(h, 99))
        .put("p999Ms", ms(h, 99.9))
        .put("maxMs", h.getMaxValue() / 1000.0)
        .put("frames", frames.get() - frames0)
        .put("items", items.get() - items0)
        .put("wireBytes", wireBytes.get() - bytes0)
        .put("closedDuring", closed.get() - closedBefore)
        .put("open", sockets.size() - closed.get());
  }

  /** The p-th percentile of a histogram in µs, in ms. */
  static double ms(Histogram h, double p) {
    return h.getValueAtPercentile(p) / 1000.0;
  }

  /**
   * Waits until no candle frame arrived for {@code quietMs} (the server has drained its backlog),
   * at most timeoutS.
   */
  JsonObject quiet(long quietMs, long timeoutS) throws InterruptedException {
    long t0 = System.nanoTime();
    long deadline = t0 + timeoutS * 1_000_000_000L;
    while (System.nanoTime() - lastFrameNanos < quietMs * 1_000_000L
        && System.nanoTime() < deadline) {
      Thread.sleep(50);
    }
    boolean drained = System.nanoTime() - lastFrameNanos >= quietMs * 1_000_000L;
    return new JsonObject()
        .put("event", "quiet")
        .put("drained", drained)
        .put("seconds", (System.nanoTime() - t0) / 1e9);
  }

  static long micros() {
    Instant i = Instant.now();
    return i.getEpochSecond() * 1_000_000L + i.getNano() / 1000;
  }
}
