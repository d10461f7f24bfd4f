package candlecast.feed;

import candlecast.common.Trade;
import io.vertx.core.http.WebSocket;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * One WebSocket connection of the {@link BitstampSource} and what it has seen. Used on the feed's
 * context only.
 */
final class BitstampConnection {
  /** Where a connection is in its life. */
  enum Phase {
    /** Handshake under way. */
    CONNECTING,
    /**
     * Open, subscriptions sent, not every channel acknowledged (or acknowledged, no other
     * connection live).
     */
    SUBSCRIBING,
    /**
     * Maintenance switch: every channel acknowledged, waiting for the overlap with the live
     * connection.
     */
    SWITCHING,
    /** The connection whose trades count. */
    ACTIVE,
    /** Closed or given up; everything it still delivers is ignored. */
    CLOSED
  }

  final int id;
  WebSocket ws;
  Phase phase = Phase.CONNECTING;
  final Set<String> acked = new TreeSet<>();

  /** Trades received while subscribing, at most {@link BitstampBackfill#MAX_BUFFERED}. */
  final List<Trade> early = new ArrayList<>();

  /** Trades received while subscribing but dropped (beyond the bound). */
  long earlyDropped;

  long lastFrameNanos = System.nanoTime();
  long lastFrameWallMs = System.currentTimeMillis();
  long promotedNanos;

  /** The handshake or the subscription timeout. */
  long timer = -1;

  long switchTimer = -1;

  /** First trade id per symbol received on this connection while it was incoming. */
  final Map<String, Long> firstId = new HashMap<>();

  BitstampConnection(int id) {
    this.id = id;
  }

  boolean closed() {
    return phase == Phase.CLOSED;
  }

  boolean active() {
    return phase == Phase.ACTIVE;
  }

  /** Open and not given up: heartbeats and the watchdog apply. */
  boolean open() {
    return ws != null && !closed();
  }

  /** Sends the subscription of every channel. */
  void subscribe(Iterable<String> channels) {
    for (String ch : channels) {
      ws.writeTextMessage(BitstampProtocol.subscribeFrame(ch));
    }
  }

  void heartbeat() {
    ws.writeTextMessage(BitstampProtocol.heartbeatFrame());
  }

  /** " (code reason)" of a closed WebSocket, or "" when it sent no close status. */
  String closeStatus() {
    if (ws.closeStatusCode() == null) {
      return "";
    }
    return " ("
        + ws.closeStatusCode()
        + (ws.closeReason() == null ? "" : " " + ws.closeReason())
        + ")";
  }

  /**
   * Whether the active connection, having delivered up to {@code activeNewest} (newest id per
   * symbol), has caught up with this one for every symbol: it delivered this connection's first
   * trade of each (so nothing falls in between).
   */
  boolean caughtUp(Map<String, Long> activeNewest, Collection<String> symbols) {
    for (String symbol : symbols) {
      Long first = firstId.get(symbol);
      Long seen = activeNewest.get(symbol);
      if (first == null || seen == null || seen < first) {
        return false;
      }
    }
    return true;
  }

  /** A frame arrived now. */
  void touch() {
    lastFrameNanos = System.nanoTime();
    lastFrameWallMs = System.currentTimeMillis();
  }

  /** Keeps a trade that arrived before this connection took over. */
  void keepEarly(Trade t, int max) {
    if (early.size() >= max) {
      earlyDropped++;
    } else {
      early.add(t);
    }
  }

  /** Closes the WebSocket, if it is open. */
  void closeSocket() {
    if (ws != null && !ws.isClosed()) {
      ws.close();
    }
  }
}
