package candlecast.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import candlecast.common.Timeframe;
import candlecast.common.config.Settings;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.WebSocketFrame;
import io.vertx.core.http.WebSocketFrameType;
import io.vertx.core.http.impl.ws.WebSocketFrameImpl;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.NetSocket;
import io.vertx.junit5.VertxExtension;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * At least 10,000 random, truncated, oversized, binary and malformed frames from several
 * connections while well-behaved clients stream a series on the same node: the server never fails,
 * every bad frame gets an error (or a reply, when chance made it a valid command) or a defined
 * close, and the well-behaved clients get every closed candle.
 */
@ExtendWith(VertxExtension.class)
class FuzzTest extends GatewayTestBase {
  private static final int FRAMES = 10_000;
  private static final int FUZZERS = 8;
  private static final Set<String> REPLY_TYPES =
      Set.of(
          "error",
          "subscription",
          "subscriptions",
          "snapshot",
          "pong",
          "heartbeat",
          "subscribed",
          "unsubscribed",
          "ticker");

  /**
   * 1009 too big (our check), 1007 invalid UTF-8, 1002 protocol error; transport violations drop
   * the connection.
   */
  private static final Set<Integer> DEFINED_CLOSES = Set.of(1009, 1007, 1002, 1006);

  @Test
  void fuzzedFramesNeverHurtTheServerOrOtherClients(Vertx vertx) throws Exception {
    start(
        vertx,
        c ->
            c.with(Settings.GATEWAY_MESSAGES_PER_SECOND, 1e6)
                .with(Settings.GATEWAY_MESSAGES_BURST, 1_000_000)
                .with(Settings.GATEWAY_CONNECTIONS_PER_SECOND, 1e4)
                .with(Settings.GATEWAY_CONNECTIONS_BURST, 10_000)
                .with(Settings.GATEWAY_SNAPSHOT_SIZE, 5));
    // well-behaved clients
    List<WsProbe> good = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      WsProbe p = connect();
      p.send(
          new JsonObject()
              .put("type", "subscribe")
              .put("symbol", "BTCUSD")
              .put("tf", "1s")
              .encode());
      p.nextOfType("snapshot");
      good.add(p);
    }
    List<Set<Long>> goodClosed = new ArrayList<>();
    for (int i = 0; i < good.size(); i++) {
      goodClosed.add(Collections.newSetFromMap(new ConcurrentHashMap<>()));
    }
    AtomicLong published = new AtomicLong();
    long timer =
        vertx.setPeriodic(
            3,
            id -> {
              long n = published.getAndIncrement();
              agg.publish(candle("BTCUSD", Timeframe.S1, T0 + n * 1000, 1, true));
            });
    ExecutorService readers = Executors.newFixedThreadPool(good.size());
    AtomicInteger stopReaders = new AtomicInteger();
    List<Future<?>> reading = new ArrayList<>();
    for (int i = 0; i < good.size(); i++) {
      WsProbe p = good.get(i);
      Set<Long> seen = goodClosed.get(i);
      reading.add(
          readers.submit(
              () -> {
                while (stopReaders.get() == 0 || !p.texts.isEmpty()) {
                  String t = p.texts.poll(100, TimeUnit.MILLISECONDS);
                  if (t != null) {
                    JsonObject j = new JsonObject(t);
                    if ("candle".equals(j.getString("type")) && j.getBoolean("closed")) {
                      assertThat(seen.add(j.getLong("t"))).as("duplicate").isTrue();
                    }
                  }
                }
                return null;
              }));
    }

    Map<String, AtomicInteger> outcomes = new ConcurrentHashMap<>();
    ExecutorService pool = Executors.newFixedThreadPool(FUZZERS);
    List<Future<?>> runs = new ArrayList<>();
    for (int f = 0; f < FUZZERS; f++) {
      long seed = 1000L + f;
      runs.add(
          pool.submit(
              () -> {
                fuzz(new Random(seed), FRAMES / FUZZERS, outcomes);
                return null;
              }));
    }
    for (Future<?> r : runs) {
      r.get(120, TimeUnit.SECONDS);
    }
    pool.shutdown();
    int raw = rawGarbage(new Random(7), 20);

    vertx.cancelTimer(timer);
    agg.sync();
    long total = published.get();
    await()
        .atMost(Duration.ofSeconds(10))
        .until(
            () ->
                goodClosed.stream()
                    .allMatch(s -> s.size() >= 1 && s.contains(T0 + (total - 1) * 1000)));
    stopReaders.set(1);
    readers.shutdown();
    assertThat(readers.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
    for (Future<?> r : reading) {
      r.get(); // a reader's failed assertion fails the test
    }
    for (Set<Long> seen : goodClosed) {
      TreeSet<Long> sorted = new TreeSet<>(seen);
      long first = sorted.first();
      assertThat(sorted.size())
          .as("every closed candle from the first one on")
          .isEqualTo((int) ((sorted.last() - first) / 1000 + 1));
      assertThat(sorted.last()).isEqualTo(T0 + (total - 1) * 1000);
    }
    int sent = outcomes.values().stream().mapToInt(AtomicInteger::get).sum();
    assertThat(sent).isGreaterThanOrEqualTo(FRAMES);
    assertThat(outcomes.get("reply").get()).isGreaterThan(FRAMES / 2);
    assertThat(outcomes.getOrDefault("close", new AtomicInteger()).get()).isPositive();
    assertThat(raw).isEqualTo(20);
    assertThat(get("/health").statusCode()).isEqualTo(200);
    for (WsProbe p : good) {
      assertThat(p.ws.isClosed()).isFalse();
    }
  }

  /**
   * One fuzzer: sends frames one by one; after each, a marker ping proves what came back in
   * between.
   */
  private void fuzz(Random rnd, int frames, Map<String, AtomicInteger> outcomes) throws Exception {
    WsProbe ws = connect();
    for (int i = 0; i < frames; i++) {
      String marker = "m" + i;
      int expect = sendRandomFrame(rnd, ws);
      if (!ws.closed.isDone()) {
        ws.ws.writeTextMessage(new JsonObject().put("type", "ping").put("id", marker).encode());
      }
      boolean replied = false;
      while (true) {
        String t = ws.nextOrClose(10);
        if (t == null) {
          Short code = ws.closed.get();
          int c = code == null ? 1006 : code;
          assertThat(DEFINED_CLOSES).as("close code " + c).contains(c);
          outcomes.computeIfAbsent("close", k -> new AtomicInteger()).incrementAndGet();
          ws = connect();
          break;
        }
        JsonObject j = new JsonObject(t); // every frame the server sends is JSON
        String type = j.getString("type");
        if ("pong".equals(type) && marker.equals(j.getValue("id"))) {
          assertThat(replied).as("frame " + i + " got an answer before the marker").isTrue();
          assertThat(expect)
              .as("frame " + i + " should have closed the connection")
              .isNotEqualTo(MUST_CLOSE);
          outcomes.computeIfAbsent("reply", k -> new AtomicInteger()).incrementAndGet();
          break;
        }
        if (REPLY_TYPES.contains(type)) {
          replied = true;
        }
      }
    }
    Await.await(ws.ws.close());
  }

  private static final int REPLY = 0;
  private static final int MUST_CLOSE = 1;

  /**
   * Invalid UTF-8: the transport may close (1007), or the text decodes with replacement characters
   * (an error).
   */
  private static final int REPLY_OR_CLOSE = 2;

  /** Sends one random frame; returns what must follow. */
  private static int sendRandomFrame(Random rnd, WsProbe ws) {
    int kind = rnd.nextInt(100);
    if (kind < 20) { // random text
      ws.ws.writeTextMessage(randomText(rnd, rnd.nextInt(200)));
    } else if (kind < 40) { // truncated valid commands
      String cmd = validCommand(rnd);
      ws.ws.writeTextMessage(cmd.substring(0, Math.max(1, rnd.nextInt(cmd.length()))));
    } else if (kind < 55) { // binary
      byte[] b = new byte[rnd.nextInt(300)];
      rnd.nextBytes(b);
      ws.ws.writeBinaryMessage(Buffer.buffer(b));
    } else if (kind < 70) { // JSON with wrong types and values
      ws.ws.writeTextMessage(randomJsonCommand(rnd));
    } else if (kind < 85) { // valid commands
      ws.ws.writeTextMessage(validCommand(rnd));
    } else if (kind < 90) { // fragmented valid command
      String cmd = validCommand(rnd);
      int cut = 1 + rnd.nextInt(cmd.length() - 1);
      ws.ws.writeFrame(WebSocketFrame.textFrame(cmd.substring(0, cut), false));
      ws.ws.writeFrame(WebSocketFrame.continuationFrame(Buffer.buffer(cmd.substring(cut)), true));
    } else if (kind < 96) { // oversized
      ws.ws.writeTextMessage(
          "{\"type\":\"ping\",\"pad\":\"" + "x".repeat(4096 + rnd.nextInt(20_000)) + "\"}");
      return MUST_CLOSE;
    } else { // invalid UTF-8 in a text frame
      byte[] b = {'{', (byte) 0xC3, (byte) 0x28, (byte) 0xFF, '}'};
      ws.ws.writeFrame(
          new WebSocketFrameImpl(WebSocketFrameType.TEXT, Buffer.buffer(b).getBytes(), true));
      return REPLY_OR_CLOSE;
    }
    return REPLY;
  }

  private static String validCommand(Random rnd) {
    String[] symbols = {"BTCUSD", "ETHUSD", "XRPUSD", "btcusd"};
    String[] tfs = {"1s", "1m", "5m", "1h"};
    String sym = symbols[rnd.nextInt(symbols.length)];
    String tf = tfs[rnd.nextInt(tfs.length)];
    return switch (rnd.nextInt(9)) {
      case 0 -> "sub-" + tf + ":" + sym;
      case 1 -> "unsub-" + tf + ":" + sym;
      case 2 -> "unsub";
      case 3 ->
          new JsonObject()
              .put("type", "subscribe")
              .put("symbol", sym)
              .put("tf", tf)
              .put("id", rnd.nextInt())
              .encode();
      case 4 ->
          new JsonObject().put("type", "unsubscribe").put("symbol", sym).put("tf", tf).encode();
      case 5 -> "{\"type\":\"list\"}";
      case 6 -> "{\"type\":\"heartbeat\",\"id\":\"h\"}";
      case 7 ->
          new JsonObject()
              .put("type", "subscribe")
              .put("channel", "ticker")
              .put("symbol", sym)
              .encode();
      default -> "{\"type\":\"ping\",\"id\":1}";
    };
  }

  private static String randomJsonCommand(Random rnd) {
    Object[] values = {
      null,
      1,
      -1,
      1.5,
      "",
      "x",
      true,
      new JsonArray().add(1),
      new JsonObject().put("a", 1),
      "subscribe",
      "unsubscribe",
      "ticker",
      "BTCUSD",
      "1m",
      Long.MAX_VALUE,
      "9".repeat(40)
    };
    String[] keys = {"type", "symbol", "tf", "id", "since", "throttleMs", "channel", "all"};
    JsonObject j = new JsonObject();
    int n = rnd.nextInt(6);
    for (int i = 0; i < n; i++) {
      j.put(keys[rnd.nextInt(keys.length)], values[rnd.nextInt(values.length)]);
    }
    return j.encode();
  }

  private static String randomText(Random rnd, int len) {
    StringBuilder sb = new StringBuilder(len);
    String alphabet = "{}[]\":,subunsb-1m5sh:BTCUSD \u00e9\u20ac\ud83d\ude00\n\t\\0";
    for (int i = 0; i < len; i++) {
      sb.append(alphabet.charAt(rnd.nextInt(alphabet.length())));
    }
    // never split a surrogate pair
    String s = sb.toString();
    return new String(s.getBytes(StandardCharsets.UTF_8), StandardCharsets.UTF_8);
  }

  /**
   * Raw TCP: a handshake then random bytes (malformed frames); the server must drop each
   * connection.
   */
  private int rawGarbage(Random rnd, int connections) throws Exception {
    int closedByServer = 0;
    for (int i = 0; i < connections; i++) {
      NetSocket s = Await.await(vertx.createNetClient().connect(port, "127.0.0.1"));
      CompletableFuture<Void> closed = new CompletableFuture<>();
      s.closeHandler(v -> closed.complete(null));
      s.handler(b -> {});
      s.write(
          """
          GET /ws HTTP/1.1\r
          Host: 127.0.0.1\r
          Upgrade: websocket\r
          Connection: Upgrade\r
          Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r
          Sec-WebSocket-Version: 13\r
          \r
          """);
      byte[] junk = new byte[64 + rnd.nextInt(4096)];
      rnd.nextBytes(junk);
      junk[0] =
          (byte) (0x70 | rnd.nextInt(16)); // reserved bits set: a protocol error whatever follows
      s.write(Buffer.buffer(junk));
      try {
        closed.get(10, TimeUnit.SECONDS);
        closedByServer++;
      } catch (java.util.concurrent.TimeoutException e) {
        s.close();
      }
    }
    return closedByServer;
  }
}
