package candlecast.feed;

/**
 * The ordered, bounded path from the feed's sources to Kafka. Records are written in the order they
 * are offered (per key, which is all Kafka orders). Call from the feed's Vert.x context only.
 */
interface TradeLog {
  /** Hands a record over; false when the buffer is full, and then nothing was taken. */
  boolean offer(LogRecord r);

  /** Whether {@code n} more records would be taken now. */
  boolean hasRoom(int n);

  /**
   * Runs {@code action} on the feed's context once the buffer is at most half full (at once if it
   * already is).
   */
  void whenRoom(Runnable action);
}
