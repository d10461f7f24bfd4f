package candlecast.feed;

import candlecast.common.Trade;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * The pacing of a {@link ReplaySource}: recorded time times the speed ({@code max}: no waiting).
 * The first trade starts the clock; the replay's virtual time is the recorded time it has reached.
 * At run time the replay can be paused (virtual time stands still), resumed (it goes on from where
 * it stood), sped up or slowed down (the clock is re-based at the virtual time reached, so nothing
 * jumps) and reset (the next trade starts the clock again). Used on the feed's context only.
 */
final class ReplayPace {
  private final LongSupplier nanoClock;
  private double speed;
  private long firstTime = Long.MIN_VALUE;
  private long wallStartNanos;
  private long lastDue = Long.MIN_VALUE;
  private boolean paused;
  private long pausedAt;

  /** {@code speed}: a factor of the recorded speed, or {@code max}. */
  ReplayPace(String speed) {
    this(speed, System::nanoTime);
  }

  ReplayPace(String speed, LongSupplier nanoClock) {
    this.nanoClock = nanoClock;
    this.speed = factor(speed);
  }

  private static double factor(String speed) {
    return "max".equals(speed) ? Double.POSITIVE_INFINITY : Double.parseDouble(speed);
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
    long now = nanoClock.getAsLong();
    if (firstTime == Long.MIN_VALUE) {
      firstTime = t.time();
      wallStartNanos = now;
    }
    if (max()) {
      lastDue = Math.max(lastDue, t.time());
      return 0;
    }
    long due = wallStartNanos + (long) ((t.time() - firstTime) * 1e6 / speed);
    if (due <= now) {
      lastDue = Math.max(lastDue, t.time());
      return 0;
    }
    return Math.max(1, TimeUnit.NANOSECONDS.toMillis(due - now));
  }

  /** The recorded time the replay has reached (once {@link #started()}). */
  long virtualTime() {
    if (paused) {
      return pausedAt;
    }
    if (max()) {
      return lastDue == Long.MIN_VALUE ? firstTime : lastDue;
    }
    return firstTime + (long) ((nanoClock.getAsLong() - wallStartNanos) / 1e6 * speed);
  }

  /** Virtual time stands still until {@link #resume()}. */
  void pause() {
    if (!paused) {
      pausedAt = started() ? virtualTime() : Long.MIN_VALUE;
      paused = true;
    }
  }

  /** Virtual time goes on from where it stood. */
  void resume() {
    if (paused) {
      paused = false;
      rebase(pausedAt);
    }
  }

  /** Changes the speed ({@code max} or a factor); virtual time goes on from where it stands. */
  void speed(String setting) {
    long at = started() ? virtualTime() : Long.MIN_VALUE;
    speed = factor(setting);
    if (paused) {
      return;
    }
    rebase(at);
  }

  /** Forgets the clock: the next trade starts it again (a new pass of the file). */
  void reset() {
    firstTime = Long.MIN_VALUE;
    lastDue = Long.MIN_VALUE;
    pausedAt = Long.MIN_VALUE;
  }

  private void rebase(long at) {
    if (at != Long.MIN_VALUE) {
      firstTime = at;
      wallStartNanos = nanoClock.getAsLong();
    }
  }

  boolean paused() {
    return paused;
  }
}
