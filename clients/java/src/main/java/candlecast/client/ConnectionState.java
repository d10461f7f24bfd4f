package candlecast.client;

/** The connection's state (docs/CLIENTS.md, "Connecting"). */
public enum ConnectionState {
  /** Not connected yet: no subscription and no connect() so far. */
  IDLE,
  /** The first connection is being opened. */
  CONNECTING,
  /** The socket is open and every subscription is restored (acked and caught up). */
  CONNECTED,
  /** The connection dropped; the client is waiting to reconnect or restoring subscriptions. */
  RECONNECTING,
  /** close() was called, or the server refused the token: nothing more happens. */
  CLOSED
}
