package candlecast.client;

/**
 * Whether the current socket is alive (on the client's event thread): when its last frame arrived
 * and how many pings went unanswered. A socket is dead after two unanswered pings, or after a
 * silence longer than two ping intervals plus 5 s.
 */
final class Liveness {
  private final long pingIntervalMs;
  private long lastFrameAt;
  private int unansweredPings;

  Liveness(long pingIntervalMs) {
    this.pingIntervalMs = pingIntervalMs;
  }

  /** A new socket opened at {@code now} (epoch ms). */
  void reset(long now) {
    lastFrameAt = now;
    unansweredPings = 0;
  }

  /** A frame arrived at {@code now} (epoch ms). */
  void heard(long now) {
    lastFrameAt = now;
  }

  /** A pong (or any answer to a ping) arrived. */
  void ponged() {
    unansweredPings = 0;
  }

  /**
   * At a ping tick: null when the socket is alive (a ping is then counted as sent), else why it is
   * dead.
   */
  String check(long now) {
    long silent = now - lastFrameAt;
    if (unansweredPings >= 2 || silent > 2 * pingIntervalMs + 5000) {
      return "no pong for " + silent + " ms";
    }
    unansweredPings++;
    return null;
  }
}
