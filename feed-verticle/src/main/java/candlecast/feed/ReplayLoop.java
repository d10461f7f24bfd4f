package candlecast.feed;

import candlecast.common.Trade;

/**
 * The passes of a {@link ReplaySource} over its file and their arithmetic: each pass after the
 * first shifts ids past every id offered so far and times past every time offered so far (by the
 * largest shifted id/time minus the smallest id/time of the file's trades, plus one), so nothing
 * repeats and time moves on. A pass starts at the end of the file ({@code replay.loop}: loop n then
 * shifts ids by n × (id span + 1) and times by n × (time span + 1 ms)) or on a reset (the chart
 * server's Reset: the next pass starts right after what the reset cut short). Used on the feed's
 * context only.
 */
final class ReplayLoop {
  private int index;
  private long minId = Long.MAX_VALUE;
  private long minTime = Long.MAX_VALUE;
  private long maxShiftedId = Long.MIN_VALUE;
  private long maxShiftedTime = Long.MIN_VALUE;
  private long idShift;
  private long timeShift;

  /** The pass being replayed; 0 for the first. */
  int index() {
    return index;
  }

  /** Whether any trade was offered (there is a span to shift by). */
  boolean hasSpan() {
    return maxShiftedId != Long.MIN_VALUE;
  }

  /** Records {@code t} (as {@link #shifted} returned it), about to be offered. */
  void record(Trade t) {
    minId = Math.min(minId, t.id() - idShift);
    minTime = Math.min(minTime, t.time() - timeShift);
    maxShiftedId = Math.max(maxShiftedId, t.id());
    maxShiftedTime = Math.max(maxShiftedTime, t.time());
  }

  /** {@code t} as this pass replays it: itself on the first pass, else shifted. */
  Trade shifted(Trade t) {
    if (index == 0) {
      return t;
    }
    return new Trade(
        t.symbol(), t.id() + idShift, t.time() + timeShift, t.price(), t.amount(), t.side());
  }

  /** Moves on to the next pass; returns its index. */
  int next() {
    index++;
    if (hasSpan()) {
      idShift = maxShiftedId - minId + 1;
      timeShift = maxShiftedTime - minTime + 1;
    }
    return index;
  }
}
