package candlecast.gateway;

import java.util.ArrayDeque;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongSupplier;

/**
 * The update queue of one connection, with its keep-newest policy. An update is written to the
 * {@link Sink} at once while the socket takes it; once the socket's write queue is full the
 * connection is congested, and each subscription ({@link Lane}) parks what its policy keeps until
 * the socket drains: by default only its newest closed update and the newest open update after it
 * (older ones are dropped and counted); a lane may keep more under a policy of its own (a trades
 * subscription keeps its newest trades and a gap marker, see {@link TradesSubscription}). So memory
 * per connection is bounded, and the time a connection has been congested tells a slow client
 * ({@link #slowerThan}).
 *
 * <p>Pure apart from the sink: the policy is unit-testable without sockets. Event-loop confined.
 */
final class OutboundWriter {

  /** Where updates go: the socket. */
  interface Sink {
    /**
     * False once nothing more may be written (the connection closes): updates are then dropped
     * silently.
     */
    boolean isOpen();

    /** Whether the socket's write queue takes more now. */
    boolean writable();

    void write(Update u);
  }

  /**
   * One subscription's place in the writer: what it parks while the connection is congested. The
   * policy (park, flush, clear) is the lane's; this one keeps the newest closed update and the
   * newest open one after it.
   */
  static class Lane {
    /**
     * The writer of the lane's connection (final: one field load per update on the fan-out path).
     */
    final OutboundWriter writer;

    private Update parkedClosed;
    private Update parkedOpen;
    private boolean queued;

    Lane(OutboundWriter writer) {
      this.writer = writer;
    }

    /** Updates parked in this lane (0 to 2). */
    int parked() {
      return (parkedClosed == null ? 0 : 1) + (parkedOpen == null ? 0 : 1);
    }

    /**
     * Parks {@code u} while the connection is congested; returns how many parked updates it
     * dropped.
     */
    int park(Update u) {
      if (u.closed() && parkedClosed != null && parkedClosed.time() > u.time()) {
        return 1; // an older closed candle (re-emitted as partial) never displaces a newer one
      }
      int dropped = 0;
      if (u.closed()) {
        if (parkedClosed != null) {
          dropped++;
        }
        parkedClosed = u;
        if (parkedOpen != null && parkedOpen.time() <= u.time()) {
          parkedOpen = null;
          dropped++;
        }
      } else {
        if (parkedOpen != null) {
          dropped++;
        }
        parkedOpen = u;
      }
      return dropped;
    }

    /**
     * Writes what the lane parks (closed before open) while the socket takes it; false when it
     * filled up again.
     */
    boolean flush(OutboundWriter w) {
      if (parkedClosed != null) {
        if (!w.takes()) {
          return false;
        }
        w.write(parkedClosed);
        parkedClosed = null;
      }
      if (parkedOpen != null) {
        if (!w.takes()) {
          return false;
        }
        w.write(parkedOpen);
        parkedOpen = null;
      }
      return true;
    }

    /** Forgets what the lane parks, without counting it (its subscription ended). */
    void clear() {
      parkedClosed = null;
      parkedOpen = null;
    }
  }

  private final Sink sink;
  private final LongAdder dropped;
  private final LongSupplier clockMs;

  /** When the write queue became full and updates started to be parked; 0 when not congested. */
  private long congestedSinceMs;

  /** Lanes with parked updates, in the order they first parked; created at the first congestion. */
  private ArrayDeque<Lane> parked;

  private boolean draining;

  OutboundWriter(Sink sink, LongAdder dropped, LongSupplier clockMs) {
    this.sink = sink;
    this.dropped = dropped;
    this.clockMs = clockMs;
  }

  /** An update of {@code lane}: written now, or parked while the connection is congested. */
  void offer(Lane lane, Update u) {
    Sink s = sink;
    if (!s.isOpen()) {
      return; // (the close handler runs a little after the transport closed)
    }
    if (congestedSinceMs != 0 || !s.writable()) {
      if (congestedSinceMs == 0) {
        congestedSinceMs = clockMs.getAsLong();
      }
      park(lane, u);
      return;
    }
    s.write(u);
  }

  private void park(Lane lane, Update u) {
    int d = lane.park(u);
    if (d > 0) {
      dropped.add(d);
    }
    if (!lane.queued) {
      lane.queued = true;
      if (parked == null) {
        parked = new ArrayDeque<>(4);
      }
      parked.addLast(lane);
    }
  }

  /**
   * The socket drained: writes what is parked, lane by lane (closed before open), while the socket
   * takes it. The congestion ends when every lane is written; if the queue fills up again, the next
   * drain continues. A drain reported while draining (checking writability may flush, and a flush
   * may report it) is left to the running one.
   */
  void drain() {
    if (congestedSinceMs == 0 || draining) {
      return;
    }
    draining = true;
    try {
      for (Lane lane = next(); lane != null; lane = next()) {
        lane.queued = false;
        if (!lane.flush(this)) {
          if (lane.parked() > 0) { // still first in line
            lane.queued = true;
            parked.addFirst(lane);
          }
          return;
        }
      }
      congestedSinceMs = 0;
    } finally {
      draining = false;
    }
  }

  private Lane next() {
    return parked == null ? null : parked.pollFirst();
  }

  /** Whether the socket takes a parked update now (for a lane's {@link Lane#flush}). */
  boolean takes() {
    return sink.isOpen() && sink.writable();
  }

  /** Writes a parked update (for a lane's {@link Lane#flush}, after {@link #takes}). */
  void write(Update u) {
    sink.write(u);
  }

  /** Drops what {@code lane} parks, without counting it (its subscription ended). */
  void forget(Lane lane) {
    lane.clear();
    if (lane.queued) {
      lane.queued = false;
      parked.remove(lane);
    }
  }

  /** Whether updates are being parked. */
  boolean congested() {
    return congestedSinceMs != 0;
  }

  /** How long the connection has been congested at {@code nowMs}; 0 when it is not. */
  long congestedMs(long nowMs) {
    return congestedSinceMs == 0 ? 0 : nowMs - congestedSinceMs;
  }

  /**
   * Whether the connection has been congested for longer than {@code limitMs}: a client that does
   * not read.
   */
  boolean slowerThan(long nowMs, long limitMs) {
    return congestedSinceMs != 0 && nowMs - congestedSinceMs > limitMs;
  }

  /** Lanes with parked updates. */
  int parkedLanes() {
    return parked == null ? 0 : parked.size();
  }
}
