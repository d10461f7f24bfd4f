package candlecast.bench.chaos;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A client whose link is cut goes silent-detecting, reconnects to the other gateway and resumes
 * with {@code since}; when the cut heals, whatever the old connection flushes is not counted: no
 * duplicate, no second value, no hole. Two fake gateways stream the same closed 1s candles (window
 * k has close k) and answer {@code since} exactly.
 */
class WsClientCutTest {
  private final Vertx vertx = Vertx.vertx();
  private final AtomicLong window = new AtomicLong(1);

  @AfterEach
  void close() throws Exception {
    vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  private static <T> T await(Future<T> f) throws Exception {
    return f.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  @SuppressWarnings("AddressSelection") // an IP literal
  private static int freePort() throws Exception {
    try (ServerSocket s = new ServerSocket()) {
      s.bind(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0));
      return s.getLocalPort();
    }
  }

  private static JsonObject candle(long k) {
    return new JsonObject()
        .put("t", k * 1000)
        .put("open", (double) k)
        .put("high", (double) k)
        .put("low", (double) k)
        .put("close", (double) k)
        .put("volume", 1.0)
        .put("trades", 1)
        .put("closed", true);
  }

  /** A gateway that streams window after window of BTCUSD 1s and resumes from since. */
  private int fakeGateway() throws Exception {
    HttpServer server = vertx.createHttpServer().webSocketHandler(this::serve);
    return await(server.listen(0, "127.0.0.1")).actualPort();
  }

  private void serve(ServerWebSocket ws) {
    long[] next = {-1};
    ws.textMessageHandler(
        text -> {
          JsonObject cmd = new JsonObject(text);
          if (!"BTCUSD".equals(cmd.getString("symbol")) || !"1s".equals(cmd.getString("tf"))) {
            return;
          }
          long now = window.get();
          long from = cmd.getLong("since", now * 1000) / 1000;
          JsonArray candles = new JsonArray();
          for (long k = from; k < now; k++) {
            candles.add(candle(k));
          }
          ws.writeTextMessage(
              new JsonObject()
                  .put("type", "snapshot")
                  .put("symbol", "BTCUSD")
                  .put("tf", "1s")
                  .put("recovered", cmd.containsKey("since"))
                  .put("candles", candles)
                  .encode());
          next[0] = now;
        });
    long timer =
        vertx.setPeriodic(
            100,
            t -> {
              while (next[0] >= 0 && next[0] < window.get()) {
                ws.writeTextMessage(
                    candle(next[0]++)
                        .put("type", "candle")
                        .put("symbol", "BTCUSD")
                        .put("tf", "1s")
                        .encode());
              }
            });
    ws.closeHandler(v -> vertx.cancelTimer(timer));
  }

  @Test
  void framesFlushedByAHealedCutAreNotCountedTwice() throws Exception {
    long ticker = vertx.setPeriodic(100, t -> window.incrementAndGet());
    FaultProxy a = new FaultProxy(vertx, freePort(), "127.0.0.1", fakeGateway());
    FaultProxy b = new FaultProxy(vertx, freePort(), "127.0.0.1", fakeGateway());
    await(a.start());
    await(b.start());
    GroundTruth gt = GroundTruth.generate(1, List.of("BTCUSD"), 1, 1, 0);
    WsClient c =
        new WsClient(
            "c", vertx, List.of(a.port(), b.port()), 0, List.of("BTCUSD"), new FleetRecord(gt));
    c.start();
    SeriesLog s = c.series.get("BTCUSD|1s");
    Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> s.closed.size() > 5);
    await(a.cut());
    // the client notices the silence and resumes on b
    Awaitility.await().atMost(Duration.ofSeconds(15)).until(() -> c.reconnects == 1);
    long resumedAt = s.closed.size();
    await(a.heal());
    Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> s.closed.size() > resumedAt + 10);
    vertx.cancelTimer(ticker);
    c.close();
    assertThat(s.duplicates).isEmpty();
    assertThat(s.twoValues).isEmpty();
    assertThat(s.holes).isEmpty();
  }
}
