package candlecast.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import candlecast.common.config.Settings;
import io.vertx.core.Vertx;
import io.vertx.core.http.WebSocket;
import io.vertx.junit5.VertxExtension;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Every /ws connection gets Vert.x's direct outbound queue (~4.7 KiB less heap per idle client),
 * and what Vert.x itself still writes through it — pings, the answer to a client's close — keeps
 * working.
 */
@ExtendWith(VertxExtension.class)
class DirectOutboundTest extends GatewayTestBase {
  @Test
  void eachConnectionGetsTheDirectQueueAndVertxWritesStillFlow(Vertx vertx) throws Exception {
    start(
        vertx,
        c ->
            c.with(Settings.GATEWAY_PING_INTERVAL_MS, 200L)
                .with(Settings.GATEWAY_IDLE_TIMEOUT_MS, 5_000L));
    long before = DirectOutbound.installed();
    WsProbe probe = connect();
    assertThat(DirectOutbound.installed())
        .as("the queue of this connection was swapped")
        .isEqualTo(before + 1);
    assertThat(probe.command("sub-1s").getString("type")).isEqualTo("subscribed");

    AtomicInteger pings = new AtomicInteger();
    WebSocket quiet = WsProbe.countingPings(wsClient, port, pings);
    await()
        .atMost(Duration.ofSeconds(5))
        .until(() -> pings.get() >= 2); // Vert.x's ping frames reach the client
    assertThat(DirectOutbound.installed()).isEqualTo(before + 2);

    Await.await(quiet.close()); // the client closes; Vert.x answers with its close frame
    assertThat(quiet.closeStatusCode()).isNotNull();
    assertThat(probe.ws.isClosed()).isFalse();
  }

  /**
   * Issue 20: with the direct queue there is no writability hook of ours; Vert.x's drain handler
   * reports the drain. A client that stops reading until updates are parked, then reads again, gets
   * the newest update and stays connected.
   */
  @Test
  void aCongestedClientThatReadsAgainGetsTheNewestUpdate(Vertx vertx) throws Exception {
    start(
        vertx,
        c ->
            c.with(Settings.GATEWAY_SLOW_CLIENT_MS, 60_000L)
                .with(Settings.GATEWAY_WRITE_QUEUE_BYTES, 1024));
    WsProbe slow =
        WsProbe.connect(
            vertx.createWebSocketClient(
                new io.vertx.core.http.WebSocketClientOptions().setReceiveBufferSize(4096)),
            port);
    assertThat(slow.command("sub-1s").getString("type")).isEqualTo("subscribed");
    slow.ws.pause();
    AtomicInteger published = new AtomicInteger();
    await()
        .atMost(Duration.ofSeconds(30))
        .pollInterval(Duration.ofMillis(1))
        .until(
            () -> {
              for (int k = 0; k < 500; k++) {
                agg.publish(
                    candle(
                        "BTCUSD",
                        candlecast.common.Timeframe.S1,
                        T0,
                        published.incrementAndGet(),
                        false));
              }
              agg.sync();
              return gateway.metrics().updatesDropped.sum() > 0; // congested: updates parked
            });
    long newest = published.incrementAndGet();
    agg.publish(candle("BTCUSD", candlecast.common.Timeframe.S1, T0, newest, false));
    agg.sync();
    slow.ws.resume();
    await()
        .atMost(Duration.ofSeconds(10))
        .until(
            () -> {
              for (String t = slow.texts.poll(); t != null; t = slow.texts.poll()) {
                if (new io.vertx.core.json.JsonObject(t).getLong("trades", -1L) == newest) {
                  return true;
                }
              }
              return false;
            });
    assertThat(slow.ws.isClosed()).isFalse();
  }
}
