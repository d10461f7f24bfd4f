package candlecast.client;

import java.lang.System.Logger.Level;
import java.net.http.WebSocket;
import java.util.concurrent.CompletableFuture;

/**
 * The text frames sent on the current socket, one after the other (java.net.http allows one
 * outstanding send per socket). A failed send is logged and the next one goes on; used on the
 * client's event thread.
 */
final class SendQueue {
  private static final System.Logger LOG = System.getLogger(Connection.class.getName());

  private CompletableFuture<?> chain = CompletableFuture.completedFuture(null);

  /** A new socket: nothing is queued on it. */
  void reset() {
    chain = CompletableFuture.completedFuture(null);
  }

  void send(WebSocket socket, String text) {
    chain =
        chain
            .handle((x, e) -> null)
            .thenCompose(x -> socket.sendText(text, true))
            .exceptionally(
                e -> {
                  LOG.log(Level.DEBUG, "send failed: {0}", e.toString());
                  return null;
                });
  }
}
