package candlecast.feed;

import java.util.function.LongSupplier;

/**
 * Where a {@link ReplaySource} stands in its file, for the status its controls report: rows taken
 * in this pass, data rows in the file (counted once, -1 until then), and the time left to the end
 * of the pass at the pace measured while running since the last start or speed change. Used on the
 * feed's context only.
 */
final class ReplayPosition {
  private final LongSupplier nanoClock;
  private long total = -1;
  private long position;
  private long runRows;
  private long runNanos;
  private long runSince = -1;

  ReplayPosition(LongSupplier nanoClock) {
    this.nanoClock = nanoClock;
  }

  /** The file's data rows were counted. */
  void total(long rows) {
    total = rows;
  }

  long total() {
    return total;
  }

  /** Rows taken in this pass. */
  long position() {
    return position;
  }

  /** A row was taken from the file. */
  void took() {
    position++;
    runRows++;
  }

  /** A new pass over the file begins (a loop or a reset). */
  void newPass() {
    position = 0;
  }

  /** The replay runs (again) from now. */
  void running() {
    if (runSince < 0) {
      runSince = nanoClock.getAsLong();
    }
  }

  /** The replay stopped running (paused, finished or failed): the clock of the pace stops. */
  void halted() {
    if (runSince >= 0) {
      runNanos += nanoClock.getAsLong() - runSince;
      runSince = -1;
    }
  }

  /** The pace changed: the measurement starts again ({@code running}: from now). */
  void freshRate(boolean running) {
    runRows = 0;
    runNanos = 0;
    runSince = running ? nanoClock.getAsLong() : -1;
  }

  /**
   * Milliseconds to the end of the pass at the pace measured, 0 when {@code finished}; null while
   * that cannot be estimated (not running, nothing taken yet, rows not counted).
   */
  Long etaMs(boolean running, boolean finished) {
    if (finished) {
      return 0L;
    }
    long ran = runNanos + (runSince >= 0 ? nanoClock.getAsLong() - runSince : 0);
    if (!running || total < 0 || runRows == 0 || ran <= 0) {
      return null;
    }
    return (long) (Math.max(0, total - position) * (ran / (double) runRows) / 1e6);
  }
}
