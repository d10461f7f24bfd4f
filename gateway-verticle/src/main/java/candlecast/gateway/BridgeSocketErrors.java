package candlecast.gateway;

import io.vertx.core.http.HttpClosedException;
import io.vertx.ext.web.handler.sockjs.SockJSSocket;
import java.io.IOException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The exception handler of SockJS bridge sockets. vertx-web's bridge ({@code EventBusBridgeImpl})
 * logs every socket exception at ERROR ("SockJSSocket exception") before the bridge-event hook
 * hears of it, so a {@code SOCKET_ERROR} handler cannot stop it; that includes the {@link
 * HttpClosedException} of a client that simply went away (closed its tab, lost its network, exited)
 * without a WebSocket close frame — a normal disconnect, not an error. {@link #install} replaces
 * the bridge's handler once the bridge has set it up (after {@code SOCKET_CREATED}):
 *
 * <ul>
 *   <li>a disconnect (the connection closed or reset) is logged at DEBUG; the close handler that
 *       follows releases the socket as before ({@code SOCKET_CLOSED});
 *   <li>anything else is logged at ERROR and the socket is closed, which releases it the same way.
 * </ul>
 */
final class BridgeSocketErrors {
  private static final Logger LOG = LoggerFactory.getLogger(BridgeSocketErrors.class);

  private BridgeSocketErrors() {}

  /**
   * Call on the socket's context after the bridge accepted it (the bridge sets its own handler on
   * acceptance).
   */
  static void install(SockJSSocket sock) {
    sock.exceptionHandler(e -> handle(sock, e));
  }

  static void handle(SockJSSocket sock, Throwable e) {
    if (isDisconnect(e)) {
      LOG.debug("SockJS client {} went away: {}", sock.remoteAddress(), e.toString());
      return;
    }
    LOG.error("SockJS socket of {} failed; closing it", sock.remoteAddress(), e);
    sock.close();
  }

  /**
   * The peer left: the connection was closed or reset under the socket (not an error of ours or of
   * the client).
   */
  static boolean isDisconnect(Throwable e) {
    return e instanceof HttpClosedException || e instanceof IOException;
  }
}
