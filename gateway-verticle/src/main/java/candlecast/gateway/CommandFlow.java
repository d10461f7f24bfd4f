package candlecast.gateway;

import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.json.JsonObject;

/**
 * The command side of one {@code /ws} connection: its replies, and TCP back-pressure on its
 * commands. Commands are handled one at a time: while one waits for its consumer registration or
 * its snapshot ({@link #begin}/{@link #end}), or while replies sit in a full write queue, the
 * socket is paused, so a later command never overtakes an earlier one and a client that sends
 * commands without reading the replies stops being read.
 */
final class CommandFlow {
  private final ServerWebSocket ws;
  private final WsChannel channel;
  private int busy;
  private boolean awaitingDrain;

  CommandFlow(ServerWebSocket ws, WsChannel channel) {
    this.ws = ws;
    this.channel = channel;
  }

  /**
   * A control frame (ack, snapshot, error, pong...): always written, never dropped, while the
   * connection is open.
   */
  void reply(JsonObject frame) {
    reply(frame.toBuffer());
  }

  /** A control frame already encoded (UTF-8 JSON text), as {@link #reply(JsonObject)}. */
  void reply(io.vertx.core.buffer.Buffer frame) {
    if (!channel.isOpen()) {
      return;
    }
    channel.writeText(frame);
    if (!awaitingDrain && !channel.writable()) {
      // The client sends commands but does not read: stop reading its commands until it does.
      awaitingDrain = true;
      update();
    }
  }

  /** A command goes on asynchronously: read nothing more until {@link #end}. */
  void begin() {
    busy++;
    update();
  }

  void end() {
    busy--;
    update();
  }

  /** The write queue drained: read again (unless a command is still busy). */
  void drained() {
    if (awaitingDrain) {
      awaitingDrain = false;
      update();
    }
  }

  private void update() {
    if (channel.state() != ConnectionState.OPEN) {
      return;
    }
    if (busy > 0 || awaitingDrain) {
      ws.pause();
    } else {
      ws.resume();
    }
  }
}
