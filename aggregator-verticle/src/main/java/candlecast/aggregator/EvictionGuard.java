package candlecast.aggregator;

/**
 * Whether this node may evict a member that its cluster view says has left (issue 19). Two cases
 * where the view is not evidence of a death: the node sees itself alone (it is the one cut off),
 * and the node's own process was just paused or starved ({@code SIGSTOP}, a long GC, a frozen VM):
 * on resuming, its Hazelcast member finds every other member silent for as long as it slept and
 * drops them, although they are the live ones. A pause shows as a gap in a periodic tick; for a
 * while after one, evictions are refused (the group's session timeout still moves the partitions of
 * a member that really died meanwhile). Pure; the caller supplies the clock.
 */
final class EvictionGuard {
  /** How often the caller ticks. */
  static final long TICK_MS = 100;

  /**
   * A tick gap above this means the process was paused. A shorter pause cannot make this node drop
   * the others (they are declared dead after 5 s of silence, {@code
   * cluster.failure-timeout-seconds}); a lower threshold also refuses evictions on a node merely
   * starved of CPU for a second, which FastFailoverIT saw at a load of 15 per core.
   */
  static final long PAUSE_MS = 3_000;

  /** Evictions are refused for this long after a pause (covers the view's settling and merge). */
  static final long QUARANTINE_MS = 15_000;

  private long lastTick = Long.MIN_VALUE;
  private long quarantineUntil = Long.MIN_VALUE;

  /** Called every {@link #TICK_MS}. */
  void tick(long nowMs) {
    if (paused(nowMs)) {
      quarantineUntil = nowMs + QUARANTINE_MS;
    }
    lastTick = nowMs;
  }

  /**
   * Null when the departure of a member may be acted on at {@code nowMs}, with {@code members} left
   * in this node's view; else why not.
   */
  String refusal(long nowMs, int members) {
    if (members < 2) {
      return "this node sees itself alone";
    }
    if (paused(nowMs) || nowMs < quarantineUntil) {
      return "this process was paused a moment ago: its view of the others is stale";
    }
    return null;
  }

  private boolean paused(long nowMs) {
    return lastTick != Long.MIN_VALUE && nowMs - lastTick > PAUSE_MS;
  }
}
