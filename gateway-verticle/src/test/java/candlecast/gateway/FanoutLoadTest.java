package candlecast.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import candlecast.common.Candle;
import candlecast.common.Timeframe;
import candlecast.common.config.Settings;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Many clients on one node: everybody gets every closed candle; clients that stop reading cost
 * bounded memory.
 */
@ExtendWith(VertxExtension.class)
class FanoutLoadTest extends GatewayTestBase {

  /**
   * {@code instances} 2: as nodes deploy the gateway (one per core), each instance with its own
   * series consumers.
   */
  @ParameterizedTest
  @ValueSource(ints = {1, 2})
  void thousandClientsEachReceiveEveryClosedCandle(int instances, Vertx vertx) throws Exception {
    start(vertx, c -> c.with(Settings.GATEWAY_CONNECTIONS_BURST, 10_000), instances);
    int clients = 1000;
    int candles = 100;
    AtomicInteger[] got = new AtomicInteger[clients];
    AtomicLong[] lastT = new AtomicLong[clients];
    AtomicInteger outOfOrder = new AtomicInteger();
    List<Future<WebSocket>> all = new ArrayList<>();
    for (int i = 0; i < clients; i++) {
      int k = i;
      got[k] = new AtomicInteger();
      lastT[k] = new AtomicLong(Long.MIN_VALUE);
      all.add(
          wsClient
              .connect(port, "127.0.0.1", "/ws")
              .map(
                  ws -> {
                    ws.textMessageHandler(
                        t -> {
                          JsonObject j = new JsonObject(t);
                          if ("candle".equals(j.getString("type")) && j.getBoolean("closed")) {
                            if (j.getLong("t") <= lastT[k].getAndSet(j.getLong("t"))) {
                              outOfOrder.incrementAndGet();
                            }
                            got[k].incrementAndGet();
                          }
                        });
                    ws.writeTextMessage("sub-1s");
                    return ws;
                  }));
      if (all.size() % 100 == 0) {
        Await.await(Future.all(all.subList(all.size() - 100, all.size())));
      }
    }
    // node-wide count (with two instances each hub holds its own share of the clients)
    await()
        .atMost(Duration.ofSeconds(20))
        .until(
            () ->
                get("/connections")
                        .bodyAsJsonObject()
                        .getJsonObject("series")
                        .getJsonObject("candles.BTCUSD.1s", new io.vertx.core.json.JsonObject())
                        .getInteger("websocket", 0)
                    == clients);
    if (instances == 1) {
      assertThat(gateway.hub().subscribers(new SeriesKey("BTCUSD", Timeframe.S1)))
          .isEqualTo(clients);
      assertThat(gateway.hub().consumersRegistered()).isEqualTo(1);
    }
    for (int n = 0; n < candles; n++) {
      agg.publish(candle("BTCUSD", Timeframe.S1, T0 + n * 1000L, 1, false));
      agg.publish(candle("BTCUSD", Timeframe.S1, T0 + n * 1000L, 2, true));
      if (n % 10 == 9) {
        agg.sync();
      }
    }
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> Arrays.stream(got).allMatch(a -> a.get() == candles));
    assertThat(outOfOrder.get()).isZero();
    assertThat(gateway.metrics().updatesDropped.sum()).isZero();
    if (instances == 1) {
      assertThat(gateway.hub().deliveredUpdates()).isEqualTo(2L * candles * clients);
    } else {
      assertThat(gateway.hub().subscribers(new SeriesKey("BTCUSD", Timeframe.S1)))
          .as("the first instance served a share of the clients, not all")
          .isBetween(1, clients - 1);
    }
  }

  @Test
  void clientsThatStopReadingLeaveHeapBoundedAndOthersLatencyUnchanged(Vertx vertx)
      throws Exception {
    start(
        vertx,
        c ->
            c.with(Settings.GATEWAY_CONNECTIONS_BURST, 10_000)
                .with(Settings.GATEWAY_SEND_BUFFER_BYTES, 16 * 1024)
                .with(
                    Settings.GATEWAY_SLOW_CLIENT_MS,
                    600_000L)); // keep the stalled clients: memory must stay bounded
    ConcurrentLinkedQueue<Long> latenciesUs = new ConcurrentLinkedQueue<>();
    AtomicLong recording = new AtomicLong();
    int normal = 50;
    for (int i = 0; i < normal; i++) {
      Await.await(
          wsClient
              .connect(port, "127.0.0.1", "/ws")
              .map(
                  ws -> {
                    ws.textMessageHandler(
                        t -> {
                          if (recording.get() == 1 && t.startsWith("{\"type\":\"candle\"")) {
                            int at = t.indexOf("\"trades\":") + 9;
                            long sentUs = Long.parseLong(t.substring(at, t.indexOf(',', at)));
                            latenciesUs.add(System.nanoTime() / 1000 - sentUs);
                          }
                        });
                    ws.writeTextMessage("sub-1s");
                    return ws;
                  }));
    }
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> gateway.hub().subscribers(new SeriesKey("BTCUSD", Timeframe.S1)) == normal);

    measure(latenciesUs, recording, 1_000); // warm-up (JIT)
    long[] before = best(latenciesUs, recording);
    // 100 clients that subscribe and then stop reading, with small socket buffers so they fill up
    // quickly
    WebSocketClient stalledClient =
        vertx.createWebSocketClient(
            new WebSocketClientOptions().setReceiveBufferSize(4096).setMaxConnections(1000));
    List<WebSocket> stalled = new ArrayList<>();
    for (int i = 0; i < 100; i++) {
      WebSocket ws =
          Await.await(
              stalledClient.connect(
                  new WebSocketConnectOptions().setPort(port).setHost("127.0.0.1").setURI("/ws")));
      ws.writeTextMessage("sub-1s");
      stalled.add(ws);
    }
    await()
        .atMost(Duration.ofSeconds(10))
        .until(
            () -> gateway.hub().subscribers(new SeriesKey("BTCUSD", Timeframe.S1)) == normal + 100);
    stalled.forEach(WebSocket::pause);
    // fill them up, then measure the heap after N and after 4N more updates: it must not grow with
    // the updates
    int published = 0;
    while (gateway.metrics().updatesDropped.sum() < 100 * 10 && published < 200_000) {
      publish(1_000);
      published += 1_000;
    }
    assertThat(gateway.metrics().updatesDropped.sum())
        .as("the stalled clients are congested")
        .isGreaterThan(1000);
    long heap1 = usedHeapAfterGc();
    // latency of the others while 100 congested clients are on the node (each update is parked 100
    // times)
    long[] after = best(latenciesUs, recording);
    publish(Math.max(12_000, 4 * published));
    long heap2 = usedHeapAfterGc();

    assertThat(heap2 - heap1)
        .as("heap growth while 100 clients do not read (bytes)")
        .isLessThan(16L << 20);
    assertThat(gateway.metrics().slowClientCloses.sum()).isZero();
    assertThat(stalled).allMatch(ws -> !ws.isClosed());
    // with 100 stalled clients on the node, the others' latency stays within the noise of this
    // shared machine
    assertThat(after[0])
        .as("p50 µs before %s after %s", Arrays.toString(before), Arrays.toString(after))
        .isLessThan(2 * before[0] + 5_000);
    assertThat(after[1])
        .as("p99 µs before %s after %s", Arrays.toString(before), Arrays.toString(after))
        .isLessThan(3 * before[1] + 20_000);
  }

  /** Publishes n updates in steps the gateway keeps up with (no event-bus backlog). */
  private void publish(int n) throws Exception {
    long target = gateway.hub().updatesReceived();
    for (int i = 0; i < n; i++) {
      agg.publish(stamped());
      target++;
      if (i % 200 == 199 || i == n - 1) {
        long t = target;
        await()
            .atMost(Duration.ofSeconds(20))
            .pollInterval(Duration.ofMillis(2))
            .until(() -> gateway.hub().updatesReceived() >= t);
      }
    }
  }

  /** An open 1s candle whose trade count is the send time in µs (System.nanoTime, same JVM). */
  private static Candle stamped() {
    long us = System.nanoTime() / 1000;
    return new Candle("BTCUSD", Timeframe.S1, T0, 100, 101, 99, 100.5, 1.0, us, false);
  }

  /** Publishes {@code n} stamped updates at about 1 per ms; returns {p50, p99} latency in µs. */
  private long[] measure(ConcurrentLinkedQueue<Long> sink, AtomicLong recording, int n)
      throws Exception {
    sink.clear();
    recording.set(1);
    for (int i = 0; i < n; i++) {
      agg.publish(stamped());
      if (i % 10 == 9) {
        Thread.sleep(20); // pacing of the load (500 updates/s), not a wait for a condition
      }
    }
    await().atMost(Duration.ofSeconds(20)).until(() -> sink.size() >= n * 50 * 0.99);
    recording.set(0);
    long[] all = sink.stream().mapToLong(Long::longValue).sorted().toArray();
    return new long[] {all[all.length / 2], all[(int) (all.length * 0.99)]};
  }

  /**
   * The best of three runs by p99: a GC pause or another process on this 2-core machine is not the
   * stalled clients' doing, while a cost they cause shows in every run.
   */
  private long[] best(ConcurrentLinkedQueue<Long> sink, AtomicLong recording) throws Exception {
    long[] best = null;
    for (int i = 0; i < 3; i++) {
      long[] r = measure(sink, recording, 1_000);
      if (best == null || r[1] < best[1]) {
        best = r;
      }
    }
    return best;
  }

  private static long usedHeapAfterGc() {
    for (int i = 0; i < 3; i++) {
      System.gc();
    }
    return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
  }
}
