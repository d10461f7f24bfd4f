package candlecast.feed;

import candlecast.common.Trade;
import java.util.concurrent.TimeUnit;

/**
 * The pacing of a {@link ReplaySource}: recorded time times {@code replay.speed} ({@code max}: no
 * waiting). The first trade starts the clock; the replay's virtual time is the recorded time it has
 * reached. Used on the feed's context only.
 */
final class ReplayPace {
  private final double speed;
  private long firstTime = Long.MIN_VALUE;
  private long wallStartNanos;

  /** {@code speed}: a factor of the recorded speed, or {@code max}. */
  ReplayPace(String speed) {
    this.speed = "max".equals(speed) ? Double.POSITIVE_INFINITY : Double.parseDouble(speed);
  }

  /** Whether the replay runs as fast as it can. */
  boolean max() {
    return speed == Double.POSITIVE_INFINITY;
  }

  /** Whether the first trade started the clock. */
  boolean started() {
    return firstTime != Long.MIN_VALUE;
  }

  /** The setting as given: {@code max} or the factor. */
  String setting() {
    return max() ? "max" : String.valueOf(speed);
  }

  /** For the log: {@code max speed} or {@code <factor>x recorded speed}. */
  String describe() {
    return max() ? "max speed" : speed + "x recorded speed";
  }

  /** Milliseconds (at least 1) until {@code t} is due, or 0 when it is. */
  long waitMs(Trade t) {
    long now = System.nanoTime();
    if (firstTime == Long.MIN_VALUE) {
      firstTime = t.time();
      wallStartNanos = now;
    }
    if (max()) {
      return 0;
    }
    long due = wallStartNanos + (long) ((t.time() - firstTime) * 1e6 / speed);
    if (due <= now) {
      return 0;
    }
    return Math.max(1, TimeUnit.NANOSECONDS.toMillis(due - now));
  }

  /** The recorded time the replay has reached at {@code speed} (once {@link #started()}). */
  long virtualTime() {
    return firstTime + (long) ((System.nanoTime() - wallStartNanos) / 1e6 * speed);
  }
}
