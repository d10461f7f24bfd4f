package candlecast.gateway;

import io.socket.engineio.server.EngineIoWebSocket;
import io.socket.engineio.server.utils.ParseQS;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.ServerWebSocket;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * engine.io's websocket transport over a Vert.x {@link ServerWebSocket}. The socket belongs to the
 * event loop that accepted it (strict thread mode), engine.io to the Socket.IO owner's context:
 * each side is reached on its own context ({@code write}/{@code close} hop to the socket's,
 * incoming messages and the close to the owner's). Messages above {@code gateway.max-message-bytes}
 * close the socket (1009), as on {@code /ws}; a socket whose write queue is full (a client that
 * does not read) is closed too.
 */
final class SioWebSocket extends EngineIoWebSocket {
  private final ServerWebSocket ws;
  private final Context socketContext;
  private final Map<String, String> query;
  private final Map<String, List<String>> headers = new HashMap<>();

  /** Called on the socket's event loop, before the upgrade completes. */
  SioWebSocket(ServerWebSocket ws, Context owner, int maxMessageBytes) {
    this.ws = ws;
    this.socketContext = Vertx.currentContext();
    this.query = ParseQS.decode(ws.query());
    for (String name : ws.headers().names()) {
      headers.put(name, ws.headers().getAll(name));
    }
    ws.textMessageHandler(
        text -> {
          if (text.length() > maxMessageBytes) {
            ws.close((short) 1009, "message too big");
            return;
          }
          owner.runOnContext(v -> emit("message", text));
        });
    ws.binaryMessageHandler(
        buf -> {
          if (buf.length() > maxMessageBytes) {
            ws.close((short) 1009, "message too big");
            return;
          }
          byte[] bytes = buf.getBytes();
          owner.runOnContext(v -> emit("message", (Object) bytes));
        });
    ws.exceptionHandler(
        e -> owner.runOnContext(v -> emit("error", "websocket error", String.valueOf(e))));
    ws.closeHandler(v -> owner.runOnContext(x -> emit("close")));
  }

  @Override
  public Map<String, String> getQuery() {
    return query;
  }

  @Override
  public Map<String, List<String>> getConnectionHeaders() {
    return headers;
  }

  @Override
  public void write(String message) {
    socketContext.runOnContext(
        v -> {
          if (writable()) {
            ws.writeTextMessage(message);
          }
        });
  }

  @Override
  public void write(byte[] message) {
    socketContext.runOnContext(
        v -> {
          if (writable()) {
            ws.writeBinaryMessage(Buffer.buffer(message));
          }
        });
  }

  /** False when closed; closes a socket whose write queue is full. */
  private boolean writable() {
    if (ws.isClosed()) {
      return false;
    }
    if (ws.writeQueueFull()) {
      ws.close((short) 1008, "slow client");
      return false;
    }
    return true;
  }

  @Override
  public void close() {
    socketContext.runOnContext(
        v -> {
          if (!ws.isClosed()) {
            ws.close();
          }
        });
  }
}
