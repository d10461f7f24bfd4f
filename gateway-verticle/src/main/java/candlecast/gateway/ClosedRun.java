package candlecast.gateway;

import candlecast.common.Timeframe;

/**
 * The closed windows of one candle series as this gateway has forwarded them, and what to do with
 * the next update. Windows of a series close in open-time order, so one number is enough: the open
 * time of the newest closed window forwarded. Pure; one per series, used from the hub's context.
 *
 * <ul>
 *   <li>An update of a window at or before it is a re-publication (an aggregator taking over
 *       re-publishes the windows it restores, re-opened and closed again): dropped — except a
 *       closed window re-emitted <em>partial</em> (a gap record that arrived after it closed),
 *       which the client must learn.
 *   <li>A closed update more than one window after it means the closes in between never arrived
 *       here (lost on the bus while the cluster re-formed): a hole, to be repaired from history
 *       before the update goes on.
 *   <li>Anything else passes. The first closed update seen starts the run.
 * </ul>
 */
public final class ClosedRun {
  /** What to do with an update. */
  public enum Verdict {
    PASS,
    DROP,
    HOLE
  }

  private static final long UNKNOWN = Long.MIN_VALUE;
  private final Timeframe tf;
  private long newestClosed = UNKNOWN;
  private long holeFrom = UNKNOWN;

  /** The newest window history knew closed when the run was seeded (until the first close). */
  private long seeded = UNKNOWN;

  public ClosedRun(Timeframe tf) {
    this.tf = tf;
  }

  /** The verdict on an update of the window opened at {@code t}; PASS and HOLE advance the run. */
  public Verdict check(long t, boolean closed, boolean partial) {
    if (newestClosed != UNKNOWN && t <= newestClosed) {
      return closed && partial ? Verdict.PASS : Verdict.DROP;
    }
    if (!closed) {
      return Verdict.PASS;
    }
    long next = newestClosed == UNKNOWN ? t : tf.windowEnd(newestClosed);
    if (seeded != UNKNOWN) {
      next = Math.max(next, tf.windowEnd(seeded));
      seeded = UNKNOWN;
    }
    newestClosed = t;
    if (t > next) {
      holeFrom = next;
      return Verdict.HOLE;
    }
    return Verdict.PASS;
  }

  /**
   * Starts the run as if every window before the one containing {@code since} had been forwarded
   * closed (a client resuming from {@code since}: the first window it does not have yet).
   */
  public void resumeAt(long since) {
    newestClosed = tf.windowStartOfIndex(tf.windowIndex(since) - 1);
  }

  /**
   * Starts a run that has not started with {@code newestClosed}, the open time of the newest window
   * known closed elsewhere (history); a run already under way is left alone.
   */
  public void seed(long newestClosed) {
    if (this.newestClosed == UNKNOWN) {
      // from the window before it, so that a live close of that window itself still passes (a
      // subscriber's snapshot may have been answered just before it closed); the next closed
      // window after it is then not a hole either
      this.newestClosed = tf.windowStartOfIndex(tf.windowIndex(newestClosed) - 1);
      this.seeded = newestClosed;
    }
  }

  /** The first missing window of the latest {@link Verdict#HOLE} (it ends before that update). */
  public long holeFrom() {
    return holeFrom;
  }

  /** Open time of the newest closed window forwarded (Long.MIN_VALUE: none yet). */
  public long newestClosed() {
    return newestClosed;
  }

  /** Number of windows from {@code from} (inclusive) to {@code to} (exclusive). */
  public long windowsBetween(long from, long to) {
    return tf.windowIndex(to) - tf.windowIndex(from);
  }
}
