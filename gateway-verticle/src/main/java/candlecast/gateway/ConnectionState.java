package candlecast.gateway;

/**
 * The lifecycle of a {@code /ws} connection. States only move forward ({@link WsChannel#moveTo}):
 * OPEN, CLOSING once the server has sent its close frame (nothing more is read or written), CLOSED
 * once the transport is gone.
 */
enum ConnectionState {
  OPEN,
  CLOSING,
  CLOSED;

  /** Whether a connection in this state may move to {@code next}. */
  boolean canMoveTo(ConnectionState next) {
    return next.compareTo(this) > 0;
  }
}
