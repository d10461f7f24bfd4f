package candlecast.client;

import java.io.ByteArrayOutputStream;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.util.concurrent.CompletionStage;

/**
 * The java.net.http listener of one socket (one generation of the connection): hands every event to
 * the client's event loop. The next message is requested only after the loop handled the previous
 * one, so a consumer that cannot keep up slows the socket down (and the server coalesces) instead
 * of filling memory.
 */
final class SocketListener implements WebSocket.Listener {
  private final int gen;
  private final Connection conn;
  private StringBuilder parts;
  private ByteArrayOutputStream binaryParts;

  SocketListener(int gen, Connection conn) {
    this.gen = gen;
    this.conn = conn;
  }

  @Override
  public void onOpen(WebSocket webSocket) {
    conn.exec(() -> conn.opened(gen, webSocket), webSocket::abort);
    webSocket.request(1);
  }

  @Override
  public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
    if (!last) {
      if (parts == null) {
        parts = new StringBuilder();
      }
      parts.append(data);
      webSocket.request(1);
      return null;
    }
    String text;
    if (parts != null) {
      text = parts.append(data).toString();
      parts = null;
    } else {
      text = data.toString();
    }
    conn.exec(
        () -> {
          conn.received(gen, text);
          webSocket.request(1);
        },
        () -> {});
    return null;
  }

  /**
   * A binary message (issue 20, {@code encoding=binary}): its parts are gathered, then the whole
   * frame goes to the loop like a text message.
   */
  @Override
  public CompletionStage<?> onBinary(WebSocket webSocket, ByteBuffer data, boolean last) {
    if (binaryParts == null) {
      binaryParts = new ByteArrayOutputStream(Math.max(64, data.remaining()));
    }
    byte[] chunk = new byte[data.remaining()];
    data.get(chunk);
    binaryParts.write(chunk, 0, chunk.length);
    if (!last) {
      webSocket.request(1);
      return null;
    }
    ByteBuffer frame = ByteBuffer.wrap(binaryParts.toByteArray());
    binaryParts = null;
    conn.exec(
        () -> {
          conn.receivedBinary(gen, frame);
          webSocket.request(1);
        },
        () -> {});
    return null;
  }

  @Override
  public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
    conn.exec(
        () ->
            conn.dropped(
                gen,
                statusCode,
                new CandlecastException(
                    CandlecastException.CONNECTION_LOST,
                    "closed by the server: " + statusCode + " " + reason)),
        () -> {});
    return null;
  }

  @Override
  public void onError(WebSocket webSocket, Throwable error) {
    conn.exec(
        () ->
            conn.dropped(
                gen,
                -1,
                new CandlecastException(
                    CandlecastException.CONNECTION_LOST, String.valueOf(error), 0, error)),
        () -> {});
  }
}
