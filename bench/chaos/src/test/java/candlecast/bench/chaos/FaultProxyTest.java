package candlecast.bench.chaos;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The fault proxy over real loopback sockets: forwards, goes silent when cut, resumes on heal. */
class FaultProxyTest {
  private final Vertx vertx = Vertx.vertx();

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

  @Test
  void cutSilencesBothDirectionsAndHealDeliversWhatWaited() throws Exception {
    NetServer echo =
        vertx
            .createNetServer()
            .connectHandler(s -> s.handler(b -> s.write(Buffer.buffer("echo:").appendBuffer(b))));
    int target = await(echo.listen(0, "127.0.0.1")).actualPort();
    FaultProxy proxy = new FaultProxy(vertx, freePort(), "127.0.0.1", target);
    await(proxy.start());
    AtomicReference<String> got = new AtomicReference<>("");
    NetSocket s = await(vertx.createNetClient().connect(proxy.port(), "127.0.0.1"));
    s.handler(b -> got.updateAndGet(x -> x + b));
    await(s.write("a"));
    Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> got.get().equals("echo:a"));
    await(proxy.cut());
    await(s.write("b"));
    // a cut link is silent: nothing arrives while it lasts
    Awaitility.await()
        .during(Duration.ofMillis(700))
        .atMost(Duration.ofSeconds(3))
        .until(() -> got.get().equals("echo:a"));
    assertThat(s.isSsl()).isFalse();
    await(proxy.heal());
    Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> got.get().equals("echo:aecho:b"));
    await(proxy.close());
  }
}
