package candlecast.client;

import com.fasterxml.jackson.databind.JsonNode;
import java.lang.System.Logger.Level;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * Where a parsed frame of the socket goes (on the client's event thread): the connection frame's
 * server time, pongs, notices, subscription acks, snapshots and errors, live frames, request
 * replies.
 */
final class Inbound {
  private static final System.Logger LOG = System.getLogger(Connection.class.getName());

  private final Connection conn;
  private final SubscriptionTable table;
  private final Requests requests;
  final List<Consumer<Notice>> noticeListeners = new CopyOnWriteArrayList<>();

  /** The server's clock (epoch ms) of the current socket's {@code connection} frame, or null. */
  Long serverTimeAtConnect;

  Inbound(Connection conn, SubscriptionTable table, Requests requests) {
    this.conn = conn;
    this.table = table;
    this.requests = requests;
  }

  /** A text frame: parsed, then dispatched; one that cannot be read is logged and ignored. */
  void received(String text) {
    JsonNode f;
    try {
      f = Json.parse(text);
    } catch (CandlecastException e) {
      LOG.log(Level.WARNING, "ignored a frame: {0}", e.getMessage());
      return;
    }
    try {
      dispatch(f);
    } catch (CandlecastException e) {
      LOG.log(
          Level.WARNING,
          "ignored a malformed frame ({0}): {1}",
          e.getMessage(),
          Json.abbreviate(text));
    }
  }

  /**
   * A binary frame (issue 20, {@code encoding=binary}): read into the JSON frame it stands for
   * ({@link BinaryFrames}), then handled like one. A frame that cannot be read is logged and
   * ignored; the connection goes on.
   */
  void receivedBinary(ByteBuffer frame) {
    try {
      dispatch(BinaryFrames.toFrame(frame));
    } catch (CandlecastException e) {
      LOG.log(Level.WARNING, "ignored a binary frame: {0}", e.getMessage());
    }
  }

  void dispatch(JsonNode f) {
    String type = f.path("type").asText("");
    JsonNode idNode = f.get("id");
    String id = idNode == null || idNode.isNull() ? null : idNode.asText();
    boolean handled =
        switch (type) {
          case "connection" -> {
            JsonNode ts = f.get("timestamp");
            serverTimeAtConnect = ts != null && ts.isIntegralNumber() ? ts.longValue() : null;
            yield true;
          }
          case "heartbeat" -> true;
          case "pong" -> {
            conn.ponged();
            yield false;
          }
          case "notice" -> {
            Notice n = Notice.fromWire(f);
            for (Consumer<Notice> l : noticeListeners) {
              conn.guard(() -> l.accept(n));
            }
            yield true;
          }
          case "subscription" -> table.subscriptionFrame(f, id);
          case "snapshot" -> {
            Subscription<?> snap = table.byCommand(id);
            if (snap != null && snap.phase == Subscription.Phase.AWAIT_SNAPSHOT) {
              snap.onSnapshot(f);
            }
            yield true;
          }
          case "error" -> {
            Subscription<?> failed = table.byCommand(id);
            if (failed != null) {
              table.subscribeError(
                  failed, f.path("code").asText("error"), f.path("message").asText(""));
            }
            yield failed != null;
          }
          default -> table.liveFrame(type, f);
        };
    if (handled) {
      return;
    }
    if (id != null && !requests.onFrame(id, f) && "error".equals(type)) {
      LOG.log(Level.DEBUG, "error for an unknown id: {0}", f);
    } else if (id == null && "error".equals(type)) {
      LOG.log(Level.WARNING, "server error: {0}", f);
    }
  }
}
