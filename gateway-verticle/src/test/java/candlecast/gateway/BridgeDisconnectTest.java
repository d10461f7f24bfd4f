package candlecast.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.vertx.core.Vertx;
import io.vertx.core.VertxException;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClosedException;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.NetSocket;
import io.vertx.junit5.VertxExtension;
import java.io.IOException;
import java.nio.channels.ClosedChannelException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.slf4j.LoggerFactory;

/**
 * A SockJS client that leaves without a WebSocket close frame (tab closed, network lost, process
 * exited) is a normal disconnect: its session and registrations are released and nothing is logged
 * at ERROR (vertx-web's bridge logged "SockJSSocket exception" with an HttpClosedException for it).
 */
@ExtendWith(VertxExtension.class)
class BridgeDisconnectTest extends GatewayTestBase {
  private final ListAppender<ILoggingEvent> logged = new ListAppender<>();
  private final Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);

  @BeforeEach
  void captureLogs() {
    logged.start();
    root.addAppender(logged);
  }

  @AfterEach
  void stopCapturing() {
    root.detachAppender(logged);
  }

  @ParameterizedTest
  // the raw WebSocket transport (bridge JSON as it is) and SockJS' session WebSocket (JSON arrays
  // of strings)
  @ValueSource(strings = {"/eventbus/websocket", "/eventbus/000/leaver/websocket"})
  void aClientThatJustLeavesIsReleasedWithoutAnErrorLogLine(String uri, Vertx vertx)
      throws Exception {
    start(vertx, c -> c);
    NetSocket tcp = Await.await(vertx.createNetClient().connect(port, "127.0.0.1"));
    List<String> received = new CopyOnWriteArrayList<>();
    tcp.handler(b -> received.add(b.toString(StandardCharsets.ISO_8859_1)));
    tcp.write(
        "GET "
            + uri
            + " HTTP/1.1\r\nHost: 127.0.0.1:"
            + port
            + "\r\nUpgrade: websocket\r\n"
            + "Connection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n");
    await().atMost(Duration.ofSeconds(10)).until(() -> String.join("", received).contains(" 101 "));
    String register =
        new JsonObject().put("type", "register").put("address", "candles.BTCUSD.1s").encode();
    tcp.write(
        textFrame(
            uri.endsWith("/eventbus/websocket") ? register : "[" + Json.encode(register) + "]"));
    await().atMost(Duration.ofSeconds(10)).until(() -> sockJs("candles.BTCUSD.1s") == 1);
    assertThat(gateway.sockJsSessions()).isEqualTo(1);

    Await.await(tcp.close()); // no close frame: the client just goes away
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> gateway.sockJsSessions() == 0 && sockJs("candles.BTCUSD.1s") == 0);
    assertThat(logged.list)
        .filteredOn(e -> e.getLevel().isGreaterOrEqual(Level.ERROR))
        .extracting(ILoggingEvent::getFormattedMessage)
        .as("ERROR log lines")
        .isEmpty();
  }

  @Test
  void aDisconnectIsAClosedOrResetConnectionAndNothingElse() {
    assertThat(BridgeSocketErrors.isDisconnect(new HttpClosedException("Connection was closed")))
        .isTrue();
    assertThat(BridgeSocketErrors.isDisconnect(new IOException("Connection reset by peer")))
        .isTrue();
    assertThat(BridgeSocketErrors.isDisconnect(new ClosedChannelException())).isTrue();
    assertThat(BridgeSocketErrors.isDisconnect(new VertxException("bad frame"))).isFalse();
    assertThat(BridgeSocketErrors.isDisconnect(new IllegalStateException("bug"))).isFalse();
  }

  /** The node's SockJS registrations of an address (0 when none). */
  private int sockJs(String address) throws Exception {
    JsonObject series = get("/connections").bodyAsJsonObject().getJsonObject("series");
    JsonObject s = series.getJsonObject(address);
    return s == null ? 0 : s.getInteger("sockjs", 0);
  }

  /** One masked text frame (client to server), payload under 126 bytes. */
  private static Buffer textFrame(String text) {
    byte[] payload = text.getBytes(StandardCharsets.UTF_8);
    assertThat(payload.length).isLessThan(126);
    // mask key 0: the masked payload is the payload
    return Buffer.buffer()
        .appendByte((byte) 0x81)
        .appendByte((byte) (0x80 | payload.length))
        .appendInt(0)
        .appendBytes(payload);
  }
}
