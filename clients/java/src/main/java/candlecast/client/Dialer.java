package candlecast.client;

import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.function.Consumer;

/**
 * Opens the sockets of a connection: the bearer token (asked for at each attempt), the handshake,
 * and what a failed one means.
 */
final class Dialer {
  private final ClientConfig cfg;
  private final HttpClient http;
  private final Executor loop;

  Dialer(ClientConfig cfg, HttpClient http, Executor loop) {
    this.cfg = cfg;
    this.http = http;
    this.loop = loop;
  }

  /**
   * Opens socket {@code gen} of {@code conn}; its events go to a {@link SocketListener}. When it
   * cannot be opened, {@code failed} gets the reason: at once when the token function throws, on
   * the loop when the handshake fails.
   */
  void dial(int gen, Connection conn, Consumer<CandlecastException> failed) {
    WebSocket.Builder b =
        http.newWebSocketBuilder().connectTimeout(Duration.ofMillis(cfg.requestTimeoutMs()));
    String token;
    try {
      token = cfg.token() == null ? null : cfg.token().get();
    } catch (RuntimeException e) {
      failed.accept(
          new CandlecastException(CandlecastException.UNAUTHORIZED, "token function failed", 0, e));
      return;
    }
    if (token != null && !token.isEmpty()) {
      b.header("Authorization", "Bearer " + token);
    }
    CompletableFuture<?> unused =
        b.buildAsync(cfg.endpoints().ws(), new SocketListener(gen, conn))
            .whenCompleteAsync(
                (socket, err) -> {
                  if (err != null) {
                    failed.accept(handshakeError(err));
                  }
                },
                loop);
  }

  /**
   * The error for a failed handshake: the server's refusal (code and HTTP status from its response)
   * when it answered, else a lost connection (status 0).
   */
  static CandlecastException handshakeError(Throwable err) {
    Throwable c = err;
    while (c.getCause() != null && !(c instanceof WebSocketHandshakeException)) {
      c = c.getCause();
    }
    if (c instanceof WebSocketHandshakeException) {
      int status = ((WebSocketHandshakeException) c).getResponse().statusCode();
      return new CandlecastException(
          CandlecastException.codeForStatus(status, null),
          "handshake refused with " + status,
          status,
          err);
    }
    return new CandlecastException(CandlecastException.CONNECTION_LOST, String.valueOf(c), 0, err);
  }
}
