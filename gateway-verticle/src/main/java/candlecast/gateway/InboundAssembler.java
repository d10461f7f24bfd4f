package candlecast.gateway;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.WebSocketFrame;
import io.vertx.core.http.WebSocketFrameType;

/**
 * Joins the frames of one connection into messages and bounds their size (as Vert.x's own {@code
 * FrameAggregator} does for its WebSocket): a text message reaches the {@link Receiver} whole; of a
 * binary message only its length (binary messages are refused, so their bytes are not kept); a
 * message larger than {@code maxBytes} ends the connection ({@link Receiver#tooBig}) and is
 * dropped. At most one incomplete message is held. Ping, pong and close frames are Vert.x's
 * business and ignored here.
 *
 * <p>Pure: no I/O. Not thread-safe.
 */
final class InboundAssembler {

  /** What the assembler hands on. */
  interface Receiver {
    /** A complete text message of at most {@code maxBytes} bytes (UTF-8). */
    void text(Buffer utf8);

    /** A complete binary message of {@code length} bytes. */
    void binary(int length);

    /** A message outgrew {@code maxBytes}: the connection must close (1009). */
    void tooBig();
  }

  private final int maxBytes;
  private final Receiver receiver;
  // an incomplete (fragmented) message: its bytes so far (-1: none), and its text (null for a
  // binary message)
  private int bytes = -1;
  private boolean binary;
  private Buffer text;

  InboundAssembler(int maxBytes, Receiver receiver) {
    this.maxBytes = maxBytes;
    this.receiver = receiver;
  }

  int maxBytes() {
    return maxBytes;
  }

  /** Takes the next frame of the connection. */
  void frame(WebSocketFrame frame) {
    switch (frame.type()) {
      case TEXT, BINARY -> start(frame.type() == WebSocketFrameType.BINARY, frame);
      case CONTINUATION -> {
        if (bytes < 0) {
          return; // the decoder rejects stray continuations; nothing to do
        }
        if (append(frame.binaryData()) && frame.isFinal()) {
          complete();
        }
      }
      default -> {
        // ping (answered by Vert.x), pong (liveness: the connection saw a frame), close (handled by
        // Vert.x)
      }
    }
  }

  /** Whether part of a message is held. */
  boolean incomplete() {
    return bytes >= 0;
  }

  private void start(boolean isBinary, WebSocketFrame frame) {
    if (frame.isFinal()) {
      if (isBinary) {
        receiver.binary(frame.binaryData().length());
      } else if (frame.binaryData().length() > maxBytes) {
        receiver.tooBig();
      } else {
        receiver.text(frame.binaryData());
      }
      return;
    }
    binary = isBinary;
    bytes = 0;
    text = isBinary ? null : Buffer.buffer();
    append(frame.binaryData());
  }

  /** Appends a fragment; false (and the message dropped) when the message outgrows the limit. */
  private boolean append(Buffer data) {
    bytes += data.length();
    if (bytes > maxBytes) {
      reset();
      receiver.tooBig();
      return false;
    }
    if (text != null) {
      text.appendBuffer(data);
    }
    return true;
  }

  private void complete() {
    Buffer whole = text;
    int size = bytes;
    boolean wasBinary = binary;
    reset();
    if (wasBinary) {
      receiver.binary(size);
    } else {
      receiver.text(whole);
    }
  }

  private void reset() {
    text = null;
    bytes = -1;
  }
}
