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
}
